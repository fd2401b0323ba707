//! The live preview of a V4L2 content input: a capture thread takes frames from the
//! receiver, drops the ones the window has no time for, converts the rest to RGB scaled
//! to the window, and hands them over; what keeps the picture from showing (copy
//! protection, an unsupported resolution or pixel format, a busy or vanished device)
//! becomes a message instead.

pub mod capture;
pub mod convert;
pub mod pacing;
pub mod pixel;
pub mod problem;
pub mod scale;
pub mod stream;
pub mod test_pattern;

pub use capture::{CaptureLoop, PreviewSink, PreviewStatus, RgbFrame, Stopper};
pub use problem::PreviewProblem;
