//! A large room's EWS sync through throttling, against the in-repo EWS server on the
//! injected clock: one short ErrorServerBusy in the middle of a pass is waited out and
//! the pass goes on; a pass that fails part-way keeps its work apart from the agenda,
//! and the next pass continues instead of repeating (FindItem and GetItem requests
//! counted), the cache showing the old agenda or the new one, never a mix.

use crate::common::engine_rig;
use crate::common::ews_server;

use std::time::Duration;

use engine_rig::*;
use ews_server::*;
use room_console::clock::Clock;
use room_console::sync::engine::PassResult;
use room_console::sync::source::FailureKind;

/// `count` one-minute meetings two minutes apart from 23 November 00:00 UTC.
fn busy_week(count: i64) -> Mailbox {
    let start = at(23, 0, 0);
    Mailbox::new(ROOM, "Conference Room 2").with_items((0..count).map(|n| {
        let s = start + chrono::Duration::minutes(2 * n);
        CalendarItem::new(&format!("Meeting {n}"), s, s + chrono::Duration::minutes(1))
            .organizer("Ana", "ana@contoso.com")
            .html_body("<html><body><p>Agenda</p></body></html>")
    }))
}

/// Every cached subject, sorted.
fn cached_subjects(rig: &Rig) -> Vec<String> {
    let mut subjects: Vec<String> = rig
        .engine
        .store()
        .meetings_between(at(22, 0, 0), at(30, 0, 0))
        .unwrap()
        .into_iter()
        .map(|m| m.subject.unwrap_or_default())
        .collect();
    subjects.sort();
    subjects
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_server_busy_mid_pass_is_waited_out_and_the_pass_goes_on() {
    let mut rig = rig(busy_week(1000), Duration::from_secs(30)).await;
    rig.server.inject_on(
        "GetItem",
        Fault::ServerBusy { back_off_ms: 1000 },
        Times::OnceAfter(5),
    );
    let before = rig.clock.now();
    let (result, _) = rig.pass().await;
    assert_eq!(
        result,
        PassResult::Refreshed {
            fetched: 1000,
            stored: 1000
        }
    );
    assert_eq!(
        rig.clock.now() - before,
        chrono::Duration::seconds(1),
        "the BackOffMilliseconds Exchange asked for, on the injected clock"
    );
    assert_eq!(
        rig.server.count("GetItem"),
        21,
        "20 batches of 50, the throttled one asked again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_failing_part_way_is_continued_not_repeated_and_never_mixed() {
    let mut rig = rig(busy_week(1000), Duration::from_secs(30)).await;
    assert!(matches!(rig.pass().await.0, PassResult::Refreshed { .. }));
    let old = cached_subjects(&rig);
    assert_eq!(old.len(), 1000);

    // Every meeting is renamed; a long wait (a minute) asked after eight GetItem batches
    // fails the pass.
    let mailbox = rig.server.mailbox(ROOM).unwrap();
    for id in mailbox.item_ids() {
        mailbox.modify(&id, |item| {
            item.subject = format!("{} (moved)", item.subject)
        });
    }
    rig.server.inject_on(
        "GetItem",
        Fault::ServerBusy {
            back_off_ms: 60_000,
        },
        Times::OnceAfter(8),
    );
    rig.server.clear_requests();
    rig.clock.advance(chrono::Duration::minutes(1));
    let (result, wait) = rig.pass().await;
    let PassResult::Failed(error) = result else {
        panic!("a minute's wait fails the pass: {result:?}");
    };
    assert_eq!(
        error.kind,
        FailureKind::Throttled {
            retry_after: Some(Duration::from_secs(60))
        }
    );
    assert_eq!(wait, Duration::from_secs(60));
    assert!(rig.server.count("FindItem") > 0);
    assert_eq!(
        rig.server.count("GetItem"),
        10,
        "four steps of two, then the fault"
    );
    assert_eq!(cached_subjects(&rig), old, "the old agenda, whole");

    // The next pass continues: the listing still holds (nothing changed since), and
    // only what the failed pass had not fetched is asked for.
    rig.server.clear_requests();
    rig.clock.advance(chrono::Duration::from_std(wait).unwrap());
    let (result, _) = rig.pass().await;
    assert_eq!(
        result,
        PassResult::Refreshed {
            fetched: 600,
            stored: 1000
        }
    );
    assert_eq!(rig.server.count("FindItem"), 0, "no listing again");
    assert_eq!(rig.server.count("GetItem"), 12, "600 meetings, 50 a batch");
    let new = cached_subjects(&rig);
    assert_eq!(new.len(), 1000);
    assert!(
        new.iter().all(|s| s.ends_with("(moved)")),
        "the new agenda, whole"
    );

    // The kept work is gone once committed: an idle pass after it reads nothing else.
    rig.server.clear_requests();
    rig.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(rig.pass().await.0, PassResult::Unchanged);
    assert_eq!(
        rig.server.count("GetItem") + rig.server.count("FindItem"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_after_a_failed_pass_is_fetched_on_top_of_its_work() {
    let mut rig = rig(busy_week(300), Duration::from_secs(30)).await;
    rig.server.inject_on(
        "GetItem",
        Fault::ServerBusy {
            back_off_ms: 60_000,
        },
        Times::OnceAfter(2),
    );
    assert!(matches!(rig.pass().await.0, PassResult::Failed(_)));
    assert_eq!(rig.engine.store().meeting_count().unwrap(), 0);

    // Between the passes one fetched meeting changes: the check says so, the window is
    // listed again, and the changed one is fetched with those never fetched.
    let mailbox = rig.server.mailbox(ROOM).unwrap();
    let id = mailbox.id_of("Meeting 3").unwrap();
    mailbox.modify(&id, |item| item.subject = "Meeting 3 (renamed)".into());
    rig.server.clear_requests();
    rig.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(
        rig.pass().await.0,
        PassResult::Refreshed {
            fetched: 201,
            stored: 300
        }
    );
    assert!(rig.server.count("FindItem") > 0);
    assert!(cached_subjects(&rig).contains(&"Meeting 3 (renamed)".to_string()));
}
