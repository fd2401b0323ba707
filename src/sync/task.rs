//! The sync task on the tokio runtime: runs passes forever, publishes the status on a
//! watch channel the UI polls, and wakes early on "Sync now". Work that belongs right
//! after a pass (the release of no-shows, [`AfterPass`]) runs on the same engine and
//! may ask to be woken by an instant.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};

use super::engine::{PassResult, SyncEngine};
use super::source::CalendarSource;
use super::status::SyncStatus;
use crate::clock::Clock;

/// What the rest of the console holds to talk to the running sync task.
#[derive(Clone)]
pub struct SyncHandle {
    status: watch::Receiver<SyncStatus>,
    wake: Arc<Notify>,
    stored: watch::Receiver<u64>,
}

impl SyncHandle {
    /// The latest status.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// The status as it changes, for whoever waits for a pass to finish (the fleet's
    /// `sync-now`).
    pub fn status_changes(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// A counter that moves every time the task stored a new agenda: the UI re-reads
    /// the cache when it changed.
    pub fn agenda_generation(&self) -> u64 {
        *self.stored.borrow()
    }

    /// Waits until the task has published its status again (after each pass); None
    /// once the task has ended.
    pub async fn next_pass(&mut self) -> Option<SyncStatus> {
        self.status.changed().await.ok()?;
        Some(self.status())
    }

    /// Asks for a pass now ("Sync now" on the admin screen).
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }
}

/// Work the sync task does after each pass, on the same engine.
pub trait AfterPass<S>: Send + 'static {
    /// Runs after the pass at `now`; the instant by which the task must run again, if
    /// it must run before the next pass is due anyway. Returns true in `changed` when
    /// it changed the store.
    fn after_pass(
        &mut self,
        engine: &mut SyncEngine<S>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = AfterPassResult> + Send;
}

/// What [`AfterPass::after_pass`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AfterPassResult {
    /// The store changed (the UI re-reads the agenda).
    pub changed: bool,
    /// Run again by this instant.
    pub wake_by: Option<DateTime<Utc>>,
}

/// Nothing after a pass.
impl<S: Send + 'static> AfterPass<S> for () {
    async fn after_pass(&mut self, _: &mut SyncEngine<S>, _: DateTime<Utc>) -> AfterPassResult {
        AfterPassResult::default()
    }
}

/// Starts the sync task on the current tokio runtime.
pub fn spawn<S>(engine: SyncEngine<S>, clock: Arc<dyn Clock>) -> SyncHandle
where
    S: CalendarSource + 'static,
{
    spawn_with(engine, clock, ())
}

/// Starts the sync task on the current tokio runtime, running `after` after each pass.
pub fn spawn_with<S, A>(
    mut engine: SyncEngine<S>,
    clock: Arc<dyn Clock>,
    mut after: A,
) -> SyncHandle
where
    S: CalendarSource + 'static,
    A: AfterPass<S>,
{
    let (status_tx, status_rx) = watch::channel(engine.status().clone());
    let (stored_tx, stored_rx) = watch::channel(0u64);
    let wake = Arc::new(Notify::new());
    let task_wake = wake.clone();
    tokio::spawn(async move {
        loop {
            let (result, mut wait) = engine.pass(clock.now()).await;
            let mut stored = false;
            if let PassResult::Refreshed {
                fetched,
                stored: count,
            } = &result
            {
                tracing::info!(fetched, stored = count, "agenda stored");
                stored = true;
            }
            if !matches!(result, PassResult::Failed(_)) {
                let now = clock.now();
                let done = after.after_pass(&mut engine, now).await;
                stored |= done.changed;
                if let Some(by) = done.wake_by {
                    // At least a second: the clock may stand still (tests, `--now`).
                    let until = (by - now).to_std().unwrap_or_default();
                    wait = wait.min(until.max(Duration::from_secs(1)));
                }
            }
            if stored {
                stored_tx.send_modify(|generation| *generation += 1);
            }
            status_tx.send_replace(engine.status().clone());
            if status_tx.is_closed() {
                break;
            }
            sleep_or_wake(wait, &task_wake).await;
        }
    });
    SyncHandle {
        status: status_rx,
        wake,
        stored: stored_rx,
    }
}

async fn sleep_or_wake(wait: Duration, wake: &Notify) {
    tokio::select! {
        _ = tokio::time::sleep(wait) => {}
        _ = wake.notified() => {}
    }
}
