//! End to end over HTTPS with a private CA: `provision` → `sync --once` → `agenda --json`
//! against the in-repo EWS server, with Basic and NTLM, impersonation and the room's own
//! account; faults keep the cached agenda and say what to fix.

use crate::common::cli_console;
use crate::common::ews_server;
use crate::common::full_day;

use chrono::{TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

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

/// A `version` server with Basic sign-in holding `mailbox`, and the console reading it
/// with the room's own account.
async fn room_reading(version: ExchangeVersion, mailbox: Mailbox) -> (EwsServer, Console) {
    let server = server(version, AuthMode::Basic, room_account(), mailbox).await;
    let console = Console::new();
    console.provision_own_mailbox(ROOM, ROOM_SIGN_IN, &server);
    (server, console)
}

/// An Exchange 2019 server answering `mode` holding `mailbox`, and the console reading it
/// as the impersonating service account signing in with `auth`.
async fn service_reading(mode: AuthMode, auth: &str, mailbox: Mailbox) -> (EwsServer, Console) {
    let server = server(
        ExchangeVersion::Exchange2019,
        mode,
        service_account(),
        mailbox,
    )
    .await;
    let console = Console::new();
    console.provision_impersonating(ROOM, auth, SERVICE_SIGN_IN, &server);
    (server, console)
}

/// The full day's agenda, with what only the EWS copy of it shows.
fn assert_full_agenda(agenda: &[Value]) {
    full_day::assert_agenda(agenda);
    assert_eq!(
        by_subject(agenda, "Company day")["no_join_reason"],
        "no_link"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impersonation_with_ntlm_over_https() {
    let (server, console) =
        service_reading(AuthMode::Ntlm, "ntlm", full_day::ews_mailbox(ROOM)).await;
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
    let (_server, console) =
        room_reading(ExchangeVersion::Exchange2016, full_day::ews_mailbox(ROOM)).await;
    console.sync_ok_at(NOW);
    assert_full_agenda(&console.agenda_of(DAY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_poll_is_one_small_request_and_changes_are_fetched_alone() {
    let (server, console) =
        room_reading(ExchangeVersion::Exchange2019, full_day::ews_mailbox(ROOM)).await;
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
    let (server, console) =
        service_reading(AuthMode::Basic, "basic", full_day::ews_mailbox(ROOM)).await;
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
        full_day::ews_mailbox(ROOM),
    )
    .await;
    let console = Console::new();
    console.provision_impersonating(
        ROOM,
        "basic",
        ("mailboxservice@contoso.com", "S3rvice!pw"),
        &server,
    );
    let stderr = console.sync_fails_at(NOW);
    assert!(stderr.contains("New-ManagementRoleAssignment"), "{stderr}");
    assert!(stderr.contains("ApplicationImpersonation"), "{stderr}");
    let status = console.status();
    assert_eq!(status["sync"]["state"], "permission_denied");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_character_references_do_not_lose_meetings_and_a_bad_sync_state_starts_over() {
    let (server, console) =
        room_reading(ExchangeVersion::Exchange2019, full_day::ews_mailbox(ROOM)).await;
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
    let (_server, console) = service_reading(
        AuthMode::Basic,
        "basic",
        Mailbox::new("other@contoso.com", "Other"),
    )
    .await;
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
    let (_server, console) = room_reading(ExchangeVersion::Exchange2016, night).await;
    console.sync_ok_at("2026-10-24T12:00:00Z");
    let agenda = console.agenda_of("2026-10-25");
    let handover = by_subject(&agenda, "Night shift handover");
    assert_eq!(handover["start"], "2026-10-25T02:30:00+02:00");
    assert_eq!(handover["end"], "2026-10-25T02:30:00+01:00");
}
