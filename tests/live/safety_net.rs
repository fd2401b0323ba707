//! The sync's safety-net poll against push's health, for real on loopback, with the
//! console's own live side (`live::start`, as `run` and `sync` start it, with short
//! silence limits so that nothing waits minutes) beside a sync task polling every
//! second, provisioned with `PushSyncIntervalSeconds` 3600:
//! - a healthy stream stretches the poll to the hour (no poll while the stream brings
//!   keep-alives), and the poll comes back at once when push stops;
//! - behind a reverse proxy that buffers chunked answers (the in-repo Exchange server's
//!   buffering mode) the streams bring nothing: push falls back to pull and says why in
//!   `status` ("push blocked by a proxy that buffers responses"), the sync keeps its own
//!   interval, and a change still reaches the cache.
//!
//! Every wait is for a condition, bounded by a generous timeout.

use crate::common::cli_console;
use crate::common::ews_server;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use cli_console::{Console, wait_until};
use ews_server::*;
use room_console::clock::{Clock, FixedClock};
use room_console::device::paths::DataDir;
use room_console::live::listener::LiveConfig;
use room_console::live::start::{self, LiveSetup};
use room_console::settings::{Secrets, Settings};
use room_console::sources::configured::ConfiguredSource;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::SyncEngine;
use room_console::sync::task;
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
const GENEROUS: Duration = Duration::from_secs(30);

fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

/// A room server with one meeting ("Standup").
async fn room_server() -> EwsServer {
    impersonation_server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        SERVICE,
        standup_room(ROOM),
    )
    .await
}

/// A console provisioned for `server` (the safety net stretched to an hour while push
/// is healthy), its sync task polling every second and its live side running.
fn start_console(server: &EwsServer) -> (Console, DataDir, tokio::task::JoinHandle<()>) {
    let console = Console::new();
    let endpoint = format!(
        "<EwsUrl>{}</EwsUrl><PushSyncIntervalSeconds>3600</PushSyncIntervalSeconds>",
        server.url()
    );
    console.provision_ews(
        ROOM,
        "ews-impersonation",
        "basic",
        SERVICE,
        &endpoint,
        &server.ca_pem(),
    );
    let data_dir = DataDir::at(console.data());
    let settings = Settings::load(data_dir.path()).unwrap().unwrap();
    let secrets = Secrets::load(data_dir.path()).unwrap().unwrap_or_default();
    assert_eq!(settings.calendar.push_sync_interval_seconds, 3600);

    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(at(7, 0)));
    let source =
        ConfiguredSource::new(settings.clone(), secrets.clone(), false).with_clock(clock.clone());
    let store = Store::open(&data_dir.agenda_db()).unwrap();
    let engine = SyncEngine::new(
        source,
        store,
        chrono_tz::Europe::Stockholm,
        Duration::from_secs(1),
        Backoff::new(3),
    );
    let handle = task::spawn(engine, clock.clone());
    let live = start::spawn(
        LiveSetup {
            settings,
            secrets,
            allow_insecure_http: false,
            data_dir: data_dir.path().to_path_buf(),
            agenda_db: data_dir.agenda_db(),
            clock,
            config: LiveConfig {
                silence: Duration::from_secs(1),
                silent_streams_before_pull: 2,
                pull_interval: Duration::from_millis(500),
                min_backoff: Duration::from_secs(60),
                ..LiveConfig::default()
            },
        },
        handle,
    )
    .unwrap()
    .expect("EWS has a live side");
    (console, data_dir, live)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_stream_stretches_the_safety_net_and_it_comes_back_when_push_stops() {
    let server = room_server().await;
    // Keep-alives every 100 ms (Exchange: about every 30 s) mark time on the stream.
    server.set_stream_keep_alive(Duration::from_millis(100));
    let (console, _data_dir, live) = start_console(&server);
    wait_until(GENEROUS, "the stream confirmed", || {
        let status = console.status();
        status["push"]["mode"] == "streaming" && status["push"]["last_confirmed"].is_string()
    });
    // Let the pass the new subscription asked for finish.
    let bytes = server.stream_bytes();
    wait_until(GENEROUS, "five keep-alives", || {
        server.stream_bytes() >= bytes + 5_000
    });

    // About two seconds of keep-alives: a sync polling every second would have
    // polled; with the stream healthy it waits its hour.
    let polls = server.count("SyncFolderItems");
    let bytes = server.stream_bytes();
    wait_until(GENEROUS, "twenty keep-alives", || {
        server.stream_bytes() >= bytes + 20_000
    });
    assert_eq!(
        server.count("SyncFolderItems"),
        polls,
        "the sync polled beside a healthy stream"
    );

    // Push stops (the stream breaks and Exchange refuses new ones): the sync polls every
    // second again.
    server.inject_on(
        "GetStreamingEvents",
        Fault::Http503 { retry_after: None },
        Times::UntilCleared,
    );
    server.close_streams();
    wait_until(GENEROUS, "three polls once push stopped", || {
        server.count("SyncFolderItems") >= polls + 3
    });
    assert_eq!(console.status()["push"]["mode"], "polling");
    live.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_buffering_proxy_it_says_so_falls_back_to_pull_and_keeps_polling() {
    let server = room_server().await;
    server.set_buffering_proxy(true);
    let (console, data_dir, live) = start_console(&server);

    // Two silent streams, then pull, and the admin is told why.
    wait_until(GENEROUS, "push falls back to pull", || {
        console.status()["push"]["mode"] == "pull"
    });
    let status = console.status();
    assert_eq!(status["push"]["cause"], "buffering_proxy", "{status}");
    let reason = status["push"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("push blocked by a proxy that buffers responses: 2 streams in a row brought nothing for 1 s"),
        "{reason}"
    );
    assert_eq!(
        server.count("GetStreamingEvents"),
        2,
        "no stream after the fallback"
    );
    let text = console.run(&["status"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("pull (push blocked by a proxy that buffers responses"),
        "{text}"
    );

    // The sync keeps polling at its own interval (not the hour of a healthy stream).
    let before = server.count("SyncFolderItems");
    wait_until(GENEROUS, "three more safety-net polls", || {
        server.count("SyncFolderItems") >= before + 3
    });

    // And a change still reaches the cache.
    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.add(CalendarItem::new("Behind the proxy", at(10, 0), at(11, 0)));
    let cache = Store::open(&data_dir.agenda_db()).unwrap();
    wait_until(GENEROUS, "the added meeting in the cache", || {
        cache.change_keys().unwrap().contains_key(&id)
    });
    assert!(
        server.requests().iter().any(|r| r.operation == "GetEvents"),
        "pull asked Exchange for events"
    );
    assert_eq!(console.status()["sync"]["state"], "ok");
    let agenda: Vec<Value> = console.agenda_of("2026-12-07");
    assert_eq!(agenda.len(), 2, "{agenda:#?}");
    live.abort();
}
