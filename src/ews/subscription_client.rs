//! The EWS side of push: Subscribe, GetStreamingEvents, GetEvents and Unsubscribe for
//! one room mailbox, over a transport of its own (with NTLM, a signed-in connection
//! beside the sync's, which the stream holds while it is open). Every request
//! impersonates the room when the settings say so, names it in `X-AnchorMailbox`, asks
//! for `X-PreferServerAffinity`, and sends back the `X-BackEndOverrideCookie` Exchange
//! set, so that all requests of a subscription reach the mailbox server that holds it.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

use super::client::EwsConfig;
use super::envelope::RequestHeader;
use super::error::EwsError;
use super::get_streaming_events::{self, EnvelopeSplitter, StreamingEnvelope};
use super::notification::Notification;
use super::soap_stream::SoapStream;
use super::subscribe::{self, Subscription, SubscriptionKind};
use super::transport::{Transport, insert_header};
use super::{get_events, unsubscribe};

/// The cookie Exchange sets to pin a subscription's requests to one mailbox server.
pub const BACKEND_COOKIE: &str = "X-BackEndOverrideCookie";

/// Subscriptions on one room's calendar.
pub struct SubscriptionClient {
    config: EwsConfig,
    mailbox: String,
    transport: Transport,
    /// The value of the last `X-BackEndOverrideCookie` Exchange set.
    backend_cookie: Mutex<Option<String>>,
}

impl std::fmt::Debug for SubscriptionClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriptionClient")
            .field("mailbox", &self.mailbox)
            .field("url", &self.config.url.as_str())
            .finish_non_exhaustive()
    }
}

impl SubscriptionClient {
    /// A client for `mailbox` with its own HTTPS (and NTLM) connection; sends nothing.
    pub fn new(config: EwsConfig, mailbox: &str) -> Result<SubscriptionClient, EwsError> {
        let transport = Transport::new(config.transport_config())?;
        transport.check_url(&config.url)?;
        Ok(SubscriptionClient {
            config,
            mailbox: mailbox.to_owned(),
            transport,
            backend_cookie: Mutex::new(None),
        })
    }

    /// The EWS URL the client talks to.
    pub fn url(&self) -> &url::Url {
        &self.config.url
    }

