//! Starts the live side beside a running sync task, for `run` and `sync` alike: the
//! EWS listener (its own client and connection, built from the same settings) or the
//! Graph adaptive poller; the push state is kept in the store for `status` and the
//! admin screen.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::ews_server::EwsPushServer;
use super::graph_poller;
use super::graph_schedule::PollSchedule;
use super::listener::{Listener, LiveConfig, PushOutput};
use super::push_status::{PUSH_STATUS_KEY, PushCause, PushMode, PushStatus};
use super::touch::TOUCHES;
use crate::clock::{Clock, device_time_zone};
use crate::settings::{CalendarSource as SourceKind, Secrets, Settings};
use crate::sources::ews::setup_remembering;
use crate::sources::ews_discovery::MEMORY_FILE;
use crate::store::Store;
use crate::sync::engine::request_full_read;
use crate::sync::task::SyncHandle;

/// How long to wait before building the EWS client again after its settings failed.
const SETUP_RETRY: Duration = Duration::from_secs(60);
/// A confirmation alone (same mode) is written to the store at most this often.
const CONFIRMATION_WRITE_INTERVAL: Duration = Duration::from_secs(15);

/// What the live side needs from the caller.
pub struct LiveSetup {
    pub settings: Settings,
    pub secrets: Secrets,
    pub allow_insecure_http: bool,
    pub data_dir: std::path::PathBuf,
    pub agenda_db: std::path::PathBuf,
    pub clock: Arc<dyn Clock>,
    pub config: LiveConfig,
}

/// Starts the live side for the configured source on the current runtime; None for
/// the demo calendar.
pub fn spawn(setup: LiveSetup, sync: SyncHandle) -> anyhow::Result<Option<JoinHandle<()>>> {
    let store = Store::open(&setup.agenda_db)?;
    let output = StoreOutput {
        sync,
        store: std::sync::Mutex::new(store),
        saved: None,
        push_sync_interval: setup.settings.calendar.push_sync_interval(),
    };
    Ok(match setup.settings.calendar.source {
        SourceKind::EwsImpersonation | SourceKind::EwsRoomAccount => {
            Some(tokio::spawn(run_ews(setup, output)))
        }
        SourceKind::Graph => Some(tokio::spawn(run_graph_poller(setup, output))),
        SourceKind::Demo => None,
    })
}

/// The EWS listener, once its settings (and Autodiscover) work.
async fn run_ews(setup: LiveSetup, mut output: StoreOutput) {
    let memory = setup.data_dir.join(MEMORY_FILE);
    let client = loop {
        let built = setup_remembering(
            &setup.settings,
            &setup.secrets,
            setup.allow_insecure_http,
            Some(&memory),
        )
        .await
        .and_then(|ews| {
            EwsPushServer::new(ews.config, &ews.mailbox, ews.discovery)
                .map_err(|e| crate::sources::ews::source_error(&e, &Default::default()))
        });
        match built {
            Ok(client) => break client,
            Err(error) => {
                output.status(&PushStatus {
                    mode: PushMode::Polling,
                    reason: Some(format!("push cannot start: {error}")),
                    cause: Some(PushCause::Failed),
                    last_confirmed: None,
                });
                tokio::time::sleep(SETUP_RETRY).await;
            }
        }
    };
    Listener::new(client, output, setup.config, setup.clock)
        .run()
        .await;
}

/// Graph cannot push to a console behind NAT: wakes the sync task on the adaptive
/// schedule instead (each pass starts with one cheap delta request).
async fn run_graph_poller(setup: LiveSetup, mut output: StoreOutput) {
    let schedule = PollSchedule::from_settings(&setup.settings.calendar);
    let tz = device_time_zone(setup.settings.device.time_zone.as_deref());
    output.status(&PushStatus {
        mode: PushMode::Polling,
        reason: Some(format!(
            "Microsoft 365 cannot push to the console: calendarView/delta is polled every {} s near a meeting's start or end and after a touch, every {} s otherwise",
            schedule.fast.as_secs(),
            schedule.slow.as_secs().min(setup.settings.calendar.sync_interval().as_secs())
        )),
        cause: Some(PushCause::CannotPush),
        last_confirmed: None,
    });
    let clock = setup.clock.clone();
    let store = &output.store;
    let edges = |now| meeting_edges(&lock(store), now, &tz);
    let sync = output.sync.clone();
    let agenda = sync.agenda_changes();
    graph_poller::run(schedule, clock, &TOUCHES, agenda, edges, || sync.sync_now()).await;
}

/// The starts and ends of the cached meetings within a day of `now`.
fn meeting_edges(store: &Store, now: DateTime<Utc>, tz: &Tz) -> Vec<DateTime<Utc>> {
    let day = chrono::Duration::days(1);
    store
        .meetings_between(now - day, now + day)
        .unwrap_or_default()
        .iter()
        .filter(|m| !m.time.is_all_day())
        .flat_map(|m| {
            let (start, end) = m.time.instants(tz);
            [start, end]
        })
        .collect()
}

/// Wakes the sync task and keeps the push state in the store.
struct StoreOutput {
    sync: SyncHandle,
    /// Behind a lock only so that the listener can be shared across its awaits.
    store: std::sync::Mutex<Store>,
    /// What was last written, and when.
    saved: Option<(PushStatus, Instant)>,
    /// The safety-net sync interval while a stream is healthy.
    push_sync_interval: Duration,
}

/// The store behind its lock (a panic elsewhere does not make it unusable).
fn lock(store: &std::sync::Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|e| e.into_inner())
}

impl StoreOutput {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        lock(&self.store)
    }
}

impl PushOutput for StoreOutput {
    fn changed(&mut self) {
        self.sync.sync_now();
    }

    fn resync(&mut self) {
        if let Err(error) = request_full_read(&mut self.store()) {
            tracing::warn!("cannot ask for a full window read: {error}");
        }
        self.sync.sync_now();
    }

    fn status(&mut self, status: &PushStatus) {
        // While a stream is healthy the sync only backs it up; otherwise its interval.
        self.sync.relax_while_pushed(
            status
                .is_healthy_stream()
                .then_some(self.push_sync_interval),
        );
        let only_confirmed = self.saved.as_ref().is_some_and(|(saved, at)| {
            saved.mode == status.mode
                && saved.reason == status.reason
                && saved.last_confirmed.is_some()
                && at.elapsed() < CONFIRMATION_WRITE_INTERVAL
        });
        if only_confirmed {
            return;
        }
        match serde_json::to_string(status) {
            Ok(json) => {
                let written = self.store().set_state(PUSH_STATUS_KEY, Some(&json));
                match written {
                    Ok(()) => self.saved = Some((status.clone(), Instant::now())),
                    Err(error) => tracing::warn!("cannot save the push state: {error}"),
                }
            }
            Err(error) => tracing::warn!("cannot encode the push state: {error}"),
        }
    }
}
