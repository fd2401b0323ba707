//! Runs the checks in order against the configured server: set up (Autodiscover when no
//! URL is set), read the room's calendar for the coming two weeks, fetch a sample of the
//! invitations. The first request answers most checks at once; its error, if any, says
//! which check failed, the checks before it passed and those after it are not run.

use chrono::Duration;

use super::certificate::with_certificate;
use super::error_words::failure;
use super::graph::check_graph;
use super::invitations::invitations_check;
use super::report::{CheckOptions, Report, SAMPLE_SIZE, WINDOW_DAYS, calendar_readable};
use super::result::{CheckId, CheckResult};
use crate::ews::{
    CalendarItem, ErrorContext, EwsClient, EwsError, GetItemOptions, ItemId, ServerVersionInfo,
};
use crate::settings::{CalendarSource, Secrets, Settings};
use crate::sources::ews::{describe_server, setup_from_settings};
use crate::sync::source::{FailureKind, SourceError};
use crate::words::Phrase;
use crate::words::Wording;

/// The most meetings listed.
const MAX_LISTED: u32 = 100;

/// Runs every check on `settings` and `secrets`, calling `progress` with each result as
/// soon as it is known, and returns them all in [`CheckId::for_source`] order.
pub async fn run_checks(
    settings: &Settings,
    secrets: &Secrets,
    options: CheckOptions,
    progress: &mut (dyn FnMut(&CheckResult) + Send),
) -> Vec<CheckResult> {
    let order = CheckId::for_source(settings.calendar.source);
    let mut report = Report::new(order, progress);
    match settings.calendar.source {
        CalendarSource::Demo => {
            for id in order {
                report.push(CheckResult::pass(*id, Phrase::DemoNeedsNoServer));
            }
        }
        CalendarSource::Graph => check_graph(settings, secrets, options, &mut report).await,
        CalendarSource::EwsImpersonation | CalendarSource::EwsRoomAccount => {
            check_exchange(settings, secrets, options, &mut report).await;
        }
    }
    report.into_results()
}

/// Who and where, for the pass messages.
struct Subject {
    account: String,
    mailbox: String,
    url: String,
    impersonating: bool,
}

async fn check_exchange(
    settings: &Settings,
    secrets: &Secrets,
    options: CheckOptions,
    report: &mut Report<'_>,
) {
    let setup = match setup_from_settings(settings, secrets, options.allow_insecure_http).await {
        Ok(setup) => setup,
        Err(error) => return setup_failed(error, report),
    };
    let subject = Subject {
        account: setup.account.clone(),
        mailbox: setup.mailbox.clone(),
        url: setup.config.url.to_string(),
        impersonating: setup.config.impersonate.is_some(),
    };
    let mut client = match EwsClient::new(setup.config) {
        Ok(client) => client,
        Err(error) => {
            let context = ErrorContext {
                service_account: subject.account.clone(),
                mailbox: subject.mailbox.clone(),
                url: subject.url.clone(),
            };
            return report.fail_then_skip(failure(CheckId::Server, &error, &context));
        }
    };
    let context = client.error_context(&subject.mailbox);
    let start = options.now;
    let end = start + Duration::days(WINDOW_DAYS);
    let view = loop {
        match client
            .find_calendar_view(&subject.mailbox, start, end, MAX_LISTED)
            .await
        {
            Err(EwsError::InvalidServerVersion) => {
                match client.config().server_version.step_down() {
                    Some(older) => client.set_server_version(older),
                    None => break Err(EwsError::InvalidServerVersion),
                }
            }
            other => break other,
        }
    };
    let view = match view {
        Ok(view) => view,
        Err(error) => {
            let failed = failed_check(&error, subject.impersonating);
            for id in CheckId::EXCHANGE.iter().take_while(|id| **id != failed) {
                // Exchange names its version in the calendar answer; past sign-in, it is
                // the failed check that kept it from answering.
                let signed_in = failed != CheckId::SignIn;
                report.push(if *id == CheckId::ExchangeVersion && signed_in {
                    CheckResult::skipped(*id, failed)
                } else {
                    passed_before_failure(*id, &subject)
                });
            }
            let mut result = failure(failed, &error, &context);
            if matches!(error, EwsError::Tls { .. }) {
                result = with_certificate(result, &client.config().url).await;
            }
            return report.fail_then_skip(result);
        }
    };
    report.push(passed_before_failure(CheckId::Server, &subject));
    report.push(version_check(view.server_version.as_ref()));
    for id in [CheckId::SignIn, CheckId::Impersonation, CheckId::Mailbox] {
        report.push(passed_before_failure(id, &subject));
    }
    let listed = &view.value.get().items;
    report.push(calendar_readable(&subject.mailbox, listed.len()));
    let ids: Vec<ItemId> = listed
        .iter()
        .filter(|item| !item.is_cancelled)
        .take(SAMPLE_SIZE)
        .map(|item| item.id.clone())
        .collect();
    let sample = match fetch_sample(&client, &ids).await {
        Ok(sample) => sample,
        Err(error) => return report.push(failure(CheckId::Invitations, &error, &context)),
    };
    report.push(invitations_check(&subject.mailbox, &sample));
}

