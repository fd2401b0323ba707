//! The room acts, end to end through the binary against the in-repo EWS server: `book`,
//! `extend`, `end`, `check-in` and the release of no-shows by `sync --once`; clashes,
//! stale ChangeKeys, refused permissions and throttling keep the agenda and say why;
//! a retry after a lost answer never books twice.

use crate::common::cli_console;
use crate::common::ews_server;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";
const DAY: &str = "2026-11-23";
const ROOM_SIGN_IN: (&str, &str) = ("CONTOSO\\confrm2", "R00m!pw");

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

/// RFC 3339 of `at(h, m, s)`, for `--now`.
fn now(h: u32, m: u32, s: u32) -> String {
    at(h, m, s).to_rfc3339()
}

/// A server hosting the room with `items`, the room signing in as itself (`account`
/// None) or as another account.
async fn server_with(items: Vec<CalendarItem>, account: Option<Account>) -> EwsServer {
    let account = account
        .unwrap_or_else(|| Account::new(ROOM_SIGN_IN.0, ROOM_SIGN_IN.1).with_own_mailbox(ROOM));
    EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2016, AuthMode::Both)
            .with_account(account)
            .with_mailbox(Mailbox::new(ROOM, "Saturn").with_items(items)),
    )
    .await
    .unwrap()
}

fn console_for(server: &EwsServer, sign_in: (&str, &str)) -> Console {
    let console = Console::new();
    let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
    console.provision_ews(
        ROOM,
        "ews-room-account",
        "basic",
        sign_in,
        &endpoint,
        &server.ca_pem(),
    );
    console
}

