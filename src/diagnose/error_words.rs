//! The Exchange (EWS) and Microsoft 365 (Graph) failures as [`Wording`]s, so the screens
//! can show them in their language. The English stays what `EwsError::explanation` /
//! `fix` and `GraphError::explanation` / `fix` say (the sync shows those too): a
//! wording that does not say exactly that is replaced by that English, and the tests
//! below hold every worded failure equal to it.

use crate::words::Phrase;
use super::result::{CheckId, CheckResult};
use crate::words::Wording;
use crate::ews::{ErrorContext as EwsContext, EwsError};
use crate::graph::{ErrorContext as GraphContext, GraphError};
use crate::sync::source::SourceError;

/// A failed check with what `error` means and its fix, as the sync words them.
pub(super) fn ews_failure(id: CheckId, error: &EwsError, context: &EwsContext) -> CheckResult {
    let sorted = crate::sources::ews::source_error(error, context);
    failed(
        id,
        sorted,
        ews_explanation(error, context),
        ews_fix(error, context),
    )
}

/// A failed check with what `error` means and its fix, as the sync words them.
pub(super) fn graph_failure(
    id: CheckId,
    error: &GraphError,
    context: &GraphContext,
) -> CheckResult {
    let sorted = crate::sources::graph::source_error(error, context);
    failed(
        id,
        sorted,
        graph_explanation(error, context),
        graph_fix(error, context),
    )
}

/// A failed check with `sorted`'s English, worded by `message` and `fix` where they say
/// exactly that.
fn failed(
    id: CheckId,
    sorted: SourceError,
    message: Option<Wording>,
    fix: Option<Wording>,
) -> CheckResult {
    let worded = |wording: Option<Wording>, english: String| match wording {
        Some(wording) => wording.or_verbatim(&english),
        None => Wording::verbatim(english),
    };
    CheckResult::fail(
        id,
        worded(message, sorted.message),
        sorted.fix.map(|english| worded(fix, english)),
    )
}

/// A phrase with its arguments, as a wording.
fn say<const N: usize>(phrase: Phrase, args: [&str; N]) -> Option<Wording> {
    Some(Wording::phrase(phrase, args))
}

/// `text` ending with a full stop, as `EwsError` ends a text taken from Exchange.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

fn ews_explanation(error: &EwsError, context: &EwsContext) -> Option<Wording> {
    let account = context.service_account.as_str();
    let room = context.mailbox.as_str();
    let url = context.url.as_str();
    match error {
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
        EwsError::Exchange { code, message } if message.is_empty() => {
            say(Phrase::EwsErrorCode, [code])
        }
        EwsError::Exchange { code, message } => {
            say(Phrase::EwsErrorCodeSaying, [code, &sentence(message)])
        }
        EwsError::SoapFault { code, message } => {
            say(Phrase::EwsSoapFault, [code, &sentence(message)])
        }
        EwsError::Unauthorized { offered } => {
            let failed = Wording::phrase(Phrase::EwsSignInFailed, [account]);
            Some(if offered.is_empty() {
                failed
            } else {
                failed.then(Wording::phrase(
                    Phrase::EwsServerOffers,
                    [offered.join(", ")],
                ))
            })
        }
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
        EwsError::HttpStatus { status } => say(Phrase::EwsHttpStatus, [url, &status.to_string()]),
        EwsError::HtmlPage {
            status,
            title: None,
        } => say(Phrase::EwsWebPage, [url, &status.to_string()]),
        EwsError::HtmlPage {
            status,
            title: Some(title),
        } => say(Phrase::EwsTitledWebPage, [url, title, &status.to_string()]),
        EwsError::EmptyBody { status } => say(Phrase::EwsEmptyAnswer, [url, &status.to_string()]),
        EwsError::TruncatedBody => say(Phrase::EwsAnswerCutOff, [url]),
        EwsError::Tls { detail } => say(Phrase::EwsTlsFailed, [url, detail]),
        EwsError::Connect { detail } => say(Phrase::EwsCannotConnect, [url, detail]),
        EwsError::Timeout => say(Phrase::EwsTimeout, [url]),
        EwsError::Network { detail } => say(Phrase::EwsConnectionFailed, [url, detail]),
        EwsError::InsecureUrl { url } => say(Phrase::EwsPlainHttp, [url]),
        EwsError::Ntlm { detail } => say(Phrase::EwsNtlmFailed, [account, url, detail]),
        EwsError::InvalidServerVersion => say(Phrase::EwsSchemaVersionStepsDown, []),
        EwsError::CalendarViewRangeTooBig => say(Phrase::EwsWindowTooLong, []),
        EwsError::ItemNotFound => say(Phrase::EwsItemGone, []),
        EwsError::Redirected {
            status,
            location: None,
        } => say(Phrase::EwsRedirectedElsewhere, [url, &status.to_string()]),
        EwsError::ResponseTooLarge { limit } => say(
            Phrase::EwsAnswerTooLarge,
            [url, &limit.div_ceil(1024 * 1024).to_string()],
        ),
        EwsError::MalformedXml { detail } => say(Phrase::EwsNotXml, [url, detail]),
        EwsError::HostileXml { detail } => say(Phrase::EwsRefusedForSafety, [url, detail]),
        EwsError::UnexpectedResponse { detail } => say(Phrase::EwsNotEws, [url, detail]),
        EwsError::InvalidConfig { detail } => say(Phrase::EwsInvalidSettings, [detail]),
        _ => None,
    }
}

