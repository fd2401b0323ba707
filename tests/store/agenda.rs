//! The agenda cache keeps every field of a meeting, answers day and range queries in
//! the device's time zone (across DST changes), and supports the incremental-sync
//! operations: upsert, delete, change keys, sync state.

use crate::common::store_rig;

use chrono::Duration;
use chrono_tz::Tz;
use room_console::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use room_console::join::{JoinLink, NoJoinReason, Provider};
use room_console::store::{Store, StoreError};
use store_rig::{all_day, at, day, fully_described, ids, stockholm, timed};

fn everything(store: &Store) -> Vec<Meeting> {
    store
        .meetings_between(at("2000-01-01T00:00:00Z"), at("2100-01-01T00:00:00Z"))
        .unwrap()
}

#[test]
fn every_field_survives_a_round_trip() {
    let mut store = Store::open_in_memory().unwrap();
    let full = fully_described("full");
    let holiday = Meeting {
        organizer: Person {
            name: None,
            email: Some("facilities@example.com".to_owned()),
        },
        occurrence: Occurrence::Occurrence,
        series_id: Some("series-1".to_owned()),
        free_busy: FreeBusy::OutOfOffice,
        no_join_reason: Some(NoJoinReason::BodyRemoved),
        booked_here: false,
        ..all_day("holiday", "2026-12-24", "2026-12-26")
    };
    let private = Meeting {
        private: true,
        subject: None,
        change_key: None,
        free_busy: FreeBusy::WorkingElsewhere,
        ..timed("private", "2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z")
    };
    let cancelled_without_join = Meeting {
        cancelled: true,
        join: None,
        no_join_reason: None,
        booked_here: false,
        free_busy: FreeBusy::NoData,
        subject: Some(String::new()),
        ..timed("cancelled", "2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z")
    };
    let mut all = vec![full, holiday, private, cancelled_without_join];
    // Every provider and free/busy status by its stable id.
    for (n, provider) in Provider::ALL.into_iter().enumerate() {
        let free_busy = FreeBusy::ALL[n % FreeBusy::ALL.len()];
        all.push(Meeting {
            join: Some(JoinLink {
                provider,
                url: format!("https://example.com/{}", provider.as_str()),
            }),
            no_join_reason: None,
            booked_here: false,
            free_busy,
            ..timed(
                &format!("join-{n}"),
                "2026-11-25T08:00:00Z",
                "2026-11-25T09:00:00Z",
            )
        });
    }
    store.upsert(&all, &stockholm()).unwrap();

    let mut read = everything(&store);
    read.sort_by(|a, b| a.id.cmp(&b.id));
    all.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(read, all);
}

#[test]
fn upsert_replaces_by_id_and_change_keys_follow() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    let first = timed("m1", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z");
    let second = timed("m2", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z");
    store.upsert(&[first.clone(), second.clone()], &tz).unwrap();

    let moved = Meeting {
        change_key: Some("ck-m1-v2".to_owned()),
        time: MeetingTime::Timed {
            start: at("2026-11-23T14:00:00Z"),
            end: at("2026-11-23T15:00:00Z"),
        },
        ..first
    };
    store.upsert(std::slice::from_ref(&moved), &tz).unwrap();

    assert_eq!(store.meeting_count().unwrap(), 2);
    assert_eq!(everything(&store), vec![second, moved]);
    let keys = store.change_keys().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys["m1"].as_deref(), Some("ck-m1-v2"));
    assert_eq!(keys["m2"].as_deref(), Some("ck-m2"));
}

