//! Messages made outside the sync travel as phrases to the admin screen:
//! - why an update failed: the real RAUC (on a private D-Bus) refuses a bundle made for
//!   another device, the console stores the failure as phrases beside its English,
//!   `status` prints the English, and the "Software update" fact says it in Swedish and
//!   Korean (skips with a notice where RAUC cannot run: no root or loop devices);
//! - why the fleet is not connected: the reason recorded as phrases is English in
//!   `status --json` and in the screen's language on the "Fleet" fact;
//! - why an update was rolled back: the reason stored as phrases is English in `status`
//!   and in the screen's language on the "Software update" fact.

use crate::common::cli_console::console_on;
use crate::common::{screens, update_rig};

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, Utc};
use room_console::clock::FixedClock;
use room_console::device::paths::DataDir;
use room_console::settings::Settings;
use room_console::status::fleet_state::{self, FleetState};
use room_console::ui::admin::controller::{AdminController, AdminDeps};
use room_console::ui::headless::Headless;
use room_console::ui::{AppWindow, Screen};
use room_console::update::UpdateState;
use room_console::words::{Phrase, Wording};
use screens::*;
use update_rig::{COMPATIBLE, RaucRig};

/// The admin screen of `data`, shown without the PIN, at `now`.
fn admin_screen(data: &DataDir, now: DateTime<Utc>) -> (Headless, AppWindow, AdminController) {
    let (headless, app) = show_app_at(Screen::Home);
    let controller = AdminController::start(
        &app,
        AdminDeps {
            data_dir: data.clone(),
            clock: std::sync::Arc::new(FixedClock::new(now)),
            sync: None,
            runtime: None,
            allow_insecure_http: false,
            after_reset: Box::new(|| {}),
        },
    );
    controller.show_without_pin(&app, Screen::Admin);
    headless.render();
    (headless, app, controller)
}

fn console(rig: &RaucRig, data: &Path, args: &[&str]) -> Output {
    console_on(data, args)
        .env("DBUS_SYSTEM_BUS_ADDRESS", &rig.address)
        .output()
        .expect("the console runs")
}

