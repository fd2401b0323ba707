//! The room's calendar over Microsoft Graph, app-only, as a [`CalendarSource`]: an app
//! registration with the `Calendars.Read` application permission (`Calendars.ReadWrite`
//! for booking, see `graph_write.rs`), scoped to room mailboxes. `calendarView/delta` is the change check, and its pages carry whole events:
//! a first round is the whole window, a later one only the changes. The hourly full read
//! lists the window with `calendarView` and the properties the console shows, so it too
//! is its pages only. An event is fetched by id only when no page carried it whole.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::future::join_all;

use super::ews_mapping::MappingRules;
use super::graph_mapping::meeting_of;
use super::trusted_ca::read_trusted_ca;
use crate::calendar::Meeting;
use crate::clock::Clock;
use crate::graph::{DeltaStart, ErrorContext, Event, GraphClient, GraphConfig, GraphError};
use crate::settings::{Secrets, Settings};
use crate::sync::engine::Window;
use crate::sync::source::{
    CalendarSource, Carried, ChangeCheck, FailureKind, ItemVersion, SourceError,
};
use crate::words::{Phrase, Wording};

/// How to reach Graph, as settings and secrets say.
pub struct GraphSetup {
    pub config: GraphConfig,
    pub mailbox: String,
}

fn misconfigured(message: Wording) -> SourceError {
    SourceError::new(FailureKind::Misconfigured, message).with_fix(Phrase::CompleteGraphSettings)
}

/// Builds the Graph configuration from the settings. Errors name the missing setting.
pub(crate) fn setup_from_settings(
    settings: &Settings,
    secrets: &Secrets,
    allow_insecure_http: bool,
) -> Result<GraphSetup, SourceError> {
    let calendar = &settings.calendar;
    let mailbox = settings.room.exchange_address.trim().to_owned();
    if mailbox.is_empty() {
        return Err(misconfigured(Phrase::GraphRoomAddressNotSet.into()));
    }
    let tenant = calendar
        .tenant_id
        .clone()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| misconfigured(Phrase::GraphTenantNotSet.into()))?;
    let client_id = calendar
        .client_id
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| misconfigured(Phrase::GraphClientNotSet.into()))?;
    let secret = secrets
        .client_secret
        .as_ref()
        .ok_or_else(|| misconfigured(Wording::phrase(Phrase::GraphNoSecretStored, [&client_id])))?;
    let mut config = GraphConfig::new(tenant, client_id, secret.clone());
    if let Some(url) = &calendar.graph_url {
        config.graph_url = url.clone();
    }
    if let Some(url) = &calendar.authority_url {
        config.authority_url = url.clone();
    }
    config.scope = calendar.graph_scope.clone();
    config.trusted_ca_pem =
        read_trusted_ca(calendar.trusted_ca_file.as_deref()).map_err(misconfigured)?;
    config.allow_insecure_http = allow_insecure_http;
    Ok(GraphSetup { config, mailbox })
}

/// Sorts a Graph failure into what the admin needs to know, with the Graph module's own
/// explanation and fix.
pub fn source_error(err: &GraphError, context: &ErrorContext) -> SourceError {
    let kind = match err {
        GraphError::SecretInvalid
        | GraphError::SecretExpired
        | GraphError::AppNotFound
        | GraphError::TenantNotFound
        | GraphError::SignInRefused { .. }
        | GraphError::TokenRejected { .. } => FailureKind::SignInFailed,
        GraphError::ConsentMissing { .. }
        | GraphError::WriteNotPermitted { .. }
        | GraphError::MailboxOutOfScope { .. }
        | GraphError::MailboxNotFound { .. } => FailureKind::PermissionDenied,
        GraphError::Throttled { retry_after, .. } => FailureKind::Throttled {
            retry_after: *retry_after,
        },
        GraphError::Tls { .. }
        | GraphError::Connect { .. }
        | GraphError::Timeout
        | GraphError::Network { .. } => FailureKind::Offline,
        GraphError::InsecureUrl { .. } | GraphError::InvalidConfig { .. } => {
            FailureKind::Misconfigured
        }
        _ => FailureKind::ServerError,
    };
    SourceError::explained(kind, err, context)
}

