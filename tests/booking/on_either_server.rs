//! The room acts the same over EWS and Graph: each scenario is written once over
//! [`RoomServer`] and runs against both in-repo servers (`on_either_server::ews::…` and
//! `on_either_server::graph::…`). A scenario with checks only one protocol can make
//! (ChangeKeys, etags, request bodies) returns the room and the console to its test in
//! `ews_end_to_end.rs` / `graph_end_to_end.rs`, which makes them.

use crate::common::booking_rig::*;
use crate::common::cli_console::{Console, by_subject};

use chrono::Duration;
use serde_json::Value;

/// Book now, 30 minutes at 10:03 with Board at 11:00: a marked booking made as the room,
/// which the agenda shows as the console's.
pub(crate) async fn book_now_creates_a_marked_booking<S: RoomServer>() -> (S, Console) {
    let room = S::start(vec![meeting("Board", at(10, 0, 0), at(11, 0, 0), "Jonas")]).await;
    let console = room.console("");
    let (ok, out, err) = book(&console, 30, &now(9, 3, 42));
    assert!(ok, "{err}");
    assert!(
        out.contains("Booked: 10:03–10:33 Booked at the console"),
        "{out}"
    );

    let ours = room.bookings();
    assert_eq!(ours.len(), 1);
    assert_eq!((ours[0].start, ours[0].end), (at(9, 3, 0), at(9, 33, 0)));
    assert_eq!(ours[0].subject, "Booked at the console");
    assert_eq!(ours[0].organizer, ROOM, "booked as the room");
    assert_eq!(room.writes(), [Write::Create]);

    // The store holds it from the server's answer, marked as the console's.
    let agenda = console.agenda_of(DAY);
    let entry = by_subject(&agenda, "Booked at the console");
    assert_eq!(entry["booked_here"], true);
    assert_eq!(entry["checked_in"], Value::Null);
    assert_eq!(by_subject(&agenda, "Board")["booked_here"], false);
    (room, console)
}

/// Book now never runs into the next meeting, is at least 10 minutes, and books nothing
/// while a meeting is on.
pub(crate) async fn book_now_never_runs_into_the_next_meeting_nor_books_while_one_is_on<
    S: RoomServer,
>() {
    let room = S::start(vec![meeting("Board", at(9, 20, 0), at(10, 0, 0), "Jonas")]).await;
    let console = room.console("");
    assert_refused(
        book(&console, 30, &now(9, 0, 0)),
        "The next meeting starts at 10:20",
    );
    assert_refused(book(&console, 5, &now(9, 0, 0)), "at least 10 minutes");
    assert_refused(book(&console, 15, &now(9, 30, 0)), "in use until 11:00");
    assert_eq!(room.count(Write::Create), 0);
    // 20 minutes fit exactly.
    let (ok, _, err) = book(&console, 20, &now(9, 0, 10));
    assert!(ok, "{err}");
}

pub(crate) async fn a_retry_after_a_lost_answer_finds_the_earlier_booking_instead_of_booking_twice<
    S: RoomServer,
>() {
    let room = S::start(Vec::new()).await;
    let console = room.console("");
    room.lose_next_create_answer();
    let (ok, _, err) = book(&console, 15, &now(9, 0, 0));
    assert!(!ok, "the answer was lost");
    assert!(err.contains(S::LOST_ANSWER), "{err}");
    assert_eq!(room.bookings().len(), 1, "the server did book it");

    // The person presses Book now again (or the console restarted).
    let (ok, out, err) = book(&console, 15, &now(9, 0, 30));
    assert!(ok, "{err}");
    assert!(out.contains("Booked: 10:00–10:15"), "{out}");
    assert_eq!(room.bookings().len(), 1, "never a second booking");
    assert_eq!(room.count(Write::Create), 1);
}

pub(crate) async fn a_booking_that_clashes_with_one_made_a_moment_ago_is_undone<S: RoomServer>() {
    let room = S::start(Vec::new()).await;
    let console = room.console("");
    room.race_next_create(meeting("Sales sync", at(9, 10, 0), at(9, 40, 0), "Eva"));
    assert_refused(
        book(&console, 30, &now(9, 0, 0)),
        "Someone booked this room at 10:10 a moment ago",
    );
    assert!(room.bookings().is_empty(), "our booking was undone");
    assert_eq!(room.calendar().len(), 1);
    assert_eq!(room.count(Write::Delete), 1, "deleted again");
    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), 1);
    by_subject(&agenda, "Sales sync");
}