fn ews_fix(error: &EwsError, context: &EwsContext) -> Option<Wording> {
    let account = context.service_account.as_str();
    let room = context.mailbox.as_str();
    let grant = format!(
        "New-ManagementRoleAssignment -Name Mailbox-Impersonation -Role \
         ApplicationImpersonation -User {account}"
    );
    match error {
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
        EwsError::Unauthorized { .. } => say(
            Phrase::EwsSignInFix,
            [
                account,
                "Set-ADUser <account> -PasswordNeverExpires $true",
                &format!("Set-MsolUser -UserPrincipalName {account} -PasswordNeverExpires $true"),
            ],
        ),
        EwsError::Forbidden => say(
            Phrase::EwsForbiddenFix,
            [
                &format!("Get-CASMailbox {account} | FL EwsEnabled,EwsAllowList"),
                &format!("Set-CASMailbox {account} -EwsEnabled $true"),
            ],
        ),
        EwsError::Redirected { .. } | EwsError::HtmlPage { .. } => say(Phrase::EwsAddressFix, []),
        EwsError::HttpStatus { status: 404 } => say(Phrase::EwsNotFoundFix, []),
        EwsError::Tls { .. } => say(Phrase::EwsTlsFix, []),
        EwsError::Connect { .. } => say(Phrase::EwsConnectFix, []),
        EwsError::InsecureUrl { .. } => say(Phrase::EwsPlainHttpFix, []),
        EwsError::Ntlm { .. } => say(Phrase::EwsNtlmFix, []),
        EwsError::SchemaValidation { .. } => say(Phrase::EwsSchemaFix, []),
        EwsError::Exchange { code, .. }
            if code == "ErrorInvalidExchangeImpersonationHeaderData" =>
        {
            say(Phrase::EwsImpersonationHeaderFix, [])
        }
        EwsError::ResponseTooLarge { .. } => say(Phrase::EwsAnswerTooLargeFix, []),
        _ => None,
    }
}

fn graph_explanation(error: &GraphError, context: &GraphContext) -> Option<Wording> {
    let app = context.client_id.as_str();
    let tenant = context.tenant_id.as_str();
    let room = context.mailbox.as_str();
    match error {
        GraphError::Tls { detail } => say(Phrase::GraphTlsFailed, [detail]),
        GraphError::Connect { detail } => say(Phrase::GraphCannotConnect, [detail]),
        GraphError::Timeout => say(Phrase::GraphTimeout, []),
        GraphError::Network { detail } => say(Phrase::GraphConnectionFailed, [detail]),
        GraphError::SecretInvalid => say(Phrase::GraphSecretInvalid, [app]),
        GraphError::SecretExpired => say(Phrase::GraphSecretExpired, [app]),
        GraphError::AppNotFound => say(Phrase::GraphAppNotFound, [app, tenant]),
        GraphError::TenantNotFound => say(Phrase::GraphTenantNotFound, [tenant]),
        GraphError::ConsentMissing { detail } => say(Phrase::GraphConsentMissing, [app, detail]),
        GraphError::MailboxOutOfScope { detail } => {
            say(Phrase::GraphMailboxOutOfScope, [app, room, detail])
        }
        GraphError::MailboxNotFound { code } => say(Phrase::GraphMailboxNotFound, [room, code]),
        GraphError::SignInRefused {
            status,
            description,
        } => say(
            Phrase::GraphSignInRefused,
            [app, &status.to_string(), description],
        ),
        GraphError::TokenRejected { detail } => say(Phrase::GraphTokenRejected, [detail]),
        GraphError::InsecureUrl { url } => say(Phrase::GraphPlainHttp, [url]),
        GraphError::InvalidConfig { detail } => say(Phrase::GraphInvalidSettings, [detail]),
        GraphError::Throttled {
            retry_after: Some(wait),
            ..
        } => say(Phrase::GraphThrottledWait, [&wait.as_secs().to_string()]),
        GraphError::Throttled {
            retry_after: None, ..
        } => say(Phrase::GraphThrottled, []),
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
        GraphError::EventNotFound => say(Phrase::GraphMeetingGone, []),
        _ => None,
    }
}

