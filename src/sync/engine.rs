//! One sync pass, and the decisions between passes: poll cheaply, re-read the window only
//! when something changed (or hourly, and after local midnight), fetch only the items whose
//! change key moved, and replace the window in one transaction. When the change check
//! already carried the window or its changes (Graph delta), the listing is skipped. A
//! failure never touches the cached agenda; one part-way through the fetching keeps the
//! pass's work apart ([`StagedPass`]) so the next pass continues from it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::backoff::Backoff;
use super::source::{CalendarSource, Carried, FailureKind, ItemVersion, SourceError};
use super::staged::StagedPass;
use super::status::SyncStatus;
use crate::calendar::Meeting;
use crate::clock::local_midnight;
use crate::store::Store;
use crate::words::{Phrase, Wording};

/// The store key of the change-check state (EWS SyncState, kept whole).
pub(crate) const CHECK_STATE_KEY: &str = "sync.check_state";
/// The store key of the persisted [`SyncStatus`] (JSON).
pub const STATUS_KEY: &str = "sync.status";
/// The store key of the instant of the last full window read.
const LAST_FULL_READ_KEY: &str = "sync.last_full_read";
/// Meetings asked of the source at a time: a failed pass keeps what the steps before
/// the failure fetched (for EWS, one step is two GetItem batches in flight).
const FETCH_STEP: usize = 100;

/// The span of days the console keeps, around today.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub days_back: i64,
    pub days_ahead: i64,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            days_back: 1,
            days_ahead: 14,
        }
    }
}

impl Window {
    /// The instants of the window around `now`: local midnight `days_back` days ago to
    /// local midnight `days_ahead` days on.
    pub fn around(&self, now: DateTime<Utc>, tz: &Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let today = now.with_timezone(tz).date_naive();
        let from = today - chrono::Duration::days(self.days_back);
        let to = today + chrono::Duration::days(self.days_ahead + 1);
        (local_midnight(tz, from), local_midnight(tz, to))
    }
}

/// What a pass did, for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassResult {
    /// Nothing changed: only the cheap check ran.
    Unchanged,
    /// The window was re-read; `fetched` items were fetched again.
    Refreshed {
        fetched: usize,
        stored: usize,
    },
    Failed(SourceError),
}

/// The sync task's memory between passes.
pub struct SyncEngine<S> {
    source: S,
    store: Store,
    tz: Tz,
    window: Window,
    interval: Duration,
    backoff: Backoff,
    failures: u32,
    status: SyncStatus,
}

impl<S: CalendarSource> SyncEngine<S> {
    /// An engine writing into `store`, polling every `interval`.
    pub fn new(source: S, store: Store, tz: Tz, interval: Duration, backoff: Backoff) -> Self {
        let status = store
            .get_state(STATUS_KEY)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        SyncEngine {
            source,
            store,
            tz,
            window: Window::default(),
            interval,
            backoff,
            failures: 0,
            status,
        }
    }

    /// The current status.
    pub fn status(&self) -> &SyncStatus {
        &self.status
    }

