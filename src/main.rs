//! The `room-console` binary.

fn main() {}