fn graph_fix(error: &GraphError, context: &GraphContext) -> Option<Wording> {
    let app = context.client_id.as_str();
    let room = context.mailbox.as_str();
    match error {
        GraphError::SecretInvalid | GraphError::SecretExpired => {
            say(Phrase::GraphNewSecretFix, [app])
        }
        GraphError::Tls { .. } => say(Phrase::GraphTlsFix, []),
        GraphError::Connect { .. } | GraphError::Timeout | GraphError::Network { .. } => {
            say(Phrase::GraphNetworkFix, [])
        }
        GraphError::AppNotFound | GraphError::TenantNotFound => say(Phrase::GraphIdsFix, []),
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
        GraphError::TokenRejected { .. } => say(Phrase::GraphTokenFix, []),
        GraphError::InsecureUrl { .. } => say(Phrase::GraphPlainHttpFix, []),
        GraphError::InvalidConfig { .. } => say(Phrase::GraphSettingsFix, []),
        GraphError::Throttled { .. } => say(Phrase::GraphThrottledFix, []),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn ews_context() -> EwsContext {
        EwsContext {
            service_account: "CONTOSO\\mailboxservice".into(),
            mailbox: "confrm2@contoso.com".into(),
            url: "https://mail.contoso.com/EWS/Exchange.asmx".into(),
        }
    }

    fn graph_context() -> GraphContext {
        GraphContext {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
            mailbox: "confrm2@contoso.com".into(),
        }
    }

    fn detail() -> String {
        "invalid peer certificate: UnknownIssuer".into()
    }

    /// Every EWS failure the screens word, with the arguments that vary its sentence.
    fn ews_errors() -> Vec<EwsError> {
        vec![
            EwsError::ImpersonateUserDenied,
            EwsError::NonExistentMailbox,
            EwsError::AccessDenied,
            EwsError::ServerBusy {
                back_off: Some(Duration::from_millis(300)),
            },
            EwsError::ServerBusy { back_off: None },
            EwsError::TooManyObjectsOpened,
            EwsError::Exchange {
                code: "ErrorMailboxMoveInProgress".into(),
                message: String::new(),
            },
            EwsError::Exchange {
                code: "ErrorMailboxMoveInProgress".into(),
                message: "The mailbox is being moved".into(),
            },
            EwsError::SoapFault {
                code: "soap:Client".into(),
                message: "Bad request.".into(),
            },
            EwsError::Unauthorized { offered: vec![] },
            EwsError::Unauthorized {
                offered: vec!["NTLM".into(), "Negotiate".into()],
            },
            EwsError::Forbidden,
            EwsError::ServiceUnavailable {
                status: 503,
                retry_after: Some(Duration::from_secs(30)),
            },
            EwsError::ServiceUnavailable {
                status: 503,
                retry_after: None,
            },
            EwsError::Redirected {
                status: 302,
                location: Some("https://login.contoso.com/".into()),
            },
            EwsError::HttpStatus { status: 404 },
            EwsError::HttpStatus { status: 500 },
            EwsError::HtmlPage {
                status: 200,
                title: None,
            },
            EwsError::HtmlPage {
                status: 200,
                title: Some("Outlook".into()),
            },
            EwsError::EmptyBody { status: 500 },
            EwsError::TruncatedBody,
            EwsError::Tls { detail: detail() },
            EwsError::Connect {
                detail: "connection refused".into(),
            },
            EwsError::Timeout,
            EwsError::Network {
                detail: "reset".into(),
            },
            EwsError::InsecureUrl {
                url: "http://mail.contoso.com/EWS/Exchange.asmx".into(),
            },
            EwsError::Ntlm {
                detail: "no challenge".into(),
            },
            EwsError::InvalidServerVersion,
            EwsError::CalendarViewRangeTooBig,
            EwsError::ItemNotFound,
            EwsError::Redirected {
                status: 301,
                location: None,
            },
            EwsError::ResponseTooLarge {
                limit: 32 * 1024 * 1024,
            },
            EwsError::MalformedXml {
                detail: "unexpected end".into(),
            },
            EwsError::HostileXml {
                detail: "a DOCTYPE".into(),
            },
            EwsError::UnexpectedResponse {
                detail: "no ResponseMessages".into(),
            },
            EwsError::InvalidConfig {
                detail: "the URL has no host".into(),
            },
            EwsError::Exchange {
                code: "ErrorInvalidExchangeImpersonationHeaderData".into(),
                message: "The impersonation header is invalid.".into(),
            },
        ]
    }

    fn graph_errors() -> Vec<GraphError> {
        vec![
            GraphError::Tls { detail: detail() },
            GraphError::Connect {
                detail: "dns error".into(),
            },
            GraphError::Timeout,
            GraphError::Network {
                detail: "reset".into(),
            },
            GraphError::SecretInvalid,
            GraphError::SecretExpired,
            GraphError::AppNotFound,
            GraphError::TenantNotFound,
            GraphError::ConsentMissing {
                detail: "AADSTS65001".into(),
            },
            GraphError::MailboxOutOfScope {
                detail: "ErrorAccessDenied".into(),
            },
            GraphError::MailboxNotFound {
                code: "ErrorInvalidUser".into(),
            },
            GraphError::SignInRefused {
                status: 400,
                description: "AADSTS50000: something".into(),
            },
            GraphError::TokenRejected {
                detail: "InvalidAuthenticationToken".into(),
            },
            GraphError::InsecureUrl {
                url: "http://graph.contoso.test/".into(),
            },
            GraphError::InvalidConfig {
                detail: "no tenant".into(),
            },
            GraphError::Throttled {
                status: 429,
                retry_after: Some(Duration::from_secs(12)),
            },
            GraphError::Throttled {
                status: 503,
                retry_after: None,
            },
            GraphError::Server {
                status: 503,
                code: String::new(),
                message: String::new(),
            },
            GraphError::Server {
                status: 500,
                code: "generalException".into(),
                message: "General failure.".into(),
            },
            GraphError::Http {
                status: 400,
                code: "BadRequest".into(),
                message: "Invalid filter.".into(),
            },
            GraphError::BadJson {
                detail: "expected value at line 1".into(),
            },
            GraphError::ResponseTooLarge { limit: 1024 },
            GraphError::ForeignLink {
                url: "https://evil.example/".into(),
            },
            GraphError::EventNotFound,
        ]
    }

    /// Whether every sentence of `wording` is a phrase (nothing left in English only).
    fn all_phrased(wording: &Wording) -> bool {
        wording.sentences().iter().all(|s| s.phrase.is_some())
    }

    /// That the check `failure` makes of `error` says exactly its `explanation` and `fix`,
    /// in phrases throughout.
    fn assert_worded_like_the_sync(
        error: &dyn std::fmt::Debug,
        failure: &CheckResult,
        explanation: String,
        fix: Option<String>,
    ) {
        assert_eq!(failure.message, explanation, "{error:?}");
        assert_eq!(failure.fix, fix, "{error:?}");
        assert!(
            all_phrased(&failure.wording),
            "{error:?}: {}",
            failure.message
        );
        if let Some(fix) = &failure.fix_wording {
            assert!(all_phrased(fix), "{error:?}: {fix:?}");
        }
    }

    #[test]
    fn worded_ews_failures_say_exactly_what_the_sync_says() {
        let context = ews_context();
        for error in ews_errors() {
            let check = ews_failure(CheckId::Calendar, &error, &context);
            assert_worded_like_the_sync(
                &error,
                &check,
                error.explanation(&context),
                error.fix(&context),
            );
        }
    }

    #[test]
    fn worded_graph_failures_say_exactly_what_the_sync_says() {
        let context = graph_context();
        for error in graph_errors() {
            let check = graph_failure(CheckId::SignIn, &error, &context);
            assert_worded_like_the_sync(
                &error,
                &check,
                error.explanation(&context),
                error.fix(&context),
            );
        }
    }

    #[test]
    fn failures_without_a_phrase_keep_their_english() {
        let context = ews_context();
        let error = EwsError::SchemaValidation {
            violation: Some("The element 'FindItem' has invalid child element".into()),
            line: Some(3),
            position: None,
        };
        let check = ews_failure(CheckId::Calendar, &error, &context);
        assert_eq!(check.message, error.explanation(&context));
        assert_eq!(check.wording.sentences()[0].phrase, None);
        assert_eq!(check.fix, error.fix(&context));
        let fix = check.fix_wording.expect("a fix");
        assert_eq!(fix.sentences()[0].phrase, Some(Phrase::EwsSchemaFix));
    }
}
