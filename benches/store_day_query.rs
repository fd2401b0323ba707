//! How long the UI waits for a day's agenda and the room status out of a cache of
//! 5,000 meetings over 60 days, read from a database file as on the device.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use room_console::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use room_console::store::Store;

const MEETINGS: i64 = 5_000;
const DAYS: i64 = 60;

fn first_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 6, 0, 0)
        .single()
        .expect("valid instant")
}

/// 5,000 meetings of 15 to 120 minutes packed over 60 days, plus a weekly all-day item.
fn agenda() -> Vec<Meeting> {
    let per_day = MEETINGS / DAYS + 1;
    let mut meetings: Vec<Meeting> = (0..MEETINGS)
        .map(|n| {
            let start =
                first_day() + Duration::days(n / per_day) + Duration::minutes((n % per_day) * 10);
            let time = MeetingTime::Timed {
                start,
                end: start + Duration::minutes(15 * (1 + n % 8)),
            };
            meeting(format!("meeting-{n:05}"), time)
        })
        .collect();
    let start_date = first_day().date_naive();
    meetings.extend((0..DAYS).step_by(7).map(|d| {
        let date = start_date + Duration::days(d);
        let time = MeetingTime::AllDay {
            first: date,
            last: date,
        };
        meeting(format!("all-day-{d:02}"), time)
    }));
    meetings
}

fn meeting(id: String, time: MeetingTime) -> Meeting {
    Meeting {
        change_key: Some(format!("ck-{id}")),
        series_id: None,
        occurrence: Occurrence::Single,
        subject: Some(format!("Subject of {id}")),
        organizer: Person {
            name: Some("Organizer".to_owned()),
            email: Some("organizer@example.com".to_owned()),
        },
        location: Some("Room 4.12".to_owned()),
        time,
        time_zone: Some("W. Europe Standard Time".to_owned()),
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Busy,
        join: None,
        no_join_reason: None,
        id,
    }
}

fn day_query(c: &mut Criterion) {
    let tz: Tz = "Europe/Stockholm".parse().expect("known zone");
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("agenda.sqlite3");
    let agenda = agenda();
    let (from, to) = (first_day(), first_day() + Duration::days(DAYS + 1));
    Store::open(&path)
        .and_then(|mut store| store.replace_window(from, to, &agenda, &tz))
        .expect("the agenda is written");
    let store = Store::open(&path).expect("the cache opens");
    assert_eq!(store.meeting_count().expect("count"), agenda.len() as u64);

    let day = NaiveDate::from_ymd_opt(2026, 11, 2).expect("valid date");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 2, 10, 5, 0)
        .single()
        .expect("valid instant");
    let found = store.meetings_on_day(day, &tz).expect("day query");
    assert!(found.len() > 80, "a busy day: {} meetings", found.len());

    c.bench_function("meetings_on_day (5,000 cached)", |b| {
        b.iter(|| {
            store
                .meetings_on_day(black_box(day), &tz)
                .expect("day query")
        })
    });
    c.bench_function("room_status (5,000 cached)", |b| {
        b.iter(|| store.room_status(black_box(now), &tz).expect("room status"))
    });
    c.bench_function("current_and_next (5,000 cached)", |b| {
        b.iter(|| {
            store
                .current_and_next(black_box(now))
                .expect("current and next")
        })
    });
}

criterion_group!(benches, day_query);
criterion_main!(benches);
