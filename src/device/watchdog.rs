//! systemd integration: `READY=1` once the screen is up, and a watchdog ping from the UI
//! loop, so systemd restarts a console whose UI hangs (`Type=notify`, `WatchdogSec=` in
//! `assets/room-console.service`). Outside systemd (a desktop, a test) this does nothing.

use std::time::Duration;

use sd_notify::NotifyState;

/// Tells systemd the console is up. Not under systemd: nothing happens.
pub(crate) fn notify_ready() {
    if let Err(e) = sd_notify::notify(&[NotifyState::Ready]) {
        tracing::warn!("cannot tell systemd the console is ready: {e}");
    }
}

/// How often to ping: half the watchdog timeout systemd set, `None` without a watchdog.
pub(crate) fn ping_interval() -> Option<Duration> {
    sd_notify::watchdog_enabled().map(|timeout| timeout / 2)
}

/// Tells systemd the console is alive. Called every [`ping_interval`] from the loop
/// whose hang must restart the console: the Slint event loop in `run` (`cli/run.rs`),
/// a task on the background runtime in `run --headless` ([`start_on_runtime`]).
pub fn ping() {
    if let Err(e) = sd_notify::notify(&[NotifyState::Watchdog]) {
        tracing::warn!("cannot ping the systemd watchdog: {e}");
    }
}

/// Pings the watchdog from a task on `runtime`, for `run --headless` (no UI loop): the
/// ping stops when the background runtime hangs.
pub(crate) fn start_on_runtime(runtime: &tokio::runtime::Handle) {
    let Some(interval) = ping_interval() else {
        return;
    };
    runtime.spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        loop {
            ticks.tick().await;
            ping();
        }
    });
    tracing::info!(
        ?interval,
        "pinging the systemd watchdog from the background runtime"
    );
}
