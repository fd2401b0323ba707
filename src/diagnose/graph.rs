//! The Microsoft 365 (Graph) checks: the app's token (tenant, client ID, secret,
//! consent), the room mailbox within the app's scope, its calendar for the coming two
//! weeks (and, with booking on, the token's `Calendars.ReadWrite`), and join links in a sample of upcoming meetings. Failures carry the Graph
//! module's own explanations and fixes, the same texts the sync shows.

use chrono::Duration;
use futures_util::future::join_all;

use super::certificate::with_certificate;
use super::error_words;
use super::join_links::join_links_check;
use super::report::{CheckOptions, Report, SAMPLE_SIZE, WINDOW_DAYS, calendar_readable};
use super::result::{CheckId, CheckResult};
use crate::clock::device_time_zone;
use crate::graph::{ErrorContext, Event, GraphClient, GraphError};
use crate::settings::{Secrets, Settings};
use crate::sources::ews_mapping::MappingRules;
use crate::sources::graph::setup_from_settings;
use crate::words::Phrase;
use crate::words::Wording;

/// Runs the Graph checks into `report`.
pub(super) async fn check_graph(
    settings: &Settings,
    secrets: &Secrets,
    options: CheckOptions,
    report: &mut Report<'_>,
) {
    let setup = match setup_from_settings(settings, secrets, options.allow_insecure_http) {
        Ok(setup) => setup,
        Err(error) => {
            return report.fail_then_skip(CheckResult::fail(
                CheckId::Server,
                error.message,
                error.fix,
            ));
        }
    };
    let context = ErrorContext {
        tenant_id: setup.config.tenant_id.clone(),
        client_id: setup.config.client_id.clone(),
        mailbox: setup.mailbox.clone(),
    };
    let authority = setup.config.authority_url.clone();
    let graph_url = setup.config.graph_url.clone();
    let client = match GraphClient::new(setup.config) {
        Ok(client) => client,
        Err(error) => {
            return report.fail_then_skip(failure(CheckId::Server, &error, &context, None).await);
        }
    };
    if let Err(error) = client.sign_in().await {
        return fail_at(report, &error, &context, &authority).await;
    }
    let from = options.now;
    let to = from + Duration::days(WINDOW_DAYS);
    let listed = match client.list_calendar_view(&context.mailbox, from, to).await {
        Ok(listed) => listed,
        Err(error) => return fail_at(report, &error, &context, &graph_url).await,
    };
    for id in [CheckId::Server, CheckId::SignIn, CheckId::Mailbox] {
        report.push(passed(id, &context, &authority, &graph_url));
    }
    report.push(match write_refused(&client, settings).await {
        Some(refused) => failure(CheckId::Calendar, &refused, &context, None).await,
        None => calendar_readable(&context.mailbox, listed.len()),
    });
    let sample = join_all(
        listed
            .iter()
            .take(SAMPLE_SIZE)
            .map(|version| client.event(&context.mailbox, &version.id)),
    )
    .await;
    let mut events: Vec<Event> = Vec::new();
    for fetched in sample {
        match fetched {
            Ok(event) => events.push(event),
            // Deleted between the listing and the fetch: simply left out.
            Err(GraphError::EventNotFound) => {}
            Err(error) => {
                return report.push(failure(CheckId::JoinLinks, &error, &context, None).await);
            }
        }
    }
    let rules = MappingRules {
        tz: device_time_zone(settings.device.time_zone.as_deref()),
        hide_private: settings.device.hide_private_meetings,
        simple_url_hosts: settings.device.simple_url_hosts.clone(),
    };
    report.push(join_links_check(&context.mailbox, &events, &rules));
}

/// With booking on, the refusal Graph would give the first booking, when the app's token
/// lists its application permissions and `Calendars.ReadWrite` is not among them.
async fn write_refused(client: &GraphClient, settings: &Settings) -> Option<GraphError> {
    if !settings.booking.enabled {
        return None;
    }
    let roles = client.granted_roles().await.ok()??;
    let may_write = roles
        .iter()
        .any(|role| role == "Calendars.ReadWrite" || role == "Calendars.ReadWrite.All");
    (!may_write).then(|| GraphError::WriteNotPermitted {
        detail: format!(
            "the app's token grants {}; booking at the console needs Calendars.ReadWrite",
            if roles.is_empty() {
                "no application permission".to_string()
            } else {
                roles.join(", ")
            }
        ),
    })
}

/// Which check a Graph or Entra ID error means has failed.
fn failed_check(error: &GraphError) -> CheckId {
    match error {
        GraphError::InsecureUrl { .. }
        | GraphError::InvalidConfig { .. }
        | GraphError::Tls { .. }
        | GraphError::Connect { .. }
        | GraphError::Timeout
        | GraphError::Network { .. } => CheckId::Server,
        GraphError::SecretInvalid
        | GraphError::SecretExpired
        | GraphError::AppNotFound
        | GraphError::TenantNotFound
        | GraphError::ConsentMissing { .. }
        | GraphError::SignInRefused { .. }
        | GraphError::TokenRejected { .. } => CheckId::SignIn,
        GraphError::MailboxOutOfScope { .. } | GraphError::MailboxNotFound { .. } => {
            CheckId::Mailbox
        }
        _ => CheckId::Calendar,
    }
}

/// Pushes the checks `error` proves passed, its failure, and the rest as not run.
async fn fail_at(
    report: &mut Report<'_>,
    error: &GraphError,
    context: &ErrorContext,
    url: &url::Url,
) {
    let failed = failed_check(error);
    for id in CheckId::GRAPH.iter().take_while(|id| **id != failed) {
        report.push(passed(*id, context, url, url));
    }
    report.fail_then_skip(failure(failed, error, context, Some(url)).await);
}

/// A failed check with the Graph module's explanation and fix; an untrusted certificate
/// of `url` is described (subject, issuer, fingerprint).
async fn failure(
    id: CheckId,
    error: &GraphError,
    context: &ErrorContext,
    url: Option<&url::Url>,
) -> CheckResult {
    let result = error_words::failure(id, error, context);
    match (error, url) {
        (GraphError::Tls { .. }, Some(url)) => with_certificate(result, url).await,
        _ => result,
    }
}

/// The pass message of a check that a later answer proves.
fn passed(
    id: CheckId,
    context: &ErrorContext,
    authority: &url::Url,
    graph_url: &url::Url,
) -> CheckResult {
    let ErrorContext {
        tenant_id,
        client_id,
        mailbox,
    } = context;
    match id {
        CheckId::Server if authority.origin() == graph_url.origin() => CheckResult::pass(
            id,
            Wording::phrase(Phrase::ServerAnswered, [authority.as_str()]),
        ),
        CheckId::Server => CheckResult::pass(
            id,
            Wording::phrase(
                Phrase::ServersAnswered,
                [authority.as_str(), graph_url.as_str()],
            ),
        ),
        CheckId::SignIn => CheckResult::pass(
            id,
            Wording::phrase(Phrase::AppGotToken, [client_id, tenant_id]),
        ),
        CheckId::Mailbox => {
            CheckResult::pass(id, Wording::phrase(Phrase::MailboxInAppScope, [mailbox]))
        }
        _ => CheckResult::pass(id, Wording::phrase(Phrase::CheckedFor, [mailbox])),
    }
}
