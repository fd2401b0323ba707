//! End to end: `room-console sync` (without `--once`) on a Microsoft 365 room polls the
//! in-repo Graph server adaptively. Near a meeting's start it polls every
//! `GraphFastPollSeconds` (1 s here), so a meeting added, moved and deleted on the
//! server reaches the cache although the slow rate and the sync interval are an hour;
//! far from any meeting, a console with the same settings makes no request beyond its
//! first pass while the other has made several. Requests are counted; nothing sleeps.
//! (The fast rate after a touch is tested on tokio's paused clock in
//! `src/live/graph_poller.rs`: `sync` has no screen to touch.)

use crate::common::cli_console;
use crate::common::graph_server;

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use cli_console::{Console, Running, subjects};
use graph_server::*;

/// Its "Standup" starts at 08:00, 30 s after `NOW`: in the fast span.
const BUSY_ROOM: &str = "confrm2@contoso.com";
/// Its only meeting is at 15:00: far from `NOW`.
const QUIET_ROOM: &str = "confrm3@contoso.com";
/// The consoles' fixed clock (`sync --now`).
const NOW: &str = "2026-12-07T07:59:30Z";
const DAY: &str = "2026-12-07";
/// Far less than the slow rate and the sync interval (an hour): what arrives within it
/// came by fast polling.
const GENEROUS: Duration = Duration::from_secs(30);

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

async fn server() -> GraphServer {
    GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET),
        [
            (
                BUSY_ROOM,
                vec![TestEvent::new(
                    "AAMk-standup",
                    "Standup",
                    at(8, 0),
                    at(8, 15),
                )],
            ),
            (
                QUIET_ROOM,
                vec![TestEvent::new("AAMk-retro", "Retro", at(15, 0), at(15, 30))],
            ),
        ],
        4,
    )
    .await
    .unwrap()
}

/// A console for `room` polling fast every second, slowly every hour, and syncing by
/// itself every hour.
fn provisioned(server: &GraphServer, room: &str) -> Console {
    let console = Console::new();
    let ca = console.write_ca(&server.ca_pem());
    console.provision(&format!(
        r#"<RoomConsoleSettings>
  <RoomAccount>
    <DisplayName>{room}</DisplayName>
    <SignInAddress>{room}</SignInAddress>
    <ExchangeAddress>{room}</ExchangeAddress>
  </RoomAccount>
  <Calendar>
    <Source>graph</Source>
    <SyncIntervalSeconds>3600</SyncIntervalSeconds>
    <TenantId>{TENANT}</TenantId>
    <ClientId>{CLIENT_ID}</ClientId>
    <ClientSecret>{SECRET}</ClientSecret>
    <GraphUrl>{graph}</GraphUrl>
    <AuthorityUrl>{authority}</AuthorityUrl>
    <GraphFastPollSeconds>1</GraphFastPollSeconds>
    <GraphSlowPollSeconds>3600</GraphSlowPollSeconds>
    <TrustedCaFile>{ca}</TrustedCaFile>
  </Calendar>
  <Device><TimeZone>Europe/Stockholm</TimeZone></Device>
</RoomConsoleSettings>"#,
        graph = server.graph_url(),
        authority = server.authority_url(),
        ca = ca.display()
    ));
    console
}

/// `room-console sync` for `console`, once its first pass is done.
fn start_live_sync(console: &Console) -> Running {
    console.start_sync(NOW, GENEROUS)
}

/// The delta requests the server answered for `room`.
fn delta_polls(server: &GraphServer, room: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/calendarView/delta") && r.path.contains(room))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn near_a_meeting_s_start_changes_reach_the_cache_by_fast_polling() {
    let server = server().await;
    let console = provisioned(&server, BUSY_ROOM);
    let _running = start_live_sync(&console);
    console.wait_for_agenda(DAY, GENEROUS, "the first sync", |a| {
        subjects(a) == ["Standup"]
    });

    server.add(
        BUSY_ROOM,
        TestEvent::new("AAMk-design", "Design review", at(10, 0), at(11, 0)),
    );
    console.wait_for_agenda(DAY, GENEROUS, "the added meeting", |a| {
        subjects(a) == ["Standup", "Design review"]
    });

    server.modify(BUSY_ROOM, "AAMk-design", |event| {
        event.start = at(13, 0);
        event.end = at(14, 0);
    });
    let agenda = console.wait_for_agenda(DAY, GENEROUS, "the moved meeting", |a| {
        a.iter()
            .any(|m| m["subject"] == "Design review" && m["start"] == "2026-12-07T14:00:00+01:00")
    });
    assert_eq!(agenda.len(), 2, "{agenda:#?}");

    server.remove(BUSY_ROOM, "AAMk-design");
    console.wait_for_agenda(DAY, GENEROUS, "the deletion", |a| {
        subjects(a) == ["Standup"]
    });

    let status = console.status();
    assert_eq!(status["push"]["mode"], "polling", "{status}");
    assert_eq!(status["push"]["cause"], "cannot_push", "{status}");
    let reason = status["push"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(
            "every 1 s near a meeting's start or end and after a touch, every 3600 s otherwise"
        ),
        "{reason}"
    );
    // Each poll is one delta round; the most Graph allows at once is never approached.
    assert!(server.max_in_flight() <= 2, "{}", server.max_in_flight());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn far_from_any_meeting_it_polls_at_the_slow_rate() {
    let server = server().await;
    let quiet = provisioned(&server, QUIET_ROOM);
    let busy = provisioned(&server, BUSY_ROOM);
    // The quiet room's console runs first, so it has run longer when the count is made.
    let _quiet_running = start_live_sync(&quiet);
    let quiet_first_pass = delta_polls(&server, QUIET_ROOM);
    assert!(quiet_first_pass >= 1);
    let _busy_running = start_live_sync(&busy);
    let busy_first_pass = delta_polls(&server, BUSY_ROOM);

    // The busy room polls every second ...
    let started = Instant::now();
    while delta_polls(&server, BUSY_ROOM) < busy_first_pass + 5 {
        assert!(
            started.elapsed() < GENEROUS,
            "the room near a meeting's start did not poll fast: {} delta requests",
            delta_polls(&server, BUSY_ROOM)
        );
        std::thread::yield_now();
    }
    // ... while the quiet one, with the same settings and the same clock, waits its hour.
    assert_eq!(
        delta_polls(&server, QUIET_ROOM),
        quiet_first_pass,
        "the room far from any meeting polled before its slow interval"
    );
    let status = quiet.status();
    assert_eq!(status["push"]["mode"], "polling", "{status}");
    assert_eq!(status["sync"]["state"], "ok", "{status}");
}
