//! The updater against the mock Installer: install with progress and a planned restart,
//! RAUC's refusal in an admin's words, no RAUC as "not available", and the health gate
//! marking good, or bad and restarting.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use chrono::{Duration, TimeZone, Utc};

use super::mock_installer::{Script, connect};
use super::*;
use crate::clock::FixedClock;
use crate::sync::status::SyncState;

fn script() -> Script {
    Script {
        boot_slot: "A".into(),
        primary: "rootfs.0".into(),
        ..Script::default()
    }
}

/// The updater on the mock Installer, in a configured demo room whose reboot command
/// leaves a marker file.
struct Rig {
    _server: zbus::Connection,
    rauc: Rauc,
    script: Arc<Mutex<Script>>,
    dir: tempfile::TempDir,
    data_dir: DataDir,
    marker: PathBuf,
}

impl Rig {
    async fn new(script: Script) -> Rig {
        let (server, client, script) = connect(script, true).await;
        let rauc = Rauc::on(&client).await.expect("mock answers");
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = DataDir::at(dir.path().join("data"));
        let marker = dir.path().join("rebooted");
        let mut settings = Settings::demo();
        settings.device.time_zone = Some("Europe/Stockholm".into());
        settings.device.reboot_command = format!("/usr/bin/touch {}", marker.display());
        settings.save(data_dir.path()).expect("settings saved");
        Rig {
            _server: server,
            rauc,
            script,
            dir,
            data_dir,
            marker,
        }
    }

    /// A request for a bundle written in the rig's folder.
    fn request(&self, sha256: Option<String>, restart_now: bool) -> UpdateRequest {
        let bundle = self.dir.path().join("update.raucb");
        std::fs::write(&bundle, b"bundle").expect("bundle written");
        UpdateRequest {
            source: bundle.display().to_string(),
            sha256,
            restart_now,
        }
    }

    /// Installs `request`, its progress unwatched.
    async fn install(
        &self,
        request: &UpdateRequest,
        clock: &FixedClock,
    ) -> Result<UpdateState, UpdateError> {
        start_with(&self.rauc, &self.data_dir, request, clock, &mut |_| {}).await
    }

    /// Installs, then "boots" slot B: the state is ready for the gate.
    async fn booted_into_the_update(&self, clock: &FixedClock) -> HealthGate {
        self.install(&self.request(None, false), clock)
            .await
            .expect("installed");
        self.script.lock().unwrap().boot_slot = "B".into();
        match after_boot(&self.rauc, &self.data_dir, clock.now(), true)
            .await
            .expect("reads")
        {
            AfterBoot::Prove(gate) => gate,
            AfterBoot::Nothing => panic!("no gate after booting the new slot"),
        }
    }
}

/// A first frame drawn, and the sync's status from `sync_status`.
fn drawn_with(sync_status: impl Fn() -> SyncStatus + Send + 'static) -> GateInputs {
    GateInputs {
        frame_drawn: Arc::new(AtomicBool::new(true)),
        sync_status: Some(Box::new(sync_status)),
    }
}

#[tokio::test]
async fn an_installed_update_waits_for_the_planned_restart() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0).unwrap());
    let mut seen = Vec::new();
    let request = rig.request(None, false);
    let done = start_with(&rig.rauc, &rig.data_dir, &request, &clock, &mut |s| {
        seen.push(s.clone())
    })
    .await
    .expect("installed");
    let UpdateState::AwaitingRestart {
        version,
        slot,
        plan,
    } = &done
    else {
        panic!("not waiting: {done:?}");
    };
    assert_eq!((version.as_str(), slot.as_str()), ("1.4.0", "B"));
    // No meetings: tonight's maintenance hours, 01:00 Stockholm = 00:00 UTC.
    assert_eq!(
        plan.expect("planned").at,
        Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap()
    );
    assert!(
        seen.iter()
            .any(|s| matches!(s, UpdateState::Installing { .. }))
    );
    assert_eq!(UpdateState::load(rig.data_dir.path()), Some(done.clone()));
    assert_eq!(
        rig.script.lock().unwrap().installed,
        vec![request.source.clone()]
    );
    assert!(!rig.marker.exists(), "no restart before the planned time");
    let slots = state::SlotsSnapshot::load(rig.data_dir.path()).expect("slots kept");
    assert_eq!(
        slots.describe(),
        "rootfs.0 (A): 1.3.0, booted, good; rootfs.1 (B): 1.4.0, inactive, good, primary"
    );
}

