//! Crash safety of the sync: `room-console sync --once` against the in-repo EWS server is
//! killed with SIGKILL at varying points (after the k-th line it logs), while the server's
//! calendar churns. After every kill the cache must pass `PRAGMA integrity_check` (the
//! store runs it on open) and hold exactly the agenda of before the killed sync or of
//! after it, never a mix; the settings and secrets files stay intact.
//!
//! CI runs a short bounded series; `ROOM_CONSOLE_CRASH_ITERATIONS=200` runs the long one.

use super::crash_rounds::iterations;
use crate::common::cli_console::write_room_account_file;
use crate::common::ews_server;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{Duration, TimeZone, Utc};
use ews_server::*;
use room_console::store::Store;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";

fn mailbox() -> Mailbox {
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
    Mailbox::new(ROOM, "Conference Room 2").with_items((0..40).map(|n| {
        let s = start + Duration::minutes(30 * n);
        CalendarItem::new(&format!("Meeting {n}"), s, s + Duration::minutes(25))
            .organizer("Ana", "ana@contoso.com")
            .text_body("Agenda")
    }))
}

/// The cached agenda as id → change key.
fn snapshot(db: &Path) -> BTreeMap<String, Option<String>> {
    let store = Store::open(db).expect("the cache opens and passes its integrity check");
    store
        .change_keys()
        .expect("change keys")
        .into_iter()
        .collect()
}

fn console(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_room-console"));
    command.arg("--data-dir").arg(data).args(args);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_killed_at_any_point_leaves_old_or_new_agenda() {
    let server = own_mailbox_server(("CONTOSO\\confrm2", "R00m!pw"), mailbox()).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let provisioning = write_room_account_file(
        dir.path(),
        ROOM,
        ("CONTOSO\\confrm2", "R00m!pw"),
        &server,
        "",
    );
    let provisioned = tokio::task::block_in_place(|| {
        console(&data, &["provision", provisioning.to_str().unwrap()])
            .output()
            .unwrap()
    });
    assert!(provisioned.status.success());
    let settings_bytes = std::fs::read(data.join("settings.json")).unwrap();
    let secrets_bytes = std::fs::read(data.join("secrets.json")).unwrap();
    let db = data.join("agenda.sqlite3");
    let handle = server.mailbox(ROOM).unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let mut kills_mid_sync = 0;
    let (mut kept_old, mut had_new) = (0, 0);

    for round in 0..iterations() {
        let before = if db.exists() {
            snapshot(&db)
        } else {
            BTreeMap::new()
        };
        // Churn: every round changes some meetings, so old and new agendas differ.
        for id in handle.item_ids().into_iter().filter(|_| rng.u8(..) < 64) {
            handle.modify(&id, |item| {
                item.subject = format!("{} (r{round})", item.subject)
            });
        }
        let kill_after = rng.usize(0..40);
        let mut child = console(&data, &["sync", "--once", "--now", NOW])
            .env("RUST_LOG", "trace")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let finished = tokio::task::block_in_place(|| {
            let mut lines = BufReader::new(stderr).lines();
            for _ in 0..kill_after {
                if lines.next().is_none() {
                    return true;
                }
            }
            false
        });
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if !finished && !status.success() {
            kills_mid_sync += 1;
        }
        let after_kill = snapshot(&db);
        // A clean sync now gives the new agenda.
        let clean = tokio::task::block_in_place(|| {
            console(&data, &["sync", "--once", "--now", NOW])
                .output()
                .unwrap()
        });
        assert!(
            clean.status.success(),
            "{}",
            String::from_utf8_lossy(&clean.stderr)
        );
        let after = snapshot(&db);
        assert!(
            after_kill == before || after_kill == after,
            "round {round}: the cache after the kill is neither the old nor the new agenda"
        );
        if after_kill == before {
            kept_old += 1;
        } else {
            had_new += 1;
        }
        assert_eq!(
            std::fs::read(data.join("settings.json")).unwrap(),
            settings_bytes
        );
        assert_eq!(
            std::fs::read(data.join("secrets.json")).unwrap(),
            secrets_bytes
        );
    }
    eprintln!(
        "{} kills, {kills_mid_sync} inside a sync: the old agenda after {kept_old}, the new \
         one after {had_new}",
        iterations()
    );
    assert!(
        kills_mid_sync > 0,
        "no kill landed inside a sync: the test proved nothing"
    );
}
