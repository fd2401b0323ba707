//! Push, measured against the in-repo EWS server on loopback: the time from a change
//! in the room's calendar (a meeting added, moved or deleted, in turn) to the change
//! being in the agenda cache, through the whole path the console runs — streaming
//! subscription, listener with its 300 ms debounce, sync task (SyncFolderItems,
//! CalendarView, GetItem), SQLite. Prints the median and the worst of 100 changes, and
//! the idle cost of push (with the sync's safety-net poll stretched while the stream is
//! healthy) against 60 s polling (requests and bytes per hour); criterion then times
//! single changes. Targets: worst ≤ 2 s, median ≤ 500 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use common::ews_server;
use common::ews_server::*;
use criterion::Criterion;
use room_console::clock::{Clock, FixedClock};
use room_console::ews::{EwsAuth, EwsConfig, Password};
use room_console::live::ews_server::EwsPushServer;
use room_console::live::listener::{Listener, LiveConfig, PushOutput};
use room_console::live::push_status::PushStatus;
use room_console::settings::Settings;
use room_console::sources::ews::{EwsSetup, EwsSource};
use room_console::sources::ews_mapping::MappingRules;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::SyncEngine;
use room_console::sync::task::{self, SyncHandle};

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
const CHANGES: usize = 100;

/// The safety-net sync interval while the stream is healthy: the setting's default.
fn push_sync_interval() -> Duration {
    Settings::default().calendar.push_sync_interval()
}

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, hour, minute, 0).unwrap()
}

/// Wakes the sync task, and stretches its safety-net poll while the stream is
/// healthy, as the console's own output does.
struct Wake(SyncHandle);

impl PushOutput for Wake {
    fn changed(&mut self) {
        self.0.sync_now();
    }
    fn resync(&mut self) {
        self.0.sync_now();
    }
    fn status(&mut self, status: &PushStatus) {
        self.0
            .relax_while_pushed(status.is_healthy_stream().then(push_sync_interval));
    }
}

/// A running console path: server, sync task, listener, and a reader of the cache.
struct Rig {
    server: EwsServer,
    handle: SyncHandle,
    cache: Store,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    let server = EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Ntlm)
            .with_account(Account::new(SERVICE.0, SERVICE.1).impersonating(&[ROOM]))
            .with_mailbox(Mailbox::new(ROOM, "Conference Room 2").with_items(
                (0..8).map(|n| {
                    CalendarItem::new(&format!("Meeting {n}"), at(8 + n, 0), at(8 + n, 45))
                }),
            )),
    )
    .await
    .unwrap();
    let mut config = EwsConfig::new(
        server.url().parse().unwrap(),
        EwsAuth::Ntlm {
            user: SERVICE.0.into(),
            password: Password::new(SERVICE.1),
        },
    );
    config.impersonate = Some(ROOM.into());
    config.trusted_ca_pem = Some(server.ca_pem().into_bytes());
    let tz = chrono_tz::Europe::Stockholm;
    let setup = EwsSetup {
        config: config.clone(),
        mailbox: ROOM.into(),
        account: SERVICE.0.into(),
        discovery: None,
    };
    let rules = MappingRules {
        tz,
        hide_private: true,
        simple_url_hosts: Vec::new(),
    };
    let source = EwsSource::new(setup, rules).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("agenda.sqlite3");
    let store = Store::open(&db).unwrap();
    let engine = SyncEngine::new(source, store, tz, Duration::from_secs(60), Backoff::new(7));
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(at(7, 0)));
    let mut handle = task::spawn(engine, clock.clone());
    handle.next_pass().await;
    let server_side = EwsPushServer::new(config, ROOM, None).unwrap();
    let listener = Listener::new(
        server_side,
        Wake(handle.clone()),
        LiveConfig::default(),
        clock,
    );
    tokio::spawn(listener.run());
    let cache = Store::open(&db).unwrap();
    let rig = Rig {
        server,
        handle,
        cache,
        _dir: dir,
    };
    // Measured from when the stream is open.
    while !rig
        .server
        .requests()
        .iter()
        .any(|r| r.operation == "GetStreamingEvents")
    {
        tokio::task::yield_now().await;
    }
    rig
}

impl Rig {
    /// Waits until the cache satisfies `done`, pass by pass.
    async fn until(&mut self, done: impl Fn(&Store) -> bool) {
        while !done(&self.cache) {
            tokio::time::timeout(Duration::from_secs(30), self.handle.next_pass())
                .await
                .expect("a pass within 30 s");
        }
    }

