//! Sending an HTTP request and reading its answer whole within a size cap, for every
//! protocol client (EWS, Graph), and why that failed, in the same words: timed out, TLS
//! refused, no connection, another network error, too large or cut off; with the whole
//! chain of causes on one line; and how to tell a web page (a proxy's, a sign-in page)
//! from the answer the protocol expected.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// An answer read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// `Retry-After` in seconds (Exchange, IIS and Graph send seconds, not dates).
    pub fn retry_after(&self) -> Option<Duration> {
        self.headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
            .map(Duration::from_secs)
    }
}

/// Sends `request` and reads the answer whole; more than `limit` bytes is refused as
/// soon as it is known, without reading the rest.
pub(crate) async fn read_capped(
    request: reqwest::RequestBuilder,
    limit: usize,
) -> Result<Answer, SendFailure> {
    let mut response = request.send().await.map_err(|e| classify(&e))?;
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(SendFailure::TooLarge);
    }
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(SendFailure::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => return Err(SendFailure::Timeout),
            Err(e) => return Err(SendFailure::CutOff(error_chain(&e))),
        }
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// A client builder with what every protocol client shares: TLS always verified (plus
/// the private root CAs of `trusted_ca_pem`), no redirects, `timeout` for connecting and
/// for the whole request. The error says what is wrong with the CA file.
pub(crate) fn client_builder(
    timeout: Duration,
    trusted_ca_pem: Option<&[u8]>,
) -> Result<reqwest::ClientBuilder, String> {
    // The platform's roots are read only when a server's chain needs them.
    let tls = crate::tls_verifier::client_config(trusted_ca_pem, &[b"h2", b"http/1.1"])?;
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("room-console/", env!("CARGO_PKG_VERSION")))
        .tls_backend_preconfigured(tls))
}

/// Why a request got no (whole) answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    Timeout,
    /// The TLS handshake failed (an untrusted or expired certificate, most often).
    Tls(String),
    /// No connection could be made (DNS, refused, unreachable).
    Connect(String),
    Network(String),
    /// The answer is larger than the cap.
    TooLarge,
    /// The answer stopped before its end.
    CutOff(String),
}

/// Sorts a reqwest failure. reqwest has no TLS error type, so TLS is told by the words
/// in the cause chain.
pub fn classify(error: &reqwest::Error) -> SendFailure {
    let chain = error_chain(error);
    if error.is_timeout() {
        return SendFailure::Timeout;
    }
    let lower = chain.to_ascii_lowercase();
    if ["certificate", "tls", "handshake", "unknownissuer"]
        .iter()
        .any(|hint| lower.contains(hint))
    {
        return SendFailure::Tls(chain);
    }
    if error.is_connect() {
        return SendFailure::Connect(chain);
    }
    SendFailure::Network(chain)
}

/// An error and its causes, innermost last, as one line.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// Whether a body starts like an HTML page.
pub(crate) fn starts_like_html(body: &[u8]) -> bool {
    let start = String::from_utf8_lossy(&body[..body.len().min(256)])
        .trim_start()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// The `<title>` of an HTML page, shortened.
pub(crate) fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title: String = text[open_end..close]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| title.chars().take(120).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_title_is_found() {
        let page = b"<!DOCTYPE html><html><head><TITLE>IIS 10.0 Detailed Error - 500.19</TITLE>";
        assert!(starts_like_html(page));
        assert_eq!(
            html_title(page).as_deref(),
            Some("IIS 10.0 Detailed Error - 500.19")
        );
        assert!(!starts_like_html(br#"{"error":{"code":"x"}}"#));
        assert_eq!(html_title(b"<html><body>no title</body></html>"), None);
    }
}
