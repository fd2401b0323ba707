//! The agenda cache: queries, opening, atomicity, processes opening it at once.
//!
//! One test binary for the area (`cargo test --test store`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod agenda;
mod atomicity;
mod concurrent_open;
mod open;
mod status;
