//! How many rounds the crash tests run: a short series (12) by default, as CI runs them;
//! `ROOM_CONSOLE_CRASH_ITERATIONS=200` runs the long one (RELIABILITY.md).

pub(crate) fn iterations() -> usize {
    std::env::var("ROOM_CONSOLE_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}