    /// The cookie value requests send back, if Exchange set one.
    pub fn backend_cookie(&self) -> Option<String> {
        self.backend_cookie
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Makes a subscription on the room's calendar. A new subscription starts without
    /// the old server's cookie.
    pub async fn subscribe(&self, kind: &SubscriptionKind) -> Result<Subscription, EwsError> {
        *self
            .backend_cookie
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        let body = subscribe::request(&self.header(), &self.mailbox, kind);
        let answer = self.post(body).await?;
        Ok(subscribe::parse(&answer)?.value)
    }

    /// Opens the stream of a streaming subscription for `timeout_minutes` (1 to 30).
    pub async fn get_streaming_events(
        &self,
        subscription_id: &str,
        timeout_minutes: u32,
    ) -> Result<EventStream, EwsError> {
        let body = get_streaming_events::request(&self.header(), subscription_id, timeout_minutes);
        let lifetime = Duration::from_secs(u64::from(timeout_minutes.clamp(1, 30)) * 60 + 60);
        let stream = self
            .transport
            .open_soap_stream(&self.config.url, body, self.headers()?, lifetime)
            .await?;
        self.remember_cookie(stream.headers());
        Ok(EventStream {
            stream,
            splitter: EnvelopeSplitter::default(),
        })
    }

    /// The events of a pull subscription after `watermark`.
    pub async fn get_events(
        &self,
        subscription_id: &str,
        watermark: &str,
    ) -> Result<Notification, EwsError> {
        let body = get_events::request(&self.header(), subscription_id, watermark);
        let answer = self.post(body).await?;
        Ok(get_events::parse(&answer)?.value)
    }

    /// Ends a subscription.
    pub async fn unsubscribe(&self, subscription_id: &str) -> Result<(), EwsError> {
        let body = unsubscribe::request(&self.header(), subscription_id);
        let answer = self.post(body).await?;
        unsubscribe::parse(&answer).map(|_| ())
    }

    fn header(&self) -> RequestHeader {
        RequestHeader {
            version: self.config.server_version,
            impersonate: self.config.impersonate.clone(),
        }
    }

    fn headers(&self) -> Result<HeaderMap, EwsError> {
        let mut headers = HeaderMap::new();
        insert_header(&mut headers, "x-anchormailbox", &self.mailbox)?;
        insert_header(&mut headers, "x-preferserveraffinity", "true")?;
        if let Some(cookie) = self.backend_cookie() {
            let value =
                HeaderValue::from_str(&format!("{BACKEND_COOKIE}={cookie}")).map_err(|_| {
                    EwsError::UnexpectedResponse {
                        detail: format!("Exchange set a {BACKEND_COOKIE} that cannot be sent back"),
                    }
                })?;
            headers.insert(COOKIE, value);
        }
        Ok(headers)
    }

    /// Sends a request and reads its whole answer (a short one: Subscribe, GetEvents,
    /// Unsubscribe).
    async fn post(&self, body: Vec<u8>) -> Result<Vec<u8>, EwsError> {
        let mut stream = self
            .transport
            .open_soap_stream(&self.config.url, body, self.headers()?, self.config.timeout)
            .await?;
        self.remember_cookie(stream.headers());
        let limit = self.config.max_response_bytes;
        let mut answer = Vec::new();
        let read = async {
            while let Some(chunk) = stream.chunk().await? {
                if answer.len() + chunk.len() > limit {
                    return Err(EwsError::ResponseTooLarge { limit });
                }
                answer.extend_from_slice(&chunk);
            }
            Ok(())
        };
        tokio::time::timeout(self.config.timeout, read)
            .await
            .map_err(|_| EwsError::Timeout)??;
        if answer.iter().all(u8::is_ascii_whitespace) {
            return Err(EwsError::EmptyBody { status: 200 });
        }
        Ok(answer)
    }

    fn remember_cookie(&self, headers: &HeaderMap) {
        let found = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(backend_cookie_value);
        if let Some(value) = found {
            *self
                .backend_cookie
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(value);
        }
    }
}

/// The value of `X-BackEndOverrideCookie=value; path=/; …`.
fn backend_cookie_value(set_cookie: &str) -> Option<String> {
    let pair = set_cookie.split(';').next()?.trim();
    let (name, value) = pair.split_once('=')?;
    (name.trim().eq_ignore_ascii_case(BACKEND_COOKIE) && !value.trim().is_empty())
        .then(|| value.trim().to_owned())
}

/// The envelopes of an open GetStreamingEvents answer.
pub struct EventStream {
    stream: SoapStream,
    splitter: EnvelopeSplitter,
}

impl EventStream {
    /// The next envelope; None when the server ended the answer. An envelope cut off
    /// by the end of the answer is `TruncatedBody`.
    pub async fn next(&mut self) -> Option<Result<StreamingEnvelope, EwsError>> {
        loop {
            match self.splitter.next_envelope() {
                Ok(Some(envelope)) => {
                    return Some(get_streaming_events::parse(&envelope).map(|r| r.value));
                }
                Ok(None) => {}
                Err(error) => return Some(Err(error)),
            }
            match self.stream.chunk().await {
                Ok(Some(bytes)) => self.splitter.push(&bytes),
                Ok(None) if self.splitter.has_partial() => {
                    return Some(Err(EwsError::TruncatedBody));
                }
                Ok(None) => return None,
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_cookie_is_read_from_set_cookie() {
        assert_eq!(
            backend_cookie_value("X-BackEndOverrideCookie=EX01.contoso.com~1942062522; path=/"),
            Some("EX01.contoso.com~1942062522".into())
        );
        assert_eq!(backend_cookie_value("exchangecookie=abc; path=/"), None);
        assert_eq!(
            backend_cookie_value("X-BackEndOverrideCookie=; path=/"),
            None
        );
    }
}
