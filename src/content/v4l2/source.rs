//! A V4L2 HDMI receiver as a content input: woken by `V4L2_EVENT_SOURCE_CHANGE` (POLLPRI
//! on the node), confirmed with `VIDIOC_QUERY_DV_TIMINGS`, polled when the driver sends
//! no events. A vanished node is closed and reopened on the next read.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use super::device::V4l2Device;
use super::probe::{Probe, probe};
use super::timings::reading_of_query;
use crate::content::reading::{InputError, InputInfo, InputKind, SignalReading};
use crate::content::source::{Changed, InputSource, poll_after};

/// Poll period for a receiver that sends no source-change events (or is not open).
pub(crate) const V4L2_POLL: Duration = Duration::from_secs(1);
/// With events, a slow re-read all the same.
pub(crate) const V4L2_SAFETY_POLL: Duration = Duration::from_secs(5);

/// Watches one HDMI receiver node.
pub struct V4l2Source {
    id: String,
    path: PathBuf,
    name: String,
    can_preview: bool,
    device: Option<V4l2Device>,
    subscribed: bool,
    /// The node registered with the runtime for POLLPRI, made on the first wait.
    events: Option<AsyncFd<Arc<OwnedFd>>>,
}

impl V4l2Source {
    /// A source for the node at `path`, named after what the driver says (read from the
    /// device and from `<sysfs>/class/video4linux`). Never fails: a node that cannot be
    /// opened reports why on every read.
    pub fn new(path: &Path, sysfs_root: &Path) -> V4l2Source {
        Self::from_probe(path, probe(path, sysfs_root))
    }

    pub(crate) fn from_probe(path: &Path, probe: Probe) -> V4l2Source {
        V4l2Source {
            id: format!("v4l2:{}", path.display()),
            path: path.to_path_buf(),
            name: probe.name,
            can_preview: probe.can_preview,
            device: None,
            subscribed: false,
            events: None,
        }
    }

    fn open(&mut self) -> Result<&V4l2Device, InputError> {
        if self.device.is_none() {
            let device = V4l2Device::open(&self.path)?;
            self.subscribed = device.subscribe_source_change();
            self.events = None;
            self.device = Some(device);
        }
        self.device.as_ref().ok_or_else(|| InputError::DeviceGone {
            path: self.path.clone(),
        })
    }

    fn close(&mut self) {
        self.events = None;
        self.device = None;
        self.subscribed = false;
    }
}

impl InputSource for V4l2Source {
    fn id(&self) -> &str {
        &self.id
    }

    fn describe(&self) -> InputInfo {
        InputInfo {
            can_preview: self.can_preview,
            ..InputInfo::unread(
                &self.id,
                self.name.clone(),
                InputKind::V4l2,
                Some(self.path.clone()),
            )
        }
    }

    fn read(&mut self) -> Result<SignalReading, InputError> {
        let path = self.path.clone();
        let device = self.open()?;
        let query = device.query_dv_timings();
        let power = match query {
            Err(Errno::ENOLINK) => device.rx_power_present(),
            _ => None,
        };
        let reading = reading_of_query(&path, query, power);
        if matches!(
            reading,
            Err(InputError::DeviceGone { .. } | InputError::NotFound { .. })
        ) {
            self.close();
        }
        reading
    }

    fn changed(&mut self) -> Changed<'_> {
        let Some(device) = self.device.clone().filter(|_| self.subscribed) else {
            return poll_after(V4L2_POLL);
        };
        if self.events.is_none() {
            // SAFETY: the `AsyncFd` holds its own `Arc` of the descriptor, so the
            // descriptor stays open and the same until the `AsyncFd` is dropped.
            let registered =
                unsafe { AsyncFd::register_with_interest(device.shared_fd(), Interest::PRIORITY) };
            match registered {
                Ok(events) => self.events = Some(events),
                Err(error) => {
                    tracing::info!("cannot wait for events on {}: {error}", self.path.display());
                    self.subscribed = false;
                    return poll_after(V4L2_POLL);
                }
            }
        }
        let Some(events) = self.events.as_ref() else {
            return poll_after(V4L2_POLL);
        };
        Box::pin(async move {
            tokio::select! {
                ready = events.ready(Interest::PRIORITY) => {
                    if let Ok(mut guard) = ready {
                        device.drain_events();
                        guard.clear_ready();
                    }
                }
                () = tokio::time::sleep(V4L2_SAFETY_POLL) => {}
            }
        })
    }
}
