//! The Microsoft 365 (Graph) account checks — shared by the wizard's Check step and
//! `room-console diagnose` — against the in-repo Graph server over HTTPS with a private
//! CA: success, a wrong secret, no admin consent (at the token endpoint and at Graph), a
//! mailbox outside the app's scope, a room that does not exist, stripped invitation
//! bodies, and the `diagnose --json` output of a saved Graph setup.

use crate::common::cli_console::console_on;
use crate::common::graph_server;
use crate::common::room_settings;
use crate::common::succeeded::succeeded;

use super::checking::{check, result, statuses};

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use graph_server::*;
use room_console::diagnose::{CheckId, CheckResult, CheckStatus, all_passed};
use room_console::settings::{Secret, Secrets, Settings};
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

const TEAMS: &str =
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0?context=%7b%7d";
const TEAMS_BODY: &str = "<html><body><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_YmFy%40thread.v2/0\">Join the meeting now</a></body></html>";

/// Three online meetings with join links and one meeting in person, bodies intact.
fn intact_events() -> Vec<TestEvent> {
    vec![
        TestEvent::new("AAMk-sync", "Weekly sync", at(23, 8), at(23, 9))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .teams(TEAMS)
            .body(TEAMS_BODY),
        TestEvent::new("AAMk-board", "Board review", at(24, 10), at(24, 11))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .body(TEAMS_BODY),
        TestEvent::new("AAMk-lunch", "Team lunch", at(25, 11), at(25, 12))
            .organizer("Lars Ek", "lars@contoso.com")
            .body("<html><body><p>Pizza on the 4th floor</p></body></html>"),
        TestEvent::new(
            "AAMk-far",
            "Far future",
            at(23, 8) + Duration::days(40),
            at(23, 9) + Duration::days(40),
        ),
    ]
}

/// What a room mailbox that deletes comments leaves of invitations: empty bodies.
fn stripped_events() -> Vec<TestEvent> {
    vec![
        TestEvent::new("AAMk-sync", "Weekly sync", at(23, 8), at(23, 9))
            .organizer("Ana Lindqvist", "ana@contoso.com"),
        TestEvent::new("AAMk-board", "Board review", at(24, 10), at(24, 11))
            .organizer("Jonas Berg", "jonas@contoso.com"),
        TestEvent::new("AAMk-retro", "Retro", at(25, 10), at(25, 11))
            .organizer("Lars Ek", "lars@contoso.com")
            .teams(TEAMS),
    ]
}

async fn server(events: Vec<TestEvent>) -> GraphServer {
    GraphServer::start(App::new(TENANT, CLIENT_ID, SECRET), [(ROOM, events)], 2)
        .await
        .unwrap()
}

/// The Graph server holding `events` for the room, and the path of its CA, written to a
/// temp dir that lives as long as the returned guard.
async fn served(events: Vec<TestEvent>) -> (GraphServer, tempfile::TempDir, std::path::PathBuf) {
    let server = server(events).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write_ca(&server, dir.path());
    (server, dir, ca)
}

fn write_ca(server: &GraphServer, dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, server.ca_pem()).unwrap();
    path
}

/// Settings for the Graph source through `server` for mailbox `room`.
fn settings(server: &GraphServer, ca_file: &Path, room: &str) -> Settings {
    room_settings::graph_room(server, ca_file, room)
}

fn secrets(secret: &str) -> Secrets {
    Secrets {
        client_secret: Some(Secret::new(secret)),
        admin_pin: Some(Secret::new("2468")),
        ..Secrets::default()
    }
}

use CheckStatus::{Fail, Pass, Skipped, Warn};

/// Asserts that `text` (a check's message or fix) says `part`, showing all of it when not.
fn assert_says(text: &str, part: &str) {
    assert!(text.contains(part), "{text}");
}

/// The checks of the room holding `events` on the Graph server, the app signing in with
/// `secret`, its CA trusted: their results, and the checks in the order they reported.
async fn check_room(events: Vec<TestEvent>, secret: &str) -> (Vec<CheckResult>, Vec<CheckId>) {
    let (server, _dir, ca) = served(events).await;
    check(&settings(&server, &ca, ROOM), &secrets(secret)).await
}

