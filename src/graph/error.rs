//! Everything that can go wrong talking to Graph and Entra ID, sorted from the HTTP status
//! and the error body (`{"error":{"code","message"}}` from Graph, `error_description`
//! with an AADSTS code from the token endpoint), each with an explanation and, where one
//! exists, the fix an admin applies in Entra ID or Exchange Online.

use std::time::Duration;

use serde::Deserialize;

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
pub fn grant_read_write_command(app: &str) -> String {
    format!(
        "$graph = Get-MgServicePrincipal -Filter \"appId eq '00000003-0000-0000-c000-000000000000'\"; $app = Get-MgServicePrincipal -Filter \"appId eq '{app}'\"; New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $app.Id -PrincipalId $app.Id -ResourceId $graph.Id -AppRoleId ($graph.AppRoles | Where-Object {{ $_.Value -eq 'Calendars.ReadWrite' -and $_.AllowedMemberTypes -contains 'Application' }}).Id"
    )
}

/// The Exchange Online PowerShell that lets app `app` write calendars in a scope, with
/// RBAC for Applications.
pub fn rbac_read_write_command(app: &str) -> String {
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

    /// What happened, in an admin's words.
    pub fn explanation(&self, ctx: &ErrorContext) -> String {
        let app = &ctx.client_id;
        let tenant = &ctx.tenant_id;
        let room = &ctx.mailbox;
        match self {
            GraphError::InsecureUrl { url } => format!(
                "{url} is plain http://: the client secret and the calendar would cross the network readable"
            ),
            GraphError::InvalidConfig { detail } => {
                format!("the Graph settings cannot work: {detail}")
            }
            GraphError::Tls { detail } => format!(
                "the secure connection to Microsoft 365 failed (certificate not trusted or TLS refused): {detail}"
            ),
            GraphError::Connect { detail } => format!("cannot reach Microsoft 365: {detail}"),
            GraphError::Timeout => "Microsoft 365 did not answer in time".into(),
            GraphError::Network { detail } => {
                format!("the connection to Microsoft 365 failed: {detail}")
            }
            GraphError::SecretInvalid => format!(
                "Entra ID refused the client secret of app {app} (AADSTS7000215: invalid client secret)"
            ),
            GraphError::SecretExpired => {
                format!("the client secret of app {app} has expired (AADSTS7000222)")
            }
            GraphError::AppNotFound => format!(
                "no application with client ID {app} exists in tenant {tenant} (AADSTS700016)"
            ),
            GraphError::TenantNotFound => format!("the tenant {tenant} was not found in Entra ID"),
            GraphError::ConsentMissing { detail } => format!(
                "app {app} may not read calendars: the Calendars.Read application permission is missing or not consented ({detail})"
            ),
            GraphError::MailboxOutOfScope { detail } => format!(
                "app {app} may not open {room}: the mailbox is outside the application's scope ({detail})"
            ),
            GraphError::MailboxNotFound { code } => {
                format!("the room mailbox {room} was not found in Exchange Online ({code})")
            }
            GraphError::EventNotFound => "a meeting was deleted while the console read it".into(),
            GraphError::EventChanged => {
                "the meeting changed on the server while the console acted on it (HTTP 412)".into()
            }
            GraphError::WriteNotPermitted { detail } => format!(
                "app {app} may read the calendar of {room} but not change it: the Calendars.ReadWrite application permission is missing or not consented ({detail})"
            ),
            GraphError::SignInRefused {
                status,
                description,
            } => {
                format!("Entra ID refused the sign-in of app {app} (HTTP {status}): {description}")
            }
            GraphError::TokenRejected { detail } => {
                format!("Microsoft Graph refused the app's access token: {detail}")
            }
            GraphError::Throttled { retry_after, .. } => match retry_after {
                Some(wait) => format!(
                    "Microsoft Graph is throttling the console; it asked to wait {} s",
                    wait.as_secs()
                ),
                None => "Microsoft Graph is throttling the console".into(),
            },
            GraphError::SyncStateInvalid => {
                "the calendar's change token expired; a full read follows".into()
            }
            GraphError::Server {
                status,
                code,
                message,
            } => format!(
                "Microsoft Graph failed (HTTP {status}{}{}{})",
                if code.is_empty() { "" } else { " " },
                code,
                if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                }
            ),
            GraphError::Http {
                status,
                code,
                message,
            } => format!("Microsoft Graph answered HTTP {status} {code}: {message}"),
            GraphError::BadJson { detail } => {
                format!("Microsoft Graph sent an answer the console cannot read: {detail}")
            }
            GraphError::ResponseTooLarge { limit } => {
                format!("Microsoft Graph sent more than {limit} bytes in one answer")
            }
            GraphError::ForeignLink { url } => format!(
                "Microsoft Graph sent a paging link to another server ({url}); the console did not follow it"
            ),
        }
    }

    /// How the admin fixes it, when there is a known fix.
    pub fn fix(&self, ctx: &ErrorContext) -> Option<String> {
        let app = &ctx.client_id;
        let room = &ctx.mailbox;
        let new_secret = format!(
            "Create a new client secret in Entra ID > App registrations > {app} > Certificates & secrets and update ClientSecret (provisioning file or setup wizard)."
        );
        Some(match self {
            GraphError::InsecureUrl { .. } => "Use the https:// address of Microsoft Graph.".into(),
            GraphError::Tls { .. } => "If a proxy inspects TLS, set TrustedCaFile to its root CA; check the device's date and time.".into(),
            GraphError::Connect { .. } | GraphError::Timeout | GraphError::Network { .. } => {
                "Check the network, DNS and firewall: the console needs HTTPS to login.microsoftonline.com and graph.microsoft.com.".into()
            }
            GraphError::SecretInvalid | GraphError::SecretExpired => new_secret,
            GraphError::AppNotFound | GraphError::TenantNotFound => {
                "Check TenantId and ClientId against Entra ID > App registrations > the app's Overview page.".into()
            }
            GraphError::ConsentMissing { .. } => format!(
                "In Entra ID > App registrations > {app} > API permissions, add Microsoft Graph > Application permissions > Calendars.Read and grant admin consent for Calendars.Read (application)."
            ),
            GraphError::WriteNotPermitted { .. } => format!(
                "In Entra ID > App registrations > {app} > API permissions, add Microsoft Graph > Application permissions > Calendars.ReadWrite and grant admin consent (then Calendars.Read may be removed). In PowerShell (Microsoft Graph module, as a Privileged Role Administrator): {}. With RBAC for Applications in Exchange Online instead: {}.",
                grant_read_write_command(app),
                rbac_read_write_command(app)
            ),
            GraphError::MailboxOutOfScope { .. } => format!(
                "Add {room} to the app's scope in Exchange Online: with RBAC for Applications, add it to the management scope of the app's \"Application Calendars.Read\" role assignment (New-ManagementRoleAssignment -App {app} -Role \"Application Calendars.Read\" -CustomResourceScope <scope>); with an Application Access Policy, add the room to the policy's mail-enabled security group (New-ApplicationAccessPolicy -AppId {app} -PolicyScopeGroupId <group> -AccessRight RestrictAccess), then check with Test-ApplicationAccessPolicy -Identity {room} -AppId {app}."
            ),
            GraphError::MailboxNotFound { .. } => format!(
                "Check the room's e-mail address ({room}): the room mailbox was not found, or it is not an Exchange Online mailbox (on-premises mailboxes need the EWS source)."
            ),
            GraphError::TokenRejected { .. } => "Check the device's date and time; if it is right, create a new client secret and update ClientSecret.".into(),
            GraphError::Throttled { .. } => "Nothing to do: the console waits as Microsoft Graph asked. If it lasts, check that no other app reads the room mailbox heavily.".into(),
            GraphError::InvalidConfig { .. } => {
                "Complete the Graph settings (TenantId, ClientId, ClientSecret) in the setup wizard or the provisioning file.".into()
            }
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
        let fix = GraphError::SecretExpired.fix(&ctx).unwrap();
        assert!(fix.contains("Certificates & secrets"), "{fix}");
        assert!(fix.contains("ClientSecret"), "{fix}");
        let scope = GraphError::MailboxOutOfScope {
            detail: String::new(),
        }
        .fix(&ctx)
        .unwrap();
        assert!(scope.contains("New-ApplicationAccessPolicy"), "{scope}");
        assert!(scope.contains("confrm2@contoso.com"), "{scope}");
        let consent = GraphError::ConsentMissing {
            detail: String::new(),
        }
        .fix(&ctx)
        .unwrap();
        assert!(consent.contains("admin consent"), "{consent}");
        let write = GraphError::WriteNotPermitted {
            detail: String::new(),
        }
        .fix(&ctx)
        .unwrap();
        assert!(
            write.contains("Application permissions > Calendars.ReadWrite"),
            "{write}"
        );
        assert!(
            write.contains("appId eq '6731de76-14a6-49ae-97bc-6eba6914391e'"),
            "{write}"
        );
    }
}
