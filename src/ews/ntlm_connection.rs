//! One kept-alive HTTP/1.1 connection for NTLM, which signs in a connection rather than a
//! request. reqwest's pool puts a connection back asynchronously, so the next request may
//! open a second connection: that loses the sign-in, or splits a handshake over two
//! connections. Here requests take turns on a single connection of our own (hyper's
//! connection API over rustls, verified like reqwest does it: the platform's roots plus
//! the trusted CA file); it is opened again only when the server closes it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue, USER_AGENT};
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, MutexGuard};
use tokio::time::error::Elapsed;
use tokio_rustls::TlsConnector;
use url::Url;

use super::error::EwsError;
use crate::http_answer::{Answer, error_chain};

/// One SOAP request: where it goes, its body, and the headers it adds (X-AnchorMailbox,
/// SOAPAction, an NTLM message).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SoapPost<'a> {
    pub url: &'a Url,
    pub body: &'a [u8],
    pub headers: &'a HeaderMap,
}

/// The connection, shared by the requests of one transport.
pub(crate) struct NtlmConnection {
    tls: Arc<rustls::ClientConfig>,
    timeout: Duration,
    max_response_bytes: usize,
    open: Mutex<Option<Open>>,
}

/// An open connection: where it goes and whether NTLM signed it in.
struct Open {
    origin: String,
    sender: SendRequest<Full<Bytes>>,
    signed_in: bool,
}

/// The connection held by one request (with its handshake legs) at a time.
pub(crate) struct Turn<'a> {
    connection: &'a NtlmConnection,
    open: MutexGuard<'a, Option<Open>>,
}

impl NtlmConnection {
    /// TLS verified against the platform's roots plus `trusted_ca_pem`.
    pub(crate) fn new(
        trusted_ca_pem: Option<&[u8]>,
        timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<NtlmConnection, EwsError> {
        Ok(NtlmConnection {
            tls: Arc::new(tls_config(trusted_ca_pem)?),
            timeout,
            max_response_bytes,
            open: Mutex::new(None),
        })
    }

    /// Waits for the connection to be free.
    pub(crate) async fn turn(&self) -> Turn<'_> {
        Turn {
            connection: self,
            open: self.open.lock().await,
        }
    }
}

impl Turn<'_> {
    /// Whether the open connection to `url`'s server is signed in.
    pub(crate) fn signed_in(&self, url: &Url) -> bool {
        self.open
            .as_ref()
            .is_some_and(|o| o.signed_in && !o.sender.is_closed() && o.origin == origin(url))
    }

    /// Marks the open connection signed in (after a successful handshake) or not.
    pub(crate) fn set_signed_in(&mut self, signed_in: bool) {
        if let Some(open) = self.open.as_mut() {
            open.signed_in = signed_in;
        }
    }

    /// POSTs on the connection, opening it first when there is none to the server.
    pub(crate) async fn post(&mut self, post: SoapPost<'_>) -> Result<Answer, EwsError> {
        let timeout = self.connection.timeout;
        let outcome = tokio::time::timeout(timeout, self.post_now(post)).await;
        self.settle(outcome)
    }

    /// POSTs on the connection and hands the answer over as soon as its head arrived,
    /// the body to be read as it comes (GetStreamingEvents). The connection stays busy
    /// until that body has been read; the time limit covers the head only.
    pub(crate) async fn post_streaming(
        &mut self,
        post: SoapPost<'_>,
    ) -> Result<hyper::Response<hyper::body::Incoming>, EwsError> {
        let timeout = self.connection.timeout;
        let outcome = tokio::time::timeout(timeout, self.start(post)).await;
        self.settle(outcome)
    }

    /// The result of a request that had the time limit to finish. After an error or a
    /// timeout the connection's state is unknown: the next request starts afresh.
    fn settle<T>(&mut self, outcome: Result<Result<T, EwsError>, Elapsed>) -> Result<T, EwsError> {
        let result = outcome.unwrap_or(Err(EwsError::Timeout));
        if result.is_err() {
            *self.open = None;
        }
        result
    }

    async fn post_now(&mut self, post: SoapPost<'_>) -> Result<Answer, EwsError> {
        let response = self.start(post).await?;
        read_whole(response, self.connection.max_response_bytes).await
    }

    /// Sends the request (on a new connection when the kept one is gone) and returns
    /// the answer's head with its body still to be read.
    async fn start(
        &mut self,
        post: SoapPost<'_>,
    ) -> Result<hyper::Response<hyper::body::Incoming>, EwsError> {
        let url = post.url;
        let reused = self
            .open
            .as_ref()
            .is_some_and(|o| !o.sender.is_closed() && o.origin == origin(url));
        let mut open = match self.open.take() {
            Some(open) if reused => open,
            _ => self.connect(url).await?,
        };
        let response = match send(&mut open, post).await {
            Ok(response) => response,
            // The server closed the kept-alive connection meanwhile: once more on a new one.
            Err(e) if reused && (e.is_closed() || e.is_canceled() || e.is_incomplete_message()) => {
                open = self.connect(url).await?;
                send(&mut open, post)
                    .await
                    .map_err(|e| network(&error_chain(&e)))?
            }
            Err(e) => return Err(network(&error_chain(&e))),
        };
        *self.open = Some(open);
        Ok(response)
    }

    async fn connect(&self, url: &Url) -> Result<Open, EwsError> {
        let host = url.host_str().ok_or_else(|| EwsError::InvalidConfig {
            detail: format!("{url} names no server"),
        })?;
        let port = url.port_or_known_default().unwrap_or(443);
        let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
            .await
            .map_err(|e| EwsError::Connect {
                detail: format!("{host}:{port}: {e}"),
            })?;
        let _ = tcp.set_nodelay(true);
        // The connection task ends by itself when the server closes the connection.
        let sender = if url.scheme() == "https" {
            let name =
                ServerName::try_from(host.trim_matches(['[', ']']).to_owned()).map_err(|_| {
                    EwsError::InvalidConfig {
                        detail: format!("{host} is not a valid server name for TLS"),
                    }
                })?;
            let tls = TlsConnector::from(self.connection.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| EwsError::Tls {
                    detail: error_chain(&e),
                })?;
            let (sender, connection) = http1::handshake(TokioIo::new(tls))
                .await
                .map_err(|e| network(&error_chain(&e)))?;
            tokio::spawn(connection);
            sender
        } else {
            let (sender, connection) = http1::handshake(TokioIo::new(tcp))
                .await
                .map_err(|e| network(&error_chain(&e)))?;
            tokio::spawn(connection);
            sender
        };
        Ok(Open {
            origin: origin(url),
            sender,
            signed_in: false,
        })
    }
}