/// Runs the console with `args`; (success, stdout, stderr).
fn run(console: &Console, args: &[&str]) -> (bool, String, String) {
    let out = console.run(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn meeting(subject: &str, start: DateTime<Utc>, end: DateTime<Utc>, who: &str) -> CalendarItem {
    CalendarItem::new(subject, start, end)
        .organizer(who, &format!("{}@contoso.com", who.to_lowercase()))
}

fn booked(items: &[CalendarItem]) -> Vec<&CalendarItem> {
    items.iter().filter(|i| i.booking_id.is_some()).collect()
}

fn operations(server: &EwsServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.operation).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn book_now_creates_a_marked_booking_as_the_room_and_the_agenda_shows_it() {
    let server = server_with(
        vec![meeting("Board", at(10, 0, 0), at(11, 0, 0), "Jonas")],
        None,
    )
    .await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let (ok, out, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 3, 42)],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("Booked: 10:03–10:33 Booked at the console"),
        "{out}"
    );

    let items = server.mailbox(ROOM).unwrap().items();
    let ours = booked(&items);
    assert_eq!(ours.len(), 1);
    assert_eq!((ours[0].start, ours[0].end), (at(9, 3, 0), at(9, 33, 0)));
    assert_eq!(ours[0].subject, "Booked at the console");
    assert_eq!(
        ours[0].organizer.as_ref().unwrap().email,
        ROOM,
        "booked as the room"
    );

    // Checked before and after the write; no invitation sent.
    let ops = operations(&server);
    let create = ops.iter().position(|o| o == "CreateItem").unwrap();
    assert_eq!(ops[create - 1], "FindItem");
    assert_eq!(ops[create + 1], "FindItem");
    let request = server
        .requests()
        .into_iter()
        .find(|r| r.operation == "CreateItem")
        .unwrap();
    let body = String::from_utf8(request.body).unwrap();
    assert!(body.contains(r#"SendMeetingInvitations="SendToNone""#));

    // The store holds it from the server's answer, marked as the console's.
    let agenda = console.agenda_of(DAY);
    let entry = by_subject(&agenda, "Booked at the console");
    assert_eq!(entry["booked_here"], true);
    assert_eq!(entry["checked_in"], Value::Null);
    assert_eq!(by_subject(&agenda, "Board")["booked_here"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn book_now_never_runs_into_the_next_meeting_nor_books_while_one_is_on() {
    let server = server_with(
        vec![meeting("Board", at(9, 20, 0), at(10, 0, 0), "Jonas")],
        None,
    )
    .await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(err.contains("The next meeting starts at 10:20"), "{err}");
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "5", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(err.contains("at least 10 minutes"), "{err}");
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 30, 0)],
    );
    assert!(!ok);
    assert!(err.contains("in use until 11:00"), "{err}");
    assert!(!operations(&server).iter().any(|o| o == "CreateItem"));
    // 20 minutes fit exactly.
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "20", "--now", &now(9, 0, 10)],
    );
    assert!(ok, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_a_lost_answer_finds_the_earlier_booking_instead_of_booking_twice() {
    let server = server_with(Vec::new(), None).await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.fail_after_next_create();
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(!ok, "the answer was lost");
    assert!(err.contains("ErrorInternalServerTransientError"), "{err}");
    assert_eq!(booked(&mailbox.items()).len(), 1, "Exchange did book it");

    // The person presses Book now again (or the console restarted).
    let (ok, out, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 30)],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Booked: 10:00–10:15"), "{out}");
    assert_eq!(booked(&mailbox.items()).len(), 1, "never a second booking");
    let creates = operations(&server)
        .iter()
        .filter(|o| *o == "CreateItem")
        .count();
    assert_eq!(creates, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_booking_that_clashes_with_one_made_a_moment_ago_is_undone() {
    let server = server_with(Vec::new(), None).await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.race_next_create(meeting("Sales sync", at(9, 10, 0), at(9, 40, 0), "Eva"));
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(
        err.contains("Someone booked this room at 10:10 a moment ago"),
        "{err}"
    );
    let items = mailbox.items();
    assert!(booked(&items).is_empty(), "our booking was undone");
    assert_eq!(items.len(), 1);
    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), 1);
    by_subject(&agenda, "Sales sync");
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_moves_the_end_only_while_the_room_is_free_afterwards() {
    let server = server_with(
        vec![
            meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana"),
            meeting("Review", at(9, 50, 0), at(10, 30, 0), "Lars"),
        ],
        None,
    )
    .await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let (ok, _, err) = run(
        &console,
        &["extend", "--minutes", "30", "--now", &now(9, 10, 0)],
    );
    assert!(!ok);
    assert!(err.contains("booked from 10:50"), "{err}");
    let (ok, out, err) = run(
        &console,
        &["extend", "--minutes", "15", "--now", &now(9, 10, 0)],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Extended: 10:00–10:45 Standup"), "{out}");
    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.id_of("Standup").unwrap();
    let standup = mailbox
        .items()
        .into_iter()
        .find(|i| i.subject == "Standup")
        .unwrap();
    assert_eq!(standup.end, at(9, 45, 0));
    assert!(mailbox.change_key(&id).is_some());
    let request = server
        .requests()
        .into_iter()
        .find(|r| r.operation == "UpdateItem")
        .unwrap();
    let body = String::from_utf8(request.body).unwrap();
    assert!(
        body.contains("ChangeKey="),
        "sent with the ChangeKey last read"
    );
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:45:00+01:00"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_change_key_is_read_again_and_decided_again() {
    let server = server_with(
        vec![meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana")],
        None,
    )
    .await;
    let console = console_for(&server, ROOM_SIGN_IN);
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.change_before_next_update();
    let (ok, _, err) = run(&console, &["end", "--now", &now(9, 17, 45)]);
    assert!(ok, "{err}");
    let updates: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.operation == "UpdateItem")
        .collect();
    assert_eq!(
        updates.len(),
        2,
        "refused once (ErrorIrresolvableConflict), then done"
    );
    let standup = mailbox.items().into_iter().next().unwrap();
    assert_eq!(standup.end, at(9, 17, 0), "rounded down to the minute");
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:17:00+01:00"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_account_is_told_the_exact_permission_to_grant() {
    let delegate = ("CONTOSO\\svc-rooms", "Svc!pw");
    let server = server_with(
        vec![meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana")],
        Some(Account::new(delegate.0, delegate.1).reviewer_of(&[ROOM])),
    )
    .await;
    let console = console_for(&server, delegate);
    console.sync_ok_at(&now(9, 10, 0));
    let (ok, _, err) = run(
        &console,
        &["extend", "--minutes", "15", "--now", &now(9, 10, 0)],
    );
    assert!(!ok);
    assert!(err.contains("ErrorAccessDenied"), "{err}");
    assert!(
        err.contains("Add-MailboxFolderPermission -Identity confrm2@contoso.com:\\Calendar -User CONTOSO\\svc-rooms -AccessRights Editor"),
        "{err}"
    );
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:30:00+01:00"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_throttle_is_waited_out_and_books_once() {
    let server = server_with(Vec::new(), None).await;
    let console = console_for(&server, ROOM_SIGN_IN);
    server.inject_on(
        "CreateItem",
        Fault::ServerBusy { back_off_ms: 2000 },
        Times::Once,
    );
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(ok, "{err}");
    let mailbox = server.mailbox(ROOM).unwrap();
    assert_eq!(booked(&mailbox.items()).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_throttle_fails_the_booking_with_the_reason_and_a_retry_books_once() {
    let server = server_with(Vec::new(), None).await;
    let console = console_for(&server, ROOM_SIGN_IN);
    // Longer than the console waits within a call (room_console::sources::ews::
    // LONGEST_WAIT_IN_A_CALL, 30 s): the action fails with the reason instead.
    server.inject_on(
        "CreateItem",
        Fault::ServerBusy {
            back_off_ms: 120_000,
        },
        Times::Once,
    );
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(err.contains("throttling"), "{err}");
    let mailbox = server.mailbox(ROOM).unwrap();
    assert!(mailbox.items().is_empty());
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 2, 0)],
    );
    assert!(ok, "{err}");
    assert_eq!(booked(&mailbox.items()).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting() {
    let series =
        meeting("Weekly sync", at(9, 0, 0), at(9, 30, 0), "Ana").recurring(Duration::days(1), 3);
    let server = server_with(
        vec![
            series,
            meeting("Design", at(10, 0, 0), at(10, 30, 0), "Lars"),
        ],
        None,
    )
    .await;
    let console = console_for(&server, ROOM_SIGN_IN);
    console.provision(
        "<RoomConsoleSettings><Booking><CheckIn>true</CheckIn><ReportSeriesAfterReleases>2</ReportSeriesAfterReleases></Booking></RoomConsoleSettings>",
    );
    console.sync_ok_at(&now(9, 5, 0));
    let agenda = console.agenda_of(DAY);
    assert_eq!(by_subject(&agenda, "Weekly sync")["checked_in"], false);

    // Someone checks in to Design five minutes before it starts.
    let (ok, out, err) = run(&console, &["check-in", "--now", &now(9, 56, 0)]);
    assert!(ok, "{err}");
    assert!(out.contains("Checked in to: 11:00–11:30 Design"), "{out}");

    // Before the window ends nothing is released.
    let (ok, out, _) = run(&console, &["sync", "--once", "--now", &now(9, 9, 59)]);
    assert!(ok);
    assert!(!out.contains("released"), "{out}");
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &now(9, 10, 0)]);
    assert!(ok, "{err}");
    assert!(
        out.contains("released (nobody checked in): 10:00–10:30 Weekly sync"),
        "{out}"
    );

    let mailbox = server.mailbox(ROOM).unwrap();
    let items = mailbox.items();
    let weekly = items.iter().find(|i| i.subject == "Weekly sync").unwrap();
    assert_eq!(
        weekly.occurrences.len(),
        2,
        "only that occurrence, never the series"
    );
    let sent = mailbox.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "ana@contoso.com");
    assert_eq!(
        sent[0].body,
        "Nobody checked in at Conference Room 2 within 10 minutes of the start, so the room was released. Book again from Outlook or at the console."
    );
    let agenda = console.agenda_of(DAY);
    assert!(agenda.iter().all(|m| m["subject"] != "Weekly sync"));
    assert_eq!(by_subject(&agenda, "Design")["checked_in"], true);

    // Design was checked in to: it stays past its window.
    let (ok, out, _) = run(&console, &["sync", "--once", "--now", &now(10, 15, 0)]);
    assert!(ok);
    assert!(!out.contains("Design"), "{out}");
    assert_eq!(mailbox.sent().len(), 1);

    // The next day's occurrence is released too: the series is reported, not removed.
    let next_day = (at(9, 10, 0) + Duration::days(1)).to_rfc3339();
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &next_day]);
    assert!(ok, "{err}");
    assert!(out.contains("was released 2 times in a row"), "{out}");
    let status = console.status();
    assert_eq!(status["series_released"][0][1], 2, "{status:#}");
    let weekly = mailbox
        .items()
        .into_iter()
        .find(|i| i.subject == "Weekly sync")
        .unwrap();
    assert_eq!(weekly.occurrences.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_booked_at_the_console_is_deleted_not_declined() {
    let server = server_with(Vec::new(), None).await;
    let console = console_for(&server, ROOM_SIGN_IN);
    console.provision(
        "<RoomConsoleSettings><Booking><CheckIn>true</CheckIn></Booking></RoomConsoleSettings>",
    );
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 0, 0)],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &now(9, 10, 0)]);
    assert!(ok, "{err}");
    assert!(out.contains("released"), "{out}");
    let mailbox = server.mailbox(ROOM).unwrap();
    assert!(mailbox.items().is_empty());
    assert!(mailbox.sent().is_empty(), "nobody to tell");
    assert!(operations(&server).iter().any(|o| o == "DeleteItem"));
}
