//! `EwsClient`: the operations the calendar sync needs, each one request and one typed
//! answer, over the transport configured by `EwsConfig`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use url::Url;
use yoke::{Yoke, Yokeable};

use super::autodiscover::{self, AutodiscoverOutcome, GET_USER_SETTINGS_ACTION};
use super::envelope::RequestHeader;
use super::error::{ErrorContext, EwsError};
use super::find_item::{self, CalendarView, ViewShape};
use super::get_item::{self, GetItemOptions, ItemResults};
use super::item::ItemId;
use super::response::Response;
use super::sync_folder_items::{self, SyncChanges};
use super::transport::{
    DEFAULT_MAX_RESPONSE_BYTES, EwsAuth, Transport, TransportConfig, insert_header,
};
use super::version::RequestVersion;

/// What an operation read from an answer together with the answer's bytes, which its
/// text borrows (`get()` gives the value): one allocation per answer instead of one per
/// string read. Dropped as a whole once the caller has taken what it keeps.
pub type Parsed<T> = Yoke<T, Vec<u8>>;

/// The default time limit of one request.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything needed to talk to one Exchange server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EwsConfig {
    /// The EWS endpoint, e.g. `https://mail.contoso.com/EWS/Exchange.asmx`.
    pub url: Url,
    pub auth: EwsAuth,
    /// The room mailbox to impersonate; None when the console signs in as the room.
    pub impersonate: Option<String>,
    pub trusted_ca_pem: Option<Vec<u8>>,
    pub allow_insecure_http: bool,
    pub timeout: Duration,
    pub max_response_bytes: usize,
    pub server_version: RequestVersion,
}

impl EwsConfig {
    /// Settings with the defaults: no impersonation, system roots only, https only,
    /// 60 s, 32 MiB, Exchange2013.
    pub fn new(url: Url, auth: EwsAuth) -> EwsConfig {
        EwsConfig {
            url,
            auth,
            impersonate: None,
            trusted_ca_pem: None,
            allow_insecure_http: false,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            server_version: RequestVersion::default(),
        }
    }

    /// The HTTP side of these settings.
    pub(super) fn transport_config(&self) -> TransportConfig {
        TransportConfig {
            auth: self.auth.clone(),
            trusted_ca_pem: self.trusted_ca_pem.clone(),
            allow_insecure_http: self.allow_insecure_http,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
        }
    }
}

/// A client for one EWS endpoint.
#[derive(Debug)]
pub struct EwsClient {
    config: EwsConfig,
    transport: Transport,
}

impl EwsClient {
    /// Checks the settings and sets up HTTPS; sends nothing yet.
    pub fn new(config: EwsConfig) -> Result<EwsClient, EwsError> {
        let transport = Transport::new(config.transport_config())?;
        transport.check_url(&config.url)?;
        Ok(EwsClient { config, transport })
    }

    pub fn config(&self) -> &EwsConfig {
        &self.config
    }

    /// Talks to `url` from now on (after Autodiscover found EWS moved).
    pub(crate) fn set_url(&mut self, url: Url) -> Result<(), EwsError> {
        self.transport.check_url(&url)?;
        self.config.url = url;
        Ok(())
    }

    /// Asks for an older schema from now on (after ErrorInvalidServerVersion).
    pub(crate) fn set_server_version(&mut self, version: RequestVersion) {
        self.config.server_version = version;
    }

    /// Who and what errors of this client are about, for `EwsError::explanation`.
    pub(crate) fn error_context(&self, mailbox: &str) -> ErrorContext {
        ErrorContext {
            service_account: self.config.auth.user().to_string(),
            mailbox: mailbox.to_string(),
            url: self.config.url.to_string(),
        }
    }

    /// The meetings of `mailbox` between `start` and `end` (FindItem CalendarView).
    pub async fn find_calendar_view(
        &self,
        mailbox: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        max_entries: u32,
    ) -> Result<Response<Parsed<CalendarView<'static>>>, EwsError> {
        self.find_view(ViewShape::Plain, mailbox, start, end, max_entries)
            .await
    }

    /// The meetings of `mailbox` between `start` and `end` as `view` asks for them.
    pub(crate) async fn find_view(
        &self,
        view: ViewShape,
        mailbox: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        max_entries: u32,
    ) -> Result<Response<Parsed<CalendarView<'static>>>, EwsError> {
        let header = self.header();
        let body = find_item::request(&header, view, mailbox, start, end, max_entries);
        parse_kept::<CalendarView<'static>>(self.post(body).await?, find_item::parse)
    }

    /// The full items for `ids` (GetItem), one result per id in order.
    pub async fn get_items(
        &self,
        ids: &[ItemId<'_>],
        options: GetItemOptions,
    ) -> Result<Response<Parsed<ItemResults<'static>>>, EwsError> {
        let body = get_item::request(&self.header(), ids, options);
        parse_kept::<ItemResults<'static>>(self.post(body).await?, |answer| {
            let response = get_item::parse(answer)?;
            Ok(Response {
                server_version: response.server_version,
                value: ItemResults(response.value),
            })
        })
    }

    /// The changes in `mailbox`'s calendar since `sync_state` (SyncFolderItems).
    pub async fn sync_folder_items(
        &self,
        mailbox: &str,
        sync_state: Option<&str>,
        max_changes: u32,
    ) -> Result<Response<SyncChanges>, EwsError> {
        let body = sync_folder_items::request(&self.header(), mailbox, sync_state, max_changes);
        let answer = self.post(body).await?;
        sync_folder_items::parse(&answer)
    }

    pub(super) fn header(&self) -> RequestHeader {
        RequestHeader {
            version: self.config.server_version,
            impersonate: self.config.impersonate.clone(),
        }
    }

    pub(super) async fn post(&self, body: Vec<u8>) -> Result<Vec<u8>, EwsError> {
        let mut headers = HeaderMap::new();
        if let Some(mailbox) = &self.config.impersonate {
            // Routes the request to the server holding the room's mailbox.
            insert_header(&mut headers, "x-anchormailbox", mailbox)?;
        }
        self.transport
            .post_soap(&self.config.url, body, headers)
            .await
    }
}

/// Asks the SOAP Autodiscover service at `config.url` (…/autodiscover/autodiscover.svc)
/// for the EWS URL of `mailbox`. Redirections are returned, not followed.
pub async fn autodiscover_ews_url(
    config: &EwsConfig,
    mailbox: &str,
) -> Result<Response<AutodiscoverOutcome>, EwsError> {
    let transport = Transport::new(config.transport_config())?;
    let body = autodiscover::request(mailbox, config.url.as_str());
    let mut headers = HeaderMap::new();
    insert_header(
        &mut headers,
        "soapaction",
        &format!("\"{GET_USER_SETTINGS_ACTION}\""),
    )?;
    let answer = transport.post_soap(&config.url, body, headers).await?;
    autodiscover::parse(&answer)
}

/// Reads an answer with `read`, keeping what it read together with the bytes it
/// borrows from.
fn parse_kept<T>(
    answer: Vec<u8>,
    read: impl for<'a> FnOnce(&'a [u8]) -> Result<Response<<T as Yokeable<'a>>::Output>, EwsError>,
) -> Result<Response<Parsed<T>>, EwsError>
where
    T: for<'a> Yokeable<'a>,
{
    let mut server_version = None;
    let value = Yoke::try_attach_to_cart(answer, |answer: &[u8]| {
        let response = read(answer)?;
        server_version = response.server_version;
        Ok::<_, EwsError>(response.value)
    })?;
    Ok(Response {
        server_version,
        value,
    })
}
