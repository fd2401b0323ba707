//! Drives the in-repo EWS test server with hand-written requests.

mod support;

#[test]
fn compiles() {}
