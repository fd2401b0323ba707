//! The room's calendar over EWS, as a [`CalendarSource`]: the service account
//! impersonating the room mailbox (CX7000 style) or the room signing in as itself (Lync
//! and Skype Room Systems). SyncFolderItems is the cheap change check; CalendarView lists
//! the window; GetItem fetches changed items in batches, at most two requests at a time.
//! A short wait Exchange asks for (ErrorServerBusy with BackOffMilliseconds, 503 with
//! Retry-After, up to 30 s) is waited out and the request made again, within the pass.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::future::join_all;
use tokio::sync::{RwLock, Semaphore};
use url::Url;

use super::ews_discovery::{Discovery, discover_again};
pub use super::ews_error::source_error;
use super::ews_mapping::{MappingRules, meeting_of};
use super::trusted_ca::read_trusted_ca;
use crate::calendar::Meeting;
use crate::clock::{Clock, SystemClock};
use crate::ews::find_item::ViewShape;
use crate::ews::{
    ErrorContext, EwsAuth, EwsClient, EwsConfig, EwsError, GetItemOptions, ItemId, ItemResults,
    Parsed, Response, ServerVersionInfo,
};
use crate::settings::{CalendarSource as SourceKind, EwsAuthMethod, Secrets, Settings};
use crate::sync::source::{CalendarSource, ChangeCheck, FailureKind, ItemVersion, SourceError};
use crate::words::{Phrase, Wording};

/// Items per GetItem request.
const GET_ITEM_BATCH: usize = 50;
/// Items per CalendarView request; a fuller window is read on from its last item.
const CALENDAR_VIEW_MAX: u32 = 250;
/// Changes per SyncFolderItems request.
const SYNC_MAX_CHANGES: u32 = 512;
/// At most this many requests to the mailbox at once.
const MAX_CONCURRENT_REQUESTS: usize = 2;
/// The longest wait Exchange may ask for that a request waits out and is made again; a
/// longer one fails the pass, and the sync task waits between passes instead.
pub const LONGEST_WAIT_IN_A_CALL: Duration = Duration::from_secs(30);
/// How many times one request waits as asked before its failure is reported.
const WAITS_PER_REQUEST: u32 = 3;

/// The room's calendar over EWS.
pub struct EwsSource {
    client: RwLock<EwsClient>,
    mailbox: String,
    /// Names the URL in use, which Autodiscover may change.
    context: std::sync::Mutex<ErrorContext>,
    /// How the URL was found when the settings give none: found again when it fails.
    discovery: Option<Box<Discovery>>,
    rules: MappingRules,
    limit: Arc<Semaphore>,
    server: std::sync::Mutex<Option<ServerVersionInfo>>,
    clock: Arc<dyn Clock>,
}

/// How to reach the server, as settings and secrets say.
pub struct EwsSetup {
    pub config: EwsConfig,
    pub mailbox: String,
    pub account: String,
    /// Set when the URL came from Autodiscover.
    pub discovery: Option<Discovery>,
}

/// Builds the EWS configuration from the settings, finding the URL by Autodiscover when
/// none is set. Errors name the missing setting.
pub(crate) async fn setup_from_settings(
    settings: &Settings,
    secrets: &Secrets,
    allow_insecure_http: bool,
) -> Result<EwsSetup, SourceError> {
    setup_remembering(settings, secrets, allow_insecure_http, None).await
}

