//! Everything that can go wrong talking to Graph and Entra ID, sorted from the HTTP status
//! and the error body (`{"error":{"code","message"}}` from Graph, `error_description`
//! with an AADSTS code from the token endpoint), each with an explanation and, where one
//! exists, the fix an admin applies in Entra ID or Exchange Online.

use std::time::Duration;

use serde::Deserialize;

use crate::words::{Explained, Phrase, Wording, say};

/// Who and what an error is about, for explanations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorContext {
    pub tenant_id: String,
    pub client_id: String,
    pub mailbox: String,
}

/// A failure talking to Graph or signing in to Entra ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    #[error("refusing plain http:// URL {url}")]
    InsecureUrl { url: String },
    #[error("invalid Graph configuration: {detail}")]
    InvalidConfig { detail: String },
    #[error("TLS failure: {detail}")]
    Tls { detail: String },
    #[error("cannot connect: {detail}")]
    Connect { detail: String },
    #[error("the request timed out")]
    Timeout,
    #[error("network failure: {detail}")]
    Network { detail: String },
    /// AADSTS7000215: the client secret is not the app's.
    #[error("AADSTS7000215: invalid client secret")]
    SecretInvalid,
    /// AADSTS7000222: the client secret has expired.
    #[error("AADSTS7000222: the client secret has expired")]
    SecretExpired,
    /// AADSTS700016: no such application in the tenant.
    #[error("AADSTS700016: application not found in the tenant")]
    AppNotFound,
    /// AADSTS90002 / 900023: no such tenant.
    #[error("the tenant was not found")]
    TenantNotFound,
    /// AADSTS65001, or Graph's 403 Authorization_RequestDenied / ErrorAccessDenied without
    /// scope: the app has no admin-consented `Calendars.Read` application permission.
    #[error("the app has no consented Calendars.Read permission: {detail}")]
    ConsentMissing { detail: String },
    /// 403 ErrorAccessDenied "Access to OData is disabled": an RBAC for Applications
    /// scope or Application Access Policy leaves the room mailbox out.
    #[error("the room mailbox is outside the app's scope: {detail}")]
    MailboxOutOfScope { detail: String },
    /// 404 ErrorItemNotFound / ResourceNotFound / MailboxNotEnabledForRESTAPI on the
    /// mailbox itself.
    #[error("the room mailbox was not found ({code})")]
    MailboxNotFound { code: String },
    /// The event asked for no longer exists.
    #[error("the event was not found")]
    EventNotFound,
    /// 412 on a write with `If-Match`: the event changed since it was read.
    #[error("the event changed since it was read (412)")]
    EventChanged,
    /// 403 on a write: the app may read the room's calendar but not change it (it has
    /// `Calendars.Read`, not `Calendars.ReadWrite`, or its Exchange scope grants reading).
    #[error("the app may not change calendars (Calendars.ReadWrite): {detail}")]
    WriteNotPermitted { detail: String },
    /// Entra ID refused the token request for another reason.
    #[error("sign-in refused ({status}): {description}")]
    SignInRefused { status: u16, description: String },
    /// Graph refused the token (401 InvalidAuthenticationToken).
    #[error("Graph refused the access token: {detail}")]
    TokenRejected { detail: String },
    /// 429, or 503 with Retry-After.
    #[error("throttled ({status})")]
    Throttled {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The delta token expired or is no longer valid (410 Gone, SyncStateNotFound,
    /// SyncStateInvalid, resyncRequired): start a full sync.
    #[error("the delta token is no longer valid")]
    SyncStateInvalid,
    /// 5xx.
    #[error("server error {status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// Any other HTTP error.
    #[error("HTTP {status} {code}: {message}")]
    Http {
        status: u16,
        code: String,
        message: String,
    },
    #[error("unreadable answer: {detail}")]
    BadJson { detail: String },
    #[error("the answer exceeds {limit} bytes")]
    ResponseTooLarge { limit: usize },
    /// A paging link pointing away from the configured Graph endpoint.
    #[error("the server sent a paging link to another host: {url}")]
    ForeignLink { url: String },
}

/// Graph's error body: `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Deserialize)]
struct GraphErrorBody {
    error: GraphErrorDetail,
}

#[derive(Debug, Deserialize)]
struct GraphErrorDetail {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The token endpoint's error body (RFC 6749 plus Entra ID's `error_codes`).
#[derive(Debug, Deserialize)]
struct TokenErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    error_codes: Vec<u64>,
}

