//! Reliability: crashes at any point, full disk, the soak, and the fuzzers' findings
//! (RELIABILITY.md).
//!
//! One test binary for the area (`cargo test --test reliability`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod crash_rounds;
mod crash_sync;
mod full_disk;
mod fuzz_regressions;
mod provision_crash;
mod reset_crash;
mod soak;