async fn fetch_sample(
    client: &EwsClient,
    ids: &[ItemId<'_>],
) -> Result<Vec<CalendarItem<'static>>, EwsError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let response = client.get_items(ids, GetItemOptions::default()).await?;
    // An item deleted between the listing and the fetch is simply left out.
    let items = response
        .value
        .get()
        .0
        .iter()
        .filter_map(|item| item.as_ref().ok());
    Ok(items.map(|item| item.clone().into_owned()).collect())
}

/// The setup failed: a setting is missing, or Autodiscover could not find the server.
fn setup_failed(error: SourceError, report: &mut Report<'_>) {
    let SourceError { kind, message, fix } = error;
    if kind == FailureKind::SignInFailed {
        report.push(CheckResult::pass(
            CheckId::Server,
            Phrase::AutodiscoverTrusted,
        ));
        report.push(CheckResult::skipped(
            CheckId::ExchangeVersion,
            CheckId::SignIn,
        ));
        return report.fail_then_skip(CheckResult::fail(CheckId::SignIn, message, fix));
    }
    report.fail_then_skip(CheckResult::fail(CheckId::Server, message, fix))
}

/// Which check an error of the first calendar request means has failed.
fn failed_check(error: &EwsError, impersonating: bool) -> CheckId {
    match error {
        EwsError::Unauthorized { .. } | EwsError::Ntlm { .. } | EwsError::Forbidden => {
            CheckId::SignIn
        }
        EwsError::ImpersonateUserDenied => CheckId::Impersonation,
        EwsError::AccessDenied if impersonating => CheckId::Impersonation,
        EwsError::NonExistentMailbox => CheckId::Mailbox,
        EwsError::AccessDenied
        | EwsError::ServerBusy { .. }
        | EwsError::TooManyObjectsOpened
        | EwsError::CalendarViewRangeTooBig
        | EwsError::SchemaValidation { .. }
        | EwsError::InvalidServerVersion
        | EwsError::Exchange { .. } => CheckId::Calendar,
        _ => CheckId::Server,
    }
}

/// The pass message of a check that an answer from further along proves.
fn passed_before_failure(id: CheckId, subject: &Subject) -> CheckResult {
    let Subject {
        account,
        mailbox,
        url,
        impersonating,
    } = subject;
    match id {
        CheckId::Server => CheckResult::pass(id, Wording::phrase(Phrase::ServerAnswered, [url])),
        CheckId::ExchangeVersion => CheckResult::skipped(id, CheckId::SignIn)
            .with_message(Phrase::VersionNotKnownYet.into()),
        CheckId::SignIn => CheckResult::pass(id, Wording::phrase(Phrase::SignedIn, [account])),
        CheckId::Impersonation if *impersonating => CheckResult::pass(
            id,
            Wording::phrase(Phrase::MayImpersonate, [account, mailbox]),
        ),
        CheckId::Impersonation => CheckResult::pass(id, Phrase::ImpersonationNotNeeded),
        CheckId::Mailbox => CheckResult::pass(id, Wording::phrase(Phrase::MailboxFound, [mailbox])),
        CheckId::Calendar | CheckId::Invitations | CheckId::JoinLinks => {
            CheckResult::pass(id, Wording::phrase(Phrase::CheckedFor, [mailbox]))
        }
    }
}

