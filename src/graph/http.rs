//! HTTPS for Graph and Entra ID: one reqwest client with verified TLS (plus an optional
//! private root CA), no redirects, a time limit and a size cap; answers read whole.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Certificate, StatusCode};

use super::config::GraphConfig;
use super::error::GraphError;
use crate::http_failure::{self, SendFailure, error_chain};

/// An HTTP answer read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// `Retry-After` in seconds, as Graph sends it.
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

/// Builds the HTTP client the configuration asks for.
pub fn build_client(config: &GraphConfig) -> Result<reqwest::Client, GraphError> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .user_agent(concat!("room-console/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = &config.trusted_ca_pem {
        let certificates = Certificate::from_pem_bundle(pem)
            .ok()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| GraphError::InvalidConfig {
                detail: "the trusted CA file holds no PEM certificate".into(),
            })?;
        builder = builder.tls_certs_merge(certificates);
    }
    builder.build().map_err(|e| GraphError::InvalidConfig {
        detail: format!("cannot set up HTTPS: {}", error_chain(&e)),
    })
}

/// Sends a request and reads its answer whole, within `limit` bytes.
pub async fn read(request: reqwest::RequestBuilder, limit: usize) -> Result<Answer, GraphError> {
    let mut response = request.send().await.map_err(|e| send_error(&e))?;
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(GraphError::ResponseTooLarge { limit });
    }
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(GraphError::ResponseTooLarge { limit });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => return Err(GraphError::Timeout),
            Err(e) => {
                return Err(GraphError::Network {
                    detail: format!("the answer was cut off: {}", error_chain(&e)),
                });
            }
        }
    }
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Classifies a failure to get an answer at all.
fn send_error(error: &reqwest::Error) -> GraphError {
    match http_failure::classify(error) {
        SendFailure::Timeout => GraphError::Timeout,
        SendFailure::Tls(detail) => GraphError::Tls { detail },
        SendFailure::Connect(detail) => GraphError::Connect { detail },
        SendFailure::Network(detail) => GraphError::Network { detail },
    }
}
