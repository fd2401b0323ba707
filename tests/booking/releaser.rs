//! The background sync task (as `run` and `sync` run it) releases no-shows by itself,
//! against the in-repo Graph server with the injected clock: nothing during the
//! screen's 60-second countdown, the release when the window ends (the task wakes for
//! that instant, not at its next sync), and nothing for a meeting someone checked in
//! to ("I'm here").

use crate::common::graph_server;
use crate::common::room_settings;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, TimeZone, Utc};
use graph_server::*;
use room_console::booking::releaser::NoShowReleaser;
use room_console::clock::{Clock, FixedClock};
use room_console::settings::{Secret, Secrets, Settings};
use room_console::sources::configured::ConfiguredSource;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::SyncEngine;
use room_console::sync::task::{self, SyncHandle};

const ROOM: &str = "confrm2@contoso.com";
/// Far longer than any wait below: a pass that comes sooner was asked for.
const SYNC_INTERVAL_SECONDS: u32 = 3600;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

fn settings(server: &GraphServer, ca_file: &std::path::Path) -> Settings {
    let mut settings = room_settings::graph_room(server, ca_file, ROOM);
    settings.calendar.sync_interval_seconds = SYNC_INTERVAL_SECONDS;
    settings.booking.check_in = true;
    settings
}

/// Waits for the task's next pass (generously, but well under the sync interval).
async fn next_pass(handle: &mut SyncHandle) {
    tokio::time::timeout(StdDuration::from_secs(60), handle.next_pass())
        .await
        .expect("a pass within a minute: the task woke for the release")
        .expect("the task runs");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sync_task_releases_a_no_show_when_its_window_ends_and_not_one_checked_in_to() {
    let server = GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET),
        [(
            ROOM,
            vec![
                TestEvent::new("AAMk-standup", "Standup", at(9, 0, 0), at(9, 30, 0))
                    .organizer("Ana", "ana@contoso.com"),
                TestEvent::new("AAMk-design", "Design", at(10, 0, 0), at(10, 30, 0))
                    .organizer("Lars", "lars@contoso.com"),
            ],
        )],
        10,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    let settings = settings(&server, &ca);
    let secrets = Secrets {
        client_secret: Some(Secret::new(SECRET)),
        ..Secrets::default()
    };
    let db = dir.path().join("agenda.sqlite3");

    // The last second of the standup's countdown.
    let clock = FixedClock::new(at(9, 9, 59));
    let shared: Arc<dyn Clock> = Arc::new(clock.clone());
    let source = ConfiguredSource::new(settings.clone(), secrets, false).with_clock(shared.clone());
    let engine = SyncEngine::new(
        source,
        Store::open(&db).unwrap(),
        chrono_tz::UTC,
        settings.calendar.sync_interval(),
        Backoff::new(7),
    );
    let releaser = NoShowReleaser::new(Store::open(&db).unwrap(), settings);
    let mut handle = task::spawn_with(engine, shared, releaser);
    next_pass(&mut handle).await;
    assert!(server.sent().is_empty(), "the countdown is still running");
    assert_eq!(server.events(ROOM).len(), 2);

    // The window ends: the task wakes by itself and releases the standup.
    clock.set(at(9, 10, 0));
    let stored_before = handle.agenda_generation();
    next_pass(&mut handle).await;
    let sent = server.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].event_id, "AAMk-standup");
    assert_eq!(sent[0].to, "ana@contoso.com");
    assert!(
        sent[0]
            .comment
            .starts_with("Nobody checked in at Conference Room 2")
    );
    assert!(
        handle.agenda_generation() > stored_before,
        "the screen re-reads the agenda"
    );
    let cached = Store::open(&db)
        .unwrap()
        .meetings_between(at(0, 0, 0), at(23, 0, 0))
        .unwrap();
    assert!(cached.iter().all(|m| m.id != "AAMk-standup"), "{cached:?}");

    // Someone says "I'm here" for the design review during its countdown.
    Store::open(&db)
        .unwrap()
        .record_check_in("AAMk-design", at(10, 9, 30))
        .unwrap();
    clock.set(at(10, 10, 0));
    handle.sync_now();
    next_pass(&mut handle).await;
    clock.set(at(10, 15, 0));
    handle.sync_now();
    next_pass(&mut handle).await;
    assert_eq!(
        server.sent().len(),
        1,
        "the design review was checked in to"
    );
    assert!(server.events(ROOM).iter().any(|e| e.id == "AAMk-design"));
}
