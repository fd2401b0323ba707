//! What an admin reads over SSH, through the binary: `agenda` on a console that is not
//! set up prints its real, empty agenda and says why on stderr (the demo only when asked
//! for); `status` prints times as the device's local time with their age, and `--json`
//! keeps RFC 3339 without sub-second noise.

use crate::common::cli_console;

use chrono::{DateTime, Utc};
use cli_console::Console;
use room_console::device::paths::DataDir;
use room_console::store::Store;
use room_console::sync::engine::STATUS_KEY;
use room_console::sync::status::{LastError, SyncState, SyncStatus};
use serde_json::Value;

const DAY: &str = "2026-11-23";

const DEMO_ROOM: &str = "<RoomConsoleSettings>
  <RoomAccount><DisplayName>Demo</DisplayName></RoomAccount>
  <Calendar><Source>demo</Source></Calendar>
  <Device><TimeZone>Europe/Stockholm</TimeZone></Device>
</RoomConsoleSettings>";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `agenda` with `args` on `console`: it must succeed; what it printed on stdout and
/// stderr.
fn agenda(console: &Console, args: &[&str]) -> (String, String) {
    let mut all = vec!["agenda", "--date", DAY];
    all.extend_from_slice(args);
    let out = console.run(&all);
    assert!(out.status.success(), "agenda failed: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn json_array(text: &str) -> Vec<Value> {
    match serde_json::from_str(text).unwrap() {
        Value::Array(meetings) => meetings,
        other => panic!("agenda --json is not an array: {other}"),
    }
}

fn assert_says_not_set_up(said: &str) {
    assert!(said.contains("not set up yet"), "{said}");
    assert!(
        said.contains("room-console provision"),
        "the way out: {said}"
    );
    assert!(said.contains("--demo"), "the demo on request: {said}");
}

#[test]
fn agenda_of_a_console_never_set_up_is_empty_and_says_why() {
    let console = Console::new();
    let (json, said) = agenda(&console, &["--json"]);
    assert_eq!(json_array(&json), Vec::<Value>::new());
    assert_says_not_set_up(&said);

    let (table, said) = agenda(&console, &[]);
    assert_eq!(table, "No meetings.\n");
    assert_says_not_set_up(&said);
    assert!(
        !console.data().join("agenda.sqlite3").exists(),
        "reading the agenda makes no cache"
    );
}

#[test]
fn the_demo_calendar_only_when_asked_for() {
    let console = Console::new();
    let (json, said) = agenda(&console, &["--json", "--demo"]);
    assert!(!json_array(&json).is_empty(), "--demo: the demo calendar");
    assert_eq!(said, "", "asked for: nothing to warn about");

    console.provision(DEMO_ROOM);
    let (json, said) = agenda(&console, &["--json"]);
    assert!(!json_array(&json).is_empty(), "<Source>demo</Source>");
    assert_eq!(said, "");
}

#[test]
fn agenda_after_a_factory_reset_is_empty_again() {
    let console = Console::new();
    console.provision(DEMO_ROOM);
    let out = console.run(&["factory-reset", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (json, said) = agenda(&console, &["--json"]);
    assert_eq!(json_array(&json), Vec::<Value>::new());
    assert_says_not_set_up(&said);
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A Stockholm console whose last good sync was at 17:02:23.088507269 UTC and whose
/// last attempt failed two days before `status` runs, as the sync records them (with the
/// system clock's nanoseconds).
fn console_with_sync_history() -> Console {
    let console = Console::new();
    console.provision(DEMO_ROOM);
    let mut sync = SyncStatus::default();
    sync.succeeded(at("2026-12-05T17:02:23.088507269Z"), None);
    sync.state = SyncState::Offline;
    sync.last_attempt = Some(at("2026-12-05T17:05:31.5Z"));
    sync.last_error = Some(LastError {
        at: at("2026-12-03T08:00:00.25Z"),
        message: "cannot reach mail.contoso.com".into(),
        fix: None,
    });
    let mut store = Store::open(&DataDir::at(console.data()).agenda_db()).unwrap();
    store
        .set_state(STATUS_KEY, Some(&serde_json::to_string(&sync).unwrap()))
        .unwrap();
    console
}

const STATUS_NOW: &str = "2026-12-05T17:05:40Z";

#[test]
fn status_shows_local_times_with_their_age() {
    let console = console_with_sync_history();
    let out = console.run(&["status", "--now", STATUS_NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Last good sync:  18:02:23, 3 min ago\n"),
        "Stockholm time, to the second, with its age:\n{text}"
    );
    assert!(
        text.contains(
            "Last error:      cannot reach mail.contoso.com (2026-12-03 09:00:00, 2 days ago)"
        ),
        "older than a day: with the date:\n{text}"
    );
    assert!(!text.contains("+00:00"), "no UTC instants:\n{text}");
}

#[test]
fn status_json_keeps_rfc3339_without_sub_second_noise() {
    let console = console_with_sync_history();
    let out = console.run(&["status", "--json", "--now", STATUS_NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sync = &report["sync"];
    assert_eq!(sync["last_success"], "2026-12-05T17:02:23Z", "{sync}");
    assert_eq!(sync["last_attempt"], "2026-12-05T17:05:31Z", "{sync}");
    assert_eq!(sync["last_error"]["at"], "2026-12-03T08:00:00Z", "{sync}");
}
