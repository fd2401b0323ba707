//! The settings and secrets files: loading, atomic writes, the secrets file's mode, and
//! secrets never showing in Debug output or errors.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use room_console::settings::{CalendarSource, Secret, Secrets, Settings, SettingsError};

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list data dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn some_secrets() -> Secrets {
    Secrets {
        room_password: Some(Secret::new("RoomPassword-1")),
        service_account_password: Some(Secret::new("ServicePassword-2")),
        client_secret: Some(Secret::new("ClientSecret-3")),
        admin_pin: Some(Secret::new("2468")),
        fleet_password: Some(Secret::new("FleetPassword-4")),
    }
}

#[test]
fn a_missing_settings_file_means_not_configured() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(Settings::load(dir.path()).expect("no error"), None);
    assert_eq!(Secrets::load(dir.path()).expect("no error"), None);
}

#[test]
fn settings_save_and_load_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::demo();
    settings.device.time_zone = Some("Europe/Stockholm".into());
    settings.device.simple_url_hosts = vec!["meet.contoso.com".into()];
    settings.save(dir.path()).expect("save");
    assert_eq!(Settings::load(dir.path()).expect("load"), Some(settings));
}

#[test]
fn the_demo_room_is_a_configured_demo() {
    let demo = Settings::demo();
    assert_eq!(demo.room.display_name, "Demo Room");
    assert_eq!(demo.calendar.source, CalendarSource::Demo);
}

#[test]
fn save_creates_the_data_dir() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().join("var").join("room-console");
    Settings::demo().save(&data_dir).expect("save");
    some_secrets().save(&data_dir).expect("save secrets");
    assert_eq!(file_names(&data_dir), vec!["secrets.json", "settings.json"]);
}

#[test]
fn a_corrupt_settings_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("settings.json"), "{ \"room\": ").expect("write");
    let error = Settings::load(dir.path()).expect_err("corrupt");
    assert!(matches!(error, SettingsError::Corrupt { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(&dir.path().join("settings.json").display().to_string()),
        "{message}"
    );
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn a_corrupt_secrets_file_is_an_error_that_quotes_nothing_from_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("secrets.json"), "\"hunter2-password\"").expect("write");
    let error = Secrets::load(dir.path()).expect_err("corrupt");
    let message = error.to_string();
    assert!(message.contains("secrets.json"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn the_secrets_file_is_owner_only_also_after_a_rewrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = Secrets::path(dir.path());
    some_secrets().save(dir.path()).expect("first save");
    assert_eq!(mode_of(&path), 0o600);
    let mut changed = some_secrets();
    changed.admin_pin = Some(Secret::new("1357"));
    changed.save(dir.path()).expect("rewrite");
    assert_eq!(mode_of(&path), 0o600);
    assert_eq!(Secrets::load(dir.path()).expect("load"), Some(changed));
}

#[test]
fn a_secrets_file_readable_by_others_is_tightened_on_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    some_secrets().save(dir.path()).expect("save");
    let path = Secrets::path(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("loosen");
    assert_eq!(
        Secrets::load(dir.path()).expect("load"),
        Some(some_secrets())
    );
    assert_eq!(mode_of(&path), 0o600);
}

#[test]
fn atomic_writes_leave_no_temporary_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    for round in 0..3 {
        let mut settings = Settings::demo();
        settings.calendar.sync_interval_seconds = 60 + round;
        settings.save(dir.path()).expect("save settings");
        some_secrets().save(dir.path()).expect("save secrets");
    }
    assert_eq!(
        file_names(dir.path()),
        vec!["secrets.json", "settings.json"]
    );
}

#[test]
fn debug_output_never_contains_a_secret() {
    let secrets = some_secrets();
    let debug = format!("{secrets:?} {secrets:#?}");
    for secret in [
        "RoomPassword-1",
        "ServicePassword-2",
        "ClientSecret-3",
        "2468",
        "FleetPassword-4",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("••••"));
    let settings = format!("{:?}", Settings::demo());
    assert!(!settings.contains("Password"), "{settings}");
}

#[test]
fn the_secrets_file_holds_the_secrets_in_plain_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    some_secrets().save(dir.path()).expect("save");
    let json = fs::read_to_string(Secrets::path(dir.path())).expect("read");
    assert!(
        json.contains("\"room_password\": \"RoomPassword-1\""),
        "{json}"
    );
    assert!(
        !fs::read_to_string(dir.path().join("secrets.json"))
            .expect("read")
            .contains("••••")
    );
}
