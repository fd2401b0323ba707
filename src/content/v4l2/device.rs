//! An open V4L2 node (`/dev/videoN` or `/dev/v4l-subdevN`) and the handful of ioctls
//! input detection uses, each returning plain Rust values.

use std::fs::OpenOptions;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;

use nix::errno::Errno;
use nix::libc;

use super::abi::{self, v4l2_control, v4l2_dv_timings, v4l2_event_subscription};
use super::timings::VIDEO_GROUP_HINT;
use crate::content::reading::InputError;

/// What `VIDIOC_QUERYCAP` says about a video node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capability {
    pub driver: String,
    pub card: String,
    /// The node's own capabilities (`device_caps` when the driver fills it).
    pub device_caps: u32,
}

impl Capability {
    /// A capture node that can stream: the share window could show its picture.
    pub(crate) fn can_capture(&self) -> bool {
        let wanted = abi::V4L2_CAP_VIDEO_CAPTURE | abi::V4L2_CAP_STREAMING;
        self.device_caps & wanted == wanted
    }
}

/// An open V4L2 node. The descriptor is shared so the event wait can register it with
/// the runtime while the reader keeps using it.
#[derive(Debug, Clone)]
pub(crate) struct V4l2Device {
    fd: Arc<OwnedFd>,
}

impl V4l2Device {
    /// Opens the node non-blocking (so `VIDIOC_DQEVENT` never waits).
    pub(crate) fn open(path: &Path) -> Result<V4l2Device, InputError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
            .open(path)
            .map_err(|e| InputError::from_io(path.to_path_buf(), &e, VIDEO_GROUP_HINT))?;
        Ok(V4l2Device {
            fd: Arc::new(OwnedFd::from(file)),
        })
    }

    /// The descriptor, to wait for events on.
    pub(crate) fn shared_fd(&self) -> Arc<OwnedFd> {
        Arc::clone(&self.fd)
    }

    fn raw(&self) -> libc::c_int {
        self.fd.as_raw_fd()
    }

    /// `VIDIOC_QUERYCAP`; sub-device nodes do not answer it.
    pub(crate) fn capability(&self) -> Result<Capability, Errno> {
        let mut cap = abi::zeroed::<abi::v4l2_capability>();
        // SAFETY: `cap` is a valid, writable v4l2_capability for the ioctl to fill.
        unsafe { abi::vidioc_querycap(self.raw(), &mut cap) }?;
        let device_caps = if cap.capabilities & abi::V4L2_CAP_DEVICE_CAPS != 0 {
            cap.device_caps
        } else {
            cap.capabilities
        };
        Ok(Capability {
            driver: abi::kernel_string(&cap.driver),
            card: abi::kernel_string(&cap.card),
            device_caps,
        })
    }

    /// Name and capabilities of the selected input (`VIDIOC_G_INPUT`, then
    /// `VIDIOC_ENUMINPUT`; input 0 when the driver has no selection).
    pub(crate) fn current_input(&self) -> Result<(String, u32), Errno> {
        let mut index: libc::c_int = 0;
        // SAFETY: `index` is a valid, writable int for the ioctl to fill.
        if unsafe { abi::vidioc_g_input(self.raw(), &mut index) }.is_err() {
            index = 0;
        }
        let mut input = abi::zeroed::<abi::v4l2_input>();
        input.index = u32::try_from(index).unwrap_or(0);
        // SAFETY: `input` is a valid v4l2_input with its index set, for the ioctl to fill.
        unsafe { abi::vidioc_enuminput(self.raw(), &mut input) }?;
        Ok((abi::kernel_string(&input.name), input.capabilities))
    }

    /// `VIDIOC_QUERY_DV_TIMINGS`: what the receiver detects on its input now.
    pub(crate) fn query_dv_timings(&self) -> Result<v4l2_dv_timings, Errno> {
        let mut timings = abi::zeroed::<v4l2_dv_timings>();
        // SAFETY: `timings` is a valid, writable v4l2_dv_timings for the ioctl to fill.
        unsafe { abi::vidioc_query_dv_timings(self.raw(), &mut timings) }?;
        Ok(timings)
    }

    /// `V4L2_CID_DV_RX_POWER_PRESENT`: whether any port sees +5 V. `None` when the driver
    /// does not have the control.
    pub(crate) fn rx_power_present(&self) -> Option<bool> {
        let mut control = v4l2_control {
            id: abi::V4L2_CID_DV_RX_POWER_PRESENT,
            value: 0,
        };
        // SAFETY: `control` is a valid v4l2_control with its id set, for the ioctl to fill.
        unsafe { abi::vidioc_g_ctrl(self.raw(), &mut control) }.ok()?;
        Some(control.value != 0)
    }

    /// Subscribes to `V4L2_EVENT_SOURCE_CHANGE` (and asks for the current state right
    /// away). `false` when the driver does not send it.
    pub(crate) fn subscribe_source_change(&self) -> bool {
        let subscription = v4l2_event_subscription {
            type_: abi::V4L2_EVENT_SOURCE_CHANGE,
            flags: abi::V4L2_EVENT_SUB_FL_SEND_INITIAL,
            ..v4l2_event_subscription::default()
        };
        // SAFETY: `subscription` is a valid v4l2_event_subscription the ioctl only reads.
        unsafe { abi::vidioc_subscribe_event(self.raw(), &subscription) }.is_ok()
    }

    /// Takes every queued event off the node (`VIDIOC_DQEVENT` until none is left); the
    /// caller re-reads the timings, which say more than the event.
    pub(crate) fn drain_events(&self) {
        // The kernel queues a bounded number of events per subscription; this bound
        // only guards against a driver that never says "none left".
        for _ in 0..64 {
            let mut event = abi::zeroed::<abi::v4l2_event>();
            // SAFETY: `event` is a valid, writable v4l2_event for the ioctl to fill.
            if unsafe { abi::vidioc_dqevent(self.raw(), &mut event) }.is_err() {
                return;
            }
        }
    }
}
