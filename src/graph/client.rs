//! The Graph calls the console makes on a room mailbox, app-only: the `calendarView`
//! listing (ids and change keys, or whole events page by page, with the console's
//! marker), `calendarView/delta` rounds (whole events page by page), and events by id;
//! the writes are in `write.rs` and go through the same [`GraphClient::send`]. Every call carries a bearer
//! token from the cache, `Prefer: outlook.timezone="UTC"`, and waits for one of three
//! request slots per mailbox; a short wait Graph asks for (429 `Retry-After: 1`) is
//! honoured and the request made again; paging links are followed only on the
//! configured Graph host.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use url::Url;

use super::config::GraphConfig;
use super::error::{GraphError, graph_error};
use super::event::{EVENT_SELECT, Event, EventVersion, MARKER_EXPAND, Page};
use super::http::{Answer, build_client, read};
use super::token::TokenCache;
use crate::clock::{Clock, SystemClock};

/// At most this many requests to one mailbox at once: one under Graph's
/// MailboxConcurrency limit of four, since a request just answered can still count.
pub(crate) const MAX_CONCURRENT_REQUESTS: usize = 3;
/// The longest wait Graph may ask for (Retry-After) that a request waits out and is made
/// again; a longer one fails the call, and the sync task waits between passes instead.
pub const LONGEST_WAIT_IN_A_CALL: Duration = Duration::from_secs(30);
/// How many times one request waits as asked before its failure is reported.
const WAITS_PER_REQUEST: u32 = 3;
/// Events per listing page.
const LIST_PAGE_SIZE: u32 = 100;
/// Events per delta page.
const DELTA_PAGE_SIZE: u32 = 100;
/// A guard against a server that pages forever.
const MAX_PAGES: usize = 1000;

/// Where a delta round starts.
#[derive(Debug, Clone, Copy)]
pub enum DeltaStart<'a> {
    /// An initial round over a window: every event in it counts as a change.
    Window {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// The `@odata.deltaLink` of the previous round.
    Link(&'a str),
}

/// What a delta round found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaRound {
    /// Events added, changed or removed (`@removed`) since the start.
    pub changes: usize,
    /// The link for the next round.
    pub delta_link: String,
}

/// A Graph client for one tenant and app registration.
pub struct GraphClient {
    http: reqwest::Client,
    config: GraphConfig,
    base: Url,
    token: TokenCache,
    slots: Semaphore,
    clock: Arc<dyn Clock>,
}

