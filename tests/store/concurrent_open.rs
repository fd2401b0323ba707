//! Several processes opening one fresh agenda cache at the same moment, as at first boot
//! (the screen, the sync task, an admin's `agenda` over SSH, the fleet agent): every one
//! of them opens it, and the schema is made exactly once.
//!
//! The test runs its own binary again as the opening processes. Each child says it is
//! ready, then waits on its standard input; the parent lets them all go at once by
//! closing those inputs, so the opens overlap as closely as processes can.

use crate::common::process::test_name;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};

use room_console::store::{APPLICATION_ID, SCHEMA_VERSION, Store};

/// Set in a child: the cache file to open.
const CHILD_PATH: &str = "ROOM_CONSOLE_TEST_OPEN_CACHE";
/// Set in a child: open as the screen does (`open_for_screen`) instead of as the sync.
const CHILD_FOR_SCREEN: &str = "ROOM_CONSOLE_TEST_OPEN_FOR_SCREEN";
/// What a child prints once it is about to wait for the start.
const READY: &str = "ready to open";

const PROCESSES: usize = 4;
const ROUNDS: usize = 40;

#[test]
fn processes_opening_a_fresh_cache_at_once_all_succeed() {
    if let Ok(path) = std::env::var(CHILD_PATH) {
        open_as_child(Path::new(&path));
        return;
    }
    for round in 0..ROUNDS {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.sqlite3");
        let children: Vec<(Child, ChildStdin)> = (0..PROCESSES)
            .map(|n| spawn_ready_child(&path, n % 2 == 1))
            .collect();
        // Closing every child's input is the start signal.
        let children: Vec<Child> = children
            .into_iter()
            .map(|(child, stdin)| {
                drop(stdin);
                child
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: a process could not open the fresh cache:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_is_current_cache(&path);
    }
}

/// Starts one opening process and waits until it is ready for the start signal.
fn spawn_ready_child(path: &Path, for_screen: bool) -> (Child, ChildStdin) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            &test_name(
                module_path!(),
                "processes_opening_a_fresh_cache_at_once_all_succeed",
            ),
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_PATH, path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if for_screen {
        command.env(CHILD_FOR_SCREEN, "1");
    }
    let mut child = command.spawn().unwrap();
    let stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let read = stdout.read_line(&mut line).unwrap();
        assert!(read > 0, "the opening process ended before it was ready");
        // libtest may print "test <name> ... " on the same line before it.
        if line.trim_end().ends_with(READY) {
            break;
        }
    }
    // The rest of its output is not needed; keep the pipe drained so it never blocks.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    (child, stdin)
}

/// In a child: wait for the start signal, then open the cache and read from it.
fn open_as_child(path: &Path) {
    println!("{READY}");
    std::io::stdout().flush().unwrap();
    std::io::stdin().read_to_end(&mut Vec::new()).unwrap();
    let store = if std::env::var_os(CHILD_FOR_SCREEN).is_some() {
        Store::open_for_screen(path)
    } else {
        Store::open(path)
    }
    .unwrap_or_else(|e| panic!("opening the fresh cache failed: {e}"));
    assert_eq!(store.meeting_count().unwrap(), 0);
}

/// The file carries our application id and this build's schema, made once.
fn assert_is_current_cache(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let (application_id, version): (i32, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), \
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(application_id, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION as i64);
}
