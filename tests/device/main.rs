//! The device: the sandboxed systemd service and its narrow rules.
//!
//! One test binary for the area (`cargo test --test device`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod sandbox;
