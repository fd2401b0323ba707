//! What can keep the preview from showing the laptop's picture, in words for the people
//! in the room and the admin, and the decisions behind them: a resolution beyond what
//! the receiver takes, an errno from streaming, a picture that stays black.
//!
//! HDCP: the standard V4L2 API does not say whether a source is copy-protected.
//! Receivers such as TC358743 do not take HDCP, so a laptop either refuses to play
//! protected content to them or sends a black picture. The preview therefore reports
//! "probably copy-protected" when the signal is locked but every frame stays black for a
//! while, and when streaming is refused with `EPERM`/`EACCES` after the node opened.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nix::errno::Errno;

use crate::content::reading::VideoMode;

/// How long locked black frames must last before the preview calls them protected.
pub(crate) const BLACK_FOR_PROTECTED: Duration = Duration::from_secs(3);
/// The brightest channel value still counted as black (limited-range black is 16 and a
/// converted picture of it is 0; noise stays below this).
const BLACK_LEVEL: u8 = 24;

/// What the receiver says it can take (`VIDIOC_DV_TIMINGS_CAP`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReceiverLimits {
    pub max_width: u32,
    pub max_height: u32,
    /// Hz; zero when the driver does not say.
    pub max_pixelclock: u64,
}

/// A step of starting or running the stream, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamStep {
    Open,
    SetTimings,
    SetFormat,
    RequestBuffers,
    MapBuffers,
    Start,
    Capture,
}

impl fmt::Display for StreamStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StreamStep::Open => "opening the receiver",
            StreamStep::SetTimings => "setting the receiver's timings",
            StreamStep::SetFormat => "setting the picture format",
            StreamStep::RequestBuffers => "reserving picture buffers",
            StreamStep::MapBuffers => "mapping picture buffers",
            StreamStep::Start => "starting the picture stream",
            StreamStep::Capture => "reading a picture",
        })
    }
}

/// Why the window cannot show the picture (the window says "Content connected" and this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewProblem {
    #[error(
        "The picture stays black: the laptop is probably playing copy-protected (HDCP) content, which the console cannot show. Slides and documents show normally."
    )]
    ProbablyProtected,
    #[error(
        "The laptop refused to send its picture: it is probably copy-protected (HDCP) content, which the console cannot show."
    )]
    StreamRefused,
    #[error(
        "The laptop sends {mode}, more than this receiver takes ({limit}). Set the laptop's display to a lower resolution, e.g. 1920×1080 at 60 Hz."
    )]
    UnsupportedResolution { mode: VideoMode, limit: String },
    #[error(
        "The receiver delivers its picture as {}, which the console cannot show (it shows YUYV, UYVY, RGB24 and BGR24).", offered.join(", ")
    )]
    UnsupportedFormat { offered: Vec<String> },
    #[error(
        "The receiver has multi-planar buffers, which the preview does not read yet; the content is connected but cannot be previewed."
    )]
    MultiPlanar,
    #[error(
        "Another program is using {} so the console cannot show its picture. Stop the other program (fuser -v {} names it).", path.display(), path.display()
    )]
    Busy { path: PathBuf },
    #[error(
        "room-console may not read the picture from {}: add the service user to the video group.", path.display()
    )]
    PermissionDenied { path: PathBuf },
    #[error(
        "The receiver {} went away (unplugged, or its driver was unloaded).", path.display()
    )]
    DeviceGone { path: PathBuf },
    #[error(
        "The receiver reports a picture but delivers no frames. Unplug the laptop and plug it in again."
    )]
    NoFrames,
    #[error("The preview stopped: {step} failed ({}).", errno.desc())]
    Failed { step: StreamStep, errno: Errno },
}

/// The problem an errno at `step` of streaming from `path` means.
pub(crate) fn problem_of_errno(
    path: &std::path::Path,
    step: StreamStep,
    errno: Errno,
) -> PreviewProblem {
    let path = path.to_path_buf();
    match (step, errno) {
        (StreamStep::Open, Errno::EACCES | Errno::EPERM) => {
            PreviewProblem::PermissionDenied { path }
        }
        // The node opened, so access is fine: a refusal now is about the content.
        (_, Errno::EACCES | Errno::EPERM) => PreviewProblem::StreamRefused,
        (_, Errno::EBUSY) => PreviewProblem::Busy { path },
        (_, Errno::ENODEV | Errno::ENXIO | Errno::ENOENT) => PreviewProblem::DeviceGone { path },
        _ => PreviewProblem::Failed { step, errno },
    }
}

