//! One-touch join: link detection on real invitation bodies and the join handler.
//!
//! One test binary for the area (`cargo test --test join`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod conformance;
mod detect;
mod handler;
