//! HTTPS for Graph and Entra ID: one reqwest client with verified TLS (plus an optional
//! private root CA), no redirects, a time limit and a size cap; answers read whole.

use super::config::GraphConfig;
use super::error::GraphError;
pub use crate::http_answer::Answer;
use crate::http_answer::{self, SendFailure, error_chain};

/// Builds the HTTP client the configuration asks for.
pub(crate) fn build_client(config: &GraphConfig) -> Result<reqwest::Client, GraphError> {
    let builder = http_answer::client_builder(config.timeout, config.trusted_ca_pem.as_deref())
        .map_err(|detail| GraphError::InvalidConfig { detail })?;
    builder.build().map_err(|e| GraphError::InvalidConfig {
        detail: format!("cannot set up HTTPS: {}", error_chain(&e)),
    })
}

/// Sends a request and reads its answer whole, within `limit` bytes.
pub async fn read(request: reqwest::RequestBuilder, limit: usize) -> Result<Answer, GraphError> {
    http_answer::read_capped(request, limit)
        .await
        .map_err(|failure| send_error(failure, limit))
}

/// The Graph error for a request that got no whole answer.
fn send_error(failure: SendFailure, limit: usize) -> GraphError {
    match failure {
        SendFailure::Timeout => GraphError::Timeout,
        SendFailure::Tls(detail) => GraphError::Tls { detail },
        SendFailure::Connect(detail) => GraphError::Connect { detail },
        SendFailure::Network(detail) => GraphError::Network { detail },
        SendFailure::TooLarge => GraphError::ResponseTooLarge { limit },
        SendFailure::CutOff(detail) => GraphError::Network {
            detail: format!("the answer was cut off: {detail}"),
        },
    }
}
