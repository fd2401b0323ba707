//! Storage that fills up mid-sync: `room-console sync --once` runs with a file size limit
//! (RLIMIT_FSIZE, with SIGXFSZ ignored so a write past it fails the way it does on a full
//! disk instead of killing the process), so it cannot open or cannot finish writing its
//! agenda cache. The cache must stay sound (integrity check) with the old or the new
//! agenda whole, the sync must say what happened and what to check, and the next sync
//! with room to write must succeed by itself.

use crate::common::cli_console;
use crate::common::ews_server;

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use cli_console::Console;
use ews_server::*;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
}

fn subjects(console: &Console) -> Vec<String> {
    console
        .agenda_of(DAY)
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `sync --once` in a process that may not write past `limit` bytes into any file.
fn sync_with_file_size_limit(console: &Console, limit: u64) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_room-console"));
    command
        .arg("--data-dir")
        .arg(console.data())
        .args(["sync", "--once", "--now", NOW])
        .env("RUST_LOG", "warn");
    // SAFETY: between fork and exec only async-signal-safe calls: setrlimit and signal.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0
                || libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    tokio::task::block_in_place(|| command.output().unwrap())
}

/// A console whose cache holds "Weekly sync" and "Board review", and a calendar that has
/// since gained thirty drop-in meetings.
async fn changed_while_full() -> (EwsServer, Console) {
    let room = Mailbox::new(ROOM, "Conference Room 2")
        .with_items([weekly_sync(), board_review().text_body("Figures")]);
    let server = own_mailbox_server(("CONTOSO\\confrm2", "R00m!pw"), room).await;
    let console = Console::new();
    console.provision_own_mailbox(ROOM, ("CONTOSO\\confrm2", "R00m!pw"), &server);
    console.sync_ok_at(NOW);
    assert_eq!(subjects(&console), OLD_AGENDA);

    let mailbox = server.mailbox(ROOM).unwrap();
    for n in 0..30 {
        let start = at(12, 0) + chrono::Duration::minutes(10 * n);
        mailbox.add(
            CalendarItem::new(
                &format!("Drop-in {n}"),
                start,
                start + chrono::Duration::minutes(10),
            )
            .organizer("Lars Ek", "lars@contoso.com")
            .text_body("Notes"),
        );
    }
    (server, console)
}

const OLD_AGENDA: [&str; 2] = ["Weekly sync", "Board review"];

/// The sync with a full disk failed, said so, and left a sound cache; returns the agenda.
fn failed_soundly(console: &Console, full: &Output) -> Vec<String> {
    let said = String::from_utf8_lossy(&full.stderr);
    assert!(!full.status.success(), "the sync must fail: {said}");
    assert!(said.contains("agenda cache"), "{said}");
    assert!(said.contains("full or failing"), "{said}");
    assert!(said.contains("retries by itself"), "{said}");
    let db = rusqlite::Connection::open(console.data().join("agenda.sqlite3")).unwrap();
    let integrity: String = db
        .pragma_query_value(None, "integrity_check", |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    subjects(console)
}

/// Room again: the next sync catches up by itself.
fn recovers(console: &Console) {
    console.sync_ok_at(NOW);
    let caught_up = subjects(console);
    assert_eq!(caught_up.len(), 32, "{caught_up:?}");
    assert!(caught_up.contains(&"Drop-in 29".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_room_to_open_the_cache_keeps_the_agenda_says_so_and_recovers() {
    let (_server, console) = changed_while_full().await;
    // Not even SQLite's 32 KiB shared-memory index fits.
    let full = sync_with_file_size_limit(&console, 4096);
    assert_eq!(failed_soundly(&console, &full), OLD_AGENDA);
    recovers(&console);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_filling_up_during_the_writes_leaves_a_whole_agenda_and_recovers() {
    let (_server, console) = changed_while_full().await;
    // The cache opens, then the writes run out of room part of the way through.
    let full = sync_with_file_size_limit(&console, 40 * 1024);
    let agenda = failed_soundly(&console, &full);
    let new_agenda = agenda.len() == 32 && agenda.contains(&"Drop-in 29".to_string());
    assert!(
        agenda == OLD_AGENDA || new_agenda,
        "neither the old nor the new agenda: {agenda:?}"
    );
    recovers(&console);
}
