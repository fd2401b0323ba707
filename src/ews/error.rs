//! Every way talking to Exchange can fail, in one place, each with an explanation and a
//! fix worded for the IT admin who set the console up.
//!
//! Exchange's answers are classified by their code (`faultcode`, `ResponseCode`, HTTP
//! status), never by the message text, which Exchange localises.

use std::time::Duration;

use super::details::Details;

/// Who and what a request was about, to name them in explanations and fixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorContext {
    /// The account the console signs in with (the service account, or the room itself).
    pub service_account: String,
    /// The room mailbox whose calendar is read.
    pub mailbox: String,
    /// The URL the console talked to.
    pub url: String,
}

/// A failed EWS exchange.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EwsError {
    // ---- Exchange answered with an error code ----
    #[error("ErrorImpersonateUserDenied: the service account may not impersonate the mailbox")]
    ImpersonateUserDenied,
    #[error("ErrorNonExistentMailbox: no such mailbox")]
    NonExistentMailbox,
    #[error("ErrorAccessDenied: access to the mailbox was denied")]
    AccessDenied,
    #[error("ErrorServerBusy: Exchange is throttling the account")]
    ServerBusy { back_off: Option<Duration> },
    #[error("ErrorTooManyObjectsOpened: too many concurrent connections for the account")]
    TooManyObjectsOpened,
    #[error("ErrorInvalidServerVersion: Exchange does not know the requested schema version")]
    InvalidServerVersion,
    #[error("ErrorSchemaValidation: Exchange rejected the request as invalid")]
    SchemaValidation {
        violation: Option<String>,
        line: Option<u32>,
        position: Option<u32>,
    },
    #[error("ErrorCalendarViewRangeTooBig: the calendar window is longer than Exchange allows")]
    CalendarViewRangeTooBig,
    #[error("ErrorItemNotFound: the item no longer exists")]
    ItemNotFound,
    #[error("ErrorInvalidSyncStateData: Exchange no longer accepts the sync state")]
    InvalidSyncStateData,
    /// Any other EWS or Autodiscover error code, kept as Exchange wrote it.
    #[error("{code}: {message}")]
    Exchange { code: String, message: String },
    /// A SOAP fault without an EWS code (e.g. `soap:Client`).
    #[error("SOAP fault {code}: {message}")]
    SoapFault { code: String, message: String },

    // ---- HTTP ----
    #[error("HTTP 401: sign-in failed")]
    Unauthorized {
        /// The sign-in methods the server offers (`WWW-Authenticate` schemes).
        offered: Vec<String>,
    },
    #[error("HTTP 403: forbidden")]
    Forbidden,
    #[error("HTTP {status}: service unavailable")]
    ServiceUnavailable {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("HTTP {status}: redirected")]
    Redirected {
        status: u16,
        location: Option<String>,
    },
    #[error("HTTP {status}")]
    HttpStatus { status: u16 },
    #[error("HTTP {status}: a web page instead of EWS XML")]
    HtmlPage { status: u16, title: Option<String> },
    #[error("HTTP {status}: empty answer")]
    EmptyBody { status: u16 },
    #[error("the answer was cut off")]
    TruncatedBody,
    #[error("the answer is larger than {limit} bytes")]
    ResponseTooLarge { limit: usize },
    #[error("the answer is not well-formed XML: {detail}")]
    MalformedXml { detail: String },
    #[error("the answer was refused for safety: {detail}")]
    HostileXml { detail: String },
    #[error("the answer does not have the expected shape: {detail}")]
    UnexpectedResponse { detail: String },

    // ---- connection ----
    #[error("TLS: {detail}")]
    Tls { detail: String },
    #[error("cannot connect: {detail}")]
    Connect { detail: String },
    #[error("no answer in time")]
    Timeout,
    #[error("network error: {detail}")]
    Network { detail: String },

    // ---- configuration ----
    #[error("plain http:// refused: {url}")]
    InsecureUrl { url: String },
    #[error("invalid settings: {detail}")]
    InvalidConfig { detail: String },
    #[error("NTLM: {detail}")]
    Ntlm { detail: String },
}