/// When the update failed, as the screen shows it: in the room's time zone.
fn failed_at(stored: &serde_json::Value) -> String {
    let at: DateTime<Utc> = stored["at"]
        .as_str()
        .and_then(|at| at.parse().ok())
        .expect("the failure's instant");
    let tz: chrono_tz::Tz = "Europe/Stockholm".parse().expect("time zone");
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_update_reaches_the_admin_screen_in_its_language() {
    let Some(rig) = RaucRig::start().await else {
        return;
    };
    let data = DataDir::at(rig.dir.path().join("data"));
    let mut settings = Settings::demo();
    settings.device.time_zone = Some("Europe/Stockholm".into());
    settings.save(data.path()).expect("settings");
    let other = rig.bundle("other", "other device", "1.4.0", &rig.trusted());
    let out = console(
        &rig,
        data.path(),
        &["update", other.to_str().expect("utf-8")],
    );
    assert!(!out.status.success());
    let english = format!(
        "the update was not installed: the bundle is made for another kind of device (it is \
         made for 'other device', this console is '{COMPATIBLE}')."
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&english), "{stderr}");

    // Stored as phrases beside the English.
    let stored = std::fs::read_to_string(data.path().join("update.json")).expect("state");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(stored["phase"], "failed", "{stored}");
    assert!(
        stored["message"]
            .as_str()
            .is_some_and(|m| m.contains(&english)),
        "{stored}"
    );
    assert_eq!(
        stored["words"][0],
        serde_json::json!({"phrase": "UpdateWrongDevice", "args": ["other device", COMPATIBLE]}),
        "{stored}"
    );

    // The command line says it in English.
    let status = console(&rig, data.path(), &["status"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains(&english), "{status}");

    // The admin screen, in the screen's language.
    let (headless, app, _controller) = admin_screen(&data, Utc::now());
    let at = failed_at(&stored);
    let fix_english = "Fix: install the bundle built for this console model (its manifest's \
                       `compatible` must equal the one in /etc/rauc/system.conf)";
    let shown = format!("the last update failed at {at}: {english} {fix_english}");
    assert!(shows(&app, &shown), "the screen shows {shown:?}");

    speak(&headless, &app, "sv");
    let swedish = format!(
        "den senaste uppdateringen misslyckades {at}: uppdateringen installerades inte: \
         paketet är gjort för en annan sorts enhet (det är gjort för 'other device', den här \
         konsolen är '{COMPATIBLE}'). Åtgärd: installera paketet som är byggt för den här \
         konsolmodellen (`compatible` i dess manifest måste vara samma som i \
         /etc/rauc/system.conf)"
    );
    assert!(shows(&app, &swedish), "the screen shows {swedish:?}");
    keep_screenshot(&headless, "admin-update-failed-sv");

    speak(&headless, &app, "ko");
    let korean = format!(
        "마지막 업데이트 실패 ({at}): 업데이트가 설치되지 않았습니다: 번들이 다른 종류의 \
         장치용입니다('other device'용이며, 이 콘솔은 '{COMPATIBLE}'입니다). 해결: 이 콘솔 \
         모델용으로 빌드된 번들을 설치하십시오(매니페스트의 `compatible`이 \
         /etc/rauc/system.conf의 값과 같아야 합니다)"
    );
    assert!(shows(&app, &korean), "the screen shows {korean:?}");
    keep_screenshot(&headless, "admin-update-failed-ko");
}

#[test]
fn why_the_fleet_is_not_connected_is_worded_in_the_screens_language() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = DataDir::at(temp.path().join("data"));
    let mut settings = Settings::demo();
    settings.fleet.broker = Some("mqtts://fleet.contoso.com:8883".parse().expect("url"));
    settings.save(data.path()).expect("settings");
    fleet_state::record(
        data.path(),
        &FleetState::Connecting {
            reason: Some(Wording::phrase(
                Phrase::FleetNothingAnswers,
                ["fleet.contoso.com:8883"],
            )),
        },
    );
    let english = "nothing answers at fleet.contoso.com:8883: is the broker (Mosquitto) \
                   running and listening there?";

    // `status --json` keeps the reason in English.
    let out = console_on(data.path(), &["status", "--json"])
        .output()
        .expect("the console runs");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        status["fleet"],
        serde_json::json!({"state": "connecting", "reason": english}),
        "{status}"
    );

    let (headless, app, _controller) = admin_screen(&data, Utc::now());
    assert!(shows(&app, &format!("connecting ({english})")));
    speak(&headless, &app, "sv");
    let swedish = "ansluter (inget svarar på fleet.contoso.com:8883: körs mäklaren (Mosquitto) \
                   och lyssnar den där?)";
    assert!(shows(&app, swedish), "the screen shows {swedish:?}");
    keep_screenshot(&headless, "admin-fleet-reason-sv");
    speak(&headless, &app, "ko");
    let korean = "연결 중 (fleet.contoso.com:8883에서 아무것도 응답하지 않습니다: \
                  브로커(Mosquitto)가 실행 중이며 그곳에서 수신 대기하고 있습니까?)";
    assert!(shows(&app, korean), "the screen shows {korean:?}");
    keep_screenshot(&headless, "admin-fleet-reason-ko");
}

#[test]
fn why_an_update_was_rolled_back_is_worded_in_the_screens_language() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = DataDir::at(temp.path().join("data"));
    Settings::demo().save(data.path()).expect("settings");
    let now: DateTime<Utc> = "2026-12-07T03:00:00Z".parse().expect("instant");
    let reason = Wording::phrase(Phrase::UpdateCameBackInPrevious, ["A"]);
    UpdateState::RolledBack {
        version: "1.4.0".into(),
        reason: reason.english(),
        at: now,
        words: Some(reason),
    }
    .save(data.path())
    .expect("the update state is saved");

    let status = console_on(data.path(), &["status"]).output().expect("runs");
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("the console came back up in the previous software (slot A)"),
        "{status}"
    );

    let (headless, app, _controller) = admin_screen(&data, now);
    speak(&headless, &app, "sv");
    let swedish = "1.4.0 återställdes 2026-12-07 03:00: konsolen startade igen med den \
                   tidigare programvaran (plats A)";
    keep_screenshot(&headless, "admin-update-rolled-back-sv");
    assert!(shows(&app, swedish), "the screen shows {swedish:?}");
    speak(&headless, &app, "ko");
    let korean = "1.4.0이(가) 2026-12-07 03:00에 되돌려졌습니다: 콘솔이 이전 소프트웨어로 \
                  다시 시작되었습니다(슬롯 A)";
    assert!(shows(&app, korean), "the screen shows {korean:?}");
    keep_screenshot(&headless, "admin-update-rolled-back-ko");
}