/// The change-check state: the window the delta round covers and its deltaLink.
/// Written as `<from> <to> <deltaLink>` (RFC 3339 instants; the link has no spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeltaState {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    link: String,
}

impl DeltaState {
    fn parse(text: &str) -> Option<DeltaState> {
        let mut parts = text.splitn(3, ' ');
        let from = DateTime::parse_from_rfc3339(parts.next()?).ok()?.to_utc();
        let to = DateTime::parse_from_rfc3339(parts.next()?).ok()?.to_utc();
        let link = parts.next()?.to_owned();
        Some(DeltaState { from, to, link })
    }

    fn write(&self) -> String {
        format!(
            "{} {} {}",
            self.from.to_rfc3339(),
            self.to.to_rfc3339(),
            self.link
        )
    }
}

/// An event a page carried, already mapped; `None` when it cannot be shown (a series
/// master), so that it is not fetched again either.
struct CarriedEvent {
    change_key: Option<String>,
    meeting: Option<Meeting>,
}

/// The events the pages of the current pass carried, by id.
#[derive(Default)]
struct PassEvents(HashMap<String, CarriedEvent>);

impl PassEvents {
    /// Keeps a page's events; returns the versions of those it carried whole, and the ids
    /// of `@removed` entries. An event without its times (a page that could not carry it
    /// whole) is listed but not kept, so it is fetched by id; so is an event the room
    /// organized that came without the console's marker (a delta page cannot carry it),
    /// since it may be the console's own booking.
    fn keep(
        &mut self,
        page: Vec<Event>,
        rules: &MappingRules,
        room: &str,
        listed: &mut Vec<ItemVersion>,
        removed: &mut Vec<String>,
    ) {
        for event in page {
            if event.removed.is_some() {
                removed.push(event.id);
                continue;
            }
            listed.push(ItemVersion {
                id: event.id.clone(),
                change_key: event.change_key.clone(),
            });
            if event.start.is_none() || event.end.is_none() {
                continue;
            }
            if !event.marker_read() && organized_by(&event, room) {
                continue;
            }
            let meeting = match meeting_of(&event, rules) {
                Ok(meeting) => Some(meeting),
                Err(why) => {
                    tracing::debug!(id = %event.id, ?why, "event skipped");
                    None
                }
            };
            self.0.insert(
                event.id,
                CarriedEvent {
                    change_key: event.change_key,
                    meeting,
                },
            );
        }
    }

    /// The carried event for this version; None when no page carried this version.
    fn take(&mut self, item: &ItemVersion) -> Option<CarriedEvent> {
        match self.0.get(&item.id) {
            Some(carried) if carried.change_key == item.change_key => self.0.remove(&item.id),
            _ => None,
        }
    }
}

/// Whether `room` organized the event (the room's own bookings, the console's among them).
fn organized_by(event: &Event, room: &str) -> bool {
    event
        .organizer
        .as_ref()
        .and_then(|o| o.email_address.as_ref())
        .and_then(|a| a.address.as_deref())
        .is_some_and(|address| address.eq_ignore_ascii_case(room))
}

/// The room's calendar over Graph.
pub struct GraphSource {
    pub(super) client: GraphClient,
    pub(super) mailbox: String,
    pub(super) context: ErrorContext,
    rules: MappingRules,
    clock: Arc<dyn Clock>,
    window: Window,
    carried: Mutex<PassEvents>,
}

impl GraphSource {
    /// A source reading `setup.mailbox`; `clock` places the delta window (the same
    /// window the sync engine keeps).
    pub fn new(
        setup: GraphSetup,
        rules: MappingRules,
        clock: Arc<dyn Clock>,
    ) -> Result<GraphSource, SourceError> {
        let context = ErrorContext {
            tenant_id: setup.config.tenant_id.clone(),
            client_id: setup.config.client_id.clone(),
            mailbox: setup.mailbox.clone(),
        };
        let client = GraphClient::new(setup.config)
            .map_err(|e| source_error(&e, &context))?
            .with_clock(clock.clone());
        Ok(GraphSource {
            client,
            mailbox: setup.mailbox,
            context,
            rules,
            clock,
            window: Window::default(),
            carried: Mutex::new(PassEvents::default()),
        })
    }