    /// Makes change number `n` (add, move, delete in turn) and waits for it in the
    /// cache; the time it took.
    async fn change(&mut self, n: usize, current: &mut Option<String>) -> Duration {
        let mailbox = self.server.mailbox(ROOM).unwrap();
        let started = Instant::now();
        match (n % 3, current.clone()) {
            (0, _) | (_, None) => {
                let id = mailbox.add(CalendarItem::new("Pushed", at(17, 0), at(17, 30)));
                *current = Some(id.clone());
                self.until(|cache| cache.change_keys().unwrap().contains_key(&id))
                    .await;
            }
            (1, Some(id)) => {
                let key = mailbox
                    .modify(&id, |item| {
                        item.start += chrono::Duration::minutes(15);
                        item.end += chrono::Duration::minutes(15);
                    })
                    .unwrap();
                self.until(|cache| {
                    cache.change_keys().unwrap().get(&id) == Some(&Some(key.clone()))
                })
                .await;
            }
            (_, Some(id)) => {
                mailbox.delete(&id);
                *current = None;
                self.until(|cache| !cache.change_keys().unwrap().contains_key(&id))
                    .await;
            }
        }
        started.elapsed()
    }
}

/// Median and worst of 100 changes.
async fn latency_report() {
    let mut rig = rig().await;
    let mut current = None;
    let mut times = Vec::with_capacity(CHANGES);
    for n in 0..CHANGES {
        times.push(rig.change(n, &mut current).await);
    }
    times.sort();
    println!(
        "change → cache over {CHANGES} changes (add, move, delete in turn): median {:.0} ms, worst {:.0} ms, best {:.0} ms",
        times[CHANGES / 2].as_secs_f64() * 1e3,
        times[CHANGES - 1].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
    );
}

/// Requests and body bytes of an idle hour: push (a keep-alive every 30 s on the
/// stream, the stream opened again every 30 minutes, and the sync's safety-net poll
/// every `PushSyncIntervalSeconds`, 900 s by default) against polling every 60 s (one
/// SyncFolderItems that finds nothing), which is also what a console pays while push is
/// down. Each request and envelope is sized as the server wrote it in this run.
async fn idle_report() {
    let mut rig = rig().await;
    rig.handle.sync_now();
    rig.handle.next_pass().await;
    let poll = rig.server.last("SyncFolderItems").unwrap();
    let poll_bytes = poll.body.len() + poll.response_bytes;
    let stream = rig.server.last("GetStreamingEvents").unwrap();
    let envelope = |status: &str| {
        ews_server::soap::write::response_envelope(
            ExchangeVersion::Exchange2019,
            "GetStreamingEvents",
            &ews_server::soap::write::success_message(
                "GetStreamingEvents",
                &format!("<m:ConnectionStatus>{status}</m:ConnectionStatus>"),
            ),
        )
        .len()
    };
    let keep_alive = envelope("OK");
    // Each 30-minute stream: its request, a keep-alive at once, Closed at the end.
    let stream_open = stream.body.len() + keep_alive + envelope("Closed");
    let safety_net = (3600 / push_sync_interval().as_secs()) as usize;
    let stream_bytes = 120 * keep_alive + 2 * stream_open;
    let push_bytes = stream_bytes + safety_net * poll_bytes;
    println!(
        "idle hour, push: {} requests, {push_bytes} bytes of bodies (GetStreamingEvents every 30 min: {stream_open} bytes; 120 keep-alives of {keep_alive} bytes; {safety_net} safety-net SyncFolderItems of {poll_bytes} bytes)",
        2 + safety_net
    );
    println!(
        "idle hour, push with the safety net at 60 s (before PushSyncIntervalSeconds): {} requests, {} bytes of bodies",
        2 + 60,
        stream_bytes + 60 * poll_bytes
    );
    println!(
        "idle hour, 60 s polling (no push, or push down): 60 requests, {} bytes of bodies ({poll_bytes} per idle SyncFolderItems)",
        60 * poll_bytes
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(latency_report());
    runtime.block_on(idle_report());
    let mut criterion = Criterion::default().configure_from_args().sample_size(10);
    let mut rig = runtime.block_on(rig());
    let mut n = 0;
    let mut current = None;
    criterion.bench_function("live change to cache (EWS streaming, loopback)", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                total += runtime.block_on(rig.change(n, &mut current));
                n += 1;
            }
            total
        })
    });
    criterion.final_summary();
}