/// Like `setup_from_settings`, with a URL found by Autodiscover remembered in the file
/// `memory` and taken from there while it works.
pub(crate) async fn setup_remembering(
    settings: &Settings,
    secrets: &Secrets,
    allow_insecure_http: bool,
    memory: Option<&std::path::Path>,
) -> Result<EwsSetup, SourceError> {
    let calendar = &settings.calendar;
    let mailbox = settings.room.exchange_address.trim().to_owned();
    if mailbox.is_empty() {
        return Err(misconfigured(Phrase::RoomAddressNotSet.into()));
    }
    let (account, password) = match calendar.source {
        SourceKind::EwsImpersonation => (
            calendar
                .service_account_username
                .clone()
                .unwrap_or_default(),
            secrets.service_account_password.as_ref(),
        ),
        _ => (
            settings
                .room
                .domain_username
                .clone()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| settings.room.sign_in_address.clone()),
            secrets.room_password.as_ref(),
        ),
    };
    if account.trim().is_empty() {
        return Err(misconfigured(Phrase::NoSignInAccount.into()));
    }
    let Some(password) = password else {
        return Err(misconfigured(Wording::phrase(
            Phrase::NoPasswordStored,
            [&account],
        )));
    };
    let password = password.clone();
    let auth = match calendar.authentication {
        EwsAuthMethod::Ntlm => EwsAuth::Ntlm {
            user: account.clone(),
            password,
        },
        EwsAuthMethod::Basic => EwsAuth::Basic {
            user: account.clone(),
            password,
        },
    };
    let trusted_ca_pem =
        read_trusted_ca(calendar.trusted_ca_file.as_deref()).map_err(misconfigured)?;
    let impersonate = (calendar.source == SourceKind::EwsImpersonation).then(|| mailbox.clone());
    let placeholder = Url::parse("https://localhost/EWS/Exchange.asmx").expect("valid URL");
    let mut config = EwsConfig::new(calendar.ews_url.clone().unwrap_or(placeholder), auth);
    config.impersonate = impersonate;
    config.trusted_ca_pem = trusted_ca_pem;
    config.allow_insecure_http = allow_insecure_http;
    let discovery = match calendar.ews_url {
        Some(_) => None,
        None => {
            let discovery = Discovery::new(
                config.clone(),
                calendar.autodiscover_url.clone(),
                &mailbox,
                &account,
                memory,
            );
            config.url = match discovery.remembered() {
                Some(url) => url,
                None => discovery.discover().await?,
            };
            Some(discovery)
        }
    };
    Ok(EwsSetup {
        config,
        mailbox,
        account,
        discovery,
    })
}

fn misconfigured(message: Wording) -> SourceError {
    SourceError::new(FailureKind::Misconfigured, message).with_fix(Phrase::CompleteCalendarSettings)
}

/// "Exchange Server 2019 (15.2.1544.4)" from the version the server reports.
pub(crate) fn describe_server(info: &ServerVersionInfo) -> Option<String> {
    let build = info.build()?;
    let product = match (info.major_version?, info.minor_version?) {
        (15, 2) if info.major_build_number.unwrap_or(0) >= 2562 => {
            "Exchange Server Subscription Edition"
        }
        (15, 2) => "Exchange Server 2019",
        (15, 1) => "Exchange Server 2016",
        (15, 0) => "Exchange Server 2013",
        // What Exchange 2010 lacks for room systems is the version check's to say (KB 3103746).
        (14, _) => "Exchange Server 2010",
        (major, _) if major > 15 => "Exchange Online",
        _ => "Exchange (older than 2010)",
    };
    Some(format!("{product} ({build})"))
}

/// The wait a throttling answer asks for, when it is short enough to wait out in a call.
fn short_wait(err: &EwsError) -> Option<Duration> {
    match err {
        EwsError::ServerBusy { .. } | EwsError::ServiceUnavailable { .. } => err
            .retry_after()
            .filter(|wait| *wait <= LONGEST_WAIT_IN_A_CALL),
        _ => None,
    }
}

/// Runs one client call with at most two requests in flight, again after a short wait
/// Exchange asks for (without holding a slot), again with an older schema version while
/// Exchange answers ErrorInvalidServerVersion, and once more at a newly discovered URL
/// when the discovered one is gone.
macro_rules! call {
    ($source:expr, |$client:ident| $request:expr) => {{
        let mut rediscovered = false;
        let mut waits = 0;
        loop {
            let result = {
                let _permit = $source.limit.acquire().await;
                let $client = $source.client.read().await;
                $request.await
            };
            match result {
                Err(err) if waits < WAITS_PER_REQUEST && short_wait(&err).is_some() => {
                    waits += 1;
                    let wait = short_wait(&err).unwrap_or_default();
                    tracing::info!(
                        ?wait,
                        "Exchange asks to wait ({err}); waiting, then asking again"
                    );
                    $source.clock.pause(wait).await;
                    continue;
                }
                Err(EwsError::InvalidServerVersion) if $source.step_down().await => continue,
                Err(err) if err.endpoint_gone() && !rediscovered && $source.rediscover().await => {
                    rediscovered = true;
                    continue;
                }
                other => break other,
            }
        }
    }};
}

