//! Pure V4L2 interpretation: detected DV timings → video mode, and the errno of
//! `VIDIOC_QUERY_DV_TIMINGS` → a signal reading or an error an admin can act on.

use std::path::Path;

use nix::errno::Errno;

use super::abi::{V4L2_DV_BT_656_1120, v4l2_bt_timings, v4l2_dv_timings};
use crate::content::reading::{InputError, SignalReading, VideoMode};

/// What to tell an admin when a V4L2 node may not be opened.
pub(crate) const VIDEO_GROUP_HINT: &str = "add the service user to the video group";

/// The video mode of detected timings. The refresh rate is the pixel clock over the
/// total (blanking included) frame size; for interlaced signals it is the field rate.
/// `None` for empty timings; arithmetic saturates, so nonsense timings never panic.
pub fn mode_of(bt: &v4l2_bt_timings) -> Option<VideoMode> {
    let (width, height, pixelclock) = (bt.width, bt.height, bt.pixelclock);
    if width == 0 || height == 0 {
        return None;
    }
    let total_width = u64::from(width)
        + u64::from(bt.hfrontporch)
        + u64::from(bt.hsync)
        + u64::from(bt.hbackporch);
    let mut total_height = u64::from(height)
        + u64::from(bt.vfrontporch)
        + u64::from(bt.vsync)
        + u64::from(bt.vbackporch);
    // Two fields per frame: the field rate is twice the frame rate.
    let mut fields_per_frame = 1;
    if bt.interlaced != 0 {
        total_height +=
            u64::from(bt.il_vfrontporch) + u64::from(bt.il_vsync) + u64::from(bt.il_vbackporch);
        fields_per_frame = 2;
    }
    let total = total_width.saturating_mul(total_height);
    // Rounded to the nearest millihertz; zero when the totals are missing.
    let refresh_millihertz = (pixelclock
        .saturating_mul(1000 * fields_per_frame)
        .saturating_add(total / 2))
    .checked_div(total)
    .and_then(|rate| u32::try_from(rate).ok())
    .unwrap_or(0);
    Some(VideoMode {
        width,
        height,
        refresh_millihertz,
    })
}

/// The reading a `VIDIOC_QUERY_DV_TIMINGS` result implies. `power_present` is the
/// `V4L2_CID_DV_RX_POWER_PRESENT` control where the driver has it: with +5 V present and
/// no link, a cable is in but the laptop sends nothing.
pub fn reading_of_query(
    path: &Path,
    query: Result<v4l2_dv_timings, Errno>,
    power_present: Option<bool>,
) -> Result<SignalReading, InputError> {
    match query {
        Ok(timings) => {
            let kind = timings.type_;
            if kind != V4L2_DV_BT_656_1120 {
                return Ok(SignalReading::CONNECTED);
            }
            let bt = timings.bt;
            Ok(match mode_of(&bt) {
                Some(mode) => SignalReading::Locked { mode: Some(mode) },
                None => SignalReading::Unstable,
            })
        }
        Err(Errno::ENOLINK) if power_present == Some(true) => Ok(SignalReading::PluggedNoSignal),
        Err(Errno::ENOLINK) => Ok(SignalReading::Absent),
        Err(Errno::ENOLCK) => Ok(SignalReading::Unstable),
        Err(Errno::ERANGE) => Ok(SignalReading::OutOfRange { mode: None }),
        Err(errno) => Err(error_of_errno(path, errno)),
    }
}

/// The error an ioctl's errno means for an HDMI receiver at `path`.
pub(crate) fn error_of_errno(path: &Path, errno: Errno) -> InputError {
    let path = path.to_path_buf();
    match errno {
        Errno::ENOTTY | Errno::ENODATA | Errno::EINVAL => InputError::NotAReceiver { path },
        other => InputError::from_errno(path, Some(other as i32), other.desc(), VIDEO_GROUP_HINT),
    }
}