#[tokio::test]
async fn every_graph_check_passes_on_a_well_set_up_room() {
    let (server, _dir, ca) = served(intact_events()).await;
    let (results, seen) = check(&settings(&server, &ca, ROOM), &secrets(SECRET)).await;
    assert!(all_passed(&results), "{results:#?}");
    assert_eq!(seen, CheckId::GRAPH, "each check reported once, in order");
    assert!(
        result(&results, CheckId::SignIn)
            .message
            .contains(CLIENT_ID)
    );
    assert_eq!(
        result(&results, CheckId::Calendar).message,
        "The calendar of confrm2@contoso.com can be read: 3 meetings in the next 14 days."
    );
    assert_eq!(
        result(&results, CheckId::JoinLinks).message,
        "2 of 2 upcoming online meetings have a join link (3 meetings checked)."
    );
    // The calendar was read for the coming 14 days, from the injected instant.
    let view = server
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/calendarView"))
        .expect("a calendarView request");
    assert_eq!(
        view.query_value("startDateTime"),
        Some("2026-11-23T07:00:00Z")
    );
    assert_eq!(
        view.query_value("endDateTime"),
        Some("2026-12-07T07:00:00Z")
    );
}

#[tokio::test]
async fn with_booking_on_an_app_without_calendars_read_write_fails_the_calendar_check() {
    let server = GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET).read_only(),
        [(ROOM, intact_events())],
        2,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = write_ca(&server, dir.path());
    let mut settings = settings(&server, &ca, ROOM);
    assert!(settings.booking.enabled, "booking is on by default");
    let (results, _) = check(&settings, &secrets(SECRET)).await;
    let calendar = result(&results, CheckId::Calendar);
    assert_eq!(calendar.status, Fail, "{results:#?}");
    assert_says(
        &calendar.message,
        "the Calendars.ReadWrite application permission is missing",
    );
    assert_says(&calendar.message, "grants Calendars.Read;");
    let fix = calendar.fix.as_deref().unwrap();
    assert_says(fix, "Application permissions > Calendars.ReadWrite");
    assert_says(fix, "New-MgServicePrincipalAppRoleAssignment");
    assert_eq!(
        result(&results, CheckId::JoinLinks).status,
        Pass,
        "reading still works"
    );

    // Booking off: reading is all the console needs.
    settings.booking.enabled = false;
    let (results, _) = check(&settings, &secrets(SECRET)).await;
    assert!(all_passed(&results), "{results:#?}");
}

#[tokio::test]
async fn a_wrong_secret_fails_sign_in_with_the_new_secret_fix() {
    let (results, _) = check_room(intact_events(), "wrong~secret").await;
    assert_eq!(statuses(&results), [Pass, Fail, Skipped, Skipped, Skipped]);
    let sign_in = result(&results, CheckId::SignIn);
    assert!(sign_in.message.contains("AADSTS7000215"), "{sign_in:?}");
    assert_eq!(
        sign_in.fix.as_deref(),
        Some(
            "Create a new client secret in Entra ID > App registrations > \
             6731de76-14a6-49ae-97bc-6eba6914391e > Certificates & secrets and update \
             ClientSecret (provisioning file or setup wizard)."
        )
    );
}

#[tokio::test]
async fn missing_consent_fails_sign_in_at_the_token_endpoint_and_at_graph() {
    let (server, _dir, ca) = served(intact_events()).await;
    let settings = settings(&server, &ca, ROOM);
    let consent_fix = "In Entra ID > App registrations > 6731de76-14a6-49ae-97bc-6eba6914391e \
                       > API permissions, add Microsoft Graph > Application permissions > \
                       Calendars.Read and grant admin consent for Calendars.Read (application).";

    server.inject(Fault::NoConsent, Times::Once);
    let (results, _) = check(&settings, &secrets(SECRET)).await;
    assert_eq!(statuses(&results), [Pass, Fail, Skipped, Skipped, Skipped]);
    let sign_in = result(&results, CheckId::SignIn);
    assert!(sign_in.message.contains("AADSTS65001"), "{sign_in:?}");
    assert_eq!(sign_in.fix.as_deref(), Some(consent_fix));

    // A token without the permission: Graph itself refuses.
    server.inject(Fault::AuthorizationRequestDenied, Times::Once);
    let (results, _) = check(&settings, &secrets(SECRET)).await;
    assert_eq!(statuses(&results), [Pass, Fail, Skipped, Skipped, Skipped]);
    let sign_in = result(&results, CheckId::SignIn);
    assert!(
        sign_in.message.contains("Authorization_RequestDenied"),
        "{sign_in:?}"
    );
    assert_eq!(sign_in.fix.as_deref(), Some(consent_fix));
}

