//! HTTPS for EWS: one reqwest client per server, Basic or NTLM sign-in, verified TLS with
//! an optional private root CA, a time limit and a response size cap. It turns every HTTP
//! outcome into either a SOAP envelope (HTTP 200, or 500 carrying a SOAP fault) or a typed
//! error.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, WWW_AUTHENTICATE,
};
use url::Url;

use super::error::EwsError;
use super::ntlm;
use super::ntlm_connection::{NtlmConnection, SoapPost, Turn, read_whole};
use super::soap_stream::SoapStream;
use crate::http_answer::{self, Answer, SendFailure, error_chain};

/// A password that never shows in Debug output or logs.
pub type Password = crate::secret::Secret;

/// How the console signs in to Exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EwsAuth {
    /// HTTP Basic (Exchange Online where still allowed, on-premises when enabled).
    Basic { user: String, password: Password },
    /// NTLM, on-premises Exchange's default; `user` is `DOMAIN\user` or a UPN.
    Ntlm { user: String, password: Password },
}

impl EwsAuth {
    /// The account name, for explanations.
    pub fn user(&self) -> &str {
        match self {
            EwsAuth::Basic { user, .. } | EwsAuth::Ntlm { user, .. } => user,
        }
    }
}

/// The HTTP side of the EWS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportConfig {
    pub auth: EwsAuth,
    /// A PEM file's contents with the root CA(s) of a private PKI, trusted on top of the
    /// system's roots.
    pub trusted_ca_pem: Option<Vec<u8>>,
    /// Allows plain `http://` URLs (test servers only: the password would travel in clear).
    pub allow_insecure_http: bool,
    /// The time limit for one whole request, sign-in legs included.
    pub timeout: Duration,
    /// Answers larger than this fail with `ResponseTooLarge`.
    pub max_response_bytes: usize,
}