impl EwsError {
    /// Classifies an EWS `ResponseCode` or fault code. `details` is the `MessageXml` of a
    /// response message or the `detail` of a fault: it carries the back-off time and the
    /// schema violation. `message` is kept only for codes without a variant of their own.
    pub fn from_code(code: &str, message: &str, details: &Details) -> EwsError {
        let value = |name: &str| details.get(name).map(str::to_string);
        match code.trim() {
            "ErrorImpersonateUserDenied" => EwsError::ImpersonateUserDenied,
            "ErrorNonExistentMailbox" => EwsError::NonExistentMailbox,
            "ErrorAccessDenied" => EwsError::AccessDenied,
            "ErrorServerBusy" => EwsError::ServerBusy {
                back_off: value("BackOffMilliseconds")
                    .and_then(|ms| ms.parse().ok())
                    .map(Duration::from_millis),
            },
            "ErrorTooManyObjectsOpened" => EwsError::TooManyObjectsOpened,
            "ErrorInvalidServerVersion" => EwsError::InvalidServerVersion,
            "ErrorSchemaValidation" => EwsError::SchemaValidation {
                violation: value("Violation"),
                line: value("LineNumber")
                    .or_else(|| value("Line"))
                    .and_then(|v| v.parse().ok()),
                position: value("LinePosition")
                    .or_else(|| value("Position"))
                    .and_then(|v| v.parse().ok()),
            },
            "ErrorCalendarViewRangeTooBig" => EwsError::CalendarViewRangeTooBig,
            "ErrorItemNotFound" => EwsError::ItemNotFound,
            "ErrorInvalidSyncStateData" => EwsError::InvalidSyncStateData,
            other => EwsError::Exchange {
                code: other.to_string(),
                message: message.trim().to_string(),
            },
        }
    }

    /// A stable identifier for logs and the stored sync status.
    pub fn code(&self) -> String {
        match self {
            EwsError::ImpersonateUserDenied => "ErrorImpersonateUserDenied".into(),
            EwsError::NonExistentMailbox => "ErrorNonExistentMailbox".into(),
            EwsError::AccessDenied => "ErrorAccessDenied".into(),
            EwsError::ServerBusy { .. } => "ErrorServerBusy".into(),
            EwsError::TooManyObjectsOpened => "ErrorTooManyObjectsOpened".into(),
            EwsError::InvalidServerVersion => "ErrorInvalidServerVersion".into(),
            EwsError::SchemaValidation { .. } => "ErrorSchemaValidation".into(),
            EwsError::CalendarViewRangeTooBig => "ErrorCalendarViewRangeTooBig".into(),
            EwsError::ItemNotFound => "ErrorItemNotFound".into(),
            EwsError::InvalidSyncStateData => "ErrorInvalidSyncStateData".into(),
            EwsError::Exchange { code, .. } => code.clone(),
            EwsError::SoapFault { code, .. } => format!("soap_fault:{code}"),
            EwsError::Unauthorized { .. } => "http_401".into(),
            EwsError::Forbidden => "http_403".into(),
            EwsError::ServiceUnavailable { status, .. }
            | EwsError::Redirected { status, .. }
            | EwsError::HttpStatus { status } => format!("http_{status}"),
            EwsError::HtmlPage { .. } => "html_page".into(),
            EwsError::EmptyBody { .. } => "empty_body".into(),
            EwsError::TruncatedBody => "truncated_body".into(),
            EwsError::ResponseTooLarge { .. } => "response_too_large".into(),
            EwsError::MalformedXml { .. } => "malformed_xml".into(),
            EwsError::HostileXml { .. } => "hostile_xml".into(),
            EwsError::UnexpectedResponse { .. } => "unexpected_response".into(),
            EwsError::Tls { .. } => "tls".into(),
            EwsError::Connect { .. } => "connect".into(),
            EwsError::Timeout => "timeout".into(),
            EwsError::Network { .. } => "network".into(),
            EwsError::InsecureUrl { .. } => "insecure_url".into(),
            EwsError::InvalidConfig { .. } => "invalid_config".into(),
            EwsError::Ntlm { .. } => "ntlm".into(),
        }
    }

