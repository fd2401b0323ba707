//! The room acts over Microsoft Graph, end to end through the binary against the in-repo
//! Graph server: what only Graph shows of the scenarios in `on_either_server.rs` (the
//! POST with a transactionId between two marked views, the marker read again after a
//! delta round, PATCH with If-Match and the 412 of a stale etag, the decline of the
//! occurrence, an app without Calendars.ReadWrite told what to grant); the scenarios
//! themselves run for Graph there too.

use crate::common::booking_rig::*;
use crate::common::graph_server::{self, Recorded};
use crate::on_either_server;

use crate::common::cli_console::by_subject;
use serde_json::Value;

/// The writes the server saw (not GETs, not the token endpoint).
fn writes(room: &GraphRoom) -> Vec<Recorded> {
    room.server
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
    let (room, console) = on_either_server::book_now_creates_a_marked_booking::<GraphRoom>().await;
    let ours = room
        .server
        .events(ROOM)
        .into_iter()
        .find(|e| e.booking_id.is_some())
        .unwrap();

    // Checked before and after the write, in the room's own calendar.
    let requests = room.server.requests();
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
    let booking_id = ours.booking_id.as_deref().unwrap();
    let transaction_id = body["transactionId"].as_str().unwrap();
    assert_eq!(
        transaction_id.replace('-', ""),
        booking_id,
        "derived from the booking id"
    );
    assert_eq!(transaction_id.len(), 36, "a GUID: {transaction_id}");
    assert!(body.get("attendees").is_none(), "nobody is invited");

    // A delta round cannot carry the marker: the changed booking is read again by id
    // with it, and stays the console's.
    room.server.clear_requests();
    room.server
        .modify(ROOM, &ours.id, |e| e.location = "Saturn".into());
    console.sync_ok_at(&now(9, 5, 0));
    let fetched = room
        .server
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with(&ours.id))
        .count();
    assert_eq!(fetched, 1, "fetched by id once, with the marker");
    let agenda = console.agenda_of(DAY);
    assert_eq!(
        by_subject(&agenda, "Booked at the console")["booked_here"],
        true
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_throttle_is_waited_out_and_books_once() {
    let room = on_either_server::a_short_throttle_is_waited_out_and_books_once::<GraphRoom>().await;
    let posts: Vec<u16> = writes(&room)
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.status)
        .collect();
    assert_eq!(posts, [429, 201], "asked again after the wait");
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_patches_the_end_with_if_match_only_while_the_room_is_free_afterwards() {
    let (room, _) =
        on_either_server::extend_moves_the_end_only_while_the_room_is_free_afterwards::<GraphRoom>(
        )
        .await;
    let patch = writes(&room)
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
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_etag_is_read_again_and_decided_again() {
    let room =
        on_either_server::a_stale_version_is_read_again_and_decided_again::<GraphRoom>().await;
    let patches: Vec<_> = writes(&room)
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches[0].status, 412, "refused once");
    assert_ne!(
        patches[0].if_match, patches[1].if_match,
        "the second with the new etag"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_without_calendars_read_write_is_told_the_exact_permission_to_grant() {
    let (extend_err, book_err) =
        on_either_server::a_read_only_console_is_refused_and_keeps_the_agenda::<GraphRoom>().await;
    let app_filter = format!("appId eq '{}'", graph_server::CLIENT_ID);
    for words in [
        "Calendars.ReadWrite application permission is missing",
        "Application permissions > Calendars.ReadWrite and grant admin consent",
        &app_filter,
        "New-MgServicePrincipalAppRoleAssignment",
    ] {
        assert!(extend_err.contains(words), "{words:?} not in {extend_err}");
    }
    assert!(book_err.contains("Calendars.ReadWrite"), "{book_err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting() {
    let room = on_either_server::a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting::<GraphRoom>(
        |room| {
            let decline = writes(room)
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
            let left = event_ids(room);
            assert!(
                left.contains(&"AAMk-weekly".to_string()),
                "the series stays"
            );
            assert!(left.contains(&"AAMk-weekly-1".to_string()));
        },
    )
    .await;
    // After the next day's release.
    let left = event_ids(&room);
    assert!(
        left.contains(&"AAMk-weekly".to_string()) && left.contains(&"AAMk-weekly-2".to_string()),
        "{left:?}"
    );
}

fn event_ids(room: &GraphRoom) -> Vec<String> {
    room.server.events(ROOM).into_iter().map(|e| e.id).collect()
}
