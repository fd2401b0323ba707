//! The fleet agent and the admin's fleet commands against a real Mosquitto.
//!
//! One test binary for the area (`cargo test --test fleet`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod mosquitto;
