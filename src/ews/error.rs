//! Every way talking to Exchange can fail, in one place, each with an explanation and a
//! fix worded for the IT admin who set the console up, as phrases (`crate::words`) the
//! command line prints in English and the screens show in their language.
//!
//! Exchange's answers are classified by their code (`faultcode`, `ResponseCode`, HTTP
//! status), never by the message text, which Exchange localises.

use std::time::Duration;

use super::details::Details;
use crate::words::{Explained, Phrase, Wording, say};

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
    pub(crate) fn from_code(code: &str, message: &str, details: &Details) -> EwsError {
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
    pub(crate) fn endpoint_gone(&self) -> bool {
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
}

impl Explained for EwsError {
    type Context = ErrorContext;

    fn wording(&self, ctx: &ErrorContext) -> Wording {
        let account = ctx.service_account.as_str();
        let room = ctx.mailbox.as_str();
        let url = ctx.url.as_str();
        match self {
            EwsError::ImpersonateUserDenied => say(Phrase::EwsImpersonationDenied, [account, room]),
            EwsError::NonExistentMailbox => say(Phrase::EwsNoSuchMailbox, [room]),
            EwsError::AccessDenied => say(Phrase::EwsAccessDenied, [account, room]),
            EwsError::ServerBusy {
                back_off: Some(wait),
            } => say(
                Phrase::EwsThrottledWait,
                [account, &wait.as_secs().max(1).to_string()],
            ),
            EwsError::ServerBusy { back_off: None } => say(Phrase::EwsThrottled, [account]),
            EwsError::TooManyObjectsOpened => say(Phrase::EwsTooManyConnections, [account]),
            EwsError::InvalidServerVersion => Phrase::EwsSchemaVersionStepsDown.into(),
            EwsError::SchemaValidation {
                violation, line, ..
            } => {
                let line = line.map(|line| line.to_string());
                let rejected = match (violation, &line) {
                    (None, None) => say(Phrase::EwsSchemaRejected, []),
                    (Some(violation), None) => say(Phrase::EwsSchemaRejectedSaying, [violation]),
                    (None, Some(line)) => say(Phrase::EwsSchemaRejectedAtLine, [line]),
                    (Some(violation), Some(line)) => {
                        say(Phrase::EwsSchemaRejectedSayingAtLine, [violation, line])
                    }
                };
                rejected.then(Phrase::EwsSchemaConsoleFault.into())
            }
            EwsError::CalendarViewRangeTooBig => Phrase::EwsWindowTooLong.into(),
            EwsError::ItemNotFound => Phrase::EwsItemGone.into(),
            EwsError::InvalidSyncStateData => say(Phrase::EwsSyncStateRefused, [room]),
            EwsError::Exchange { code, message } if message.is_empty() => {
                say(Phrase::EwsErrorCode, [code])
            }
            EwsError::Exchange { code, message } => {
                say(Phrase::EwsErrorCodeSaying, [code, &sentence(message)])
            }
            EwsError::SoapFault { code, message } => {
                say(Phrase::EwsSoapFault, [code, &sentence(message)])
            }
            EwsError::Unauthorized { offered } if offered.is_empty() => {
                say(Phrase::EwsSignInFailed, [account])
            }
            EwsError::Unauthorized { offered } => say(Phrase::EwsSignInFailed, [account])
                .then(say(Phrase::EwsServerOffers, [&offered.join(", ")])),
            EwsError::Forbidden => say(Phrase::EwsForbidden, [url, account]),
            EwsError::ServiceUnavailable {
                status,
                retry_after: Some(wait),
            } => say(
                Phrase::EwsUnavailableRetry,
                [url, &status.to_string(), &wait.as_secs().to_string()],
            ),
            EwsError::ServiceUnavailable {
                status,
                retry_after: None,
            } => say(Phrase::EwsUnavailable, [url, &status.to_string()]),
            EwsError::Redirected {
                status,
                location: Some(location),
            } => say(Phrase::EwsRedirected, [url, &status.to_string(), location]),
            EwsError::Redirected {
                status,
                location: None,
            } => say(Phrase::EwsRedirectedElsewhere, [url, &status.to_string()]),
            EwsError::HttpStatus { status } => {
                say(Phrase::EwsHttpStatus, [url, &status.to_string()])
            }
            EwsError::HtmlPage {
                status,
                title: None,
            } => say(Phrase::EwsWebPage, [url, &status.to_string()]),
            EwsError::HtmlPage {
                status,
                title: Some(title),
            } => say(Phrase::EwsTitledWebPage, [url, title, &status.to_string()]),
            EwsError::EmptyBody { status } => {
                say(Phrase::EwsEmptyAnswer, [url, &status.to_string()])
            }
            EwsError::TruncatedBody => say(Phrase::EwsAnswerCutOff, [url]),
            EwsError::ResponseTooLarge { limit } => say(
                Phrase::EwsAnswerTooLarge,
                [url, &limit.div_ceil(1024 * 1024).to_string()],
            ),
            EwsError::MalformedXml { detail } => say(Phrase::EwsNotXml, [url, detail]),
            EwsError::HostileXml { detail } => say(Phrase::EwsRefusedForSafety, [url, detail]),
            EwsError::UnexpectedResponse { detail } => say(Phrase::EwsNotEws, [url, detail]),
            EwsError::Tls { detail } => say(Phrase::EwsTlsFailed, [url, detail]),
            EwsError::Connect { detail } => say(Phrase::EwsCannotConnect, [url, detail]),
            EwsError::Timeout => say(Phrase::EwsTimeout, [url]),
            EwsError::Network { detail } => say(Phrase::EwsConnectionFailed, [url, detail]),
            EwsError::InsecureUrl { url } => say(Phrase::EwsPlainHttp, [url]),
            EwsError::InvalidConfig { detail } => say(Phrase::EwsInvalidSettings, [detail]),
            EwsError::Ntlm { detail } => say(Phrase::EwsNtlmFailed, [account, url, detail]),
        }
    }

    fn fix_wording(&self, ctx: &ErrorContext) -> Option<Wording> {
        let account = ctx.service_account.as_str();
        let room = ctx.mailbox.as_str();
        let grant = format!(
            "New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role \
             ApplicationImpersonation -User {account}"
        );
        Some(match self {
            EwsError::ImpersonateUserDenied => say(Phrase::EwsImpersonationFix, [&grant]),
            EwsError::NonExistentMailbox => say(
                Phrase::EwsNoSuchMailboxFix,
                [&format!(
                    "Get-Mailbox {room} | FL PrimarySmtpAddress,RecipientTypeDetails"
                )],
            ),
            EwsError::AccessDenied => say(
                Phrase::EwsAccessDeniedFix,
                [
                    account,
                    &grant,
                    &format!(
                        "Add-MailboxFolderPermission -Identity {room}:\\Calendar -User {account} \
                         -AccessRights Reviewer"
                    ),
                ],
            ),
            EwsError::TooManyObjectsOpened => say(
                Phrase::EwsTooManyConnectionsFix,
                [
                    account,
                    &format!("Set-ThrottlingPolicyAssociation -Identity {account}"),
                ],
            ),
            EwsError::ServerBusy { .. } => say(
                Phrase::EwsThrottledFix,
                [
                    account,
                    &format!("Get-ThrottlingPolicyAssociation {account}"),
                ],
            ),
            EwsError::SchemaValidation { .. } => Phrase::EwsSchemaFix.into(),
            EwsError::Exchange { code, .. }
                if code == "ErrorInvalidExchangeImpersonationHeaderData" =>
            {
                Phrase::EwsImpersonationHeaderFix.into()
            }
            EwsError::Unauthorized { .. } => say(
                Phrase::EwsSignInFix,
                [
                    account,
                    "Set-ADUser <account> -PasswordNeverExpires $true",
                    &format!(
                        "Set-MsolUser -UserPrincipalName {account} -PasswordNeverExpires $true"
                    ),
                ],
            ),
            EwsError::Forbidden => say(
                Phrase::EwsForbiddenFix,
                [
                    &format!("Get-CASMailbox {account} | FL EwsEnabled,EwsAllowList"),
                    &format!("Set-CASMailbox {account} -EwsEnabled $true"),
                ],
            ),
            EwsError::Redirected { .. } | EwsError::HtmlPage { .. } => Phrase::EwsAddressFix.into(),
            EwsError::HttpStatus { status: 404 } => Phrase::EwsNotFoundFix.into(),
            EwsError::ResponseTooLarge { .. } => Phrase::EwsAnswerTooLargeFix.into(),
            EwsError::Tls { .. } => Phrase::EwsTlsFix.into(),
            EwsError::Connect { .. } => Phrase::EwsConnectFix.into(),
            EwsError::InsecureUrl { .. } => Phrase::EwsPlainHttpFix.into(),
            EwsError::Ntlm { .. } => Phrase::EwsNtlmFix.into(),
            _ => return None,
        })
    }
}

/// A text taken from Exchange, ending with a full stop.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}
