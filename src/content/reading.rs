//! What a content input says when it is read: a signal reading, the video mode of a
//! locked picture, the errors a source can meet, and the description shown to admins.

use std::fmt;
use std::path::PathBuf;

/// The video mode of a locked picture, as the receiver measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VideoMode {
    pub width: u32,
    pub height: u32,
    /// Frames (or fields, for interlaced signals) per second, in thousandths: 59.94 Hz is
    /// 59_940. Zero when the receiver could not tell.
    pub refresh_millihertz: u32,
}

impl VideoMode {
    /// Frames per second as a float, for display.
    pub(crate) fn fps(&self) -> f64 {
        f64::from(self.refresh_millihertz) / 1000.0
    }

    /// `(width, height, fps)`, the shape the UI shows.
    pub fn as_tuple(&self) -> (u32, u32, f64) {
        (self.width, self.height, self.fps())
    }
}

impl fmt::Display for VideoMode {
    /// `1920×1080 at 60 Hz`, `1920×1080 at 59.94 Hz`, `1024×768` when the rate is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.width, self.height)?;
        if self.refresh_millihertz == 0 {
            return Ok(());
        }
        let hundredths = (self.refresh_millihertz + 5) / 10;
        if hundredths.is_multiple_of(100) {
            write!(f, " at {} Hz", hundredths / 100)
        } else {
            let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
            write!(f, " at {} Hz", text.trim_end_matches('0'))
        }
    }
}

/// One look at an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignalReading {
    /// Nothing is plugged in (or the source is switched off).
    Absent,
    /// A cable is plugged in (the receiver sees its +5 V) but no picture arrives.
    PluggedNoSignal,
    /// A picture arrives but the receiver cannot lock onto it (yet).
    Unstable,
    /// A stable picture: worth showing. `mode` is `None` when the source cannot measure it
    /// (DRM connector, status file, simulated input).
    Locked { mode: Option<VideoMode> },
    /// A stable picture the receiver cannot take (too large or too fast for it).
    OutOfRange { mode: Option<VideoMode> },
}

impl SignalReading {
    /// A locked picture with no measured mode: what simple on/off sources report.
    pub const CONNECTED: SignalReading = SignalReading::Locked { mode: None };
}

/// Why a source could not be read. The messages are for an IT admin and say the fix
/// where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("room-console may not open {}: {hint}", path.display())]
    PermissionDenied { path: PathBuf, hint: &'static str },
    #[error("{} does not exist (unplugged, or its driver is not loaded)", path.display())]
    NotFound { path: PathBuf },
    #[error("the device {} went away (unplugged, or its driver was unloaded)", path.display())]
    DeviceGone { path: PathBuf },
    #[error("{} is not an HDMI receiver: it has no digital-video timings input", path.display())]
    NotAReceiver { path: PathBuf },
    #[error("{} says {content:?}; expected connected, disconnected, 1 or 0", path.display())]
    BadStatus { path: PathBuf, content: String },
    #[error("cannot read {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
}

impl InputError {
    /// Maps an I/O error on `path` to the error an admin can act on. `permission_hint`
    /// says how to grant access (e.g. "add the service user to the video group").
    pub(crate) fn from_io(
        path: PathBuf,
        error: &std::io::Error,
        permission_hint: &'static str,
    ) -> Self {
        Self::from_errno(
            path,
            error.raw_os_error(),
            &error.to_string(),
            permission_hint,
        )
    }

    /// Like [`InputError::from_io`] from a raw errno (ioctl results).
    pub(crate) fn from_errno(
        path: PathBuf,
        errno: Option<i32>,
        message: &str,
        permission_hint: &'static str,
    ) -> Self {
        match errno {
            Some(nix::libc::EACCES | nix::libc::EPERM) => InputError::PermissionDenied {
                path,
                hint: permission_hint,
            },
            Some(nix::libc::ENOENT) => InputError::NotFound { path },
            Some(nix::libc::ENODEV | nix::libc::ENXIO) => InputError::DeviceGone { path },
            _ => InputError::Io {
                path,
                message: message.to_string(),
            },
        }
    }
}