/// The error a token endpoint answer stands for.
pub fn token_error(status: u16, body: &[u8], retry_after: Option<Duration>) -> GraphError {
    if status == 429 || (status == 503 && retry_after.is_some()) {
        return GraphError::Throttled {
            status,
            retry_after,
        };
    }
    if status >= 500 {
        return GraphError::Server {
            status,
            code: String::new(),
            message: snippet(body),
        };
    }
    let Ok(parsed) = serde_json::from_slice::<TokenErrorBody>(body) else {
        return GraphError::SignInRefused {
            status,
            description: snippet(body),
        };
    };
    let has = |code: u64| {
        parsed.error_codes.contains(&code)
            || parsed.error_description.contains(&format!("AADSTS{code}:"))
    };
    if has(7000215) {
        GraphError::SecretInvalid
    } else if has(7000222) {
        GraphError::SecretExpired
    } else if has(700016) {
        GraphError::AppNotFound
    } else if has(90002) || has(900023) {
        GraphError::TenantNotFound
    } else if has(65001) {
        GraphError::ConsentMissing {
            detail: first_line(&parsed.error_description),
        }
    } else {
        let description = if parsed.error_description.is_empty() {
            parsed.error
        } else {
            first_line(&parsed.error_description)
        };
        GraphError::SignInRefused {
            status,
            description,
        }
    }
}

/// The error a Graph answer stands for; `on_mailbox` says whether a 404 is about the
/// mailbox (listing) rather than one event (fetch by id).
pub fn graph_error(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    on_mailbox: bool,
) -> GraphError {
    let (code, message) = match serde_json::from_slice::<GraphErrorBody>(body) {
        Ok(parsed) => (parsed.error.code, parsed.error.message),
        Err(_) => (String::new(), snippet(body)),
    };
    let code_is = |name: &str| code.eq_ignore_ascii_case(name);
    if status == 429 || (status == 503 && retry_after.is_some()) {
        return GraphError::Throttled {
            status,
            retry_after,
        };
    }
    if status == 410
        || code_is("SyncStateNotFound")
        || code_is("SyncStateInvalid")
        || code_is("resyncRequired")
    {
        return GraphError::SyncStateInvalid;
    }
    match status {
        401 => GraphError::TokenRejected {
            detail: join_code(&code, &message),
        },
        403 if message.contains("Access to OData is disabled") => GraphError::MailboxOutOfScope {
            detail: join_code(&code, &message),
        },
        403 if code_is("Authorization_RequestDenied") || code_is("ErrorAccessDenied") => {
            GraphError::ConsentMissing {
                detail: join_code(&code, &message),
            }
        }
        404 if code_is("MailboxNotEnabledForRESTAPI")
            || code_is("MailboxNotSupportedForRESTAPI") =>
        {
            GraphError::MailboxNotFound { code }
        }
        404 if !on_mailbox => GraphError::EventNotFound,
        412 => GraphError::EventChanged,
        404 => GraphError::MailboxNotFound {
            code: if code.is_empty() { "404".into() } else { code },
        },
        500..=599 => GraphError::Server {
            status,
            code,
            message,
        },
        _ => GraphError::Http {
            status,
            code,
            message,
        },
    }
}