#[tokio::test]
async fn restart_now_runs_the_reboot_command() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc::now());
    rig.install(&rig.request(None, true), &clock)
        .await
        .expect("installed");
    assert!(rig.marker.exists(), "the reboot command ran");
}

#[tokio::test]
async fn a_refused_bundle_is_told_in_admin_words_and_kept_in_the_state() {
    let mut failing = script();
    failing.fail_with = Some(
        "Installation error: Compatible mismatch: Expected 'room-console test' but bundle \
         manifest has 'other'"
            .into(),
    );
    let rig = Rig::new(failing).await;
    let clock = FixedClock::new(Utc::now());
    let err = rig
        .install(&rig.request(None, true), &clock)
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains("made for 'other', this console is 'room-console test'"),
        "{err}"
    );
    assert!(matches!(
        UpdateState::load(rig.data_dir.path()),
        Some(UpdateState::Failed { .. })
    ));
}

#[tokio::test]
async fn a_wrong_checksum_never_reaches_rauc() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc::now());
    let err = rig
        .install(&rig.request(Some("0".repeat(64)), false), &clock)
        .await
        .expect_err("refused");
    assert!(matches!(err, UpdateError::Checksum { .. }), "{err}");
    assert!(rig.script.lock().unwrap().installed.is_empty());
}

#[tokio::test]
async fn no_installer_on_the_bus_is_not_available() {
    let (_server, client, _script) = connect(script(), false).await;
    let err = Rauc::on(&client).await.err().expect("nothing answers");
    assert!(matches!(err, UpdateError::NotAvailable { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("updates are not available on this system")
    );
}

#[tokio::test]
async fn the_gate_marks_good_after_the_first_frame_and_a_sync_that_reached_the_server() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap());
    let gate = rig.booted_into_the_update(&clock).await;
    let at = clock.now();
    let inputs = drawn_with(move || {
        let mut status = SyncStatus::default();
        status.succeeded(at, None);
        status
    });
    let end = prove(&rig.rauc, &rig.data_dir, gate, inputs, &clock)
        .await
        .expect("proved");
    assert!(matches!(end, UpdateState::Kept { ref version, .. } if version == "1.4.0"));
    assert_eq!(
        rig.script.lock().unwrap().marks,
        vec![("good".to_owned(), "booted".to_owned())]
    );
    assert!(!rig.marker.exists());
}

#[tokio::test]
async fn a_failed_gate_marks_bad_and_restarts() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap());
    let gate = rig.booted_into_the_update(&clock).await;
    clock.advance(Duration::minutes(11));
    let at = clock.now();
    let inputs = drawn_with(move || SyncStatus {
        state: SyncState::Offline,
        last_attempt: Some(at),
        ..SyncStatus::default()
    });
    let end = prove(&rig.rauc, &rig.data_dir, gate, inputs, &clock)
        .await
        .expect("decided");
    assert!(matches!(end, UpdateState::RolledBack { .. }), "{end:?}");
    assert_eq!(
        rig.script.lock().unwrap().marks,
        vec![("bad".to_owned(), "booted".to_owned())]
    );
    assert!(rig.marker.exists(), "the reboot command ran");
    // After the restart the bootloader went back to A: reported, nothing to prove.
    rig.script.lock().unwrap().boot_slot = "A".into();
    assert_eq!(
        after_boot(&rig.rauc, &rig.data_dir, clock.now(), true)
            .await
            .expect("reads"),
        AfterBoot::Nothing
    );
    let line = UpdateState::load(rig.data_dir.path())
        .expect("state")
        .describe(&chrono_tz::Tz::UTC);
    assert!(line.starts_with("1.4.0 was rolled back"), "{line}");
}

#[tokio::test]
async fn a_factory_reset_keeps_the_update_under_way() {
    let rig = Rig::new(script()).await;
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap());
    rig.booted_into_the_update(&clock).await;
    crate::device::reset::factory_reset(&rig.data_dir, &mut |_| {}).expect("reset");
    assert_eq!(
        Settings::load(rig.data_dir.path()).expect("reads"),
        None,
        "settings erased"
    );
    assert!(matches!(
        UpdateState::load(rig.data_dir.path()),
        Some(UpdateState::Proving { .. })
    ));
    assert!(state::SlotsSnapshot::load(rig.data_dir.path()).is_some());
}
