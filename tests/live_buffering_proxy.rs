//! A reverse proxy that buffers chunked answers, for real on loopback: the in-repo
//! Exchange server's buffering mode holds every GetStreamingEvents answer until it ends,
//! so the console's streams bring nothing. The console's own live side (`live::start`,
//! the same as `run` and `sync` start, with short silence limits so that the test does
//! not wait minutes) gives up on streaming, falls back to a pull subscription, and says
//! why in `status` ("push blocked by a proxy that buffers responses"); the sync keeps
//! polling at its own interval (the long interval kept for a healthy stream is not
//! used), and a change still reaches the cache. Every wait is for a condition, bounded
//! by a generous timeout.

mod cli_console;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use cli_console::Console;
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
use support::*;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
const GENEROUS: Duration = Duration::from_secs(30);

fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

/// Waits until `done` holds, re-checking as fast as the machine allows.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < GENEROUS, "{what} within {GENEROUS:?}");
        std::thread::yield_now();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_buffering_proxy_it_says_so_falls_back_to_pull_and_keeps_polling() {
    let server = EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Basic)
            .with_account(Account::new(SERVICE.0, SERVICE.1).impersonating(&[ROOM]))
            .with_mailbox(
                Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
                    "Standup",
                    at(8, 0),
                    at(8, 15),
                )]),
            ),
    )
    .await
    .unwrap();
    server.set_buffering_proxy(true);

    // Provisioned as an admin would; a healthy stream would stretch the safety-net
    // sync to an hour.
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

    // The sync task, polling every second, and the console's live side beside it.
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
                ..LiveConfig::default()
            },
        },
        handle.clone(),
    )
    .unwrap()
    .expect("EWS has a live side");

    // Two silent streams, then pull, and the admin is told why.
    wait_until("push falls back to pull", || {
        console.status()["push"]["mode"] == "pull"
    });
    let status = console.status();
    assert_eq!(status["push"]["cause"], "buffering_proxy", "{status}");
    let reason = status["push"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("push blocked by a proxy that buffers responses: 2 streams in a row brought nothing for 1 s"),
        "{reason}"
    );
    let streams = |server: &EwsServer| {
        server
            .requests()
            .iter()
            .filter(|r| r.operation == "GetStreamingEvents")
            .count()
    };
    assert_eq!(streams(&server), 2, "no stream after the fallback");
    let text = console.run(&["status"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("pull (push blocked by a proxy that buffers responses"),
        "{text}"
    );

    // The sync keeps polling at its own interval (not the hour of a healthy stream).
    let polls = |server: &EwsServer| {
        server
            .requests()
            .iter()
            .filter(|r| r.operation == "SyncFolderItems")
            .count()
    };
    let before = polls(&server);
    wait_until("three more safety-net polls", || {
        polls(&server) >= before + 3
    });

    // And a change still reaches the cache.
    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.add(CalendarItem::new("Behind the proxy", at(10, 0), at(11, 0)));
    let cache = Store::open(&data_dir.agenda_db()).unwrap();
    wait_until("the added meeting in the cache", || {
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