    /// Whether the URL itself looks wrong or gone (404, no connection): a URL found by
    /// Autodiscover is then worth discovering again.
    pub fn endpoint_gone(&self) -> bool {
        matches!(
            self,
            EwsError::Connect { .. }
                | EwsError::HttpStatus { status: 404 }
                | EwsError::HtmlPage { status: 404, .. }
                | EwsError::EmptyBody { status: 404 }
        )
    }

    /// Whether the same request may succeed if sent again later.
    pub fn is_retryable(&self) -> bool {
        match self {
            EwsError::ServerBusy { .. }
            | EwsError::TooManyObjectsOpened
            | EwsError::ServiceUnavailable { .. }
            | EwsError::EmptyBody { .. }
            | EwsError::TruncatedBody
            | EwsError::Connect { .. }
            | EwsError::Timeout
            | EwsError::Network { .. } => true,
            EwsError::HttpStatus { status } => *status >= 500,
            EwsError::Exchange { code, .. } => matches!(
                code.as_str(),
                "ErrorInternalServerTransientError"
                    | "ErrorMailboxStoreUnavailable"
                    | "ErrorConnectionFailed"
                    | "ErrorADUnavailable"
                    | "ErrorServiceUnavailable"
                    | "ErrorTimeoutExpired"
                    | "ErrorMailboxMoveInProgress"
            ),
            _ => false,
        }
    }

