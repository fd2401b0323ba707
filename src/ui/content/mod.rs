//! The shared-content window (`ui/content/`).
//!
//! - [`panel`]: what the window shows, from the content watcher's events; pure Rust.
//! - [`preview`]: the live picture of a V4L2 input, from the capture thread.

pub mod panel;
pub mod preview;
