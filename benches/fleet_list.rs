//! `room-console fleet list` against one Mosquitto holding 200 consoles: 200 simulated
//! consoles (one TLS connection and certificate each, a last will, a retained `online`
//! and a retained health report shaped like the real one) stay connected while criterion
//! times `fleet list --json` as the admin runs it. Also prints the broker's and the
//! listing's memory. Run: `cargo bench --profile dev --bench fleet_list` (see
//! BENCHMARKS.md; the dev profile keeps the build machine's disk free of a release tree).

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::fleet_rig::{self, Broker};
use common::succeeded::succeeded;
use criterion::Criterion;
use room_console::fleet::connection::Endpoint;
use room_console::fleet::topics::Topics;
use rumqttc::{AsyncClient, Event, Incoming, LastWill, QoS};
use serde_json::json;

/// How many consoles the broker holds.
const CONSOLES: usize = 200;

/// A health report as a console publishes it (the fields of `fleet::health::Health`).
fn health(device: &str, i: usize) -> String {
    json!({
        "device_id": device, "room": format!("Room {i}"), "mailbox": format!("room{i}@contoso.com"),
        "version": env!("CARGO_PKG_VERSION"), "booted_slot": null,
        "started_at": "2026-12-05T07:00:00Z", "uptime_seconds": 3600,
        "calendar_source": "ews-impersonation",
        "sync": {"state": "ok", "last_success": "2026-12-05T08:00:00Z",
                 "last_attempt": "2026-12-05T08:00:00Z", "last_error": null,
                 "server": "Exchange Server 2019 (15.2)"},
        "push": "none", "meetings_cached": 24,
        "room_status": {"state": "busy", "until": "2026-12-05T09:00:00Z"},
        "display": {"headless": false, "night_mode": "19:00-07:00", "night_now": false},
        "content_inputs": ["HDMI-A-1: nothing plugged in"],
        "hostname": device, "network": [{"name": "eth0", "addresses": [format!("10.0.{}.{}", i / 250, i % 250)]}],
        "data_free_bytes": 3_000_000_000u64, "memory_bytes": 26_000_000u64,
        "at": "2026-12-05T08:00:00Z"
    })
    .to_string()
}

/// Connects one simulated console and publishes its retained messages; its event loop
/// keeps running (keep-alive) on the runtime.
async fn console(
    broker_url: String,
    ca: std::path::PathBuf,
    identity: fleet_rig::Identity,
    i: usize,
) {
    let device = format!("console-{i:03}");
    let topics = Topics::new("room-console", &device);
    let endpoint = Endpoint {
        broker: broker_url.parse().unwrap(),
        trusted_ca_file: Some(ca),
        client_certificate: Some(identity.cert),
        client_key: Some(identity.key),
        username: None,
        password: None,
        allow_insecure: false,
    };
    let mut options = endpoint
        .mqtt_options(&device, Duration::from_secs(60))
        .unwrap();
    options.set_last_will(LastWill::new(
        topics.online(),
        r#"{"online":false}"#,
        QoS::AtLeastOnce,
        true,
    ));
    let (client, mut events) = AsyncClient::new(options, 8);
    let (acked_tx, acked_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut acked = 0;
        let mut acked_tx = Some(acked_tx);
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Incoming::ConnAck(_))) => {
                    let online = json!({"online": true, "version": env!("CARGO_PKG_VERSION"), "since": "2026-12-05T07:00:00Z"});
                    client
                        .try_publish(topics.online(), QoS::AtLeastOnce, true, online.to_string())
                        .unwrap();
                    client
                        .try_publish(topics.health(), QoS::AtLeastOnce, true, health(&device, i))
                        .unwrap();
                }
                Ok(Event::Incoming(Incoming::PubAck(_))) => {
                    acked += 1;
                    if acked == 2
                        && let Some(tx) = acked_tx.take()
                    {
                        let _ = tx.send(());
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("{device}: {e}"),
            }
        }
    });
    acked_rx.await.unwrap();
}

/// Resident and peak memory of a process, from /proc (kB).
fn memory_of(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::start(dir.path());
    let pid = broker.pid().unwrap();
    let (idle_rss, _) = memory_of(pid);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    runtime.block_on(async {
        let mut joined = Vec::new();
        for i in 0..CONSOLES {
            let identity = broker.pki.issue(&format!("console-{i:03}"), &[]);
            joined.push(tokio::spawn(console(
                broker.url(),
                broker.pki.ca.clone(),
                identity,
                i,
            )));
        }
        for j in joined {
            j.await.unwrap();
        }
    });
    let (rss, hwm) = memory_of(pid);
    println!(
        "{CONSOLES} consoles connected and reported in {:.1} s; mosquitto RSS {idle_rss} kB idle, \
         {rss} kB with them (peak {hwm} kB)",
        started.elapsed().as_secs_f64()
    );

    let mut args = vec!["fleet".to_string()];
    args.extend(broker.admin_args());
    args.extend(["list".to_string(), "--json".to_string()]);
    let list = || {
        let out = succeeded(
            "fleet list --json",
            Command::new(env!("CARGO_BIN_EXE_room-console"))
                .args(&args)
                .output()
                .unwrap(),
        );
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), CONSOLES);
    };
    let mut criterion = Criterion::default().sample_size(10).configure_from_args();
    criterion.bench_function("fleet list --json, 200 consoles", |b| b.iter(list));
    criterion.final_summary();
    let (rows, peak_kb, took) = measured_list(&args);
    println!(
        "one more `fleet list --json`: {rows} rows in {:.0} ms, peak RSS {peak_kb} kB",
        took.as_secs_f64() * 1000.0
    );
    drop(runtime);
}

/// Runs `room-console <args>` once: the rows it listed, its own peak RSS (kB, from
/// wait4) and its wall time.
// wait4 reaps the child (std's wait cannot return its resource usage).
#[allow(clippy::zombie_processes)]
fn measured_list(args: &[String]) -> (usize, i64, Duration) {
    use std::io::Read;
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_room-console"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut stdout)
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for the child just spawned.
    let mut usage = unsafe { std::mem::zeroed::<libc::rusage>() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for our own child and writes into the two locals given.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let took = started.elapsed();
    let rows: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
    (rows.as_array().unwrap().len(), usage.ru_maxrss, took)
}