    /// How long the server asked to wait before the next request, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            EwsError::ServerBusy { back_off } => *back_off,
            EwsError::ServiceUnavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// What happened, in words for the admin.
    pub fn explanation(&self, ctx: &ErrorContext) -> String {
        let account = &ctx.service_account;
        let room = &ctx.mailbox;
        let url = &ctx.url;
        match self {
            EwsError::ImpersonateUserDenied => format!(
                "{account} may not impersonate {room}: Exchange refused the impersonation \
                 (ErrorImpersonateUserDenied)."
            ),
            EwsError::NonExistentMailbox => {
                format!("Exchange has no mailbox {room} (ErrorNonExistentMailbox).")
            }
            EwsError::AccessDenied => format!(
                "Exchange denied {account} access to the calendar of {room} (ErrorAccessDenied)."
            ),
            EwsError::ServerBusy { back_off } => match back_off {
                Some(wait) => format!(
                    "Exchange is throttling requests from {account} (ErrorServerBusy) and asks \
                     the console to wait {} seconds.",
                    wait.as_secs().max(1)
                ),
                None => {
                    format!("Exchange is throttling requests from {account} (ErrorServerBusy).")
                }
            },
            EwsError::TooManyObjectsOpened => format!(
                "{account} has too many connections open to Exchange at once \
                 (ErrorTooManyObjectsOpened), usually because other devices or applications \
                 use the same account."
            ),
            EwsError::InvalidServerVersion => "Exchange does not know the EWS schema version \
                 the console asked for (ErrorInvalidServerVersion); the console steps down to \
                 an older version by itself."
                .to_string(),
            EwsError::SchemaValidation {
                violation, line, ..
            } => {
                let mut text = "Exchange rejected a request of the console as invalid \
                                (ErrorSchemaValidation)"
                    .to_string();
                if let Some(violation) = violation {
                    text.push_str(&format!(": {violation}"));
                }
                if let Some(line) = line {
                    text.push_str(&format!(" (line {line})"));
                }
                text.push_str(
                    ". This is a fault in the console, or the server is older than the \
                     Exchange version set for it.",
                );
                text
            }
            EwsError::CalendarViewRangeTooBig => "The console asked for a calendar window \
                 longer than Exchange allows (ErrorCalendarViewRangeTooBig); it reads shorter \
                 windows instead."
                .to_string(),
            EwsError::ItemNotFound => "A meeting was deleted or moved while the console was \
                 reading it (ErrorItemNotFound); the next sync picks up the change."
                .to_string(),
            EwsError::InvalidSyncStateData => format!(
                "Exchange no longer accepts the saved sync state of {room} \
                 (ErrorInvalidSyncStateData); the console reads the whole calendar again."
            ),
            EwsError::Exchange { code, message } => {
                if message.is_empty() {
                    format!("Exchange answered with the error {code}.")
                } else {
                    sentence(format!(
                        "Exchange answered with the error {code}: {message}"
                    ))
                }
            }
            EwsError::SoapFault { code, message } => {
                sentence(format!("Exchange reported a fault ({code}): {message}"))
            }
            EwsError::Unauthorized { offered } => {
                let mut text = format!(
                    "Sign-in to Exchange as {account} failed (HTTP 401): a wrong password, an \
                     expired password, a locked account, or the wrong sign-in method."
                );
                if !offered.is_empty() {
                    text.push_str(&format!(" The server offers: {}.", offered.join(", ")));
                }
                text
            }
            EwsError::Forbidden => format!(
                "Exchange at {url} refused {account} (HTTP 403): EWS may be turned off for the \
                 account, or the server demands a client certificate."
            ),
            EwsError::ServiceUnavailable {
                status,
                retry_after,
            } => match retry_after {
                Some(wait) => format!(
                    "Exchange at {url} is unavailable for now (HTTP {status}) and asks the \
                     console to retry in {} seconds.",
                    wait.as_secs()
                ),
                None => format!("Exchange at {url} is unavailable for now (HTTP {status})."),
            },
            EwsError::Redirected { status, location } => format!(
                "{url} redirects (HTTP {status}) to {}: it is not the EWS address itself.",
                location.as_deref().unwrap_or("another address")
            ),
            EwsError::HttpStatus { status } => {
                format!("Exchange at {url} answered with HTTP status {status}.")
            }
            EwsError::HtmlPage { status, title } => format!(
                "{url} answered with a web page{} instead of EWS (HTTP {status}): a sign-in \
                 page, a proxy, or a web server error page.",
                title
                    .as_deref()
                    .map(|t| format!(" (\"{t}\")"))
                    .unwrap_or_default()
            ),
            EwsError::EmptyBody { status } => {
                format!("Exchange at {url} sent an empty answer (HTTP {status}).")
            }
            EwsError::TruncatedBody => {
                format!("The answer from {url} was cut off before its end: the connection broke.")
            }
            EwsError::ResponseTooLarge { limit } => format!(
                "The answer from {url} is larger than the {} MiB the console accepts.",
                limit.div_ceil(1024 * 1024)
            ),
            EwsError::MalformedXml { detail } => {
                format!("The answer from {url} is not valid XML: {detail}.")
            }
            EwsError::HostileXml { detail } => {
                format!("The answer from {url} was refused for safety: {detail}.")
            }
            EwsError::UnexpectedResponse { detail } => {
                format!("The answer from {url} is not what EWS sends: {detail}.")
            }
            EwsError::Tls { detail } => format!(
                "The secure connection to {url} failed ({detail}): the server's certificate \
                 is not trusted, has expired, or does not name this server."
            ),
            EwsError::Connect { detail } => format!("Cannot connect to {url}: {detail}."),
            EwsError::Timeout => format!("Exchange at {url} did not answer in time."),
            EwsError::Network { detail } => {
                format!("The connection to {url} failed: {detail}.")
            }
            EwsError::InsecureUrl { url } => format!(
                "The EWS address {url} uses plain http://, which would send the password \
                 unencrypted."
            ),
            EwsError::InvalidConfig { detail } => {
                format!("The EWS settings are invalid: {detail}.")
            }
            EwsError::Ntlm { detail } => {
                format!("NTLM sign-in as {account} to {url} failed: {detail}.")
            }
        }
    }

