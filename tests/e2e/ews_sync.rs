//! End to end over HTTPS with a private CA: `provision` → `sync --once` → `agenda --json`
//! against the in-repo EWS server, with Basic and NTLM, impersonation and the room's own
//! account; faults keep the cached agenda and say what to fix.

use crate::common::cli_console;
use crate::common::ews_server;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

/// The room's calendar: a recurring series (one occurrence moved, one deleted), an
/// all-day meeting, a private and a cancelled meeting, Teams and Lync links, an
/// invitation whose body the mailbox stripped, and a meeting across the DST change of
/// 2027-03-28 in Stockholm (outside the window: must not appear).
fn room_mailbox() -> Mailbox {
    Mailbox::new(ROOM, "Conference Room 2").with_items([
        CalendarItem::new("Weekly sync", at(23, 8, 0), at(23, 8, 30))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .html_body("<html><body><p>Agenda</p><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0?context=%7b%7d\">Click here to join the meeting</a></body></html>")
            .recurring(Duration::days(1), 4)
            .modify_occurrence(2, Duration::hours(2), Some("Weekly sync (moved)"))
            .delete_occurrence(3),
        CalendarItem::new("Board review", at(23, 10, 0), at(23, 11, 0))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .location("Conference Room 2")
            .join_online_meeting_url("https://meet.contoso.com/jonas/K7QX2P4M")
            .html_body("<html><body><a href=\"https://meet.contoso.com/jonas/K7QX2P4M\">Join Lync Meeting</a></body></html>"),
        CalendarItem::new("Salary talk", at(23, 12, 0), at(23, 12, 30))
            .organizer("Min-jun Kim", "minjun@contoso.com")
            .sensitivity(Sensitivity::Private)
            .text_body("Private details"),
        CalendarItem::new("Vendor demo", at(23, 13, 0), at(23, 14, 0))
            .organizer("Sara Holm", "sara@contoso.com")
            .cancelled()
            .text_body("Cancelled: see you next week"),
        CalendarItem::new("Retro", at(23, 15, 0), at(23, 15, 30))
            .organizer("Lars Ek", "lars@contoso.com")
            .html_body("<html><body></body></html>"),
        CalendarItem::new("Company day", at(22, 23, 0), at(23, 23, 0))
            .organizer("Facilities", "facilities@contoso.com")
            .all_day()
            .free_busy(FreeBusyStatus::Free)
            .text_body("No link here"),
        CalendarItem::new("Far future", at(23, 8, 0) + Duration::days(125), at(23, 9, 0) + Duration::days(125)),
    ])
}

const ROOM_SIGN_IN: (&str, &str) = ("CONTOSO\\confrm2", "R00m!pw");
const SERVICE_SIGN_IN: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");

/// The room account, reading its own mailbox.
fn room_account() -> Account {
    Account::new(ROOM_SIGN_IN.0, ROOM_SIGN_IN.1).with_own_mailbox(ROOM)
}

/// The service account with ApplicationImpersonation on the room.
fn service_account() -> Account {
    Account::new(SERVICE_SIGN_IN.0, SERVICE_SIGN_IN.1).impersonating(&[ROOM])
}

/// A test server of `version` answering `mode` for `account`, serving `mailbox`.
async fn server(
    version: ExchangeVersion,
    mode: AuthMode,
    account: Account,
    mailbox: Mailbox,
) -> EwsServer {
    EwsServer::start(
        ServerConfig::new(version, mode)
            .with_account(account)
            .with_mailbox(mailbox),
    )
    .await
    .unwrap()
}

/// A console provisioned for `server`, reading with `source` (ews-room-account or
/// ews-impersonation) and signing in with `auth` as `account` (user, password).
fn provisioned(server: &EwsServer, source: &str, auth: &str, account: (&str, &str)) -> Console {
    let console = Console::new();
    let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
    console.provision_ews(ROOM, source, auth, account, &endpoint, &server.ca_pem());
    console
}

