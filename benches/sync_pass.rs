//! A whole sync pass against the in-repo EWS server: the first sync of a 5,000-meeting
//! week (SyncFolderItems, CalendarView, GetItem with HTML invitation bodies, join
//! detection, the mapping and the SQLite write) over HTTPS with NTLM and impersonation,
//! into a fresh cache each iteration. The server runs in this process, so the figure is
//! the wall time of client and server together; the client's own CPU is measured on the
//! real binary with the serve mode:
//!
//! ```sh
//! SYNC_PASS_SERVE=/tmp/room cargo bench --profile profiling --bench sync_pass
//! # then, as it prints: provision a data dir once, and time `sync --once` on copies of it
//! ```

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::ews_server::*;
use criterion::{Criterion, criterion_group};
use room_console::clock::FixedClock;
use room_console::ews::{EwsAuth, EwsConfig, Password};
use room_console::sources::ews::{EwsSetup, EwsSource};
use room_console::sources::ews_mapping::MappingRules;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::{PassResult, SyncEngine};

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
const MEETINGS: i64 = 5_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()
}

/// 5,000 one-minute meetings two minutes apart from 23 November, each with a Teams
/// invitation body, as Outlook writes them.
fn busy_week() -> Mailbox {
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    Mailbox::new(ROOM, "Conference Room 2").with_items((0..MEETINGS).map(|n| {
        let s = start + chrono::Duration::minutes(2 * n);
        CalendarItem::new(&format!("Planning meeting {n}"), s, s + chrono::Duration::minutes(1))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .location("Conference Room 2")
            .html_body(&format!(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div><p>Agenda: budget, staffing and the Q3 roadmap.</p></div><div style=\"width:100%\"><span style=\"white-space:nowrap;color:#5F5F5F;opacity:.36\">________________________________________________________________________________</span></div><div class=\"me-email-text\" lang=\"en-US\"><div style=\"margin-bottom:24px;overflow:hidden;white-space:nowrap\"><span style=\"font-size:24px;font-weight:700\">Microsoft Teams meeting</span></div><div><a class=\"me-email-headline\" href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{n:06}%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d\" target=\"_blank\">Join the meeting now</a></div><div><span>Meeting ID: </span><span>{n:06} 123 456</span></div><div><span>Passcode: </span><span>ab12cd</span></div></div></body></html>"
            ))
    }))
}

/// A tokio runtime with `workers` worker threads.
fn runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

async fn start_server() -> EwsServer {
    EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Both)
            .with_account(Account::new(SERVICE.0, SERVICE.1).impersonating(&[ROOM]))
            .with_mailbox(busy_week()),
    )
    .await
    .expect("the EWS test server starts")
}

fn engine(server: &EwsServer) -> SyncEngine<EwsSource> {
    let tz: chrono_tz::Tz = "Europe/Stockholm".parse().unwrap();
    let mut config = EwsConfig::new(
        url::Url::parse(&server.url()).unwrap(),
        EwsAuth::Ntlm {
            user: SERVICE.0.into(),
            password: Password::new(SERVICE.1),
        },
    );
    config.impersonate = Some(ROOM.into());
    config.trusted_ca_pem = Some(server.ca_pem().into_bytes());
    config.timeout = Duration::from_secs(60);
    let source = EwsSource::new(
        EwsSetup {
            config,
            mailbox: ROOM.into(),
            account: SERVICE.0.into(),
            discovery: None,
        },
        MappingRules {
            tz,
            hide_private: true,
            simple_url_hosts: vec![],
        },
    )
    .unwrap()
    .with_clock(Arc::new(FixedClock::new(now())));
    SyncEngine::new(
        source,
        Store::open_in_memory().unwrap(),
        tz,
        Duration::from_secs(60),
        Backoff::new(1),
    )
}

fn whole_pass(c: &mut Criterion) {
    let runtime = runtime(2);
    let server = runtime.block_on(start_server());
    let mut group = c.benchmark_group("sync_pass");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("ews_first_sync_5000_meetings_ntlm_impersonation", |b| {
        b.iter(|| {
            let mut engine = engine(&server);
            let (result, _) = runtime.block_on(engine.pass(now()));
            assert!(
                matches!(result, PassResult::Refreshed { stored, .. } if stored == MEETINGS as usize),
                "{result:?}"
            );
        })
    });
    group.finish();
}

/// Serves the room until killed, with a provisioning file and the CA in `dir`.
fn serve(dir: &Path) {
    let runtime = runtime(1);
    let server = runtime.block_on(start_server());
    std::fs::create_dir_all(dir).unwrap();
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    let settings = dir.join("RoomConsoleSettings.xml");
    std::fs::write(
        &settings,
        format!(
            r#"<RoomConsoleSettings>
  <RoomAccount>
    <DisplayName>Conference Room 2</DisplayName>
    <SignInAddress>{ROOM}</SignInAddress>
    <ExchangeAddress>{ROOM}</ExchangeAddress>
  </RoomAccount>
  <Calendar>
    <Source>ews-impersonation</Source>
    <EwsUrl>{url}</EwsUrl>
    <Authentication>ntlm</Authentication>
    <ServiceAccount><Username>{user}</Username><Password>{password}</Password></ServiceAccount>
    <TrustedCaFile>{ca}</TrustedCaFile>
  </Calendar>
  <Device><TimeZone>Europe/Stockholm</TimeZone></Device>
</RoomConsoleSettings>
"#,
            url = server.url(),
            user = SERVICE.0,
            password = SERVICE.1,
            ca = ca.display(),
        ),
    )
    .unwrap();
    println!(
        "serving {MEETINGS} meetings at {}\n  room-console --data-dir {dir}/data provision {settings}\n  room-console --data-dir COPY sync --once --now {now}",
        server.url(),
        dir = dir.display(),
        settings = settings.display(),
        now = now().to_rfc3339(),
    );
    runtime.block_on(std::future::pending::<()>());
}

fn main() {
    if let Some(dir) = std::env::var_os("SYNC_PASS_SERVE") {
        serve(Path::new(&dir));
        return;
    }
    criterion_group!(benches, whole_pass);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