/// A hyper answer read whole, within `limit` bytes: one that declares a larger length is
/// refused before its body is read.
pub(crate) async fn read_whole(
    response: hyper::Response<hyper::body::Incoming>,
    limit: usize,
) -> Result<Answer, EwsError> {
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(EwsError::ResponseTooLarge { limit });
    }
    // Room for the whole answer at once: growing the buffer frame by frame copied every
    // GetItem answer several times (a tenth of a full sync's page faults).
    let capacity = declared.map_or(0, |length| length as usize);
    let (parts, mut incoming) = response.into_parts();
    let mut body = Vec::with_capacity(capacity);
    while let Some(frame) = incoming.frame().await {
        let frame = frame.map_err(|_| EwsError::TruncatedBody)?;
        if let Ok(data) = frame.into_data() {
            if body.len() + data.len() > limit {
                return Err(EwsError::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&data);
        }
    }
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// Sends one request on the connection.
async fn send(
    open: &mut Open,
    post: SoapPost<'_>,
) -> Result<hyper::Response<hyper::body::Incoming>, hyper::Error> {
    open.sender.ready().await?;
    open.sender.send_request(request(post)).await
}

/// `scheme://host:port`: requests to another server need another connection.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

fn network(detail: &str) -> EwsError {
    EwsError::Network {
        detail: detail.to_owned(),
    }
}

fn request(SoapPost { url, body, headers }: SoapPost<'_>) -> hyper::Request<Full<Bytes>> {
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let mut request = hyper::Request::new(Full::new(Bytes::copy_from_slice(body)));
    *request.method_mut() = hyper::Method::POST;
    // A path and query from a parsed URL always make a valid request target.
    if let Ok(uri) = target.parse() {
        *request.uri_mut() = uri;
    }
    let all = request.headers_mut();
    if let Ok(host) = HeaderValue::from_str(&host) {
        all.insert(HOST, host);
    }
    all.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    all.insert(
        USER_AGENT,
        HeaderValue::from_static(concat!("room-console/", env!("CARGO_PKG_VERSION"))),
    );
    all.extend(headers.clone());
    request
}

/// rustls verifying like reqwest: the trusted CA file, and the platform's roots when a
/// chain needs them.
fn tls_config(trusted_ca_pem: Option<&[u8]>) -> Result<rustls::ClientConfig, EwsError> {
    crate::tls_verifier::client_config(trusted_ca_pem, &[b"http/1.1"])
        .map_err(|detail| EwsError::InvalidConfig { detail })
}
