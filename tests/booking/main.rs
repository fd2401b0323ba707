//! Booking from the room (Book now, Extend, End now, check-in, the release of no-shows),
//! end to end through the binary against the in-repo EWS and Graph servers.
//!
//! One test binary for the area (`cargo test --test booking`); ARCHITECTURE.md ("Tests")
//! says how to add a test.

#[path = "../common/mod.rs"]
mod common;

mod ews_end_to_end;
mod graph_end_to_end;
mod on_either_server;
mod releaser;
