//! The room's status and the meeting on now, from the agenda cache: free, free until
//! the next meeting today, busy until the end of back-to-back meetings; cancelled,
//! free and most all-day items do not make the room busy.

use crate::common::store_rig;

use room_console::calendar::{FreeBusy, Meeting, RoomStatus};
use room_console::store::Store;
use store_rig::{all_day, at, stockholm, timed};

/// A store holding `meetings` (device time zone Europe/Stockholm, UTC+1 in November).
fn store_with(meetings: &[Meeting]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.upsert(meetings, &stockholm()).unwrap();
    store
}

fn status(store: &Store, now: &str) -> RoomStatus {
    store.room_status(at(now), &stockholm()).unwrap()
}

fn busy_until(until: &str, id: &str) -> RoomStatus {
    RoomStatus::BusyUntil {
        until: at(until),
        meeting_id: id.to_owned(),
        subject: Some(format!("Subject {id}")),
    }
}

#[test]
fn an_empty_agenda_is_free() {
    assert_eq!(
        status(&store_with(&[]), "2026-11-23T09:00:00Z"),
        RoomStatus::Free
    );
}

#[test]
fn free_until_the_next_meeting_today() {
    let store = store_with(&[
        timed("later", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
        timed("tomorrow", "2026-11-24T08:00:00Z", "2026-11-24T09:00:00Z"),
    ]);
    assert_eq!(
        status(&store, "2026-11-23T09:00:00Z"),
        RoomStatus::FreeUntil(at("2026-11-23T13:00:00Z"))
    );
    // After the last meeting of the day, tomorrow's does not count.
    assert_eq!(status(&store, "2026-11-23T14:00:00Z"), RoomStatus::Free);
}

#[test]
fn today_is_the_local_day() {
    // 22:30Z is 23:30 in Stockholm; 23:30Z is already 00:30 tomorrow there.
    let store = store_with(&[timed(
        "after-midnight",
        "2026-11-23T23:30:00Z",
        "2026-11-24T00:30:00Z",
    )]);
    assert_eq!(status(&store, "2026-11-23T22:30:00Z"), RoomStatus::Free);
    // 22:30 UTC would still be "today" in UTC: with a UTC device it is free until 23:30.
    assert_eq!(
        store
            .room_status(at("2026-11-23T22:30:00Z"), &chrono_tz::UTC)
            .unwrap(),
        RoomStatus::FreeUntil(at("2026-11-23T23:30:00Z"))
    );
}

#[test]
fn busy_until_the_end_of_back_to_back_meetings() {
    let store = store_with(&[
        timed("first", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
        // 30 seconds after: back to back.
        timed("second", "2026-11-23T10:00:30Z", "2026-11-23T11:00:00Z"),
        // Overlapping the second one.
        timed("third", "2026-11-23T10:45:00Z", "2026-11-23T11:30:00Z"),
        // A real break of five minutes.
        timed(
            "after-break",
            "2026-11-23T11:35:00Z",
            "2026-11-23T12:00:00Z",
        ),
    ]);
    assert_eq!(
        status(&store, "2026-11-23T09:15:00Z"),
        busy_until("2026-11-23T11:30:00Z", "first")
    );
    assert_eq!(
        status(&store, "2026-11-23T10:00:10Z"),
        RoomStatus::FreeUntil(at("2026-11-23T10:00:30Z")),
        "between the two, for those 30 seconds, the room is free"
    );
    assert_eq!(
        status(&store, "2026-11-23T11:31:00Z"),
        RoomStatus::FreeUntil(at("2026-11-23T11:35:00Z"))
    );
}

#[test]
fn a_gap_of_a_full_minute_is_not_merged() {
    let store = store_with(&[
        timed("first", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
        timed("second", "2026-11-23T10:01:00Z", "2026-11-23T11:00:00Z"),
    ]);
    assert_eq!(
        status(&store, "2026-11-23T09:30:00Z"),
        busy_until("2026-11-23T10:00:00Z", "first")
    );
}

#[test]
fn a_meeting_ending_now_no_longer_counts() {
    let store = store_with(&[timed(
        "done",
        "2026-11-23T09:00:00Z",
        "2026-11-23T10:00:00Z",
    )]);
    assert_eq!(status(&store, "2026-11-23T10:00:00Z"), RoomStatus::Free);
    assert_eq!(
        status(&store, "2026-11-23T09:00:00Z"),
        busy_until("2026-11-23T10:00:00Z", "done")
    );
}

#[test]
fn cancelled_and_free_meetings_are_ignored() {
    let cancelled = Meeting {
        cancelled: true,
        ..timed("cancelled", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
    };
    let free = Meeting {
        free_busy: FreeBusy::Free,
        ..timed("free", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
    };
    let elsewhere = Meeting {
        free_busy: FreeBusy::WorkingElsewhere,
        ..timed("elsewhere", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
    };
    let store = store_with(&[
        cancelled,
        free,
        elsewhere,
        timed("real", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z"),
    ]);
    assert_eq!(
        status(&store, "2026-11-23T09:30:00Z"),
        RoomStatus::FreeUntil(at("2026-11-23T11:00:00Z"))
    );
    let (current, next) = store
        .current_and_next(at("2026-11-23T09:30:00Z"), &stockholm())
        .unwrap();
    assert_eq!(current, None);
    assert_eq!(next.map(|m| m.id).as_deref(), Some("real"));
}

#[test]
fn tentative_and_unknown_timed_meetings_occupy_the_room() {
    for free_busy in [FreeBusy::Tentative, FreeBusy::OutOfOffice, FreeBusy::NoData] {
        let store = store_with(&[Meeting {
            free_busy,
            ..timed("hold", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
        }]);
        assert_eq!(
            status(&store, "2026-11-23T09:30:00Z"),
            busy_until("2026-11-23T10:00:00Z", "hold"),
            "{free_busy:?}"
        );
    }
}

#[test]
fn only_firmly_busy_all_day_items_occupy_the_room() {
    // All-day items are free in Outlook by default; a tentative one is a hold.
    for free_busy in [FreeBusy::Free, FreeBusy::Tentative, FreeBusy::NoData] {
        let store = store_with(&[Meeting {
            free_busy,
            ..all_day("holiday", "2026-11-23", "2026-11-23")
        }]);
        assert_eq!(
            status(&store, "2026-11-23T09:30:00Z"),
            RoomStatus::Free,
            "{free_busy:?}"
        );
    }
    // A room closed for works: busy until local midnight ending its last day.
    let store = store_with(&[all_day("closed", "2026-11-23", "2026-11-24")]);
    assert_eq!(
        status(&store, "2026-11-23T09:30:00Z"),
        busy_until("2026-11-24T23:00:00Z", "closed")
    );
}

#[test]
fn a_private_meeting_on_now_shows_no_subject() {
    let store = store_with(&[Meeting {
        private: true,
        ..timed("secret", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")
    }]);
    assert_eq!(
        status(&store, "2026-11-23T09:30:00Z"),
        RoomStatus::BusyUntil {
            until: at("2026-11-23T10:00:00Z"),
            meeting_id: "secret".to_owned(),
            subject: None,
        }
    );
}

#[test]
fn of_overlapping_meetings_the_one_on_now_started_last() {
    let store = store_with(&[
        all_day("closed", "2026-11-23", "2026-11-23"),
        timed("overrun", "2026-11-23T09:00:00Z", "2026-11-23T10:10:00Z"),
        timed("standup", "2026-11-23T10:00:00Z", "2026-11-23T10:15:00Z"),
        timed("review", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
    ]);
    let (current, next) = store
        .current_and_next(at("2026-11-23T10:05:00Z"), &stockholm())
        .unwrap();
    assert_eq!(current.map(|m| m.id).as_deref(), Some("standup"));
    assert_eq!(next.map(|m| m.id).as_deref(), Some("review"));
    assert_eq!(
        status(&store, "2026-11-23T10:05:00Z"),
        busy_until("2026-11-23T23:00:00Z", "standup")
    );
}

#[test]
fn current_and_next_when_nothing_is_on() {
    let store = store_with(&[timed(
        "later",
        "2026-11-23T13:00:00Z",
        "2026-11-23T14:00:00Z",
    )]);
    let (current, next) = store
        .current_and_next(at("2026-11-23T09:00:00Z"), &stockholm())
        .unwrap();
    assert_eq!(current, None);
    assert_eq!(next.map(|m| m.id).as_deref(), Some("later"));
    let (current, next) = store
        .current_and_next(at("2026-11-23T15:00:00Z"), &stockholm())
        .unwrap();
    assert_eq!((current, next), (None, None));
}