impl EwsSource {
    /// A source reading `setup.mailbox` with the configured client.
    pub fn new(setup: EwsSetup, rules: MappingRules) -> Result<EwsSource, SourceError> {
        let context = ErrorContext {
            service_account: setup.account.clone(),
            mailbox: setup.mailbox.clone(),
            url: setup.config.url.to_string(),
        };
        let client = EwsClient::new(setup.config).map_err(|e| source_error(&e, &context))?;
        Ok(EwsSource {
            client: RwLock::new(client),
            mailbox: setup.mailbox,
            context: std::sync::Mutex::new(context),
            discovery: setup.discovery.map(Box::new),
            rules,
            limit: Arc::new(Semaphore::new(MAX_CONCURRENT_REQUESTS)),
            server: std::sync::Mutex::new(None),
            clock: Arc::new(SystemClock),
        })
    }

    /// Waits on `clock` when Exchange asks for a short wait (tests pass their fixed clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> EwsSource {
        self.clock = clock;
        self
    }

    fn remember_server(&self, info: Option<&ServerVersionInfo>) {
        if let Some(info) = info {
            *self.server.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.clone());
        }
    }

    fn error(&self, err: &EwsError) -> SourceError {
        source_error(err, &self.context.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Asks Autodiscover again after the discovered URL failed; true when it gave
    /// another URL, which the client uses (and the data dir remembers) from now on. While
    /// Autodiscover fails too, the remembered URL stays.
    async fn rediscover(&self) -> bool {
        let Some(url) = discover_again(self.discovery.as_deref()).await else {
            return false;
        };
        let mut client = self.client.write().await;
        if client.config().url == url {
            return false;
        }
        tracing::info!(%url, "the EWS URL moved; using the one Autodiscover gives now");
        if let Err(err) = client.set_url(url.clone()) {
            tracing::warn!("the discovered EWS URL cannot be used: {err}");
            return false;
        }
        self.context.lock().unwrap_or_else(|e| e.into_inner()).url = url.to_string();
        true
    }

    /// Steps the requested schema down (2013 → 2010 SP2 → 2010 → 2007 SP1) after
    /// ErrorInvalidServerVersion; false when there is nothing older to try.
    async fn step_down(&self) -> bool {
        let mut client = self.client.write().await;
        match client.config().server_version.step_down() {
            Some(older) => {
                tracing::warn!(version = ?older, "Exchange refused the schema version; stepping down");
                client.set_server_version(older);
                true
            }
            None => false,
        }
    }

    /// One GetItem batch.
    async fn get_batch(
        &self,
        ids: &[ItemId<'_>],
    ) -> Result<Response<Parsed<ItemResults<'static>>>, EwsError> {
        call!(self, |c| c.get_items(ids, GetItemOptions::default()))
    }

    /// The meetings of one GetItem batch; an item deleted since the listing is left out.
    fn meetings_of(&self, items: &ItemResults<'_>) -> Result<Vec<Meeting>, SourceError> {
        let mut meetings = Vec::with_capacity(items.0.len());
        for item in &items.0 {
            match item {
                Ok(item) => match meeting_of(item, &self.rules) {
                    Ok(meeting) => meetings.push(meeting),
                    Err(why) => tracing::debug!(id = %item.id.id, ?why, "item skipped"),
                },
                // Deleted between the listing and the fetch: the next pass agrees.
                Err(EwsError::ItemNotFound) => {}
                Err(err) => return Err(self.error(err)),
            }
        }
        Ok(meetings)
    }

    /// Lists [from, to). A CalendarView answer holds at most [`CALENDAR_VIEW_MAX`] items,
    /// earliest start first, and says when it left items out: the listing then goes on
    /// from the start of the latest item it got (every item starting earlier is in that
    /// answer; items listed twice are taken once), as Microsoft advises for paging a
    /// calendar view. Only when that does not move on (a whole answer of items at one
    /// instant) is the window split in halves.
    async fn list_range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        out: &mut Vec<ItemVersion>,
    ) -> Result<(), SourceError> {
        let mut listed = HashSet::new();
        let mut pending = vec![(from, to)];
        while let Some((start, end)) = pending.pop() {
            let mailbox = self.mailbox.as_str();
            let view = call!(self, |c| c.find_view(
                ViewShape::Listing,
                mailbox,
                start,
                end,
                CALENDAR_VIEW_MAX
            ))
            .map_err(|e| self.error(&e))?;
            self.remember_server(view.server_version.as_ref());
            let view = view.value.get();
            for item in &view.items {
                if !listed.contains(&*item.id.id) {
                    listed.insert(item.id.id.to_string());
                    out.push(ItemVersion {
                        id: item.id.id.to_string(),
                        change_key: item.id.change_key.as_deref().map(str::to_owned),
                    });
                }
            }
            if view.includes_last_item_in_range {
                continue;
            }
            let latest_start = view.items.iter().filter_map(|item| item.start).max();
            match latest_start {
                Some(next) if next > start && next < end => pending.push((next, end)),
                _ if end - start > chrono::Duration::minutes(30) => {
                    let middle = start + (end - start) / 2;
                    pending.push((middle, end));
                    pending.push((start, middle));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl CalendarSource for EwsSource {
    async fn check_changes(&self, state: Option<&str>) -> Result<ChangeCheck, SourceError> {
        let mut state = state.map(str::to_owned);
        let mut changed = state.is_none();
        loop {
            let mailbox = self.mailbox.as_str();
            let current = state.clone();
            let result = call!(self, |c| c.sync_folder_items(
                mailbox,
                current.as_deref(),
                SYNC_MAX_CHANGES
            ));
            let response = match result {
                Ok(response) => response,
                Err(EwsError::InvalidSyncStateData) if state.is_some() => {
                    tracing::warn!("Exchange no longer accepts the sync state; starting over");
                    state = None;
                    changed = true;
                    continue;
                }
                Err(err) => return Err(self.error(&err)),
            };
            self.remember_server(response.server_version.as_ref());
            let changes = response.value;
            changed |= !(changes.created.is_empty()
                && changes.updated.is_empty()
                && changes.deleted.is_empty());
            state = Some(changes.sync_state);
            if changes.includes_last_item_in_range {
                return Ok(ChangeCheck {
                    changed,
                    state,
                    carried: None,
                });
            }
        }
    }

    async fn list_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemVersion>, SourceError> {
        let mut items = Vec::new();
        self.list_range(from, to, &mut items).await?;
        Ok(items)
    }

    async fn fetch(&self, ids: &[ItemVersion]) -> Result<Vec<Meeting>, SourceError> {
        let batches: Vec<Vec<ItemId>> = ids
            .chunks(GET_ITEM_BATCH)
            .map(|batch| {
                batch
                    .iter()
                    .map(|v| ItemId::new(v.id.as_str(), v.change_key.clone()))
                    .collect()
            })
            .collect();
        let mut batch_meetings = Vec::with_capacity(batches.len());
        for wave in batches.chunks(MAX_CONCURRENT_REQUESTS) {
            let responses = join_all(wave.iter().map(|ids| self.get_batch(ids))).await;
            // Mapped as they come, so that one wave's answers is all that is held.
            batch_meetings.extend(responses.into_iter().map(|response| {
                response.map(|r| (r.server_version, self.meetings_of(r.value.get())))
            }));
        }
        let mut meetings = Vec::with_capacity(ids.len());
        for response in batch_meetings {
            let (server_version, batch) = response.map_err(|e| self.error(&e))?;
            self.remember_server(server_version.as_ref());
            meetings.extend(batch?);
        }
        Ok(meetings)
    }

    fn server_description(&self) -> Option<String> {
        self.server
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(describe_server)
    }
}

#[path = "ews_write.rs"]
mod write;
