//! The house rules: scripts that stand on their own, no secret in any output.
//!
//! One test binary for the area (`cargo test --test house`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod module_cycles;
mod no_secret_leaks;
mod scripts_packages;
