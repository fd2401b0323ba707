//! The drop folder: `<data-dir>/provisioning/RoomConsoleSettings.xml` applied at start-up
//! and deleted; a rejected file set aside with the reason beside it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use room_console::settings::provision::{self, ProvisionError};
use room_console::settings::{Secrets, Settings};

const GOOD: &str = "<RoomConsoleSettings>
  <RoomAccount><DisplayName>Room 7</DisplayName><Password>Room7-Password</Password></RoomAccount>
  <Calendar><Source>demo</Source></Calendar>
</RoomConsoleSettings>
";

const BAD: &str = "<RoomConsoleSettings>
  <RoomAccount><DisplayName>Room 7</DisplayName><Password>Room7-Password</Password></RoomAccount>
  <Calendar><Source>demo</Source></Calendar>
  <Device><AdminPin>12ab</AdminPin></Device>
</RoomConsoleSettings>
";

fn drop_folder(data_dir: &Path) -> PathBuf {
    data_dir.join("provisioning")
}

fn drop_file(data_dir: &Path, xml: &str) -> PathBuf {
    let folder = drop_folder(data_dir);
    fs::create_dir_all(&folder).expect("drop folder");
    let path = folder.join("RoomConsoleSettings.xml");
    fs::write(&path, xml).expect("drop file");
    path
}

#[test]
fn nothing_dropped_means_nothing_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(provision::apply_dropped(dir.path()).is_none());
    fs::create_dir_all(drop_folder(dir.path())).expect("empty drop folder");
    assert!(provision::apply_dropped(dir.path()).is_none());
}

#[test]
fn a_dropped_file_is_applied_and_deleted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dropped = drop_file(dir.path(), GOOD);
    let summary = provision::apply_dropped(dir.path())
        .expect("a file was dropped")
        .expect("applied");
    assert!(!summary.is_empty());
    assert!(
        !dropped.exists(),
        "the applied file holds passwords and must go"
    );
    let settings = Settings::load(dir.path())
        .expect("load")
        .expect("configured");
    assert_eq!(settings.room.display_name, "Room 7");
    let secrets = Secrets::load(dir.path()).expect("load").expect("saved");
    assert_eq!(
        secrets.room_password.as_ref().map(|s| s.expose()),
        Some("Room7-Password")
    );
    assert_eq!(
        fs::read_dir(drop_folder(dir.path())).expect("list").count(),
        0
    );
}

#[test]
fn a_rejected_file_is_set_aside_owner_only_with_the_reason_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop_file(dir.path(), BAD);
    let error = provision::apply_dropped(dir.path())
        .expect("a file was dropped")
        .expect_err("rejected");
    assert!(error.is_file_problem());
    let folder = drop_folder(dir.path());
    assert!(!folder.join("RoomConsoleSettings.xml").exists());
    let rejected = folder.join("RoomConsoleSettings.xml.rejected");
    assert_eq!(
        fs::read_to_string(&rejected).expect("rejected file kept"),
        BAD
    );
    let mode = fs::metadata(&rejected)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    let note = fs::read_to_string(folder.join("RoomConsoleSettings.xml.error.txt")).expect("note");
    assert!(
        note.starts_with("RoomConsoleSettings.xml line 4: <AdminPin> must be 4 to 8 digits"),
        "{note}"
    );
    assert!(
        !note.contains("12ab") && !note.contains("Room7-Password"),
        "{note}"
    );
    assert_eq!(
        Settings::load(dir.path()).expect("load"),
        None,
        "nothing applied"
    );
    assert_eq!(
        Secrets::load(dir.path()).expect("load"),
        None,
        "nothing applied"
    );
}

#[test]
fn a_later_good_file_clears_away_the_rejected_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop_file(dir.path(), BAD);
    assert!(matches!(provision::apply_dropped(dir.path()), Some(Err(_))));
    drop_file(dir.path(), GOOD);
    assert!(matches!(provision::apply_dropped(dir.path()), Some(Ok(_))));
    assert_eq!(
        fs::read_dir(drop_folder(dir.path())).expect("list").count(),
        0
    );
}

#[test]
fn a_file_not_applied_because_of_the_device_stays_for_the_next_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("settings.json"), "not json").expect("corrupt settings");
    let dropped = drop_file(dir.path(), GOOD);
    let error = provision::apply_dropped(dir.path())
        .expect("a file was dropped")
        .expect_err("current settings unreadable");
    assert!(
        matches!(error, ProvisionError::CurrentSettings(_)),
        "{error:?}"
    );
    assert!(!error.is_file_problem());
    assert!(dropped.exists());
    assert!(
        !drop_folder(dir.path())
            .join("RoomConsoleSettings.xml.rejected")
            .exists()
    );
}

#[test]
fn a_link_in_the_drop_folder_is_not_followed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let elsewhere = dir.path().join("elsewhere.xml");
    fs::write(&elsewhere, GOOD).expect("target");
    fs::create_dir_all(drop_folder(dir.path())).expect("drop folder");
    std::os::unix::fs::symlink(
        &elsewhere,
        drop_folder(dir.path()).join("RoomConsoleSettings.xml"),
    )
    .expect("symlink");
    let error = provision::apply_dropped(dir.path())
        .expect("something was dropped")
        .expect_err("refused");
    assert!(error.to_string().contains("not a regular file"), "{error}");
    assert_eq!(Settings::load(dir.path()).expect("load"), None);
}