/// Extend by 30 minutes is refused (Review at 10:50), by 15 moves Standup's end to 10:45.
pub(crate) async fn extend_moves_the_end_only_while_the_room_is_free_afterwards<S: RoomServer>()
-> (S, Console) {
    let room = S::start(vec![
        meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana"),
        meeting("Review", at(9, 50, 0), at(10, 30, 0), "Lars"),
    ])
    .await;
    let console = room.console("");
    assert_refused(extend(&console, 30, &now(9, 10, 0)), "booked from 10:50");
    assert!(room.writes().is_empty());
    let (ok, out, err) = extend(&console, 15, &now(9, 10, 0));
    assert!(ok, "{err}");
    assert!(out.contains("Extended: 10:00–10:45 Standup"), "{out}");
    assert_eq!(room.held("Standup").end, at(9, 45, 0));
    assert_eq!(room.writes(), [Write::Update]);
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:45:00+01:00"
    );
    (room, console)
}

/// End now while someone changes the meeting just before: refused once as stale, read
/// again, decided again, done.
pub(crate) async fn a_stale_version_is_read_again_and_decided_again<S: RoomServer>() -> S {
    let room = S::start(vec![meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana")]).await;
    let console = room.console("");
    room.change_before_next_update();
    let (ok, _, err) = run(&console, &["end", "--now", &now(9, 17, 45)]);
    assert!(ok, "{err}");
    assert_eq!(
        room.writes(),
        [Write::Update, Write::Update],
        "refused once, then done"
    );
    assert_eq!(
        room.held("Standup").end,
        at(9, 17, 0),
        "rounded down to the minute"
    );
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:17:00+01:00"
    );
    room
}

/// A console that may read but not write: Extend and Book now fail with the server's
/// refusal and keep the agenda; what they said (extend, book), for the protocol's own
/// words of the permission to grant.
pub(crate) async fn a_read_only_console_is_refused_and_keeps_the_agenda<S: RoomServer>()
-> (String, String) {
    let room = S::start_read_only(vec![meeting("Standup", at(9, 0, 0), at(9, 30, 0), "Ana")]).await;
    let console = room.console("");
    console.sync_ok_at(&now(9, 10, 0));
    let extend_err = assert_refused(extend(&console, 15, &now(9, 10, 0)), "ErrorAccessDenied");
    assert_eq!(
        by_subject(&console.agenda_of(DAY), "Standup")["end"],
        "2026-11-23T10:30:00+01:00"
    );

    let (ok, _, book_err) = book(&console, 15, &now(9, 40, 0));
    assert!(!ok);
    assert!(room.bookings().is_empty());
    (extend_err, book_err)
}

/// A throttle shorter than the console waits within a call is waited out.
pub(crate) async fn a_short_throttle_is_waited_out_and_books_once<S: RoomServer>() -> S {
    let room = S::start(Vec::new()).await;
    let console = room.console("");
    room.throttle_next_create(1);
    let (ok, _, err) = book(&console, 15, &now(9, 0, 0));
    assert!(ok, "{err}");
    assert_eq!(room.bookings().len(), 1);
    room
}

pub(crate) async fn a_long_throttle_fails_the_booking_with_the_reason_and_a_retry_books_once<
    S: RoomServer,
>() {
    let room = S::start(Vec::new()).await;
    let console = room.console("");
    // Longer than the console waits within a call (LONGEST_WAIT_IN_A_CALL of
    // room_console::sources::ews and room_console::graph::client, 30 s): the action
    // fails with the reason instead.
    room.throttle_next_create(120);
    assert_refused(book(&console, 15, &now(9, 0, 0)), "throttling");
    assert!(room.calendar().is_empty());
    let (ok, _, err) = book(&console, 15, &now(9, 2, 0));
    assert!(ok, "{err}");
    assert_eq!(room.bookings().len(), 1);
}

/// Check-in on, a daily "Weekly sync" nobody checks in to and "Design" somebody does:
/// the occurrence alone is declined with a note when its window ends, Design stays, and
/// the next day's release reports the series. `after_first_release` makes the
/// protocol's own checks of the first decline; the room is returned for those of the
/// second.
pub(crate) async fn a_no_show_occurrence_is_declined_alone_with_a_note_and_check_in_keeps_a_meeting<
    S: RoomServer,
>(
    after_first_release: impl FnOnce(&S),
) -> S {
    let room = S::start(vec![
        meeting("Weekly sync", at(9, 0, 0), at(9, 30, 0), "Ana").daily(3),
        meeting("Design", at(10, 0, 0), at(10, 30, 0), "Lars"),
    ])
    .await;
    let console = room
        .console("<CheckIn>true</CheckIn><ReportSeriesAfterReleases>2</ReportSeriesAfterReleases>");
    console.sync_ok_at(&now(9, 5, 0));
    let agenda = console.agenda_of(DAY);
    assert_eq!(by_subject(&agenda, "Weekly sync")["checked_in"], false);

    // Someone checks in to Design five minutes before it starts.
    let (ok, out, err) = run(&console, &["check-in", "--now", &now(9, 56, 0)]);
    assert!(ok, "{err}");
    assert!(out.contains("Checked in to: 11:00–11:30 Design"), "{out}");

    // Before the window ends nothing is released.
    let (ok, out, _) = sync_once(&console, &now(9, 9, 59));
    assert!(ok);
    assert!(!out.contains("released"), "{out}");
    let (ok, out, err) = sync_once(&console, &now(9, 10, 0));
    assert!(ok, "{err}");
    assert!(
        out.contains("released (nobody checked in): 10:00–10:30 Weekly sync"),
        "{out}"
    );

    assert_eq!(room.writes(), [Write::Decline]);
    assert_eq!(
        room.occurrences_left("Weekly sync"),
        2,
        "only that occurrence, never the series"
    );
    after_first_release(&room);
    let sent = room.notes_sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "ana@contoso.com");
    assert_eq!(
        sent[0].1,
        "Nobody checked in at Conference Room 2 within 10 minutes of the start, so the room was released. Book again from Outlook or at the console."
    );
    let agenda = console.agenda_of(DAY);
    assert!(agenda.iter().all(|m| m["subject"] != "Weekly sync"));
    assert_eq!(by_subject(&agenda, "Design")["checked_in"], true);

    // Design was checked in to: it stays past its window.
    let (ok, out, _) = sync_once(&console, &now(10, 15, 0));
    assert!(ok);
    assert!(!out.contains("Design"), "{out}");
    assert_eq!(room.notes_sent().len(), 1);

    // The next day's occurrence is released too: the series is reported, not removed.
    let next_day = (at(9, 10, 0) + Duration::days(1)).to_rfc3339();
    let (ok, out, err) = sync_once(&console, &next_day);
    assert!(ok, "{err}");
    assert!(out.contains("was released 2 times in a row"), "{out}");
    let status = console.status();
    assert_eq!(status["series_released"][0][1], 2, "{status:#}");
    assert_eq!(room.occurrences_left("Weekly sync"), 1);
    room
}

