//! The room acts over Microsoft Graph, end to end through the binary against the in-repo
//! Graph server: `book` (POST with a transactionId and the console's marker), `extend`
//! and `end` (PATCH with If-Match), and the release of no-shows by `sync --once`
//! (decline of the occurrence with the note, delete of the console's own booking);
//! clashes, stale etags and an app without Calendars.ReadWrite keep the agenda and say
//! why; a retry after a lost answer never books twice.

use crate::common::cli_console;
use crate::common::graph_server;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cli_console::{Console, by_subject};
use graph_server::*;
use serde_json::Value;

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const SECRET: &str = "Qx8Q~s3cret.value";
const ROOM: &str = "confrm2@contoso.com";
const DAY: &str = "2026-11-23";

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

/// RFC 3339 of `at(h, m, s)`, for `--now`.
fn now(h: u32, m: u32, s: u32) -> String {
    at(h, m, s).to_rfc3339()
}

async fn server_for(app: App, events: Vec<TestEvent>) -> GraphServer {
    GraphServer::start(app, [(ROOM, events)], 10).await.unwrap()
}

async fn server_with(events: Vec<TestEvent>) -> GraphServer {
    server_for(App::new(TENANT, CLIENT_ID, SECRET), events).await
}

/// A console provisioned for the Graph app registration on `server`, with `booking`
/// (a `<Booking>` element, or nothing).
fn console_for(server: &GraphServer, booking: &str) -> Console {
    let console = Console::new();
    let ca = console.write_ca(&server.ca_pem());
    console.provision(&format!(
        r#"<RoomConsoleSettings>
  <RoomAccount>
    <DisplayName>Conference Room 2</DisplayName>
    <SignInAddress>{ROOM}</SignInAddress>
    <ExchangeAddress>{ROOM}</ExchangeAddress>
  </RoomAccount>
  <Calendar>
    <Source>graph</Source>
    <TenantId>{TENANT}</TenantId>
    <ClientId>{CLIENT_ID}</ClientId>
    <ClientSecret>{SECRET}</ClientSecret>
    <GraphUrl>{graph}</GraphUrl>
    <AuthorityUrl>{authority}</AuthorityUrl>
    <TrustedCaFile>{ca}</TrustedCaFile>
  </Calendar>
  <Device><TimeZone>Europe/Stockholm</TimeZone></Device>
  {booking}
</RoomConsoleSettings>"#,
        graph = server.graph_url(),
        authority = server.authority_url(),
        ca = ca.display()
    ));
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

fn meeting(
    id: &str,
    subject: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    who: &str,
) -> TestEvent {
    TestEvent::new(id, subject, start, end)
        .organizer(who, &format!("{}@contoso.com", who.to_lowercase()))
}

fn booked(events: &[TestEvent]) -> Vec<&TestEvent> {
    events.iter().filter(|e| e.booking_id.is_some()).collect()
}

/// The writes the server saw, as "METHOD path".
fn writes(server: &GraphServer) -> Vec<Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.ends_with("/token"))
        .collect()
}

/// Whether a recorded request is the clash check's marked view.
fn is_marked_view(r: &Recorded) -> bool {
    r.method == "GET"
        && r.path.ends_with("/calendarView")
        && r.query_value("$expand")
            .is_some_and(|e| e.contains("RoomConsoleBookingId"))
        && r.query_value("$select")
            .is_some_and(|s| !s.contains("body"))
}