#[tokio::test]
async fn a_mailbox_outside_the_apps_scope_fails_the_mailbox_check() {
    let (server, _dir, ca) = served(intact_events()).await;
    server.inject(Fault::AccessToODataDisabled, Times::UntilCleared);
    let (results, _) = check(&settings(&server, &ca, ROOM), &secrets(SECRET)).await;
    assert_eq!(statuses(&results), [Pass, Pass, Fail, Skipped, Skipped]);
    let mailbox = result(&results, CheckId::Mailbox);
    assert!(
        mailbox.message.contains("outside the application's scope"),
        "{mailbox:?}"
    );
    let fix = mailbox.fix.as_deref().unwrap_or_default();
    assert!(
        fix.starts_with("Add confrm2@contoso.com to the app's scope in Exchange Online"),
        "{fix}"
    );
    assert_says(
        fix,
        "Test-ApplicationAccessPolicy -Identity confrm2@contoso.com -AppId 6731de76-14a6-49ae-97bc-6eba6914391e",
    );
}

#[tokio::test]
async fn a_room_that_does_not_exist_fails_the_mailbox_check() {
    let (server, _dir, ca) = served(intact_events()).await;
    let missing = "confrm9@contoso.com";
    let (results, _) = check(&settings(&server, &ca, missing), &secrets(SECRET)).await;
    assert_eq!(statuses(&results), [Pass, Pass, Fail, Skipped, Skipped]);
    let mailbox = result(&results, CheckId::Mailbox);
    assert!(mailbox.message.contains("was not found"), "{mailbox:?}");
    assert_eq!(
        mailbox.fix.as_deref(),
        Some(
            "Check the room's e-mail address (confrm9@contoso.com): the room mailbox was not \
             found, or it is not an Exchange Online mailbox (on-premises mailboxes need the EWS \
             source)."
        )
    );

    // Graph's own word for a mailbox it cannot serve over REST.
    server.inject(Fault::MailboxNotEnabledForRest, Times::Once);
    let (results, _) = check(&settings(&server, &ca, ROOM), &secrets(SECRET)).await;
    let mailbox = result(&results, CheckId::Mailbox);
    assert_eq!(mailbox.status, Fail);
    assert!(
        mailbox.message.contains("MailboxNotEnabledForRESTAPI"),
        "{mailbox:?}"
    );
}

#[tokio::test]
async fn stripped_bodies_warn_with_the_calendar_processing_fix() {
    let (results, _) = check_room(stripped_events(), SECRET).await;
    assert_eq!(statuses(&results), [Pass, Pass, Pass, Pass, Warn]);
    let join = result(&results, CheckId::JoinLinks);
    assert!(
        join.message
            .starts_with("1 of 3 upcoming online meetings have a join link"),
        "{join:?}"
    );
    assert!(join.message.contains("DeleteComments"), "{join:?}");
    assert_eq!(
        join.fix.as_deref(),
        Some(
            "Run `Set-CalendarProcessing -Identity confrm2@contoso.com -DeleteComments $false` \
             in Exchange PowerShell. Invitations sent after the change arrive intact; ask \
             organizers to resend earlier ones."
        )
    );
}

#[tokio::test]
async fn without_the_private_ca_the_server_check_names_the_certificate() {
    let server = server(intact_events()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&server, Path::new("unused"), ROOM);
    settings.calendar.trusted_ca_file = None;
    let (results, _) = check(&settings, &secrets(SECRET)).await;
    assert_eq!(
        statuses(&results),
        [Fail, Skipped, Skipped, Skipped, Skipped]
    );
    let server_check = result(&results, CheckId::Server);
    assert!(
        server_check
            .message
            .contains("issued by \"CN=room-console test Exchange CA\""),
        "{server_check:?}"
    );
    assert!(
        server_check.fix.as_deref().unwrap_or_default().starts_with(
            "Install the issuing CA (\"CN=room-console test Exchange CA\") as TrustedCaFile"
        ),
        "{server_check:?}"
    );
    drop(dir);
}

/// `diagnose --json` on a saved Graph setup: the same checks, the JSON shape, exit 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_json_runs_the_graph_checks_on_saved_settings() {
    let (server, dir, ca) = served(intact_events()).await;
    let data = dir.path().join("data");
    secrets(SECRET).save(&data).unwrap();
    settings(&server, &ca, ROOM).save(&data).unwrap();
    let output = tokio::task::spawn_blocking(move || {
        console_on(
            &data,
            &["diagnose", "--json", "--now", "2026-11-23T07:00:00Z"],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    let output = succeeded("diagnose --json", output);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["server", "sign-in", "mailbox", "calendar", "join-links"]
    );
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "pass" && c.get("fix").is_some())
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(SECRET), "the secret never shows");
}
