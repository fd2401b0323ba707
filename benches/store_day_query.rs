//! How long the UI waits for a day's agenda and the room status out of a cache of
//! 5,000 meetings over 60 days, read from a database file as on the device.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use room_console::calendar::demo::synthetic_agenda;
use room_console::store::Store;

const MEETINGS: i64 = 5_000;
const DAYS: i64 = 60;

fn first_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 6, 0, 0)
        .single()
        .expect("valid instant")
}

fn day_query(c: &mut Criterion) {
    let tz: Tz = "Europe/Stockholm".parse().expect("known zone");
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("agenda.sqlite3");
    let agenda = synthetic_agenda(first_day(), MEETINGS, DAYS);
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
                .current_and_next(black_box(now), &tz)
                .expect("current and next")
        })
    });
}

criterion_group!(benches, day_query);
criterion_main!(benches);
