//! End to end through the binary: provision, sync, agenda and status against the in-repo
//! EWS and Graph servers.
//!
//! One test binary for the area (`cargo test --test e2e`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod agenda_status;
mod ews_autodiscover;
mod ews_sync;
mod graph_scope;
mod graph_sync;
mod international_screens;
mod tls_and_crash_output;
