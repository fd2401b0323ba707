//! The content-input setting string: `auto | none | simulated | v4l2:/dev/video0 |
//! drm:card0-HDMI-A-1 | file:/path`.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::drm::connector_type_of;

/// Which input(s) the console watches for a plugged-in laptop.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum InputSetting {
    /// Discover: HDMI receivers (V4L2) if the device has any, else the simulated input.
    #[default]
    Auto,
    /// No content input: the share window never pops up.
    None,
    /// Only the simulated input (`room-console content connect|disconnect`).
    Simulated,
    /// One V4L2 HDMI receiver node (`/dev/video0` or `/dev/v4l-subdev2`).
    V4l2(PathBuf),
    /// One DRM connector the board wires as an input, by its sysfs name.
    Drm(String),
    /// A status file saying connected/disconnected (GPIO, vendor sysfs node).
    File(PathBuf),
}

/// What the setting accepts, for error messages and help text.
pub(crate) const ACCEPTED_SETTINGS: &str = "auto, none, simulated, v4l2:/dev/videoN, \
drm:cardN-HDMI-A-M (a connector under /sys/class/drm) or file:/absolute/path";

/// A setting string that is none of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("content input setting {given:?} is not valid: {reason}; accepted: {ACCEPTED_SETTINGS}")]
pub struct InputSettingError {
    pub given: String,
    pub reason: &'static str,
}

impl FromStr for InputSetting {
    type Err = InputSettingError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let error = |reason| InputSettingError {
            given: text.to_string(),
            reason,
        };
        match trimmed.to_ascii_lowercase().as_str() {
            "auto" | "" => return Ok(InputSetting::Auto),
            "none" | "off" => return Ok(InputSetting::None),
            "simulated" => return Ok(InputSetting::Simulated),
            _ => {}
        }
        let Some((kind, value)) = trimmed.split_once(':') else {
            return Err(error("unknown input"));
        };
        let value = value.trim();
        match kind.trim().to_ascii_lowercase().as_str() {
            "v4l2" if value.starts_with("/dev/") => Ok(InputSetting::V4l2(PathBuf::from(value))),
            "v4l2" => Err(error("a V4L2 input is a device node under /dev")),
            "drm" if connector_type_of(value).is_some() => Ok(InputSetting::Drm(value.to_string())),
            "drm" => Err(error(
                "a DRM input is a connector name like card0-HDMI-A-1 (see /sys/class/drm)",
            )),
            "file" if value.starts_with('/') => Ok(InputSetting::File(PathBuf::from(value))),
            "file" => Err(error("a status file needs an absolute path")),
            _ => Err(error("unknown input kind")),
        }
    }
}

impl fmt::Display for InputSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputSetting::Auto => f.write_str("auto"),
            InputSetting::None => f.write_str("none"),
            InputSetting::Simulated => f.write_str("simulated"),
            InputSetting::V4l2(path) => write!(f, "v4l2:{}", path.display()),
            InputSetting::Drm(name) => write!(f, "drm:{name}"),
            InputSetting::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}
