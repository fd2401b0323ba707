//! Bytes on the wire: an idle poll (nothing changed on the server) against a full refresh
//! of the sync window, through the real sync engine and the in-repo EWS server. Issue #8's
//! target: an idle poll costs at most 5 % of a full refresh. A byte count is exact, not a
//! timing, so it is a test that fails CI when the target is missed; the figures are in
//! BENCHMARKS.md (`cargo test --test ews wire_bytes -- --nocapture` prints them).

use crate::common::engine_rig;
use crate::common::ews_server;

use std::time::Duration;

use engine_rig::*;
use ews_server::RecordedRequest;
use room_console::sync::engine::PassResult;

/// Request and response bytes of the recorded requests (bodies; HTTP headers are a few
/// hundred bytes each way and the same per request on both sides of the comparison).
fn bytes(requests: &[RecordedRequest]) -> usize {
    requests
        .iter()
        .map(|r| r.body.len() + r.response_bytes)
        .sum()
}

/// 24 half-hour meetings, each with a two-sentence agenda as its body: a modest room (the
/// idle poll costs the same however full the calendar is, so a fuller one only lowers the
/// share). The meetings of `engine_rig::mailbox` have a one-word body, the smallest full
/// refresh there is: since the window's listing asks only for the ids and starts, that
/// refresh is 36,658 bytes and the unchanged idle poll 5.003 % of it (BENCHMARKS.md).
fn modest_room() -> ews_server::Mailbox {
    let start = at(23, 7, 0);
    ews_server::Mailbox::new(ROOM, "Conference Room 2").with_items((0..24).map(|n| {
        let s = start + chrono::Duration::minutes(30 * n);
        ews_server::CalendarItem::new(&format!("Meeting {n}"), s, s + chrono::Duration::minutes(25))
            .organizer("Ana", "ana@contoso.com")
            .text_body("Agenda: budget, staffing and the Q3 roadmap.\r\nPlease read the notes in the team channel before we meet.")
    }))
}

#[tokio::test]
async fn an_idle_poll_costs_at_most_five_percent_of_a_full_refresh() {
    let mut rig = rig(modest_room(), Duration::from_secs(30)).await;
    let (first, _) = rig.pass().await;
    assert!(!matches!(first, PassResult::Failed(_)), "{first:?}");
    let full: Vec<_> = rig.server.requests();
    let full_bytes = bytes(&full);
    assert_eq!(rig.day().len(), 24);

    rig.server.clear_requests();
    rig.clock.advance(chrono::Duration::seconds(60));
    let (idle, _) = rig.pass().await;
    assert!(!matches!(idle, PassResult::Failed(_)), "{idle:?}");
    let polled = rig.server.requests();
    let idle_bytes = bytes(&polled);
    let operations: Vec<_> = polled.iter().map(|r| r.operation.as_str()).collect();

    let share = idle_bytes as f64 / full_bytes as f64;
    println!(
        "full refresh: {} requests, {full_bytes} bytes; idle poll: {operations:?}, {idle_bytes} bytes; {:.2} %",
        full.len(),
        share * 100.0
    );
    assert_eq!(
        operations,
        ["SyncFolderItems"],
        "an idle poll only asks what changed"
    );
    assert!(
        share <= 0.05,
        "an idle poll is {:.2} % of a full refresh",
        share * 100.0
    );
}