#[tokio::test(flavor = "multi_thread")]
async fn book_now_posts_a_marked_event_with_a_transaction_id_and_the_agenda_shows_it() {
    let server = server_with(vec![meeting(
        "AAMk-board",
        "Board",
        at(10, 0, 0),
        at(11, 0, 0),
        "Jonas",
    )])
    .await;
    let console = console_for(&server, "");
    let (ok, out, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 3, 42)],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("Booked: 10:03–10:33 Booked at the console"),
        "{out}"
    );

    let events = server.events(ROOM);
    let ours = booked(&events);
    assert_eq!(ours.len(), 1);
    assert_eq!((ours[0].start, ours[0].end), (at(9, 3, 0), at(9, 33, 0)));
    assert_eq!(ours[0].subject, "Booked at the console");
    assert_eq!(ours[0].organizer.1, ROOM, "booked as the room");

    // Checked before and after the write, in the room's own calendar.
    let requests = server.requests();
    let post = requests
        .iter()
        .position(|r| r.method == "POST" && !r.path.ends_with("/token"))
        .unwrap();
    assert_eq!(
        requests[post].path,
        format!("/v1.0/users/{ROOM}/calendar/events")
    );
    assert!(
        is_marked_view(&requests[post - 1]),
        "{:?}",
        requests[post - 1]
    );
    assert!(
        is_marked_view(&requests[post + 1]),
        "{:?}",
        requests[post + 1]
    );
    let body: Value = serde_json::from_slice(&requests[post].body).unwrap();
    let booking_id = ours[0].booking_id.as_deref().unwrap();
    let transaction_id = body["transactionId"].as_str().unwrap();
    assert_eq!(
        transaction_id.replace('-', ""),
        booking_id,
        "derived from the booking id"
    );
    assert_eq!(transaction_id.len(), 36, "a GUID: {transaction_id}");
    assert!(body.get("attendees").is_none(), "nobody is invited");

    // The store holds it from the server's answer, marked as the console's.
    let agenda = console.agenda_of(DAY);
    let entry = by_subject(&agenda, "Booked at the console");
    assert_eq!(entry["booked_here"], true);
    assert_eq!(by_subject(&agenda, "Board")["booked_here"], false);

    // A delta round cannot carry the marker: the changed booking is read again by id
    // with it, and stays the console's.
    server.clear_requests();
    server.modify(ROOM, &ours[0].id, |e| e.location = "Saturn".into());
    console.sync_ok_at(&now(9, 5, 0));
    let fetched = server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with(&ours[0].id))
        .count();
    assert_eq!(fetched, 1, "fetched by id once, with the marker");
    let agenda = console.agenda_of(DAY);
    assert_eq!(
        by_subject(&agenda, "Booked at the console")["booked_here"],
        true
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_a_lost_answer_finds_the_earlier_booking_instead_of_booking_twice() {
    let server = server_with(Vec::new()).await;
    let console = console_for(&server, "");
    server.lose_next_create_answer();
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(!ok, "the answer was lost");
    assert!(err.contains("504"), "{err}");
    assert_eq!(booked(&server.events(ROOM)).len(), 1, "Graph did book it");

    // The person presses Book now again (or the console restarted).
    let (ok, out, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 30)],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Booked: 10:00–10:15"), "{out}");
    assert_eq!(
        booked(&server.events(ROOM)).len(),
        1,
        "never a second booking"
    );
    let posts = writes(&server)
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_throttle_is_waited_out_and_books_once() {
    let server = server_with(Vec::new()).await;
    let console = console_for(&server, "");
    server.throttle_next_create(1);
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(ok, "{err}");
    let posts: Vec<u16> = writes(&server)
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.status)
        .collect();
    assert_eq!(posts, [429, 201], "asked again after the wait");
    assert_eq!(booked(&server.events(ROOM)).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_throttle_fails_the_booking_with_the_reason_and_a_retry_books_once() {
    let server = server_with(Vec::new()).await;
    let console = console_for(&server, "");
    // Longer than the console waits within a call (room_console::graph::client::
    // LONGEST_WAIT_IN_A_CALL, 30 s): the action fails with the reason instead.
    server.throttle_next_create(120);
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(err.contains("throttling"), "{err}");
    assert!(server.events(ROOM).is_empty());
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 2, 0)],
    );
    assert!(ok, "{err}");
    assert_eq!(booked(&server.events(ROOM)).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_booking_that_clashes_with_one_made_a_moment_ago_is_deleted_again() {
    let server = server_with(Vec::new()).await;
    let console = console_for(&server, "");
    server.race_next_create(meeting(
        "AAMk-sales",
        "Sales sync",
        at(9, 10, 0),
        at(9, 40, 0),
        "Eva",
    ));
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 0, 0)],
    );
    assert!(!ok);
    assert!(
        err.contains("Someone booked this room at 10:10 a moment ago"),
        "{err}"
    );
    let events = server.events(ROOM);
    assert!(booked(&events).is_empty(), "our booking was deleted");
    assert_eq!(events.len(), 1);
    assert!(writes(&server).iter().any(|r| r.method == "DELETE"));
    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), 1);
    by_subject(&agenda, "Sales sync");
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_patches_the_end_with_if_match_only_while_the_room_is_free_afterwards() {
    let server = server_with(vec![
        meeting("AAMk-standup", "Standup", at(9, 0, 0), at(9, 30, 0), "Ana"),
        meeting("AAMk-review", "Review", at(9, 50, 0), at(10, 30, 0), "Lars"),
    ])
    .await;
    let console = console_for(&server, "");
    let (ok, _, err) = run(
        &console,
        &["extend", "--minutes", "30", "--now", &now(9, 10, 0)],
    );
    assert!(!ok);
    assert!(err.contains("booked from 10:50"), "{err}");
    assert!(writes(&server).is_empty());
    let (ok, out, err) = run(
        &console,
        &["extend", "--minutes", "15", "--now", &now(9, 10, 0)],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Extended: 10:00–10:45 Standup"), "{out}");
    let standup = server
        .events(ROOM)
        .into_iter()
        .find(|e| e.id == "AAMk-standup")
        .unwrap();
    assert_eq!(standup.end, at(9, 45, 0));
    let patch = writes(&server)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(
        patch.path,
        format!("/v1.0/users/{ROOM}/events/AAMk-standup")
    );
    assert_eq!(
        patch.if_match.as_deref(),
        Some("W/\"ck-AAMk-standup-1\""),
        "the etag last read"
    );
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:45:00+01:00"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_etag_is_read_again_and_decided_again() {
    let server = server_with(vec![meeting(
        "AAMk-standup",
        "Standup",
        at(9, 0, 0),
        at(9, 30, 0),
        "Ana",
    )])
    .await;
    let console = console_for(&server, "");
    server.change_before_next_update();
    let (ok, _, err) = run(&console, &["end", "--now", &now(9, 17, 45)]);
    assert!(ok, "{err}");
    let patches: Vec<_> = writes(&server)
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 2, "refused once (412), then done");
    assert_eq!(patches[0].status, 412);
    assert_ne!(
        patches[0].if_match, patches[1].if_match,
        "the second with the new etag"
    );
    let standup = server.events(ROOM).into_iter().next().unwrap();
    assert_eq!(standup.end, at(9, 17, 0), "rounded down to the minute");
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:17:00+01:00"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_without_calendars_read_write_is_told_the_exact_permission_to_grant() {
    let app = App::new(TENANT, CLIENT_ID, SECRET).read_only();
    let server = server_for(
        app,
        vec![meeting(
            "AAMk-standup",
            "Standup",
            at(9, 0, 0),
            at(9, 30, 0),
            "Ana",
        )],
    )
    .await;
    let console = console_for(&server, "");
    console.sync_ok_at(&now(9, 10, 0));
    let (ok, _, err) = run(
        &console,
        &["extend", "--minutes", "15", "--now", &now(9, 10, 0)],
    );
    assert!(!ok);
    assert!(
        err.contains("Calendars.ReadWrite application permission is missing"),
        "{err}"
    );
    assert!(err.contains("ErrorAccessDenied"), "{err}");
    assert!(
        err.contains("Application permissions > Calendars.ReadWrite and grant admin consent"),
        "{err}"
    );
    assert!(err.contains(&format!("appId eq '{CLIENT_ID}'")), "{err}");
    assert!(
        err.contains("New-MgServicePrincipalAppRoleAssignment"),
        "{err}"
    );
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:30:00+01:00"
    );

    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "15", "--now", &now(9, 40, 0)],
    );
    assert!(!ok);
    assert!(err.contains("Calendars.ReadWrite"), "{err}");
    assert!(booked(&server.events(ROOM)).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting() {
    let mut events = vec![
        meeting(
            "AAMk-weekly",
            "Weekly sync",
            at(9, 0, 0),
            at(9, 30, 0),
            "Ana",
        )
        .series_master(),
        meeting("AAMk-design", "Design", at(10, 0, 0), at(10, 30, 0), "Lars"),
    ];
    for day in 0..3 {
        let shift = Duration::days(day);
        events.push(
            meeting(
                &format!("AAMk-weekly-{day}"),
                "Weekly sync",
                at(9, 0, 0) + shift,
                at(9, 30, 0) + shift,
                "Ana",
            )
            .occurrence_of("AAMk-weekly", false),
        );
    }
    let server = server_with(events).await;
    let console = console_for(
        &server,
        "<Booking><CheckIn>true</CheckIn><ReportSeriesAfterReleases>2</ReportSeriesAfterReleases></Booking>",
    );
    console.sync_ok_at(&now(9, 5, 0));
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Weekly sync")["checked_in"],
        false
    );

    let (ok, out, err) = run(&console, &["check-in", "--now", &now(9, 56, 0)]);
    assert!(ok, "{err}");
    assert!(out.contains("Checked in to: 11:00–11:30 Design"), "{out}");

    let (ok, out, _) = run(&console, &["sync", "--once", "--now", &now(9, 9, 59)]);
    assert!(ok);
    assert!(!out.contains("released"), "{out}");
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &now(9, 10, 0)]);
    assert!(ok, "{err}");
    assert!(
        out.contains("released (nobody checked in): 10:00–10:30 Weekly sync"),
        "{out}"
    );

    let decline = writes(&server)
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        decline.path,
        format!("/v1.0/users/{ROOM}/events/AAMk-weekly-0/decline"),
        "the occurrence, never the series"
    );
    let body: Value = serde_json::from_slice(&decline.body).unwrap();
    assert_eq!(body["sendResponse"], true);
    let sent = server.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "ana@contoso.com");
    assert_eq!(
        sent[0].comment,
        "Nobody checked in at Conference Room 2 within 10 minutes of the start, so the room was released. Book again from Outlook or at the console."
    );
    let left: Vec<String> = server.events(ROOM).into_iter().map(|e| e.id).collect();
    assert!(
        left.contains(&"AAMk-weekly".to_string()),
        "the series stays"
    );
    assert!(left.contains(&"AAMk-weekly-1".to_string()));
    let agenda = console.agenda_of(DAY);
    assert!(agenda.iter().all(|m| m["subject"] != "Weekly sync"));
    assert_eq!(by_subject(&agenda, "Design")["checked_in"], true);

    // Design was checked in to: it stays past its window.
    let (ok, out, _) = run(&console, &["sync", "--once", "--now", &now(10, 15, 0)]);
    assert!(ok);
    assert!(!out.contains("Design"), "{out}");
    assert_eq!(server.sent().len(), 1);

    // The next day's occurrence is released too: the series is reported, not removed.
    let next_day = (at(9, 10, 0) + Duration::days(1)).to_rfc3339();
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &next_day]);
    assert!(ok, "{err}");
    assert!(out.contains("was released 2 times in a row"), "{out}");
    let left: Vec<String> = server.events(ROOM).into_iter().map(|e| e.id).collect();
    assert!(
        left.contains(&"AAMk-weekly".to_string()) && left.contains(&"AAMk-weekly-2".to_string()),
        "{left:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_booked_at_the_console_is_deleted_not_declined() {
    let server = server_with(Vec::new()).await;
    let console = console_for(&server, "<Booking><CheckIn>true</CheckIn></Booking>");
    let (ok, _, err) = run(
        &console,
        &["book", "--minutes", "30", "--now", &now(9, 0, 0)],
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&console, &["sync", "--once", "--now", &now(9, 10, 0)]);
    assert!(ok, "{err}");
    assert!(out.contains("released"), "{out}");
    assert!(server.events(ROOM).is_empty());
    assert!(server.sent().is_empty(), "nobody to tell");
    assert!(writes(&server).iter().any(|r| r.method == "DELETE"));
}
