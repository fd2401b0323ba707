//! HTTP Basic: `Authorization: Basic base64(user:password)`, checked on every request.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The `(user, password)` of a Basic credential, if it decodes.
pub fn decode(credential: &str) -> Option<(String, String)> {
    let bytes = BASE64.decode(credential.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// The header value a client sends.
pub fn header_value(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64.encode(format!("{user}:{password}")))
}
