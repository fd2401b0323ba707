//! Why an HTTP request got no answer at all, in the same words for every protocol client
//! (EWS, Graph): timed out, TLS refused, no connection, or another network error, with the
//! whole chain of causes on one line.

/// A request that got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    Timeout,
    /// The TLS handshake failed (an untrusted or expired certificate, most often).
    Tls(String),
    /// No connection could be made (DNS, refused, unreachable).
    Connect(String),
    Network(String),
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
pub fn error_chain(error: &dyn std::error::Error) -> String {
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
