//! The account checks (`room-console diagnose`, the wizard's Check step) against the in-
//! repo EWS and Graph servers.
//!
//! One test binary for the area (`cargo test --test diagnose`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod checking;
mod ews_checks;
mod graph_checks;
