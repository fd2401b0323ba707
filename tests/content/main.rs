//! Content sharing: the HDMI/VGA input sources, the plug state machine, the watcher and
//! the control socket.
//!
//! One test binary for the area (`cargo test --test content`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod control;
mod machine;
mod sources;
mod v4l2;
mod watcher;
