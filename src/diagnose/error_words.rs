//! The Exchange (EWS) and Microsoft 365 (Graph) failures as failed checks: the words are
//! the errors' own (`words::Explained`, which `EwsError` and `GraphError` implement), the same the sync stores
//! and the command line prints, so the screens show them in their language.

use super::result::{CheckId, CheckResult};
use crate::words::Explained;

/// A failed check with what `error` means and its fix.
pub(super) fn failure<E: Explained>(id: CheckId, error: &E, context: &E::Context) -> CheckResult {
    CheckResult::fail(id, error.wording(context), error.fix_wording(context))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::ews::{ErrorContext as EwsContext, EwsError};
    use crate::graph::{ErrorContext as GraphContext, GraphError};
    use crate::words::{Phrase, Wording};

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
            GraphError::WriteNotPermitted {
                detail: "ErrorAccessDenied: Access is denied. Check credentials and try again."
                    .into(),
            },
        ]
    }

    /// Whether every sentence of `wording` is a phrase (nothing left in English only).
    fn all_phrased(wording: &Wording) -> bool {
        wording.sentences().iter().all(|s| s.phrase.is_some())
    }

    /// That the failed check `id` made of each of `errors` says exactly its `explanation`
    /// and `fix`, in phrases throughout.
    fn assert_worded_like_the_sync<E: Explained + std::fmt::Debug>(
        id: CheckId,
        errors: Vec<E>,
        context: &E::Context,
    ) {
        for error in errors {
            let failure = failure(id, &error, context);
            assert_eq!(failure.message, error.explanation(context), "{error:?}");
            assert_eq!(failure.fix, error.fix(context), "{error:?}");
            assert!(
                all_phrased(&failure.wording),
                "{error:?}: {}",
                failure.message
            );
            if let Some(fix) = &failure.fix_wording {
                assert!(all_phrased(fix), "{error:?}: {fix:?}");
            }
        }
    }

    #[test]
    fn worded_ews_failures_say_exactly_what_the_sync_says() {
        assert_worded_like_the_sync(CheckId::Calendar, ews_errors(), &ews_context());
    }

    #[test]
    fn worded_graph_failures_say_exactly_what_the_sync_says() {
        assert_worded_like_the_sync(CheckId::SignIn, graph_errors(), &graph_context());
    }

    #[test]
    fn a_rejected_request_is_worded_in_phrases_with_its_english_unchanged() {
        let context = ews_context();
        let error = EwsError::SchemaValidation {
            violation: Some("The element 'FindItem' has invalid child element".into()),
            line: Some(3),
            position: None,
        };
        let check = failure(CheckId::Calendar, &error, &context);
        assert_eq!(
            check.message,
            "Exchange rejected a request of the console as invalid (ErrorSchemaValidation): \
             The element 'FindItem' has invalid child element (line 3). This is a fault in \
             the console, or the server is older than the Exchange version set for it."
        );
        assert!(all_phrased(&check.wording), "{:?}", check.wording);
        let fix = check.fix_wording.expect("a fix");
        assert_eq!(fix.sentences()[0].phrase, Some(Phrase::EwsSchemaFix));
        let bare = EwsError::SchemaValidation {
            violation: None,
            line: None,
            position: None,
        };
        assert_eq!(
            bare.explanation(&context),
            "Exchange rejected a request of the console as invalid (ErrorSchemaValidation). \
             This is a fault in the console, or the server is older than the Exchange version \
             set for it."
        );
        assert_eq!(
            EwsError::InvalidSyncStateData.explanation(&context),
            "Exchange no longer accepts the saved sync state of confrm2@contoso.com \
             (ErrorInvalidSyncStateData); the console reads the whole calendar again."
        );
        assert_eq!(
            GraphError::SyncStateInvalid.explanation(&graph_context()),
            "the calendar's change token expired; a full read follows"
        );
    }
}
