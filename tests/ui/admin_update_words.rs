//! Why an update failed travels as phrases from RAUC's refusal to the admin screen: the
//! real RAUC (on a private D-Bus) refuses a bundle made for another device, the console
//! stores the failure as phrases beside its English, `status` prints the English, and
//! the admin screen's "Software update" fact says it in Swedish and Korean. Skips with a
//! notice where RAUC cannot run (no root or loop devices).

use crate::common::{screens, update_rig};

use std::path::Path;
use std::process::{Command, Output};

use room_console::clock::FixedClock;
use room_console::device::paths::DataDir;
use room_console::settings::Settings;
use room_console::ui::admin::controller::{AdminController, AdminDeps};
use room_console::ui::{Screen, language};
use screens::*;
use update_rig::{COMPATIBLE, RaucRig};

fn console(rig: &RaucRig, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_room-console"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("DBUS_SYSTEM_BUS_ADDRESS", &rig.address)
        .output()
        .expect("the console runs")
}

/// When the update failed, as the screen shows it: in the room's time zone.
fn failed_at(stored: &serde_json::Value) -> String {
    let at: chrono::DateTime<chrono::Utc> = stored["at"]
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
    let (headless, app) = show_app_at(Screen::Home);
    let controller = AdminController::start(
        &app,
        AdminDeps {
            data_dir: data.clone(),
            clock: std::sync::Arc::new(FixedClock::new(chrono::Utc::now())),
            sync: None,
            runtime: None,
            allow_insecure_http: false,
            after_reset: Box::new(|| {}),
        },
    );
    controller.show_without_pin(&app, Screen::Admin);
    headless.render();
    let at = failed_at(&stored);
    let fix_english = "Fix: install the bundle built for this console model (its manifest's \
                       `compatible` must equal the one in /etc/rauc/system.conf)";
    let shown = format!("the last update failed at {at}: {english} {fix_english}");
    assert!(shows(&app, &shown), "the screen shows {shown:?}");

    language::apply(&app, "sv");
    headless.render();
    let swedish = format!(
        "den senaste uppdateringen misslyckades {at}: uppdateringen installerades inte: \
         paketet är gjort för en annan sorts enhet (det är gjort för 'other device', den här \
         konsolen är '{COMPATIBLE}'). Åtgärd: installera paketet som är byggt för den här \
         konsolmodellen (`compatible` i dess manifest måste vara samma som i \
         /etc/rauc/system.conf)"
    );
    assert!(shows(&app, &swedish), "the screen shows {swedish:?}");
    keep_screenshot(&headless, "admin-update-failed-sv");

    language::apply(&app, "ko");
    headless.render();
    let korean = format!(
        "마지막 업데이트 실패 ({at}): 업데이트가 설치되지 않았습니다: 번들이 다른 종류의 \
         장치용입니다('other device'용이며, 이 콘솔은 '{COMPATIBLE}'입니다). 해결: 이 콘솔 \
         모델용으로 빌드된 번들을 설치하십시오(매니페스트의 `compatible`이 \
         /etc/rauc/system.conf의 값과 같아야 합니다)"
    );
    assert!(shows(&app, &korean), "the screen shows {korean:?}");
    keep_screenshot(&headless, "admin-update-failed-ko");
}