/// The console provisioned for `server` with the room's own sign-in (Basic).
fn for_room(server: &EwsServer) -> Console {
    provisioned(server, "ews-room-account", "basic", ROOM_SIGN_IN)
}

/// The console provisioned for `server` with the impersonating service account.
fn for_service(server: &EwsServer, auth: &str) -> Console {
    provisioned(server, "ews-impersonation", auth, SERVICE_SIGN_IN)
}

fn assert_full_agenda(agenda: &[Value]) {
    let weekly = by_subject(agenda, "Weekly sync");
    assert_eq!(
        weekly["start"], "2026-11-23T09:00:00+01:00",
        "Stockholm time"
    );
    assert_eq!(weekly["join"]["provider"], "teams");
    let lync = by_subject(agenda, "Board review");
    assert_eq!(lync["join"]["provider"], "sfb");
    assert_eq!(
        lync["join"]["url"],
        "https://meet.contoso.com/jonas/K7QX2P4M"
    );
    assert_eq!(lync["organizer"]["email"], "jonas@contoso.com");
    let private = agenda
        .iter()
        .find(|m| m["private"] == true)
        .expect("private meeting");
    assert_eq!(private["subject"], Value::Null);
    assert_eq!(by_subject(agenda, "Vendor demo")["cancelled"], true);
    assert_eq!(
        by_subject(agenda, "Retro")["no_join_reason"],
        "body_removed"
    );
    let all_day = by_subject(agenda, "Company day");
    assert_eq!(all_day["all_day"], true);
    assert_eq!(all_day["start"], "2026-11-23T00:00:00+01:00");
    assert_eq!(all_day["no_join_reason"], "no_link");
    assert_eq!(agenda.len(), 6, "{agenda:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonation_with_ntlm_over_https() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Ntlm,
        service_account(),
        room_mailbox(),
    )
    .await;
    let console = for_service(&server, "ntlm");
    console.sync_ok_at(NOW);
    assert_full_agenda(&console.agenda_of(DAY));

    let requests = server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.impersonated.as_deref() == Some(ROOM))
    );
    assert!(
        requests.iter().all(|r| !r.anchor_mailbox_warning),
        "X-AnchorMailbox on every request"
    );
    let status = console.status();
    assert_eq!(status["sync"]["state"], "ok");
    assert!(
        status["server"]
            .as_str()
            .unwrap()
            .contains("Exchange Server 2019"),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn room_account_with_basic_over_https() {
    let server = server(
        ExchangeVersion::Exchange2016,
        AuthMode::Basic,
        room_account(),
        room_mailbox(),
    )
    .await;
    let console = for_room(&server);
    console.sync_ok_at(NOW);
    assert_full_agenda(&console.agenda_of(DAY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_poll_is_one_small_request_and_changes_are_fetched_alone() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        room_account(),
        room_mailbox(),
    )
    .await;
    let console = for_room(&server);
    console.sync_ok_at(NOW);

    server.clear_requests();
    console.sync_ok_at(NOW);
    let idle: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.operation.clone())
        .collect();
    assert_eq!(idle, ["SyncFolderItems"], "an idle poll costs one request");

    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.id_of("Retro").unwrap();
    mailbox.modify(&id, |item| item.subject = "Retro (new room)".into());
    server.clear_requests();
    console.sync_ok_at(NOW);
    let get_items: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.operation == "GetItem")
        .collect();
    assert_eq!(get_items.len(), 1);
    let body = String::from_utf8_lossy(&get_items[0].body).to_string();
    assert_eq!(
        body.matches("ItemId ").count(),
        1,
        "only the changed item is fetched: {body}"
    );
    let agenda = console.agenda_of(DAY);
    by_subject(&agenda, "Retro (new room)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_keep_the_cached_agenda_and_say_what_to_fix() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        service_account(),
        room_mailbox(),
    )
    .await;
    let console = for_service(&server, "basic");
    console.sync_ok_at(NOW);

    let faults = [
        (Fault::ServerBusy { back_off_ms: 29571 }, "throttled"),
        (
            Fault::Http503 {
                retry_after: Some(120),
            },
            "throttled",
        ),
        (Fault::IisHtmlError, "server_error"),
        (Fault::TruncatedXml, "server_error"),
        (Fault::Empty200, "server_error"),
        (Fault::TooManyObjectsOpened, "throttled"),
        (Fault::ConnectionReset, "offline"),
        (Fault::SchemaValidation, "server_error"),
        (Fault::CalendarViewRangeTooBig, "server_error"),
        (
            Fault::Huge {
                bytes: 40 * 1024 * 1024,
            },
            "server_error",
        ),
        (Fault::Unauthorized, "sign_in_failed"),
        (Fault::Forbidden403, "permission_denied"),
    ];
    for (fault, state) in faults {
        server.inject(fault.clone(), Times::UntilCleared);
        let out = console.sync_at(NOW);
        assert!(!out.status.success(), "{fault:?} must fail the sync");
        assert_full_agenda(&console.agenda_of(DAY));
        let status = console.status();
        assert_eq!(status["sync"]["state"], state, "{fault:?}: {status}");
        assert!(
            status["sync"]["last_error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        server.clear_faults();
    }
    // The console recovers by itself once the fault clears.
    console.sync_ok_at(NOW);
    assert_eq!(console.status()["sync"]["state"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonation_denied_names_the_fix() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        Account::new("mailboxservice@contoso.com", "S3rvice!pw"),
        room_mailbox(),
    )
    .await;
    let console = provisioned(
        &server,
        "ews-impersonation",
        "basic",
        ("mailboxservice@contoso.com", "S3rvice!pw"),
    );
    let stderr = console.sync_fails_at(NOW);
    assert!(stderr.contains("New-ManagementRoleAssignment"), "{stderr}");
    assert!(stderr.contains("ApplicationImpersonation"), "{stderr}");
    let status = console.status();
    assert_eq!(status["sync"]["state"], "permission_denied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_character_references_do_not_lose_meetings_and_a_bad_sync_state_starts_over() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        room_account(),
        room_mailbox(),
    )
    .await;
    let console = for_room(&server);
    server.inject_on("GetItem", Fault::InvalidCharRefs, Times::UntilCleared);
    console.sync_ok_at(NOW);
    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), 6, "every meeting kept: {agenda:#?}");
    server.clear_faults();

    server.inject_on("SyncFolderItems", Fault::InvalidSyncStateData, Times::Once);
    console.sync_ok_at(NOW); // a rejected sync state starts over
    assert_full_agenda(&console.agenda_of(DAY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_room_mailbox_is_named() {
    let server = server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        service_account(),
        Mailbox::new("other@contoso.com", "Other"),
    )
    .await;
    let console = for_service(&server, "basic");
    let stderr = console.sync_fails_at(NOW);
    assert!(stderr.contains(ROOM), "{stderr}");
    let status = console.status();
    assert_eq!(status["sync"]["state"], "permission_denied", "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_across_the_dst_change_keeps_its_instants() {
    // Stockholm leaves summer time at 03:00 CEST on 2026-10-25 (01:00Z): a meeting from
    // 00:30Z to 01:30Z reads 02:30+02:00 to 02:30+01:00 there.
    let night = Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
        "Night shift handover",
        Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap(),
    )
    .organizer("Lars Ek", "lars@contoso.com")
    .text_body("Handover notes")]);
    let server = server(
        ExchangeVersion::Exchange2016,
        AuthMode::Basic,
        room_account(),
        night,
    )
    .await;
    let console = for_room(&server);
    console.sync_ok_at("2026-10-24T12:00:00Z");
    let agenda = console.agenda_of("2026-10-25");
    let handover = by_subject(&agenda, "Night shift handover");
    assert_eq!(handover["start"], "2026-10-25T02:30:00+02:00");
    assert_eq!(handover["end"], "2026-10-25T02:30:00+01:00");
}