    /// The source the engine reads (the booking runner writes through it).
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The store the engine writes (for tests and `sync --once` reports).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs one pass at `now`; returns what it did and how long to wait before the next.
    pub async fn pass(&mut self, now: DateTime<Utc>) -> (PassResult, Duration) {
        let result = self.try_pass(now).await;
        let (result, wait) = match result {
            Ok(result) => {
                self.failures = 0;
                self.status.succeeded(now, self.source.server_description());
                (result, self.interval)
            }
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                let wait = self.backoff.delay(&error.kind, self.failures);
                tracing::warn!(kind = ?error.kind, retry_in = ?wait, "sync failed: {error}");
                self.status.failed(now, &error, wait);
                (PassResult::Failed(error), wait)
            }
        };
        self.save_status();
        (result, wait)
    }

    fn save_status(&mut self) {
        match serde_json::to_string(&self.status) {
            Ok(json) => {
                if let Err(err) = self.store.set_state(STATUS_KEY, Some(&json)) {
                    tracing::error!("cannot save the sync status: {err}");
                }
            }
            Err(err) => tracing::error!("cannot encode the sync status: {err}"),
        }
    }

    /// Whether the window must be re-read even if the change check says nothing changed:
    /// hourly and after local midnight, counting from the last full read stored or
    /// `staged_at` (the listing a failed pass kept), whichever is later.
    fn full_read_due(&self, now: DateTime<Utc>, staged_at: Option<DateTime<Utc>>) -> bool {
        let stored = self
            .store
            .get_state(LAST_FULL_READ_KEY)
            .ok()
            .flatten()
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.to_utc());
        match stored.max(staged_at) {
            None => true,
            Some(last) => {
                now < last
                    || now - last >= chrono::Duration::hours(1)
                    || now.with_timezone(&self.tz).date_naive()
                        != last.with_timezone(&self.tz).date_naive()
            }
        }
    }

    async fn try_pass(&mut self, now: DateTime<Utc>) -> Result<PassResult, SourceError> {
        let (from, to) = self.window.around(now, &self.tz);
        let kept = StagedPass::load(&self.store).map_err(store_error)?;
        let had_staged = kept.is_some();
        let mut staged = kept.filter(|s| s.from == from && s.to == to);
        // A failed pass's work answers to the check state taken before its listing: the
        // check continues from there, so what changed since shows on top of it.
        let state = match &staged {
            Some(staged) => staged.check_state.clone(),
            None => self.store.get_state(CHECK_STATE_KEY).map_err(store_error)?,
        };
        let check = self.source.check_changes(state.as_deref()).await?;
        let full_read_due = self.full_read_due(now, staged.as_ref().map(|s| s.listed_at));
        if !check.changed && !full_read_due && staged.is_none() {
            self.save_check_state(check.state.as_deref())?;
            return Ok(PassResult::Unchanged);
        }
        let staged_meetings = staged
            .as_mut()
            .map(|s| std::mem::take(&mut s.fetched))
            .unwrap_or_default();
        let (listed, listed_at) = match (check.carried, staged) {
            (
                Some(Carried::Window {
                    from: carried_from,
                    to: carried_to,
                    items,
                }),
                _,
            ) if carried_from == from && carried_to == to => (items, Some(now)),
            (Some(Carried::Changes { changed, removed }), staged) if !full_read_due => {
                let (base, listed_at) = match staged {
                    Some(staged) => (staged.listed, Some(staged.listed_at)),
                    None => (self.cached_listing(from, to)?, None),
                };
                (with_changes(base, changed, &removed), listed_at)
            }
            (None, Some(staged)) if !check.changed && !full_read_due => {
                (staged.listed, Some(staged.listed_at))
            }
            _ => (self.source.list_window(from, to).await?, Some(now)),
        };
        // What a failed pass already fetched counts while its version is still listed.
        let versions: HashMap<&str, &Option<String>> = listed
            .iter()
            .map(|item| (item.id.as_str(), &item.change_key))
            .collect();
        let mut fetched: Vec<Meeting> = staged_meetings
            .into_iter()
            .filter(|m| {
                m.change_key.is_some() && versions.get(m.id.as_str()) == Some(&&m.change_key)
            })
            .collect();
        let known = self.store.change_keys().map_err(store_error)?;
        let have: HashMap<&str, &Option<String>> = fetched
            .iter()
            .map(|m| (m.id.as_str(), &m.change_key))
            .collect();
        let to_fetch: Vec<ItemVersion> = listed
            .iter()
            .filter(|item| {
                item.change_key.is_none()
                    || (known.get(&item.id) != Some(&item.change_key)
                        && have.get(item.id.as_str()) != Some(&&item.change_key))
            })
            .cloned()
            .collect();
        fetched.reserve(to_fetch.len());
        for step in to_fetch.chunks(FETCH_STEP) {
            match self.source.fetch(step).await {
                Ok(meetings) => fetched.extend(meetings),
                Err(error) => {
                    self.stage(StagedPass {
                        from,
                        to,
                        listed_at: listed_at.unwrap_or(now),
                        check_state: check.state.clone(),
                        listed,
                        fetched,
                    });
                    return Err(error);
                }
            }
        }
        let meetings = self.merge(&listed, fetched, from, to)?;
        self.store
            .replace_window(from, to, &meetings, &self.tz)
            .map_err(store_error)?;
        // The state moves on only once the agenda it describes is stored: a crash before
        // this line means the next pass looks again.
        self.save_check_state(check.state.as_deref())?;
        if had_staged {
            StagedPass::clear(&mut self.store).map_err(store_error)?;
        }
        if let Some(listed_at) = listed_at {
            self.store
                .set_state(LAST_FULL_READ_KEY, Some(&listed_at.to_rfc3339()))
                .map_err(store_error)?;
        }
        Ok(PassResult::Refreshed {
            fetched: to_fetch.len(),
            stored: meetings.len(),
        })
    }

    /// Keeps a failed pass's work for the next pass; failing to keep it only costs the
    /// next pass the requests again.
    fn stage(&mut self, staged: StagedPass) {
        tracing::info!(
            listed = staged.listed.len(),
            fetched = staged.fetched.len(),
            "keeping the failed pass's work for the next pass"
        );
        if let Err(err) = staged.save(&mut self.store) {
            tracing::warn!("cannot keep the failed pass's work: {err}");
        }
    }

    /// The cached window's listing.
    fn cached_listing(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemVersion>, SourceError> {
        Ok(self
            .store
            .meetings_between(from, to)
            .map_err(store_error)?
            .into_iter()
            .map(|m| ItemVersion {
                id: m.id,
                change_key: m.change_key,
            })
            .collect())
    }

    /// The window's meetings: the fetched ones, and the cached ones whose change key did
    /// not move, in the order the server listed them.
    fn merge(
        &self,
        listed: &[ItemVersion],
        fetched: Vec<Meeting>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Meeting>, SourceError> {
        let cached = self.store.meetings_between(from, to).map_err(store_error)?;
        // Sized at once: growing a map and a list of 5,000 meetings moved them over and
        // over (a full sync's CPU, BENCHMARKS.md).
        let mut by_id: HashMap<String, Meeting> =
            HashMap::with_capacity(cached.len() + fetched.len());
        for meeting in cached.into_iter().chain(fetched) {
            by_id.insert(meeting.id.clone(), meeting);
        }
        let mut meetings = Vec::with_capacity(listed.len());
        // An id listed twice is taken once: the first takes it out of the map.
        meetings.extend(listed.iter().filter_map(|item| by_id.remove(&item.id)));
        Ok(meetings)
    }

    fn save_check_state(&mut self, state: Option<&str>) -> Result<(), SourceError> {
        self.store
            .set_state(CHECK_STATE_KEY, state)
            .map_err(store_error)
    }
}

/// Makes the next pass read the whole window, whatever the change check says (the live
/// listener asks for it when notifications may have been missed).
pub(crate) fn request_full_read(store: &mut Store) -> Result<(), crate::store::StoreError> {
    store.set_state(LAST_FULL_READ_KEY, None)
}

/// A listing with the changes a check carried applied: less the removed and changed
/// meetings, then the changed ones.
fn with_changes(
    base: Vec<ItemVersion>,
    changed: Vec<ItemVersion>,
    removed: &[String],
) -> Vec<ItemVersion> {
    let gone: HashSet<&str> = removed
        .iter()
        .map(String::as_str)
        .chain(changed.iter().map(|item| item.id.as_str()))
        .collect();
    let mut listed: Vec<ItemVersion> = base
        .into_iter()
        .filter(|item| !gone.contains(item.id.as_str()))
        .collect();
    listed.extend(changed);
    listed
}

/// A store failure during sync: the disk is full, the file is locked or damaged. The
/// cached agenda stays as it was; the admin is told.
fn store_error(err: crate::store::StoreError) -> SourceError {
    SourceError::new(
        FailureKind::Storage,
        Wording::phrase(Phrase::StoreCannotWrite, [err.to_string()]),
    )
    .with_fix(Phrase::StoreCannotWriteFix)
}