#[test]
fn delete_ids_counts_what_was_there() {
    let mut store = Store::open_in_memory().unwrap();
    let meetings = [
        timed("m1", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
        timed("m2", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z"),
        timed("m3", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
    ];
    store.upsert(&meetings, &stockholm()).unwrap();
    let deleted = store
        .delete_ids(&["m1".to_owned(), "m3".to_owned(), "gone".to_owned()])
        .unwrap();
    assert_eq!(deleted, 2);
    assert_eq!(ids(&everything(&store)), ["m2"]);
}

#[test]
fn replace_window_replaces_only_what_overlaps_the_window() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    store
        .upsert(
            &[
                timed("before", "2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"),
                timed("straddling", "2026-11-22T23:30:00Z", "2026-11-23T00:30:00Z"),
                timed("inside", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
                timed("after", "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z"),
                timed("moved-in", "2026-11-25T09:00:00Z", "2026-11-25T10:00:00Z"),
            ],
            &tz,
        )
        .unwrap();

    let fresh = [
        timed("new", "2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z"),
        timed("moved-in", "2026-11-23T13:00:00Z", "2026-11-23T14:00:00Z"),
    ];
    store
        .replace_window(
            at("2026-11-23T00:00:00Z"),
            at("2026-11-24T00:00:00Z"),
            &fresh,
            &tz,
        )
        .unwrap();

    assert_eq!(
        ids(&everything(&store)),
        ["before", "new", "moved-in", "after"]
    );
}

#[test]
fn sync_state_is_set_read_and_removed() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.get_state("sync_state").unwrap(), None);
    store.set_state("sync_state", Some("H4sIAAAA")).unwrap();
    store.set_state("last_error", Some("timeout")).unwrap();
    store.set_state("sync_state", Some("H4sIBBBB")).unwrap();
    assert_eq!(
        store.get_state("sync_state").unwrap().as_deref(),
        Some("H4sIBBBB")
    );
    store.set_state("last_error", None).unwrap();
    assert_eq!(store.get_state("last_error").unwrap(), None);
}

/// Stockholm's spring-forward day 2026-03-29 has 23 hours: 2026-03-28T23:00Z to
/// 2026-03-29T22:00Z.
#[test]
fn a_day_query_on_the_spring_dst_change_covers_23_hours() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    store
        .upsert(
            &[
                timed(
                    "ends-at-midnight",
                    "2026-03-28T22:00:00Z",
                    "2026-03-28T23:00:00Z",
                ),
                timed(
                    "across-midnight",
                    "2026-03-28T22:30:00Z",
                    "2026-03-28T23:30:00Z",
                ),
                timed(
                    "at-the-change",
                    "2026-03-29T00:30:00Z",
                    "2026-03-29T01:30:00Z",
                ),
                timed(
                    "late-evening",
                    "2026-03-29T21:30:00Z",
                    "2026-03-29T21:45:00Z",
                ),
                timed(
                    "next-midnight",
                    "2026-03-29T22:00:00Z",
                    "2026-03-29T23:00:00Z",
                ),
                all_day("sunday", "2026-03-29", "2026-03-29"),
                all_day("long-weekend", "2026-03-27", "2026-03-29"),
                all_day("monday", "2026-03-30", "2026-03-30"),
            ],
            &tz,
        )
        .unwrap();

    let found = store.meetings_on_day(day("2026-03-29"), &tz).unwrap();
    assert_eq!(
        ids(&found),
        [
            "long-weekend",
            "sunday",
            "across-midnight",
            "at-the-change",
            "late-evening"
        ]
    );
    // The all-day meeting ends at local midnight (22:00Z), not 24 hours after 23:00Z.
    let after_midnight = store
        .meetings_between(at("2026-03-29T22:00:00Z"), at("2026-03-29T23:00:00Z"))
        .unwrap();
    // Among meetings starting together, the all-day one comes first.
    assert_eq!(ids(&after_midnight), ["monday", "next-midnight"]);
}

/// Stockholm's fall-back day 2026-10-25 has 25 hours: 2026-10-24T22:00Z to
/// 2026-10-25T23:00Z.
#[test]
fn a_day_query_on_the_autumn_dst_change_covers_25_hours() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    store
        .upsert(
            &[
                timed(
                    "saturday-night",
                    "2026-10-24T21:00:00Z",
                    "2026-10-24T22:00:00Z",
                ),
                timed("first-0230", "2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z"),
                timed(
                    "second-0230",
                    "2026-10-25T01:30:00Z",
                    "2026-10-25T01:45:00Z",
                ),
                timed("2330-local", "2026-10-25T22:30:00Z", "2026-10-25T22:45:00Z"),
                timed(
                    "monday-0000",
                    "2026-10-25T23:00:00Z",
                    "2026-10-25T23:30:00Z",
                ),
                all_day("sunday", "2026-10-25", "2026-10-25"),
            ],
            &tz,
        )
        .unwrap();

    let found = store.meetings_on_day(day("2026-10-25"), &tz).unwrap();
    assert_eq!(
        ids(&found),
        ["sunday", "first-0230", "second-0230", "2330-local"]
    );
    let last_hour = store
        .meetings_between(at("2026-10-25T22:50:00Z"), at("2026-10-25T23:00:00Z"))
        .unwrap();
    assert_eq!(
        ids(&last_hour),
        ["sunday"],
        "the all-day meeting lasts 25 hours"
    );
}

