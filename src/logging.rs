//! Logging with tracing: a RUST_LOG-style filter (`info` by default), to stderr, where
//! systemd's journal picks it up, and into the in-memory ring the fleet's `logs` command
//! reads (`fleet::ring_log`). Secrets are never passed to log calls: the types that hold
//! them print masked.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the global subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(crate::fleet::ring_log::layer())
        .try_init();
}
