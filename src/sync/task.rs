//! The sync task on the tokio runtime: runs passes forever, publishes the status on a
//! watch channel the UI polls, and wakes early on "Sync now". While push is healthy the
//! live side stretches the wait between successful passes (the poll is only a safety
//! net then), and shortens it again the moment push is down. Work that belongs right
//! after a pass (the release of no-shows, [`AfterPass`]) runs on the same engine and
//! may ask to be woken by an instant.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};
use tokio::time::{Instant, sleep_until};

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
    /// The wait after a successful pass while push is healthy; None: the engine's own.
    relaxed: Arc<watch::Sender<Option<Duration>>>,
}

impl SyncHandle {
    /// The latest status.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// The status as it changes, for whoever waits for a pass to finish (the fleet's
    /// `sync-now`).
    pub(crate) fn status_changes(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// A counter that moves every time the task stored a new agenda: the UI re-reads
    /// the cache when it changed.
    pub fn agenda_generation(&self) -> u64 {
        *self.stored.borrow()
    }

    /// The same counter as it moves, for whoever plans by the agenda (Microsoft 365's
    /// poller, whose rhythm follows the meetings' starts and ends).
    pub(crate) fn agenda_changes(&self) -> watch::Receiver<u64> {
        self.stored.clone()
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

    /// While push brings changes, waits `interval` after a successful pass instead of
    /// the sync interval (never less); `None` goes back to the sync interval at once,
    /// counted from the last pass. Failed passes keep their back-off either way.
    pub fn relax_while_pushed(&self, interval: Option<Duration>) {
        self.relaxed.send_if_modified(|current| {
            let changed = *current != interval;
            *current = interval;
            changed
        });
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
    let (relaxed_tx, mut relaxed_rx) = watch::channel(None);
    let wake = Arc::new(Notify::new());
    let task_wake = wake.clone();
    tokio::spawn(async move {
        loop {
            let (result, wait) = engine.pass(clock.now()).await;
            let succeeded = !matches!(result, PassResult::Failed(_));
            let mut stored = false;
            if let PassResult::Refreshed {
                fetched,
                stored: count,
            } = &result
            {
                tracing::info!(fetched, stored = count, "agenda stored");
                stored = true;
            }
            // The after-pass work may need the task back sooner than the next pass.
            let mut woken_after = None;
            if succeeded {
                let now = clock.now();
                let done = after.after_pass(&mut engine, now).await;
                stored |= done.changed;
                if let Some(by) = done.wake_by {
                    // At least a second: the clock may stand still (tests, `--now`).
                    let until = (by - now).to_std().unwrap_or_default();
                    woken_after = Some(until.max(Duration::from_secs(1)));
                }
            }
            if stored {
                stored_tx.send_modify(|generation| *generation += 1);
            }
            status_tx.send_replace(engine.status().clone());
            if status_tx.is_closed() {
                break;
            }
            let passed = Instant::now();
            let next_pass = |relaxed: Option<Duration>| {
                let planned = match relaxed {
                    Some(relaxed) if succeeded => wait.max(relaxed),
                    _ => wait,
                };
                passed + woken_after.map_or(planned, |sooner| planned.min(sooner))
            };
            wait_for_next_pass(next_pass, &mut relaxed_rx, &task_wake).await;
        }
    });
    SyncHandle {
        status: status_rx,
        wake,
        stored: stored_rx,
        relaxed: Arc::new(relaxed_tx),
    }
}

/// Sleeps until the instant `next_pass` gives for the current relaxed interval (planned
/// again when it changes), or until woken.
async fn wait_for_next_pass(
    next_pass: impl Fn(Option<Duration>) -> Instant,
    relaxed: &mut watch::Receiver<Option<Duration>>,
    wake: &Notify,
) {
    loop {
        let until = next_pass(*relaxed.borrow_and_update());
        tokio::select! {
            _ = sleep_until(until) => return,
            _ = wake.notified() => return,
            changed = relaxed.changed() => {
                if changed.is_err() {
                    // Nobody can change it any more: wait as planned.
                    tokio::select! {
                        _ = sleep_until(until) => {}
                        _ = wake.notified() => {}
                    }
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Meeting;
    use crate::clock::FixedClock;
    use crate::store::Store;
    use crate::sync::backoff::Backoff;
    use crate::sync::source::{ChangeCheck, ItemVersion, SourceError};
    use chrono::{DateTime, TimeZone, Utc};

    /// A calendar that never changes.
    struct Quiet;

    impl CalendarSource for Quiet {
        async fn check_changes(&self, _: Option<&str>) -> Result<ChangeCheck, SourceError> {
            Ok(ChangeCheck {
                changed: false,
                state: Some("quiet".into()),
                carried: None,
            })
        }
        async fn list_window(
            &self,
            _: DateTime<Utc>,
            _: DateTime<Utc>,
        ) -> Result<Vec<ItemVersion>, SourceError> {
            Ok(Vec::new())
        }
        async fn fetch(&self, _: &[ItemVersion]) -> Result<Vec<Meeting>, SourceError> {
            Ok(Vec::new())
        }
    }

    /// A sync task polling every 60 s, after its first pass; the start of the test.
    async fn started() -> (SyncHandle, Instant) {
        let engine = SyncEngine::new(
            Quiet,
            Store::open_in_memory().unwrap(),
            chrono_tz::UTC,
            Duration::from_secs(60),
            Backoff::new(1),
        );
        let clock = Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap(),
        ));
        let mut handle = spawn(engine, clock);
        let start = Instant::now();
        handle.next_pass().await.unwrap();
        (handle, start)
    }

    async fn next_pass_at(handle: &mut SyncHandle, start: Instant) -> u64 {
        handle.next_pass().await.unwrap();
        start.elapsed().as_secs()
    }

    #[tokio::test(start_paused = true)]
    async fn while_pushed_it_polls_every_relaxed_interval_and_falls_back_at_once() {
        let (mut handle, start) = started().await;
        assert_eq!(next_pass_at(&mut handle, start).await, 60);
        handle.relax_while_pushed(Some(Duration::from_secs(900)));
        // Planned again from the last pass.
        assert_eq!(next_pass_at(&mut handle, start).await, 960);
        assert_eq!(next_pass_at(&mut handle, start).await, 1860);
        // Push goes down 100 s after a pass: back to 60 s, counted from that pass.
        tokio::time::sleep_until(start + Duration::from_secs(1890)).await;
        handle.relax_while_pushed(None);
        assert_eq!(next_pass_at(&mut handle, start).await, 1920);
        assert_eq!(next_pass_at(&mut handle, start).await, 1980);
        // Down longer than the sync interval ago: a pass at once.
        handle.relax_while_pushed(Some(Duration::from_secs(900)));
        tokio::time::sleep_until(start + Duration::from_secs(2100)).await;
        handle.relax_while_pushed(None);
        assert_eq!(next_pass_at(&mut handle, start).await, 2100);
    }

    #[tokio::test(start_paused = true)]
    async fn push_never_makes_it_poll_more_often_and_sync_now_still_works() {
        let (mut handle, start) = started().await;
        handle.relax_while_pushed(Some(Duration::from_secs(15)));
        assert_eq!(next_pass_at(&mut handle, start).await, 60);
        handle.relax_while_pushed(Some(Duration::from_secs(900)));
        tokio::time::sleep_until(start + Duration::from_secs(100)).await;
        handle.sync_now();
        assert_eq!(next_pass_at(&mut handle, start).await, 100);
    }
}
