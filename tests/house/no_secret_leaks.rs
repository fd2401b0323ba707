//! No secret leaves the console: with logging at its most verbose, a provision, a sync
//! (one that works and one that fails sign-in), `status`, `status --json`, `diagnose` and
//! a screenshot's output never contain the passwords or the admin PIN; the secrets file
//! is owner-only.

use crate::common::cli_console::{run_logging_everything, write_room_account_file};
use crate::common::ews_server;

use std::os::unix::fs::PermissionsExt;
use std::process::Output;

use ews_server::*;

const ROOM: &str = "confrm2@contoso.com";
const ROOM_PASSWORD: &str = "Rq7-unique-room-secret";
const PIN: &str = "864213";

fn assert_clean(what: &str, output: &Output) {
    // The Basic sign-in header carries the password in base64.
    let basic = ews_server::auth::basic::header_value("CONTOSO\\confrm2", ROOM_PASSWORD);
    let basic = basic.trim_start_matches("Basic ").to_owned();
    for text in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(text);
        for secret in [ROOM_PASSWORD, PIN, basic.as_str()] {
            assert!(!text.contains(secret), "{what} printed a secret:\n{text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_stay_secret_at_every_log_level() {
    let server = own_mailbox_server(("CONTOSO\\confrm2", ROOM_PASSWORD), empty_room(ROOM)).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = write_room_account_file(
        dir.path(),
        ROOM,
        ("CONTOSO\\confrm2", ROOM_PASSWORD),
        &server,
        &format!("<AdminPin>{PIN}</AdminPin>"),
    );

    let run = |args: &[&str]| tokio::task::block_in_place(|| run_logging_everything(&data, args));
    let provision = run(&["provision", file.to_str().unwrap()]);
    assert!(provision.status.success());
    assert_clean("provision", &provision);
    let mode = std::fs::metadata(data.join("secrets.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the secrets file is owner-only");

    let sync = run(&["sync", "--once", "--now", "2026-11-23T07:00:00Z"]);
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    assert_clean("sync", &sync);

    server.set_password("CONTOSO\\confrm2", "changed-by-the-admin");
    let refused = run(&["sync", "--once", "--now", "2026-11-23T07:05:00Z"]);
    assert!(!refused.status.success());
    assert_clean("a refused sync", &refused);

    for args in [
        &["status"][..],
        &["status", "--json"],
        &["diagnose", "--json"],
        &["agenda", "--json", "--date", "2026-11-23"],
    ] {
        assert_clean(&args.join(" "), &run(args));
    }
    let png = dir.path().join("admin.png");
    let shot = run(&[
        "screenshot",
        "--screen",
        "admin",
        "--out",
        png.to_str().unwrap(),
    ]);
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    assert_clean("screenshot", &shot);
}
