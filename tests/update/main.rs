//! Software updates: the download and the real RAUC on a private D-Bus.
//!
//! One test binary for the area (`cargo test --test update`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod download;
mod rauc;
