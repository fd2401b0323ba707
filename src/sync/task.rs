//! The sync task on the tokio runtime: runs passes forever, publishes the status on a
//! watch channel the UI polls, and wakes early on "Sync now".

use std::sync::Arc;
use std::time::Duration;

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

/// Starts the sync task on the current tokio runtime.
pub fn spawn<S>(mut engine: SyncEngine<S>, clock: Arc<dyn Clock>) -> SyncHandle
where
    S: CalendarSource + 'static,
{
    let (status_tx, status_rx) = watch::channel(engine.status().clone());
    let (stored_tx, stored_rx) = watch::channel(0u64);
    let wake = Arc::new(Notify::new());
    let task_wake = wake.clone();
    tokio::spawn(async move {
        loop {
            let (result, wait) = engine.pass(clock.now()).await;
            if let PassResult::Refreshed { fetched, stored } = &result {
                tracing::info!(fetched, stored, "agenda stored");
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