fn instant_param(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl GraphClient {
    pub fn new(config: GraphConfig) -> Result<GraphClient, GraphError> {
        let base = config.api_base();
        config.check_url(&base)?;
        config.check_url(&config.token_url()?)?;
        Ok(GraphClient {
            http: build_client(&config)?,
            base,
            config,
            token: TokenCache::default(),
            slots: Semaphore::new(MAX_CONCURRENT_REQUESTS),
            clock: Arc::new(SystemClock),
        })
    }

    /// Waits on `clock` when Graph asks for a short wait (tests pass their fixed clock).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> GraphClient {
        self.clock = clock;
        self
    }

    pub fn config(&self) -> &GraphConfig {
        &self.config
    }

    /// Signs in (or reuses the cached token): the first check of the wizard and diagnose.
    pub async fn sign_in(&self) -> Result<(), GraphError> {
        self.token.get(&self.http, &self.config).await.map(|_| ())
    }

    /// The application permissions the app's token carries (signing in if needed); None
    /// when the token does not list them.
    pub(crate) async fn granted_roles(&self) -> Result<Option<Vec<String>>, GraphError> {
        let token = self.token.get(&self.http, &self.config).await?;
        Ok(super::token::roles_of(token.value()))
    }

    /// `{base}users/{mailbox}/{tail…}`.
    pub(super) fn user_url(&self, mailbox: &str, tail: &[&str]) -> Result<Url, GraphError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|_| GraphError::InvalidConfig {
                detail: format!("{} cannot be a Graph endpoint", self.base),
            })?
            .pop_if_empty()
            .push("users")
            .push(mailbox)
            .extend(tail);
        Ok(url)
    }

    /// A paging link, accepted only on the configured Graph host (the bearer token goes
    /// with it).
    fn follow(&self, link: &str) -> Result<Url, GraphError> {
        let url = Url::parse(link).map_err(|_| GraphError::BadJson {
            detail: format!("the paging link {link} is not a URL"),
        })?;
        if url.origin() != self.base.origin() {
            return Err(GraphError::ForeignLink {
                url: link.to_owned(),
            });
        }
        Ok(url)
    }

    /// GETs `url` and reads its JSON.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        url: &Url,
        extra_prefer: Option<String>,
        on_mailbox: bool,
    ) -> Result<T, GraphError> {
        let request = Request {
            method: reqwest::Method::GET,
            url,
            body: None,
            if_match: None,
            extra_prefer,
            on_mailbox,
        };
        let answer = self.send(request).await?;
        parse(url, &answer)
    }

    /// Sends `request` and returns its successful answer; a token Graph refuses is
    /// renewed once, and a short wait Graph asks for is waited out (without holding a
    /// request slot). A write Graph refuses with 403 is the missing write permission.
    pub(super) async fn send(&self, request: Request<'_>) -> Result<Answer, GraphError> {
        let url = request.url;
        self.config.check_url(url)?;
        let mut renewed = false;
        let mut waits = 0;
        loop {
            let token = self.token.get(&self.http, &self.config).await?;
            let mut builder = self
                .http
                .request(request.method.clone(), url.clone())
                .bearer_auth(token.value())
                .header(reqwest::header::ACCEPT, "application/json")
                .header("Prefer", "outlook.timezone=\"UTC\"")
                .header("Prefer", "outlook.body-content-type=\"html\"");
            if let Some(prefer) = &request.extra_prefer {
                builder = builder.header("Prefer", prefer.as_str());
            }
            if let Some(etag) = request.if_match {
                builder = builder.header(reqwest::header::IF_MATCH, etag);
            }
            if let Some(body) = request.body {
                builder = builder
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.to_string());
            }
            let answer: Answer = {
                let _slot = self
                    .slots
                    .acquire()
                    .await
                    .map_err(|_| GraphError::Network {
                        detail: "the Graph client is shutting down".into(),
                    })?;
                read(builder, self.config.max_response_bytes).await?
            };
            let status = answer.status.as_u16();
            if status == 401 && !renewed {
                self.token.forget(&token).await;
                renewed = true;
                continue;
            }
            if let Some(wait) = short_wait(status, answer.retry_after())
                && waits < WAITS_PER_REQUEST
            {
                waits += 1;
                tracing::info!(?wait, %status, "Graph asks to wait; waiting, then asking again");
                self.clock.pause(wait).await;
                continue;
            }
            if !answer.status.is_success() {
                let error = graph_error(
                    status,
                    &answer.body,
                    answer.retry_after(),
                    request.on_mailbox,
                );
                return Err(match error {
                    GraphError::ConsentMissing { detail }
                        if request.method != reqwest::Method::GET =>
                    {
                        GraphError::WriteNotPermitted { detail }
                    }
                    other => other,
                });
            }
            return Ok(answer);
        }
    }

    /// The ids and change keys of the events overlapping [from, to), occurrences of
    /// series included, all pages.
    pub(crate) async fn list_calendar_view(
        &self,
        mailbox: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<EventVersion>, GraphError> {
        let top = LIST_PAGE_SIZE.to_string();
        let select = [("$select", "id,changeKey"), ("$orderby", "start/dateTime")];
        let url = self.calendar_view_url(mailbox, from, to, &select, &top)?;
        let mut items = Vec::new();
        self.pages(url, |page| items.extend(page)).await?;
        Ok(items)
    }

    /// The events overlapping [from, to) with the properties the console shows (body
    /// included), occurrences of series included, handed to `on_page` page by page.
    pub(crate) async fn calendar_view_events(
        &self,
        mailbox: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        on_page: impl FnMut(Vec<Event>),
    ) -> Result<(), GraphError> {
        let select = [
            ("$select", EVENT_SELECT),
            ("$expand", MARKER_EXPAND),
            ("$orderby", "start/dateTime"),
        ];
        let top = LIST_PAGE_SIZE.to_string();
        let url = self.calendar_view_url(mailbox, from, to, &select, &top)?;
        self.pages(url, on_page).await
    }

    /// The calendarView URL of `mailbox` for [from, to), then `select` and `$top`.
    pub(super) fn calendar_view_url(
        &self,
        mailbox: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        select: &[(&str, &str)],
        top: &str,
    ) -> Result<Url, GraphError> {
        let mut url = self.user_url(mailbox, &["calendarView"])?;
        url.query_pairs_mut()
            .append_pair("startDateTime", &instant_param(from))
            .append_pair("endDateTime", &instant_param(to))
            .extend_pairs(select)
            .append_pair("$top", top);
        Ok(url)
    }

    /// Reads the pages from `url` on, following `@odata.nextLink`, handing each page's
    /// items to `on_page`.
    async fn pages<T: DeserializeOwned>(
        &self,
        mut url: Url,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<(), GraphError> {
        for _ in 0..MAX_PAGES {
            let page: Page<T> = self.get(&url, None, true).await?;
            on_page(page.value);
            match page.next_link {
                Some(next) => url = self.follow(&next)?,
                None => return Ok(()),
            }
        }
        Err(endless_paging())
    }

    /// One delta round: follows `@odata.nextLink` to the `@odata.deltaLink`, handing the
    /// events reported (whole events, and `@removed` entries) to `on_page` page by page.
    pub async fn delta(
        &self,
        mailbox: &str,
        start: DeltaStart<'_>,
        mut on_page: impl FnMut(Vec<Event>),
    ) -> Result<DeltaRound, GraphError> {
        let mut url = match start {
            DeltaStart::Window { from, to } => {
                let mut url = self.user_url(mailbox, &["calendarView", "delta"])?;
                url.query_pairs_mut()
                    .append_pair("startDateTime", &instant_param(from))
                    .append_pair("endDateTime", &instant_param(to));
                url
            }
            DeltaStart::Link(link) => self.follow(link)?,
        };
        let prefer = format!("odata.maxpagesize={DELTA_PAGE_SIZE}");
        let mut changes = 0;
        for _ in 0..MAX_PAGES {
            let page: Page<Event> = self.get(&url, Some(prefer.clone()), true).await?;
            changes += page.value.len();
            on_page(page.value);
            match (page.next_link, page.delta_link) {
                (Some(next), _) => url = self.follow(&next)?,
                (None, Some(delta_link)) => {
                    self.follow(&delta_link)?;
                    return Ok(DeltaRound {
                        changes,
                        delta_link,
                    });
                }
                (None, None) => {
                    return Err(GraphError::BadJson {
                        detail: "a delta page had neither @odata.nextLink nor @odata.deltaLink"
                            .into(),
                    });
                }
            }
        }
        Err(endless_paging())
    }

    /// One event with the properties the console shows.
    pub async fn event(&self, mailbox: &str, id: &str) -> Result<Event, GraphError> {
        let mut url = self.user_url(mailbox, &["events", id])?;
        url.query_pairs_mut()
            .append_pair("$select", EVENT_SELECT)
            .append_pair("$expand", MARKER_EXPAND);
        self.get(&url, None, false).await
    }
}

/// One request to Graph.
pub(super) struct Request<'a> {
    pub method: reqwest::Method,
    pub url: &'a Url,
    /// Sent as JSON.
    pub body: Option<&'a serde_json::Value>,
    /// The `@odata.etag` the write is conditional on.
    pub if_match: Option<&'a str>,
    pub extra_prefer: Option<String>,
    /// Whether a 404 is about the mailbox rather than one event.
    pub on_mailbox: bool,
}

/// An answer's JSON.
pub(super) fn parse<T: DeserializeOwned>(url: &Url, answer: &Answer) -> Result<T, GraphError> {
    serde_json::from_slice(&answer.body).map_err(|e| GraphError::BadJson {
        detail: format!("{url}: {e}"),
    })
}

/// The wait a throttled answer asks for, when it is short enough to wait out in a call.
fn short_wait(status: u16, retry_after: Option<Duration>) -> Option<Duration> {
    let wait = retry_after.filter(|_| status == 429 || status == 503)?;
    (wait <= LONGEST_WAIT_IN_A_CALL).then_some(wait)
}

fn endless_paging() -> GraphError {
    GraphError::BadJson {
        detail: format!("more than {MAX_PAGES} pages: the server keeps paging"),
    }
}
