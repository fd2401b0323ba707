//! The join handler runs a real program: a small script in a temporary folder that writes
//! its argument and environment to files. Tests wait on the returned launch handle.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use room_console::join::handler::{JoinLaunch, JoinOutcome, PROVIDER_ENV, URL_ENV};
use room_console::join::{JoinLink, Provider, launch};

/// Writing an executable while another thread of this process forks can make the exec
/// fail with "text file busy"; the tests that write and run scripts take turns.
static SCRIPTS: Mutex<()> = Mutex::new(());

/// This test's turn to write and run scripts (see [`SCRIPTS`]).
fn take_turn() -> std::sync::MutexGuard<'static, ()> {
    SCRIPTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes `contents` as `folder/name` with the permission bits `mode`; its path.
fn script(folder: &Path, name: &str, contents: impl AsRef<[u8]>, mode: u32) -> PathBuf {
    let script = folder.join(name);
    fs::write(&script, contents).expect("write script");
    fs::set_permissions(&script, fs::Permissions::from_mode(mode)).expect("chmod script");
    script
}

/// A script that records its arguments, its standard input and the join variables.
fn recording_script(folder: &Path) -> PathBuf {
    let out = folder.display();
    script(
        folder,
        "join-meeting",
        format!(
            "#!/bin/sh\n\
             printf '%s\\n' \"$#\" > '{out}/argc'\n\
             printf '%s' \"$1\" > '{out}/arg'\n\
             printf '%s' \"${PROVIDER_ENV}\" > '{out}/provider'\n\
             printf '%s' \"${URL_ENV}\" > '{out}/url'\n\
             cat > '{out}/stdin'\n"
        ),
        0o755,
    )
}

fn read(folder: &Path, name: &str) -> String {
    fs::read_to_string(folder.join(name)).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// The link `url` of `provider`.
fn join_link(provider: Provider, url: impl Into<String>) -> JoinLink {
    JoinLink {
        provider,
        url: url.into(),
    }
}

/// The running command of `outcome`, which must have started.
fn started(outcome: JoinOutcome) -> JoinLaunch {
    match outcome {
        JoinOutcome::Launched(launched) => launched,
        other => panic!("the join command did not start: {other:?}"),
    }
}

fn failure_reason(outcome: JoinOutcome) -> String {
    match outcome {
        JoinOutcome::Failed { reason } => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn the_command_gets_the_link_as_its_only_argument() {
    let _turn = take_turn();
    let folder = tempfile::tempdir().expect("temp dir");
    let script = recording_script(folder.path());
    let link = join_link(
        Provider::Teams,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_a%40thread.v2/0?context=%7b%7d",
    );

    let launched = started(launch(Some(&script), &link));
    assert!(launched.pid() > 0);
    let status = launched.wait().expect("the join command ends");

    assert!(status.success());
    assert_eq!(read(folder.path(), "argc"), "1\n");
    assert_eq!(read(folder.path(), "arg"), link.url);
    assert_eq!(read(folder.path(), "provider"), "teams");
    assert_eq!(read(folder.path(), "url"), link.url);
    assert_eq!(read(folder.path(), "stdin"), "", "stdin is empty (null)");
}

#[test]
fn links_are_never_interpreted_by_a_shell() {
    let _turn = take_turn();
    let folder = tempfile::tempdir().expect("temp dir");
    let script = recording_script(folder.path());
    let marker = folder.path().join("pwned");
    let url = format!(
        "https://acme.zoom.us/j/1?pwd=$(touch {m});x=`touch {m}`&y=1 2;touch {m}",
        m = marker.display()
    );
    let link = join_link(Provider::Zoom, url.clone());

    let launched = started(launch(Some(&script), &link));
    launched.wait().expect("the join command ends");

    assert_eq!(read(folder.path(), "argc"), "1\n");
    assert_eq!(read(folder.path(), "arg"), url);
    assert!(!marker.exists(), "a shell ran part of the link");
}

#[test]
fn a_failing_command_reports_its_exit_status() {
    let _turn = take_turn();
    let folder = tempfile::tempdir().expect("temp dir");
    let script = script(folder.path(), "join-fails", "#!/bin/sh\nexit 3\n", 0o755);
    let link = join_link(Provider::Meet, "https://meet.google.com/abc-defg-hij");

    let launched = started(launch(Some(&script), &link));
    assert_eq!(
        launched.wait().expect("the join command ends").code(),
        Some(3)
    );
}

#[test]
fn a_script_that_is_not_executable_is_reported_with_the_fix() {
    let _turn = take_turn();
    let folder = tempfile::tempdir().expect("temp dir");
    let script = script(folder.path(), "join-meeting", "#!/bin/sh\nexit 0\n", 0o644);
    let link = join_link(Provider::Webex, "https://acme.webex.com/meet/jdoe");

    let reason = failure_reason(launch(Some(&script), &link));
    assert!(reason.contains("is not executable"), "{reason}");
    assert!(reason.contains("chmod +x"), "{reason}");
}

#[test]
fn a_script_without_an_interpreter_line_is_reported() {
    let _turn = take_turn();
    let folder = tempfile::tempdir().expect("temp dir");
    let script = script(
        folder.path(),
        "join-meeting",
        [0x7f, b'E', b'L', b'F', 0, 0, 0, 0],
        0o755,
    );
    let link = join_link(Provider::Goto, "https://meet.goto.com/123456789");

    let reason = failure_reason(launch(Some(&script), &link));
    assert!(
        reason.contains("not a program the console can run"),
        "{reason}"
    );
}

#[test]
fn no_configured_command_shows_the_link_instead() {
    let link = join_link(
        Provider::Teams,
        "https://teams.microsoft.com/meet/123?p=abc",
    );
    assert!(matches!(
        launch(None, &link),
        JoinOutcome::NoCommandConfigured
    ));
}
