//! The one trait a picture source for the preview implements: a V4L2 capture stream on
//! the device, a synthetic one in tests.

use std::time::Duration;

use super::convert::SourceFrame;
use super::problem::PreviewProblem;

/// What waiting on a stream brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamWait {
    /// A frame can be taken.
    FrameReady,
    /// The receiver saw the laptop's signal change: restart the stream for the new size.
    SourceChanged,
    /// Nothing within the timeout.
    Timeout,
}

/// A running stream of frames.
pub trait FrameStream: Send {
    /// The size of the frames, as streamed.
    fn size(&self) -> (u32, u32);
    /// Waits at most `timeout` for something to happen.
    fn wait(&mut self, timeout: Duration) -> Result<StreamWait, PreviewProblem>;
    /// Takes the next frame, lends it to `use_frame` and hands the buffer back to the
    /// driver. `Ok(false)` when no frame was ready after all.
    fn take_frame(
        &mut self,
        use_frame: &mut dyn FnMut(&SourceFrame<'_>),
    ) -> Result<bool, PreviewProblem>;
}