pub(crate) async fn a_no_show_booked_at_the_console_is_deleted_not_declined<S: RoomServer>() {
    let room = S::start(Vec::new()).await;
    let console = room.console("<CheckIn>true</CheckIn>");
    let (ok, _, err) = book(&console, 30, &now(9, 0, 0));
    assert!(ok, "{err}");
    let (ok, out, err) = sync_once(&console, &now(9, 10, 0));
    assert!(ok, "{err}");
    assert!(out.contains("released"), "{out}");
    assert!(room.calendar().is_empty());
    assert!(room.notes_sent().is_empty(), "nobody to tell");
    assert_eq!(room.writes(), [Write::Create, Write::Delete]);
}

/// Runs each scenario named (a `fn<S: RoomServer>()` above) as a test against each server.
macro_rules! on_both_servers {
    ($($scenario:ident),* $(,)?) => {
        mod ews {
            use crate::common::booking_rig::EwsRoom;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    super::$scenario::<EwsRoom>().await;
                }
            )*
        }
        mod graph {
            use crate::common::booking_rig::GraphRoom;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    super::$scenario::<GraphRoom>().await;
                }
            )*
        }
    };
}

on_both_servers!(
    book_now_never_runs_into_the_next_meeting_nor_books_while_one_is_on,
    a_retry_after_a_lost_answer_finds_the_earlier_booking_instead_of_booking_twice,
    a_booking_that_clashes_with_one_made_a_moment_ago_is_undone,
    a_long_throttle_fails_the_booking_with_the_reason_and_a_retry_books_once,
    a_no_show_booked_at_the_console_is_deleted_not_declined,
);