/// The default size cap for one answer.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Sends SOAP requests and reads the answers.
pub struct Transport {
    client: reqwest::Client,
    config: TransportConfig,
    /// NTLM signs in a connection, not a request: requests take turns on one connection
    /// of their own, and once it is signed in they go without a handshake until the
    /// server answers 401 (a new connection, or a server that wants one per request).
    /// None with Basic.
    ntlm: Option<NtlmConnection>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Transport, EwsError> {
        let builder = http_answer::client_builder(config.timeout, config.trusted_ca_pem.as_deref())
            .map_err(|detail| EwsError::InvalidConfig { detail })?;
        let client = builder.build().map_err(|e| EwsError::InvalidConfig {
            detail: format!("cannot set up HTTPS: {}", error_chain(&e)),
        })?;
        let ntlm = match config.auth {
            EwsAuth::Ntlm { .. } => Some(NtlmConnection::new(
                config.trusted_ca_pem.as_deref(),
                config.timeout,
                config.max_response_bytes,
            )?),
            EwsAuth::Basic { .. } => None,
        };
        Ok(Transport {
            client,
            config,
            ntlm,
        })
    }

    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// Refuses URLs the transport must not talk to.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), EwsError> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.config.allow_insecure_http => Ok(()),
            "http" => Err(EwsError::InsecureUrl {
                url: url.to_string(),
            }),
            other => Err(EwsError::InvalidConfig {
                detail: format!("{url} is not a web address ({other}:)"),
            }),
        }
    }

    /// POSTs a SOAP request and returns the bytes of the SOAP answer, to be read with
    /// the operation's `parse` (which turns a SOAP fault into its error); an HTTP answer that
    /// carries no SOAP envelope is its error here. `headers` are added to the request
    /// (X-AnchorMailbox, SOAPAction).
    pub(crate) async fn post_soap(
        &self,
        url: &Url,
        body: Vec<u8>,
        headers: HeaderMap,
    ) -> Result<Vec<u8>, EwsError> {
        self.check_url(url)?;
        let answer = match &self.config.auth {
            EwsAuth::Basic { user, password } => {
                let request = self
                    .request(url, &body, &headers)
                    .basic_auth(user, Some(password.expose()));
                self.read(request).await?
            }
            EwsAuth::Ntlm { user, password } => {
                let post = SoapPost {
                    url,
                    body: &body,
                    headers: &headers,
                };
                self.post_ntlm(post, user, password).await?
            }
        };
        classify(answer)
    }

    /// POSTs a SOAP request whose answer is read as it arrives (GetStreamingEvents):
    /// an HTTP 200 comes back as a stream open for up to `lifetime`; a SOAP fault as a
    /// stream of that one envelope; any other answer is its error. With NTLM the stream
    /// holds this transport's connection until it ends: give it a transport of its own.
    pub(crate) async fn open_soap_stream(
        &self,
        url: &Url,
        body: Vec<u8>,
        headers: HeaderMap,
        lifetime: Duration,
    ) -> Result<SoapStream, EwsError> {
        self.check_url(url)?;
        let limit = self.config.max_response_bytes;
        match &self.config.auth {
            EwsAuth::Basic { user, password } => {
                let request = self
                    .request(url, &body, &headers)
                    .basic_auth(user, Some(password.expose()))
                    .timeout(lifetime);
                let response = request
                    .send()
                    .await
                    .map_err(|e| send_error(http_answer::classify(&e), limit))?;
                if response.status() == StatusCode::OK {
                    return Ok(SoapStream::reqwest(response));
                }
                let answer = self.read_rest(response).await?;
                classify(answer).map(SoapStream::whole)
            }
            EwsAuth::Ntlm { user, password } => {
                let post = SoapPost {
                    url,
                    body: &body,
                    headers: &headers,
                };
                let mut turn = self.ntlm_turn().await?;
                if turn.signed_in(url) {
                    let response = turn.post_streaming(post).await?;
                    if response.status() == StatusCode::OK {
                        return Ok(SoapStream::hyper(response));
                    }
                    if response.status() != StatusCode::UNAUTHORIZED {
                        let answer = read_whole(response, limit).await?;
                        return classify(answer).map(SoapStream::whole);
                    }
                    read_whole(response, limit).await?;
                }
                let headers = match ntlm_negotiate(&mut turn, post, user, password).await? {
                    Negotiated::Answered(answer) => {
                        return classify(answer).map(SoapStream::whole);
                    }
                    Negotiated::Authenticate(headers) => headers,
                };
                let response = turn
                    .post_streaming(SoapPost {
                        headers: &headers,
                        ..post
                    })
                    .await?;
                turn.set_signed_in(response.status() != StatusCode::UNAUTHORIZED);
                if response.status() == StatusCode::OK {
                    return Ok(SoapStream::hyper(response));
                }
                let answer = read_whole(response, limit).await?;
                classify(answer).map(SoapStream::whole)
            }
        }
    }

    /// The rest of a reqwest answer, whole, within the size cap.
    async fn read_rest(&self, mut response: reqwest::Response) -> Result<Answer, EwsError> {
        let limit = self.config.max_response_bytes;
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| match e.is_timeout() {
            true => EwsError::Timeout,
            false => EwsError::TruncatedBody,
        })? {
            if body.len() + chunk.len() > limit {
                return Err(EwsError::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn request(&self, url: &Url, body: &[u8], headers: &HeaderMap) -> reqwest::RequestBuilder {
        self.client
            .post(url.clone())
            .header(CONTENT_TYPE, "text/xml; charset=utf-8")
            .headers(headers.clone())
            .body(body.to_vec())
    }

    /// A request over NTLM: straight on the signed-in connection when there is one, else
    /// (or when that answers 401) the handshake: negotiate and challenge, then the
    /// request itself with the authenticate message, all on the one connection.
    async fn post_ntlm(
        &self,
        post: SoapPost<'_>,
        user: &str,
        password: &Password,
    ) -> Result<Answer, EwsError> {
        let mut turn = self.ntlm_turn().await?;
        if turn.signed_in(post.url) {
            let answer = turn.post(post).await?;
            if answer.status != StatusCode::UNAUTHORIZED {
                return Ok(answer);
            }
        }
        let answer = match ntlm_negotiate(&mut turn, post, user, password).await? {
            Negotiated::Answered(answer) => answer,
            Negotiated::Authenticate(headers) => {
                let post = SoapPost {
                    headers: &headers,
                    ..post
                };
                turn.post(post).await?
            }
        };
        turn.set_signed_in(answer.status != StatusCode::UNAUTHORIZED);
        Ok(answer)
    }

    /// The NTLM connection, once it is free.
    async fn ntlm_turn(&self) -> Result<Turn<'_>, EwsError> {
        match &self.ntlm {
            Some(connection) => Ok(connection.turn().await),
            None => Err(EwsError::Ntlm {
                detail: "no NTLM connection was set up".into(),
            }),
        }
    }

    /// Sends a request and reads its answer whole, within the size cap.
    async fn read(&self, request: reqwest::RequestBuilder) -> Result<Answer, EwsError> {
        let limit = self.config.max_response_bytes;
        http_answer::read_capped(request, limit)
            .await
            .map_err(|failure| send_error(failure, limit))
    }
}

/// Where the first leg of the NTLM handshake left the request.
enum Negotiated {
    /// The server answered without asking for the handshake.
    Answered(Answer),
    /// The headers (with the authenticate message) to send the request with.
    Authenticate(HeaderMap),
}

/// The request with the negotiate message, and the authenticate message that answers
/// the server's challenge.
async fn ntlm_negotiate(
    turn: &mut Turn<'_>,
    post: SoapPost<'_>,
    user: &str,
    password: &Password,
) -> Result<Negotiated, EwsError> {
    let negotiate = with_authorization(post.headers, &ntlm::negotiate_header()?)?;
    let first = turn
        .post(SoapPost {
            headers: &negotiate,
            ..post
        })
        .await?;
    if first.status != StatusCode::UNAUTHORIZED {
        return Ok(Negotiated::Answered(first));
    }
    let offered = www_authenticate(&first.headers);
    let Some(challenge) = ntlm::find_challenge(&offered)? else {
        return Err(EwsError::Unauthorized {
            offered: schemes(&offered),
        });
    };
    let authenticate = ntlm::authenticate_header(
        &challenge,
        user,
        password.expose(),
        ntlmclient::get_ntlm_time,
    )?;
    let headers = with_authorization(post.headers, &authenticate)?;
    Ok(Negotiated::Authenticate(headers))
}

/// `headers` plus an Authorization header.
fn with_authorization(headers: &HeaderMap, value: &str) -> Result<HeaderMap, EwsError> {
    let mut headers = headers.clone();
    let value = HeaderValue::from_str(value).map_err(|_| EwsError::Ntlm {
        detail: "an NTLM message is not a valid header".into(),
    })?;
    headers.insert(AUTHORIZATION, value);
    Ok(headers)
}

/// The body of an HTTP answer that carries a SOAP envelope, or the error the answer
/// stands for.
fn classify(answer: Answer) -> Result<Vec<u8>, EwsError> {
    let status = answer.status;
    let code = status.as_u16();
    match status {
        StatusCode::UNAUTHORIZED => {
            return Err(EwsError::Unauthorized {
                offered: schemes(&www_authenticate(&answer.headers)),
            });
        }
        StatusCode::FORBIDDEN => return Err(EwsError::Forbidden),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => {
            return Err(EwsError::ServiceUnavailable {
                status: code,
                retry_after: answer.retry_after(),
            });
        }
        _ if status.is_redirection() => {
            return Err(EwsError::Redirected {
                status: code,
                location: answer
                    .headers
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .map(str::to_string),
            });
        }
        _ => {}
    }
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Err(EwsError::EmptyBody { status: code });
    }
    if is_html(&answer) {
        return Err(EwsError::HtmlPage {
            status: code,
            title: http_answer::html_title(&answer.body),
        });
    }
    // EWS answers 200, and 500 for SOAP faults: both carry a SOAP envelope.
    if status == StatusCode::OK || status == StatusCode::INTERNAL_SERVER_ERROR {
        return Ok(answer.body);
    }
    Err(EwsError::HttpStatus { status: code })
}