#[test]
fn a_zero_length_meeting_at_the_start_of_the_day_belongs_to_it() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    let reminder = timed("reminder", "2026-11-22T23:00:00Z", "2026-11-22T23:00:00Z");
    store.upsert(std::slice::from_ref(&reminder), &tz).unwrap();
    assert_eq!(
        ids(&store.meetings_on_day(day("2026-11-23"), &tz).unwrap()),
        ["reminder"]
    );
    assert!(
        store
            .meetings_on_day(day("2026-11-22"), &tz)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_long_meeting_is_found_on_every_day_it_spans() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    let mut meetings = vec![timed(
        "workshop",
        "2026-11-20T08:00:00Z",
        "2026-11-26T16:00:00Z",
    )];
    meetings.extend((0..20).map(|n| {
        let start = at("2026-11-18T08:00:00Z") + Duration::hours(12 * n);
        Meeting {
            time: MeetingTime::Timed {
                start,
                end: start + Duration::hours(1),
            },
            ..timed(
                &format!("short-{n:02}"),
                "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            )
        }
    }));
    store.upsert(&meetings, &tz).unwrap();
    for date in ["2026-11-20", "2026-11-23", "2026-11-26"] {
        let found = store.meetings_on_day(day(date), &tz).unwrap();
        assert!(
            ids(&found).contains(&"workshop"),
            "{date}: {:?}",
            ids(&found)
        );
    }
    assert!(!ids(&store.meetings_on_day(day("2026-11-27"), &tz).unwrap()).contains(&"workshop"));
}

#[test]
fn retime_all_day_follows_a_time_zone_change() {
    let mut store = Store::open_in_memory().unwrap();
    let seoul: Tz = "Asia/Seoul".parse().unwrap();
    store
        .upsert(
            &[all_day("holiday", "2026-11-23", "2026-11-23")],
            &stockholm(),
        )
        .unwrap();
    // In Stockholm the day is 2026-11-22T23:00Z .. 2026-11-23T23:00Z.
    let late_utc = (at("2026-11-23T20:00:00Z"), at("2026-11-23T21:00:00Z"));
    assert_eq!(
        ids(&store.meetings_between(late_utc.0, late_utc.1).unwrap()),
        ["holiday"]
    );

    store.retime_all_day(&seoul).unwrap();
    // In Seoul the day is 2026-11-22T15:00Z .. 2026-11-23T15:00Z.
    assert!(
        store
            .meetings_between(late_utc.0, late_utc.1)
            .unwrap()
            .is_empty()
    );
    let early_utc = (at("2026-11-22T16:00:00Z"), at("2026-11-22T17:00:00Z"));
    assert_eq!(
        ids(&store.meetings_between(early_utc.0, early_utc.1).unwrap()),
        ["holiday"]
    );
    assert_eq!(
        ids(&store.meetings_on_day(day("2026-11-23"), &seoul).unwrap()),
        ["holiday"]
    );
}

#[test]
fn an_unknown_stored_id_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .upsert(
                &[timed("m1", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")],
                &stockholm(),
            )
            .unwrap();
    }
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE meeting SET free_busy = 'maybe' WHERE id = 'm1'", [])
        .unwrap();

    let store = Store::open(&path).unwrap();
    let error = store
        .meetings_on_day(day("2026-11-23"), &stockholm())
        .expect_err("an unknown free/busy id is refused");
    assert!(
        matches!(
            &error,
            StoreError::UnreadableValue { id, column: "free_busy", value }
                if id == "m1" && value == "maybe"
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("does not understand"), "{error}");
}

#[test]
fn invalid_meetings_are_refused_with_what_is_wrong() {
    let mut store = Store::open_in_memory().unwrap();
    let tz = stockholm();
    let cases = [
        (
            timed("", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
            "its id is empty",
        ),
        (
            timed("backwards", "2026-11-23T10:00:00Z", "2026-11-23T09:00:00Z"),
            "it ends before it starts",
        ),
        (
            all_day("inverted", "2026-11-24", "2026-11-23"),
            "its last day is before its first day",
        ),
    ];
    for (meeting, words) in cases {
        let error = store
            .upsert(std::slice::from_ref(&meeting), &tz)
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::InvalidMeeting { id, detail } if *id == meeting.id && detail == words),
            "{error:?}"
        );
    }
    assert_eq!(store.meeting_count().unwrap(), 0);
}