/// Whether the receiver takes `mode` and `pixelclock` (Hz, zero when unknown); `limits`
/// are `None` when the driver does not say, and then everything the receiver locked
/// onto is taken.
pub(crate) fn check_resolution(
    mode: VideoMode,
    pixelclock: u64,
    limits: Option<ReceiverLimits>,
) -> Result<(), PreviewProblem> {
    let Some(limits) = limits else { return Ok(()) };
    let too_large = (limits.max_width > 0 && mode.width > limits.max_width)
        || (limits.max_height > 0 && mode.height > limits.max_height);
    let too_fast =
        limits.max_pixelclock > 0 && pixelclock > 0 && pixelclock > limits.max_pixelclock;
    if !(too_large || too_fast) {
        return Ok(());
    }
    let mut limit = format!("at most {}×{}", limits.max_width, limits.max_height);
    if limits.max_pixelclock > 0 {
        limit += &format!(
            " at a {} MHz pixel clock",
            limits.max_pixelclock / 1_000_000
        );
    }
    Err(PreviewProblem::UnsupportedResolution { mode, limit })
}

/// Whether a converted RGB picture is black.
pub(crate) fn is_black(rgb: &[u8]) -> bool {
    rgb.iter().all(|&channel| channel <= BLACK_LEVEL)
}

/// Watches for a locked signal whose frames stay black: the mark of copy-protected
/// content on a receiver without HDCP (or of a laptop showing a black screen, which the
/// message cannot tell apart).
#[derive(Debug, Clone, Default)]
pub(crate) struct BlackWatch {
    black_since: Option<Instant>,
}

impl BlackWatch {
    /// Takes one frame seen at `now`; `true` while the picture has been black for
    /// [`BLACK_FOR_PROTECTED`] or longer. A single non-black frame starts over.
    pub(crate) fn observe(&mut self, now: Instant, black: bool) -> bool {
        if !black {
            self.black_since = None;
            return false;
        }
        let since = *self.black_since.get_or_insert(now);
        now.saturating_duration_since(since) >= BLACK_FOR_PROTECTED
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn mode(width: u32, height: u32) -> VideoMode {
        VideoMode {
            width,
            height,
            refresh_millihertz: 60_000,
        }
    }

    const TC358743: ReceiverLimits = ReceiverLimits {
        max_width: 1920,
        max_height: 1200,
        max_pixelclock: 165_000_000,
    };

    #[test]
    fn resolutions_beyond_the_receiver_are_named_with_the_limit() {
        assert_eq!(
            check_resolution(mode(1920, 1080), 148_500_000, Some(TC358743)),
            Ok(())
        );
        let Err(problem) = check_resolution(mode(3840, 2160), 297_000_000, Some(TC358743)) else {
            panic!("4K is beyond a TC358743");
        };
        let text = problem.to_string();
        assert!(text.contains("3840×2160 at 60 Hz"), "{text}");
        assert!(
            text.contains("at most 1920×1200 at a 165 MHz pixel clock"),
            "{text}"
        );
        // Small enough but too fast.
        assert!(check_resolution(mode(1920, 1080), 297_000_000, Some(TC358743)).is_err());
        // A driver without limits takes what it locked onto.
        assert_eq!(check_resolution(mode(3840, 2160), 0, None), Ok(()));
    }

    #[test]
    fn errnos_become_problems_people_can_act_on() {
        use PreviewProblem::{Busy, DeviceGone, PermissionDenied, StreamRefused};
        use StreamStep::{Capture, Open, RequestBuffers, Start};
        let path = Path::new("/dev/video0");
        let device = || path.to_path_buf();
        for (step, errno, problem) in [
            (Open, Errno::EACCES, PermissionDenied { path: device() }),
            (Start, Errno::EPERM, StreamRefused),
            (RequestBuffers, Errno::EBUSY, Busy { path: device() }),
            (Capture, Errno::ENODEV, DeviceGone { path: device() }),
        ] {
            assert_eq!(
                problem_of_errno(path, step, errno),
                problem,
                "{step:?} {errno}"
            );
        }
        let text = problem_of_errno(path, StreamStep::SetFormat, Errno::EINVAL).to_string();
        assert!(text.contains("setting the picture format failed"), "{text}");
        assert!(
            Busy { path: device() }
                .to_string()
                .contains("fuser -v /dev/video0")
        );
    }

    #[test]
    fn black_is_black_and_noise_is_not_a_picture() {
        assert!(is_black(&[0, 0, 0, 12, 20, 24]));
        assert!(!is_black(&[0, 0, 0, 0, 0, 25]));
    }

    #[test]
    fn black_frames_count_as_protected_only_after_a_while() {
        let mut watch = BlackWatch::default();
        let t0 = Instant::now();
        assert!(!watch.observe(t0, true));
        assert!(!watch.observe(t0 + Duration::from_secs(2), true));
        assert!(watch.observe(t0 + BLACK_FOR_PROTECTED, true));
        // One frame with a picture clears it and starts over.
        assert!(!watch.observe(t0 + Duration::from_secs(4), false));
        assert!(!watch.observe(t0 + Duration::from_secs(5), true));
        assert!(watch.observe(t0 + Duration::from_secs(8), true));
    }
}
