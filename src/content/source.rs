//! The one trait every content input implements: read it now, and wait until a new
//! reading is worth taking (a kernel event, a poll period, a command).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::reading::{InputError, InputInfo, SignalReading};

/// A future that resolves when a source may have changed.
pub type Changed<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A content input: an HDMI receiver, a DRM connector, a status file, a simulated input.
///
/// The watcher calls [`InputSource::read`] once, then alternates
/// [`InputSource::changed`] and `read` for as long as it runs. `read` must be quick (an
/// ioctl or a small file read) and must never panic: every failure is an [`InputError`].
pub trait InputSource: Send {
    /// Stable id used in events, e.g. `v4l2:/dev/video0`.
    fn id(&self) -> &str;
    /// Name, kind, path and whether it can preview (status not filled in).
    fn describe(&self) -> InputInfo;
    /// Looks at the input now.
    fn read(&mut self) -> Result<SignalReading, InputError>;
    /// Resolves when a new reading is worth taking: an event from the kernel, the end of a
    /// poll period, or a command. Spurious wake-ups are fine; missed changes are not (a
    /// source without events polls).
    fn changed(&mut self) -> Changed<'_>;
}

/// A `changed()` for sources without events: wait one poll period.
pub(crate) fn poll_after(period: Duration) -> Changed<'static> {
    Box::pin(tokio::time::sleep(period))
}