fn join_code(code: &str, message: &str) -> String {
    match (code.is_empty(), message.is_empty()) {
        (true, _) => message.to_owned(),
        (false, true) => code.to_owned(),
        (false, false) => format!("{code}: {message}"),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// The start of an unreadable body, for the log and the status.
fn snippet(body: &[u8]) -> String {
    if crate::http_answer::starts_like_html(body) {
        let title = crate::http_answer::html_title(body)
            .map(|title| format!(" (\"{title}\")"))
            .unwrap_or_default();
        return format!("a web page{title} instead of Graph's JSON: a proxy or firewall answered");
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Microsoft Graph PowerShell that grants app `app` the `Calendars.ReadWrite`
/// application permission (with admin consent).
pub(crate) fn grant_read_write_command(app: &str) -> String {
    format!(
        "$graph = Get-MgServicePrincipal -Filter \"appId eq '00000003-0000-0000-c000-000000000000'\"; $app = Get-MgServicePrincipal -Filter \"appId eq '{app}'\"; New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $app.Id -PrincipalId $app.Id -ResourceId $graph.Id -AppRoleId ($graph.AppRoles | Where-Object {{ $_.Value -eq 'Calendars.ReadWrite' -and $_.AllowedMemberTypes -contains 'Application' }}).Id"
    )
}

/// The Exchange Online PowerShell that lets app `app` write calendars in a scope, with
/// RBAC for Applications.
pub(crate) fn rbac_read_write_command(app: &str) -> String {
    format!(
        "New-ManagementRoleAssignment -App {app} -Role \"Application Calendars.ReadWrite\" -CustomResourceScope <scope>"
    )
}

impl GraphError {
    /// How long the server asked us to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            GraphError::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl Explained for GraphError {
    type Context = ErrorContext;

    fn wording(&self, ctx: &ErrorContext) -> Wording {
        let app = ctx.client_id.as_str();
        let tenant = ctx.tenant_id.as_str();
        let room = ctx.mailbox.as_str();
        match self {
            GraphError::InsecureUrl { url } => say(Phrase::GraphPlainHttp, [url]),
            GraphError::InvalidConfig { detail } => say(Phrase::GraphInvalidSettings, [detail]),
            GraphError::Tls { detail } => say(Phrase::GraphTlsFailed, [detail]),
            GraphError::Connect { detail } => say(Phrase::GraphCannotConnect, [detail]),
            GraphError::Timeout => Phrase::GraphTimeout.into(),
            GraphError::Network { detail } => say(Phrase::GraphConnectionFailed, [detail]),
            GraphError::SecretInvalid => say(Phrase::GraphSecretInvalid, [app]),
            GraphError::SecretExpired => say(Phrase::GraphSecretExpired, [app]),
            GraphError::AppNotFound => say(Phrase::GraphAppNotFound, [app, tenant]),
            GraphError::TenantNotFound => say(Phrase::GraphTenantNotFound, [tenant]),
            GraphError::ConsentMissing { detail } => {
                say(Phrase::GraphConsentMissing, [app, detail])
            }
            GraphError::MailboxOutOfScope { detail } => {
                say(Phrase::GraphMailboxOutOfScope, [app, room, detail])
            }
            GraphError::MailboxNotFound { code } => say(Phrase::GraphMailboxNotFound, [room, code]),
            GraphError::EventNotFound => Phrase::GraphMeetingGone.into(),
            GraphError::EventChanged => Phrase::GraphMeetingChanged.into(),
            GraphError::WriteNotPermitted { detail } => {
                say(Phrase::GraphWriteNotPermitted, [app, room, detail])
            }
            GraphError::SignInRefused {
                status,
                description,
            } => say(
                Phrase::GraphSignInRefused,
                [app, &status.to_string(), description],
            ),
            GraphError::TokenRejected { detail } => say(Phrase::GraphTokenRejected, [detail]),
            GraphError::Throttled {
                retry_after: Some(wait),
                ..
            } => say(Phrase::GraphThrottledWait, [&wait.as_secs().to_string()]),
            GraphError::Throttled {
                retry_after: None, ..
            } => Phrase::GraphThrottled.into(),
            GraphError::SyncStateInvalid => Phrase::GraphChangeTokenExpired.into(),
            GraphError::Server {
                status,
                code,
                message,
            } => {
                let mut what = format!("HTTP {status}");
                if !code.is_empty() {
                    what.push_str(&format!(" {code}"));
                }
                if !message.is_empty() {
                    what.push_str(&format!(": {message}"));
                }
                say(Phrase::GraphFailed, [&what])
            }
            GraphError::Http {
                status,
                code,
                message,
            } => say(
                Phrase::GraphAnsweredHttp,
                [&status.to_string(), code, message],
            ),
            GraphError::BadJson { detail } => say(Phrase::GraphUnreadable, [detail]),
            GraphError::ResponseTooLarge { limit } => {
                say(Phrase::GraphAnswerTooLarge, [&limit.to_string()])
            }
            GraphError::ForeignLink { url } => say(Phrase::GraphForeignLink, [url]),
        }
    }

    fn fix_wording(&self, ctx: &ErrorContext) -> Option<Wording> {
        let app = ctx.client_id.as_str();
        let room = ctx.mailbox.as_str();
        Some(match self {
            GraphError::InsecureUrl { .. } => Phrase::GraphPlainHttpFix.into(),
            GraphError::Tls { .. } => Phrase::GraphTlsFix.into(),
            GraphError::Connect { .. } | GraphError::Timeout | GraphError::Network { .. } => {
                Phrase::GraphNetworkFix.into()
            }
            GraphError::SecretInvalid | GraphError::SecretExpired => {
                say(Phrase::GraphNewSecretFix, [app])
            }
            GraphError::AppNotFound | GraphError::TenantNotFound => Phrase::GraphIdsFix.into(),
            GraphError::ConsentMissing { .. } => say(Phrase::GraphConsentFix, [app]),
            GraphError::MailboxOutOfScope { .. } => say(
                Phrase::GraphScopeFix,
                [
                    room,
                    &format!(
                        "New-ManagementRoleAssignment -App {app} -Role \"Application \
                         Calendars.Read\" -CustomResourceScope <scope>"
                    ),
                    &format!(
                        "New-ApplicationAccessPolicy -AppId {app} -PolicyScopeGroupId <group> \
                         -AccessRight RestrictAccess"
                    ),
                    &format!("Test-ApplicationAccessPolicy -Identity {room} -AppId {app}"),
                ],
            ),
            GraphError::MailboxNotFound { .. } => say(Phrase::GraphMailboxFix, [room]),
            GraphError::TokenRejected { .. } => Phrase::GraphTokenFix.into(),
            GraphError::Throttled { .. } => Phrase::GraphThrottledFix.into(),
            GraphError::InvalidConfig { .. } => Phrase::GraphSettingsFix.into(),
            GraphError::WriteNotPermitted { .. } => say(
                Phrase::GraphWriteFix,
                [
                    app,
                    &grant_read_write_command(app),
                    &rbac_read_write_command(app),
                ],
            ),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_codes_are_recognised() {
        let wrong = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '6731de76-14a6-49ae-97bc-6eba6914391e'.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-11-23 07:00:00Z","error_codes":[7000215],"timestamp":"2026-11-23 07:00:00Z","trace_id":"1","correlation_id":"2","error_uri":"https://login.microsoftonline.com/error?code=7000215"}"#;
        assert_eq!(token_error(401, wrong, None), GraphError::SecretInvalid);
        let expired = br#"{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys for app '6731de76' are expired.","error_codes":[7000222]}"#;
        assert_eq!(token_error(401, expired, None), GraphError::SecretExpired);
        let consent = br#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application."}"#;
        assert!(matches!(
            token_error(400, consent, None),
            GraphError::ConsentMissing { .. }
        ));
    }

    #[test]
    fn graph_codes_are_recognised() {
        let odata =
            br#"{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled."}}"#;
        assert!(matches!(
            graph_error(403, odata, None, true),
            GraphError::MailboxOutOfScope { .. }
        ));
        let denied = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        assert!(matches!(
            graph_error(403, denied, None, true),
            GraphError::ConsentMissing { .. }
        ));
        let rest = br#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise."}}"#;
        assert!(matches!(
            graph_error(404, rest, None, false),
            GraphError::MailboxNotFound { .. }
        ));
        let gone = br#"{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}"#;
        assert_eq!(
            graph_error(404, gone, None, false),
            GraphError::EventNotFound
        );
        assert!(matches!(
            graph_error(404, gone, None, true),
            GraphError::MailboxNotFound { .. }
        ));
        let sync =
            br#"{"error":{"code":"SyncStateNotFound","message":"The sync state is not found."}}"#;
        assert_eq!(
            graph_error(410, sync, None, true),
            GraphError::SyncStateInvalid
        );
        let wait = Some(Duration::from_secs(17));
        assert_eq!(graph_error(429, b"", wait, true).retry_after(), wait);
        let proxy = b"<html><head><title>502 Bad Gateway</title></head><body>...</body></html>";
        assert_eq!(
            graph_error(502, proxy, None, true),
            GraphError::Server {
                status: 502,
                code: String::new(),
                message: "a web page (\"502 Bad Gateway\") instead of Graph's JSON: a proxy \
                          or firewall answered"
                    .into()
            }
        );
    }

    #[test]
    fn fixes_name_the_place_to_change() {
        let ctx = ErrorContext {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
            mailbox: "confrm2@contoso.com".into(),
        };
        let cases: [(GraphError, &[&str]); 4] = [
            (
                GraphError::SecretExpired,
                &["Certificates & secrets", "ClientSecret"],
            ),
            (
                GraphError::MailboxOutOfScope {
                    detail: String::new(),
                },
                &["New-ApplicationAccessPolicy", "confrm2@contoso.com"],
            ),
            (
                GraphError::ConsentMissing {
                    detail: String::new(),
                },
                &["admin consent"],
            ),
            (
                GraphError::WriteNotPermitted {
                    detail: String::new(),
                },
                &[
                    "Application permissions > Calendars.ReadWrite",
                    "appId eq '6731de76-14a6-49ae-97bc-6eba6914391e'",
                ],
            ),
        ];
        for (error, named) in cases {
            let fix = error
                .fix(&ctx)
                .unwrap_or_else(|| panic!("{error:?}: no fix"));
            for place in named {
                assert!(fix.contains(place), "{error:?}: {fix}");
            }
        }
    }
}
