//! The app-only access token: OAuth 2.0 client credentials against
//! `{authority}/{tenant}/oauth2/v2.0/token`, kept until five minutes before it expires so
//! a renewal happens while the old token still works (no gap), one renewal at a time.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use super::config::GraphConfig;
use super::error::{GraphError, token_error};
use super::http::read;

/// Tokens are renewed this long before they expire.
pub(crate) const RENEW_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// An access token and when it stops being used.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AccessToken {
    value: String,
    /// The instant after which the token is renewed (expiry minus the margin).
    renew_at: Instant,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("renew_at", &self.renew_at)
            .finish_non_exhaustive()
    }
}

/// The application permissions an app-only access token carries: its JWT payload's
/// `roles` claim (e.g. `["Calendars.Read"]`); None when the token is not a JWT with that
/// claim (an app scoped by RBAC for Applications in Exchange Online carries none).
/// The token is only read, never verified: Graph verifies it.
pub(crate) fn roles_of(token: &str) -> Option<Vec<String>> {
    use base64::Engine as _;
    #[derive(Deserialize)]
    struct Claims {
        roles: Option<Vec<String>>,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice::<Claims>(&bytes).ok()?.roles
}

impl AccessToken {
    /// A token issued at `issued` that expires `expires_in` later.
    pub(crate) fn new(value: String, issued: Instant, expires_in: Duration) -> AccessToken {
        AccessToken {
            value,
            renew_at: issued + expires_in.saturating_sub(RENEW_BEFORE_EXPIRY),
        }
    }

    /// Whether the token may still be used at `now`.
    pub(crate) fn usable_at(&self, now: Instant) -> bool {
        now < self.renew_at
    }

    /// The bearer value.
    pub(crate) fn value(&self) -> &str {
        &self.value
    }
}

/// The token endpoint's success answer.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

impl TokenAnswer {
    /// `expires_in` in seconds (a number, or a string in older endpoints); an hour when
    /// it is missing.
    fn lifetime(&self) -> Duration {
        let seconds = match &self.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Duration::from_secs(seconds.unwrap_or(3600))
    }
}

/// The cached token.
#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    current: Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// The cached token when still usable, else a new one from the token endpoint.
    pub(crate) async fn get(
        &self,
        http: &reqwest::Client,
        config: &GraphConfig,
    ) -> Result<AccessToken, GraphError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| t.usable_at(Instant::now())) {
            return Ok(token.clone());
        }
        let token = request_token(http, config).await?;
        *current = Some(token.clone());
        Ok(token)
    }

    /// Forgets `token` (Graph refused it), so the next request asks for a new one.
    pub(crate) async fn forget(&self, token: &AccessToken) {
        let mut current = self.current.lock().await;
        if current.as_ref() == Some(token) {
            *current = None;
        }
    }
}

/// One client-credentials token request.
async fn request_token(
    http: &reqwest::Client,
    config: &GraphConfig,
) -> Result<AccessToken, GraphError> {
    let url = config.token_url()?;
    config.check_url(&url)?;
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &config.client_id)
        .append_pair("scope", &config.scope())
        .append_pair("client_secret", config.client_secret.expose())
        .append_pair("grant_type", "client_credentials")
        .finish();
    let issued = Instant::now();
    let request = http
        .post(url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(form);
    let answer = read(request, config.max_response_bytes).await?;
    if !answer.status.is_success() {
        return Err(token_error(
            answer.status.as_u16(),
            &answer.body,
            answer.retry_after(),
        ));
    }
    let parsed: TokenAnswer =
        serde_json::from_slice(&answer.body).map_err(|e| GraphError::BadJson {
            detail: format!("token answer: {e}"),
        })?;
    Ok(AccessToken::new(
        parsed.access_token.clone(),
        issued,
        parsed.lifetime(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_five_minutes_before_expiry() {
        let issued = Instant::now();
        let token = AccessToken::new("t".into(), issued, Duration::from_secs(3599));
        assert!(token.usable_at(issued + Duration::from_secs(3599 - 301)));
        assert!(!token.usable_at(issued + Duration::from_secs(3599 - 300)));
        let short = AccessToken::new("t".into(), issued, Duration::from_secs(60));
        assert!(
            !short.usable_at(issued),
            "a token shorter than the margin is not kept"
        );
    }

    #[test]
    fn roles_are_read_from_the_jwt_payload() {
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"aud":"https://graph.microsoft.com","roles":["Calendars.Read"]}"#);
        let token = format!("eyJ0eXAiOiJKV1QifQ.{payload}.c2ln");
        assert_eq!(roles_of(&token), Some(vec!["Calendars.Read".to_string()]));
        assert_eq!(roles_of("opaque-token"), None);
        assert_eq!(roles_of("a.bm90IGpzb24.c"), None);
    }

    #[test]
    fn lifetime_reads_numbers_and_strings() {
        let a: TokenAnswer =
            serde_json::from_str(r#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"eyJ0"}"#).unwrap();
        assert_eq!(a.lifetime(), Duration::from_secs(3599));
        let b: TokenAnswer =
            serde_json::from_str(r#"{"expires_in":"1800","access_token":"eyJ0"}"#).unwrap();
        assert_eq!(b.lifetime(), Duration::from_secs(1800));
    }
}