/// What kind of source an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A V4L2 HDMI receiver (HDMI-to-CSI bridge such as TC358743 or ADV76xx).
    V4l2,
    /// A DRM connector that the board wires as an input.
    Drm,
    /// A status file (GPIO or vendor sysfs node).
    StatusFile,
    /// Driven by `room-console content connect|disconnect`.
    Simulated,
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::V4l2 => "HDMI receiver (V4L2)",
            InputKind::Drm => "DRM connector",
            InputKind::StatusFile => "status file",
            InputKind::Simulated => "simulated",
        })
    }
}

/// What an input shows right now, in the admin's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputStatus {
    /// Not read yet.
    Unknown,
    Disconnected,
    /// A cable is in but no picture arrives.
    NoSignal,
    Unstable,
    Connected,
    /// A picture arrives that the receiver cannot take.
    Unsupported,
    /// The source could not be read: see [`InputInfo::error`].
    Error,
}

impl InputStatus {
    /// The status a reading implies.
    pub fn of(reading: &Result<SignalReading, InputError>) -> InputStatus {
        match reading {
            Ok(SignalReading::Absent) => InputStatus::Disconnected,
            Ok(SignalReading::PluggedNoSignal) => InputStatus::NoSignal,
            Ok(SignalReading::Unstable) => InputStatus::Unstable,
            Ok(SignalReading::Locked { .. }) => InputStatus::Connected,
            Ok(SignalReading::OutOfRange { .. }) => InputStatus::Unsupported,
            Err(_) => InputStatus::Error,
        }
    }
}

impl fmt::Display for InputStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputStatus::Unknown => "not read yet",
            InputStatus::Disconnected => "nothing plugged in",
            InputStatus::NoSignal => "cable plugged in, no picture",
            InputStatus::Unstable => "picture not stable",
            InputStatus::Connected => "connected",
            InputStatus::Unsupported => "picture not supported",
            InputStatus::Error => "error",
        })
    }
}

/// An input as the wizard's content step and the admin screen list it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputInfo {
    /// Stable id used in events (`v4l2:/dev/video0`, `drm:card0-HDMI-A-1`, `simulated`).
    pub id: String,
    /// A human name ("tc358743 (HDMI)", "HDMI-A-1", "Simulated input").
    pub name: String,
    pub kind: InputKind,
    /// The device node or file behind it, if any.
    pub path: Option<PathBuf>,
    pub status: InputStatus,
    /// The resolution of a locked picture, when the source measures it.
    pub mode: Option<VideoMode>,
    /// Whether the source can also deliver the picture itself (a V4L2 capture node), so
    /// the share window can show a live preview; otherwise the window can only say that
    /// content is connected.
    pub can_preview: bool,
    /// Why the input cannot be used, when it cannot.
    pub error: Option<String>,
}

impl InputInfo {
    /// An input as it is described before any reading: status unknown, no picture
    /// measured, no live preview.
    pub fn unread(id: &str, name: String, kind: InputKind, path: Option<PathBuf>) -> InputInfo {
        InputInfo {
            id: id.to_owned(),
            name,
            kind,
            path,
            status: InputStatus::Unknown,
            mode: None,
            can_preview: false,
            error: None,
        }
    }

    /// This description with the status, mode and error of `reading` filled in.
    pub(crate) fn with_reading(mut self, reading: &Result<SignalReading, InputError>) -> InputInfo {
        self.status = InputStatus::of(reading);
        self.mode = match reading {
            Ok(SignalReading::Locked { mode } | SignalReading::OutOfRange { mode }) => *mode,
            _ => None,
        };
        self.error = reading.as_ref().err().map(ToString::to_string);
        self
    }
}