fn www_authenticate(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

/// The scheme names of `WWW-Authenticate` values (`NTLM`, `Negotiate`, `Basic` …).
fn schemes(values: &[String]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for value in values {
        if let Some(name) = value.split_whitespace().next()
            && !names.iter().any(|n| n.eq_ignore_ascii_case(name))
        {
            names.push(name.to_string());
        }
    }
    names
}

fn is_html(answer: &Answer) -> bool {
    let content_type_html = answer
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/html"));
    content_type_html || http_answer::starts_like_html(&answer.body)
}

/// Adds the header `name: value`; a value HTTP cannot carry is a configuration error.
pub(super) fn insert_header(
    headers: &mut HeaderMap,
    name: &'static str,
    value: &str,
) -> Result<(), EwsError> {
    let value = HeaderValue::from_str(value).map_err(|_| EwsError::InvalidConfig {
        detail: format!("\"{value}\" cannot be sent in an HTTP header"),
    })?;
    headers.insert(HeaderName::from_static(name), value);
    Ok(())
}

/// The EWS error for a request that got no whole answer.
fn send_error(failure: SendFailure, limit: usize) -> EwsError {
    match failure {
        SendFailure::Timeout => EwsError::Timeout,
        SendFailure::Tls(detail) => EwsError::Tls { detail },
        SendFailure::Connect(detail) => EwsError::Connect { detail },
        SendFailure::Network(detail) => EwsError::Network { detail },
        SendFailure::TooLarge => EwsError::ResponseTooLarge { limit },
        SendFailure::CutOff(_) => EwsError::TruncatedBody,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_masked_in_debug() {
        let auth = EwsAuth::Ntlm {
            user: "CONTOSO\\svc".into(),
            password: Password::new("hunter2"),
        };
        let shown = format!("{auth:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("••••"), "{shown}");
    }

    #[test]
    fn schemes_are_listed_once() {
        let offered = vec![
            "NTLM TlRMTVNTUAACAAAA".to_string(),
            "Negotiate".to_string(),
            "ntlm".to_string(),
        ];
        assert_eq!(schemes(&offered), vec!["NTLM", "Negotiate"]);
    }
}
