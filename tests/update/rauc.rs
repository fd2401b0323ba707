//! Software updates against the real RAUC service (Debian's rauc) on a private D-Bus:
//! `room-console update` installs a signed bundle into slot B and plans the restart; after
//! "booting" B, the health gate marks it good, or marks it bad and runs the reboot
//! command; an untrusted signature and a bundle for another device are refused in their
//! words. Skips with a notice where root or loop devices are missing.

use crate::common::update_rig;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::{Duration, Utc};
use room_console::clock::{Clock, FixedClock};
use room_console::device::paths::DataDir;
use room_console::settings::Settings;
use room_console::sync::status::{SyncState, SyncStatus};
use room_console::update::{self, AfterBoot, GateInputs, Rauc, UpdateState};
use update_rig::{COMPATIBLE, RaucRig};

/// `room-console --data-dir DATA ARGS` with the system bus at `bus` (a D-Bus address).
fn console_command(bus: &str, data: &std::path::Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_room-console"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus);
    command
}

/// The console run with the system bus pointed at the rig's bus.
fn console(rig: &RaucRig, data: &std::path::Path, args: &[&str]) -> Output {
    console_command(&rig.address, data, args)
        .output()
        .expect("the console runs")
}

/// What an update run that must succeed printed: (stdout, stderr).
fn succeeded(out: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "update failed: {stdout}{stderr}");
    (stdout, stderr)
}