/// The version check: Lync-style online meetings need Exchange 2013 or later (KB 3103746).
fn version_check(info: Option<&ServerVersionInfo>) -> CheckResult {
    let id = CheckId::ExchangeVersion;
    let Some(info) = info else {
        return CheckResult::pass(id, Phrase::VersionNotSaid);
    };
    let description = describe_server(info)
        .or_else(|| info.version.clone())
        .unwrap_or_else(|| "an unnamed Exchange version".into());
    match info.major_version {
        Some(major) if major < 15 => CheckResult::warn(
            id,
            Wording::phrase(Phrase::VersionTooOld, [description]),
            Some(Phrase::VersionTooOldFix.into()),
        ),
        _ => CheckResult::pass(id, Wording::phrase(Phrase::VersionRecent, [description])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first result of the checks of `settings` with `secrets`, run at a fixed instant.
    async fn first_result(settings: &Settings, secrets: &Secrets) -> CheckResult {
        let options = CheckOptions {
            now: "2026-11-23T07:00:00Z".parse().expect("instant"),
            allow_insecure_http: false,
        };
        let results = run_checks(settings, secrets, options, &mut |_: &CheckResult| {}).await;
        results.into_iter().next().expect("a result")
    }

    #[tokio::test]
    async fn settings_errors_are_worded_in_phrases_the_screens_translate() {
        let mut settings = Settings::default();
        settings.calendar.source = CalendarSource::EwsImpersonation;
        let mut secrets = Secrets::default();
        let server = first_result(&settings, &secrets).await;
        assert_eq!(
            server.message,
            "the room's Exchange e-mail address is not set"
        );
        assert_eq!(server.wording, Phrase::RoomAddressNotSet.into());
        assert_eq!(
            server.fix_wording,
            Some(Phrase::CompleteCalendarSettings.into())
        );

        settings.room.exchange_address = "confrm2@contoso.com".into();
        settings.calendar.service_account_username = Some("svc@contoso.com".into());
        let server = first_result(&settings, &secrets).await;
        assert_eq!(
            server.wording,
            Wording::phrase(Phrase::NoPasswordStored, ["svc@contoso.com"])
        );

        secrets.service_account_password = Some(crate::settings::Secret::new("pw"));
        settings.calendar.trusted_ca_file = Some("/nonexistent/ca.pem".into());
        let server = first_result(&settings, &secrets).await;
        let phrase = server.wording.sentences()[0].phrase;
        assert_eq!(
            phrase,
            Some(Phrase::TrustedCaUnreadable),
            "{}",
            server.message
        );

        settings.calendar.source = CalendarSource::Graph;
        let server = first_result(&settings, &secrets).await;
        assert_eq!(server.wording, Phrase::GraphTenantNotSet.into());
        assert_eq!(
            server.fix_wording,
            Some(Phrase::CompleteGraphSettings.into())
        );
    }

    #[test]
    fn errors_point_at_the_check_that_failed() {
        let unauthorized = EwsError::Unauthorized { offered: vec![] };
        assert_eq!(failed_check(&unauthorized, true), CheckId::SignIn);
        assert_eq!(
            failed_check(&EwsError::ImpersonateUserDenied, true),
            CheckId::Impersonation
        );
        assert_eq!(
            failed_check(&EwsError::NonExistentMailbox, false),
            CheckId::Mailbox
        );
        assert_eq!(
            failed_check(&EwsError::AccessDenied, false),
            CheckId::Calendar
        );
        let tls = EwsError::Tls {
            detail: "UnknownIssuer".into(),
        };
        assert_eq!(failed_check(&tls, true), CheckId::Server);
    }

    #[test]
    fn exchange_2010_gets_the_2013_note() {
        let info = ServerVersionInfo {
            major_version: Some(14),
            minor_version: Some(3),
            major_build_number: Some(123),
            minor_build_number: Some(4),
            version: Some("Exchange2010_SP2".into()),
        };
        let check = version_check(Some(&info));
        assert_eq!(check.status, super::super::CheckStatus::Warn);
        assert!(check.message.contains("KB 3103746"), "{}", check.message);
        let info = ServerVersionInfo {
            major_version: Some(15),
            minor_version: Some(1),
            ..info
        };
        assert_eq!(
            version_check(Some(&info)).status,
            super::super::CheckStatus::Pass
        );
    }
}
