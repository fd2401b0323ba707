//! The EWS protocol: the reader, errors, the transport, the schema, the in-repo server
//! itself, and the sync engine against it.
//!
//! One test binary for the area (`cargo test --test ews`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod calendar_view_paging;
mod conformance;
mod errors;
mod fault_matrix;
mod reader;
mod schema;
mod server_selftest;
mod sync_resume;
mod transport;
mod wire_bytes;