    /// What the admin can do about it; None when there is nothing to do but wait, or the
    /// console handles it by itself.
    pub fn fix(&self, ctx: &ErrorContext) -> Option<String> {
        let account = &ctx.service_account;
        let room = &ctx.mailbox;
        match self {
            EwsError::ImpersonateUserDenied => Some(format!(
                "Grant it with `New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role \
                 ApplicationImpersonation -User {account}` (optionally scoped to room \
                 mailboxes with -CustomRecipientWriteScope). A new role assignment can take \
                 some minutes to apply."
            )),
            EwsError::NonExistentMailbox => Some(format!(
                "Check the room's e-mail address in the settings: it must be the primary SMTP \
                 address of an existing room mailbox (`Get-Mailbox {room} | FL \
                 PrimarySmtpAddress,RecipientTypeDetails`)."
            )),
            EwsError::AccessDenied => Some(format!(
                "With impersonation, grant {account} the ApplicationImpersonation role \
                 (`New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role \
                 ApplicationImpersonation -User {account}`). Without impersonation, give it \
                 read access to the room's calendar: `Add-MailboxFolderPermission -Identity \
                 {room}:\\Calendar -User {account} -AccessRights Reviewer`."
            )),
            EwsError::TooManyObjectsOpened => Some(format!(
                "Give the room consoles a service account of their own, or relax the EWS \
                 limits of {account} with a throttling policy (`New-ThrottlingPolicy`, \
                 `Set-ThrottlingPolicyAssociation -Identity {account}`)."
            )),
            EwsError::ServerBusy { .. } => Some(format!(
                "If this persists, check the throttling policy of {account} \
                 (`Get-ThrottlingPolicyAssociation {account}`) and whether other \
                 applications use the same account."
            )),
            EwsError::SchemaValidation { .. } => Some(
                "Set the Exchange version in the settings to the server's version, and \
                 report the problem with the diagnostics."
                    .to_string(),
            ),
            EwsError::Exchange { code, .. }
                if code == "ErrorInvalidExchangeImpersonationHeaderData" =>
            {
                Some(
                    "Turn impersonation off for this sign-in method: the server refuses the \
                     impersonation header with it."
                        .to_string(),
                )
            }
            EwsError::Unauthorized { .. } => Some(format!(
                "Check the password of {account} (sign in to Outlook on the web with it), \
                 unlock the account if it is locked, and choose the sign-in method the \
                 server offers (NTLM on-premises, Basic where enabled). Make the password \
                 non-expiring: `Set-ADUser <account> -PasswordNeverExpires $true` on-premises, \
                 `Set-MsolUser -UserPrincipalName {account} -PasswordNeverExpires $true` in \
                 Office 365."
            )),
            EwsError::Forbidden => Some(format!(
                "Check that EWS is allowed for the account: `Get-CASMailbox {account} | FL \
                 EwsEnabled,EwsAllowList`; turn it on with `Set-CASMailbox {account} \
                 -EwsEnabled $true`."
            )),
            EwsError::Redirected { .. } | EwsError::HtmlPage { .. } => Some(
                "Use the EWS address itself, usually https://<server>/EWS/Exchange.asmx \
                 (Autodiscover finds it), and check any proxy between the console and Exchange."
                    .to_string(),
            ),
            EwsError::HttpStatus { status: 404 } => {
                Some("Check the EWS address: it usually ends in /EWS/Exchange.asmx.".to_string())
            }
            EwsError::ResponseTooLarge { .. } => Some(
                "Raise the response size limit, or read fewer meetings per request.".to_string(),
            ),
            EwsError::Tls { .. } => Some(
                "If Exchange uses a certificate from your own certificate authority, add that \
                 CA's certificate (PEM) as TrustedCaFile. Check that the console's date and \
                 time are right and that the address uses the name on the certificate."
                    .to_string(),
            ),
            EwsError::Connect { .. } => Some(
                "Check the server name, DNS, the network connection and any firewall between \
                 the console and Exchange (HTTPS, port 443)."
                    .to_string(),
            ),
            EwsError::InsecureUrl { .. } => Some(
                "Use an https:// address. Plain http:// is only for test servers and must be \
                 allowed explicitly."
                    .to_string(),
            ),
            EwsError::Ntlm { .. } => Some(
                "Check that the EWS virtual directory has Windows Authentication (NTLM) turned \
                 on, or choose Basic sign-in."
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// Ends a text taken partly from Exchange with a full stop.
fn sentence(mut text: String) -> String {
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}
