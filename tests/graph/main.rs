//! Microsoft 365 (Graph): the reader, the sync through the real engine, and the platform
//! root certificates.
//!
//! One test binary for the area (`cargo test --test graph`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod reader;
mod sync;
mod tls_roots;
