//! The live calendar: EWS push (streaming and pull) and the live sync end to end.
//!
//! One test binary for the area (`cargo test --test live`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod end_to_end;
mod ews_push;
mod graph_end_to_end;
mod safety_net;