/// What `room-console status` says.
fn status_text(rig: &RaucRig, data: &DataDir) -> String {
    let out = console(rig, data.path(), &["status"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `room-console update BUNDLE`, which must fail; what it said.
fn update_refused(rig: &RaucRig, data: &DataDir, bundle: &std::path::Path) -> String {
    let out = console(
        rig,
        data.path(),
        &["update", bundle.to_str().expect("utf-8")],
    );
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The RAUC service on the rig's bus.
async fn rauc(rig: &RaucRig) -> Rauc {
    Rauc::on(&rig.connection().await)
        .await
        .expect("RAUC answers")
}

/// Runs the health gate at `clock`'s time, the first frame drawn and the sync reporting
/// `sync_status`; how it ended.
async fn prove(
    rig: &RaucRig,
    data: &DataDir,
    gate: update::gate::HealthGate,
    clock: &FixedClock,
    sync_status: SyncStatus,
) -> UpdateState {
    let inputs = GateInputs {
        frame_drawn: Arc::new(AtomicBool::new(true)),
        sync_status: Some(Box::new(move || sync_status.clone())),
    };
    update::prove(&rauc(rig).await, data, gate, inputs, clock)
        .await
        .expect("the gate decides")
}

/// A configured room whose reboot command leaves a marker beside the data dir.
fn room(rig: &RaucRig) -> (DataDir, PathBuf) {
    let data = DataDir::at(rig.dir.path().join("data"));
    let marker = rig.dir.path().join("rebooted");
    let mut settings = Settings::demo();
    settings.device.time_zone = Some("Europe/Stockholm".into());
    settings.device.reboot_command = format!("/usr/bin/touch {}", marker.display());
    settings.save(data.path()).expect("settings");
    (data, marker)
}

/// Installs 1.4.0 with the CLI, then boots slot B as GRUB would try it.
async fn installed_and_booted(rig: &mut RaucRig, data: &DataDir) -> update::gate::HealthGate {
    let bundle = rig.bundle("good", COMPATIBLE, "1.4.0", &rig.trusted());
    let sha = update::fetch::sha256_hex(&bundle).expect("hashes");
    let out = console(
        rig,
        data.path(),
        &["update", bundle.to_str().expect("utf-8"), "--sha256", &sha],
    );
    let (stdout, stderr) = succeeded(&out);
    assert!(
        stdout.contains("installed: restart for 1.4.0 planned at"),
        "{stdout}"
    );
    assert!(stderr.contains("installing: "), "progress shown: {stderr}");
    assert_eq!(rig.grubenv("ORDER").as_deref(), Some("B A"), "B boots next");
    match UpdateState::load(data.path()) {
        Some(UpdateState::AwaitingRestart {
            version,
            slot,
            plan,
        }) => {
            assert_eq!((version.as_str(), slot.as_str()), ("1.4.0", "B"));
            assert!(plan.is_some(), "an empty calendar has a free night");
        }
        other => panic!("not waiting for the restart: {other:?}"),
    }
    // GRUB tries B once, and the device comes up in it.
    rig.set_grubenv("B_TRY=1");
    rig.boot("B").await;
    match update::after_boot(&rauc(rig).await, data, Utc::now(), true)
        .await
        .expect("reads RAUC")
    {
        AfterBoot::Prove(gate) => gate,
        AfterBoot::Nothing => panic!("no health gate after booting the new slot"),
    }
}

/// A console that installed 1.4.0 and booted into it, at the health gate: the rig, the data
/// dir, the restart marker and the gate; None (the test skips) without RAUC.
async fn at_the_health_gate() -> Option<(RaucRig, DataDir, PathBuf, update::gate::HealthGate)> {
    let mut rig = RaucRig::start().await?;
    let (data, marker) = room(&rig);
    let gate = installed_and_booted(&mut rig, &data).await;
    Some((rig, data, marker, gate))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_installs_and_is_kept_after_the_health_gate() {
    let Some((rig, data, marker, gate)) = at_the_health_gate().await else {
        return;
    };
    let clock = FixedClock::new(Utc::now());
    let mut synced = SyncStatus::default();
    synced.succeeded(clock.now(), None);
    let end = prove(&rig, &data, gate, &clock, synced).await;
    assert!(
        matches!(end, UpdateState::Kept { ref version, .. } if version == "1.4.0"),
        "{end:?}"
    );
    assert_eq!(rig.grubenv("B_OK").as_deref(), Some("1"));
    assert_eq!(
        rig.grubenv("B_TRY").as_deref(),
        Some("0"),
        "marked good resets the try"
    );
    assert!(!marker.exists(), "no restart after a passed gate");

    let status = status_text(&rig, &data);
    assert!(
        status.contains("rootfs.1 (B): 1.4.0, booted, good"),
        "{status}"
    );
    assert!(
        status.contains("Software update: 1.4.0 kept since"),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_health_gate_marks_the_slot_bad_and_restarts() {
    let Some((mut rig, data, marker, gate)) = at_the_health_gate().await else {
        return;
    };
    let clock = FixedClock::new(Utc::now() + Duration::minutes(11));
    let offline = SyncStatus {
        state: SyncState::Offline,
        last_attempt: Some(clock.now()),
        ..SyncStatus::default()
    };
    let end = prove(&rig, &data, gate, &clock, offline).await;
    assert!(matches!(end, UpdateState::RolledBack { .. }), "{end:?}");
    assert_eq!(rig.grubenv("B_OK").as_deref(), Some("0"), "B marked bad");
    assert!(marker.exists(), "the reboot command ran");
    // The bootloader returns to A: the console reports the rollback.
    rig.boot("A").await;
    assert_eq!(
        update::after_boot(&rauc(&rig).await, &data, Utc::now(), true)
            .await
            .expect("reads"),
        AfterBoot::Nothing
    );
    let status = status_text(&rig, &data);
    assert!(status.contains("1.4.0 was rolled back"), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_signature_and_another_device_are_refused_in_their_words() {
    let Some(rig) = RaucRig::start().await else {
        return;
    };
    let (data, _marker) = room(&rig);
    let stranger = rig.bundle("stranger", COMPATIBLE, "1.4.0", &rig.stranger());
    let stderr = update_refused(&rig, &data, &stranger);
    assert!(
        stderr.contains("its signature is not trusted by this console")
            && stderr.contains("keyring"),
        "{stderr}"
    );
    let other = rig.bundle("other", "other device", "1.4.0", &rig.trusted());
    let stderr = update_refused(&rig, &data, &other);
    assert!(
        stderr.contains("it is made for 'other device', this console is 'room-console test'"),
        "{stderr}"
    );
    assert_eq!(
        rig.grubenv("ORDER").as_deref(),
        Some("A B"),
        "nothing changed"
    );
}

#[test]
fn without_rauc_on_the_bus_updates_are_not_available() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = console_command(
        &format!("unix:path={}/no-bus", dir.path().display()),
        &dir.path().join("data"),
        &["update", "/nonexistent.raucb"],
    )
    .output()
    .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("updates are not available on this system"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("data/update.json").exists(),
        "nothing changes"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_downloaded_over_https_installs_and_its_download_is_removed() {
    let Some(rig) = RaucRig::start().await else {
        return;
    };
    let (data, _marker) = room(&rig);
    let bundle = rig.bundle("served", COMPATIBLE, "1.5.0", &rig.trusted());
    let sha = update::fetch::sha256_hex(&bundle).expect("hashes");
    let bytes = std::fs::read(&bundle).expect("bundle");
    let (url, ca_pem, ranges) = update_rig::bundle_server::bundle_server(bytes, false).await;
    // The calendar's trusted CA is the one the download trusts too.
    let ca_file = rig.dir.path().join("private-ca.pem");
    std::fs::write(&ca_file, ca_pem).expect("CA file");
    let mut settings = Settings::load(data.path()).expect("reads").expect("saved");
    settings.calendar.trusted_ca_file = Some(ca_file);
    settings.save(data.path()).expect("saved");

    let mut update = console_command(
        &rig.address,
        data.path(),
        &["update", url.as_str(), "--sha256", &sha],
    );
    let out = tokio::task::spawn_blocking(move || update.output().expect("the console runs"))
        .await
        .expect("joined");
    let (stdout, stderr) = succeeded(&out);
    assert!(
        stderr.contains("downloading: 100%"),
        "progress shown: {stderr}"
    );
    assert!(stdout.contains("restart for 1.5.0 planned at"), "{stdout}");
    assert_eq!(rig.grubenv("ORDER").as_deref(), Some("B A"));
    assert_eq!(ranges.lock().unwrap().len(), 1, "one request");
    assert!(
        !data
            .path()
            .join(update::DOWNLOAD_DIR)
            .join(update::fetch::BUNDLE_NAME)
            .exists(),
        "the installed download is removed"
    );
}