    fn pass_events(&self) -> std::sync::MutexGuard<'_, PassEvents> {
        self.carried.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One delta round from `start`, keeping the events its pages carry.
    async fn delta_round(
        &self,
        start: DeltaStart<'_>,
    ) -> Result<(String, Vec<ItemVersion>, Vec<String>), GraphError> {
        let (mut listed, mut removed) = (Vec::new(), Vec::new());
        let round = self
            .client
            .delta(&self.mailbox, start, |page| {
                self.pass_events()
                    .keep(page, &self.rules, &self.mailbox, &mut listed, &mut removed)
            })
            .await?;
        Ok((round.delta_link, listed, removed))
    }

    pub(super) fn error(&self, err: &GraphError) -> SourceError {
        source_error(err, &self.context)
    }

    /// The Graph client, for the wizard's and diagnose's checks.
    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    /// An initial delta round over the current window: its pages are the whole window.
    async fn start_over(&self) -> Result<ChangeCheck, SourceError> {
        let (from, to) = self.window.around(self.clock.now(), &self.rules.tz);
        let (link, items, _) = self
            .delta_round(DeltaStart::Window { from, to })
            .await
            .map_err(|e| self.error(&e))?;
        Ok(ChangeCheck {
            changed: true,
            state: Some(DeltaState { from, to, link }.write()),
            carried: Some(Carried::Window { from, to, items }),
        })
    }
}

impl CalendarSource for GraphSource {
    async fn check_changes(&self, state: Option<&str>) -> Result<ChangeCheck, SourceError> {
        // A new pass: what an earlier one's pages carried is no longer news.
        *self.pass_events() = PassEvents::default();
        let (from, to) = self.window.around(self.clock.now(), &self.rules.tz);
        // A state for another window (the day moved on) or unreadable: start over.
        let Some(prior) = state
            .and_then(DeltaState::parse)
            .filter(|s| s.from == from && s.to == to)
        else {
            return self.start_over().await;
        };
        match self.delta_round(DeltaStart::Link(&prior.link)).await {
            Ok((link, changed, removed)) => Ok(ChangeCheck {
                changed: !(changed.is_empty() && removed.is_empty()),
                state: Some(DeltaState { link, ..prior }.write()),
                carried: Some(Carried::Changes { changed, removed }),
            }),
            Err(GraphError::SyncStateInvalid) => {
                tracing::warn!("Graph no longer accepts the delta token; starting over");
                self.start_over().await
            }
            Err(err) => Err(self.error(&err)),
        }
    }

    async fn list_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemVersion>, SourceError> {
        let (mut listed, mut removed) = (Vec::new(), Vec::new());
        self.client
            .calendar_view_events(&self.mailbox, from, to, |page| {
                self.pass_events()
                    .keep(page, &self.rules, &self.mailbox, &mut listed, &mut removed)
            })
            .await
            .map_err(|e| self.error(&e))?;
        Ok(listed)
    }

    async fn fetch(&self, ids: &[ItemVersion]) -> Result<Vec<Meeting>, SourceError> {
        let mut meetings = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        {
            let mut carried = self.pass_events();
            for item in ids {
                match carried.take(item) {
                    Some(event) => meetings.extend(event.meeting),
                    None => missing.push(item),
                }
            }
        }
        // Only what no page carried whole; the client holds at most three requests in
        // flight, the rest wait for a slot.
        let answers = join_all(
            missing
                .iter()
                .map(|item| self.client.event(&self.mailbox, &item.id)),
        )
        .await;
        for answer in answers {
            match answer {
                Ok(event) => match meeting_of(&event, &self.rules) {
                    Ok(meeting) => meetings.push(meeting),
                    Err(why) => tracing::debug!(id = %event.id, ?why, "event skipped"),
                },
                // Deleted between the listing and the fetch: the next pass agrees.
                Err(GraphError::EventNotFound) => {}
                Err(err) => return Err(self.error(&err)),
            }
        }
        Ok(meetings)
    }

    fn server_description(&self) -> Option<String> {
        let host = self
            .client
            .config()
            .graph_url
            .host_str()
            .map(str::to_owned)
            .unwrap_or_default();
        Some(format!("Microsoft 365 (Microsoft Graph at {host})"))
    }
}
