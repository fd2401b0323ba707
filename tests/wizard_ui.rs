//! UI tests of the setup wizard on the headless platform against the in-repo EWS server:
//! the whole wizard walked through its adapter's buttons and fields (success), and the
//! Check step's answers to a wrong password, a service account without the impersonation
//! right and an untrusted certificate. Every step is rendered at 1280x800 into
//! `<target>/screenshots/` to be looked at (kept as artefacts, not compared to goldens).

mod support;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use chrono::{TimeZone, Utc};
use room_console::settings::{Secrets, Settings};
use room_console::ui::headless::{Headless, write_png};
use room_console::ui::wizard::{Step, WizardController, WizardOptions, save_finished};
use room_console::ui::{AppState, AppWindow, Screen, WizardAdapter};
use slint::{ComponentHandle, Model, PhysicalSize};
use support::*;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: &str = "CONTOSO\\mailboxservice";
const PASSWORD: &str = "S3rvice!pw";

struct Rig {
    headless: Headless,
    app: AppWindow,
    controller: WizardController,
    dir: tempfile::TempDir,
    finished: Rc<RefCell<bool>>,
    _server_runtime: tokio::runtime::Runtime,
    server: EwsServer,
}

fn start(account: Account) -> Rig {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let room = Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
        "Weekly sync",
        Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    )
    .organizer("Ana Lindqvist", "ana@contoso.com")
    .html_body(
        "<p><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_x\">Join</a></p>",
    )]);
    let server = runtime
        .block_on(EwsServer::start(
            ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Both)
                .with_account(account)
                .with_mailbox(room),
        ))
        .unwrap();
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.global::<AppState>().set_screen(Screen::Wizard);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let finished = Rc::new(RefCell::new(false));
    let done = finished.clone();
    let controller = WizardController::start(
        &app,
        WizardOptions {
            default_time_zone: "Europe/Stockholm".into(),
            now: Box::new(|| Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()),
            allow_insecure_http: false,
            content_inputs: Vec::new(),
            content_events: None,
            graph_url: None,
            authority_url: None,
        },
        Box::new(move |settings: Settings, secrets: Secrets| {
            save_finished(&data, &settings, &secrets)?;
            *done.borrow_mut() = true;
            Ok(())
        }),
    )
    .unwrap();
    app.show().unwrap();
    Rig {
        headless,
        app,
        controller,
        dir,
        finished,
        _server_runtime: runtime,
        server,
    }
}

impl Rig {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn ca_file(&self) -> PathBuf {
        let path = self.dir.path().join("ca.pem");
        std::fs::write(&path, self.server.ca_pem()).unwrap();
        path
    }

    /// Presses a button of the navigation bar or the Check step.
    fn press(&self, button: &str) {
        let a = self.adapter();
        match button {
            "Next" => a.invoke_next(),
            "Back" => a.invoke_back(),
            "Finish" => a.invoke_finish(),
            "Continue anyway" => a.invoke_continue_anyway(),
            other => panic!("no button {other}"),
        }
    }

    fn adapter(&self) -> WizardAdapter<'_> {
        self.app.global::<WizardAdapter>()
    }

    fn screenshot(&self, name: &str) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        write_png(&self.headless.render(), &dir.join(format!("{name}.png"))).unwrap();
    }

    fn check_statuses(&self) -> Vec<i32> {
        self.adapter()
            .get_checks()
            .iter()
            .map(|r| r.status)
            .collect()
    }

    /// Fills the account steps through the adapter (the keyboard is tested in the walk).
    fn fill_account(&self, password: &str, ca: Option<&Path>) {
        let a = self.adapter();
        a.set_display_name("Conference Room 2".into());
        a.set_sign_in_address(ROOM.into());
        a.set_ews_url(self.server.url().into());
        a.set_service_username(SERVICE.into());
        a.set_service_password(password.into());
        a.set_ca_file(
            ca.map(|p| p.display().to_string())
                .unwrap_or_default()
                .into(),
        );
        for _ in 0..3 {
            self.press("Next");
        }
        assert_eq!(self.controller.step(), Step::Check);
        self.controller.wait_for_checks();
    }
}

const PASS: i32 = 2;
const FAIL: i32 = 4;
const SKIPPED: i32 = 5;

#[test]
fn the_whole_wizard_saves_the_settings_only_at_finish() {
    let rig = start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    let ca = rig.ca_file();
    rig.screenshot("wizard-1-welcome");
    rig.adapter().invoke_time_zone_search_edited("seoul".into());
    rig.adapter().set_time_zone("Asia/Seoul".into());
    rig.adapter().set_clock_24h(false);
    rig.screenshot("wizard-1-welcome-search");
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::RoomAccount);

    // Next with nothing filled in: errors next to the fields, the step stays.
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::RoomAccount);
    assert_eq!(
        rig.adapter().get_error_display_name(),
        "The display name is needed."
    );
    rig.screenshot("wizard-2-room-account-errors");

    // Tapping the Display name field brings up the keyboard; its keys type into the field.
    rig.headless.tap(300.0, 196.0);
    for key in ["R", "o", "o", "m", "\\", "_", "@", ".", "-"] {
        rig.adapter().invoke_key_pressed(key.into());
    }
    rig.screenshot("wizard-2-room-account-keyboard");
    assert_eq!(rig.adapter().get_display_name(), "Room\\_@.-");
    rig.adapter().set_display_name("Conference Room 2".into());
    rig.adapter().set_sign_in_address(ROOM.into());
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::CalendarAccess);
    assert_eq!(rig.adapter().get_error_display_name(), "");

    rig.adapter().set_ews_url(rig.server.url().into());
    rig.adapter().set_service_username(SERVICE.into());
    rig.adapter().set_service_password(PASSWORD.into());
    rig.adapter().set_ca_file(ca.display().to_string().into());
    assert_eq!(rig.adapter().get_service_username(), SERVICE);
    assert_eq!(rig.adapter().get_service_password(), PASSWORD);
    rig.screenshot("wizard-3-calendar-access");
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::Check);
    rig.screenshot("wizard-4-check-running");
    rig.controller.wait_for_checks();
    assert_eq!(
        rig.check_statuses(),
        vec![PASS; 7],
        "{:?}",
        rig.adapter().get_checks().iter().collect::<Vec<_>>()
    );
    rig.screenshot("wizard-4-check-passed");
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::ContentInput);
    rig.screenshot("wizard-5-content-input");
    rig.adapter().set_auto_share(false);
    rig.press("Next");
    rig.adapter().set_pin("2468".into());
    rig.adapter().set_pin_again("2468".into());
    rig.screenshot("wizard-6-admin-pin");
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::Summary);
    rig.screenshot("wizard-7-summary");
    let summary: Vec<_> = rig.adapter().get_summary().iter().collect();
    assert!(summary.iter().all(|row| !row.value.contains(PASSWORD)));
    assert!(
        !Settings::path(&rig.data()).exists(),
        "nothing saved before Finish"
    );

    rig.press("Finish");
    assert!(*rig.finished.borrow());
    let settings = Settings::load(&rig.data()).unwrap().unwrap();
    assert_eq!(settings.room.display_name, "Conference Room 2");
    assert_eq!(settings.room.exchange_address, ROOM);
    assert_eq!(settings.device.time_zone.as_deref(), Some("Asia/Seoul"));
    assert!(!settings.device.clock_24h);
    assert!(!settings.content.auto_share);
    assert_eq!(
        settings.calendar.trusted_ca_file.as_deref(),
        Some(ca.as_path())
    );
    let secrets = Secrets::load(&rig.data()).unwrap().unwrap();
    assert_eq!(secrets.service_account_password.unwrap().expose(), PASSWORD);
    assert_eq!(secrets.admin_pin.unwrap().expose(), "2468");
}

#[test]
fn a_wrong_password_stops_at_sign_in() {
    let rig = start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    let ca = rig.ca_file();
    rig.fill_account("wrong-password", Some(&ca));
    assert_eq!(
        rig.check_statuses(),
        [PASS, SKIPPED, FAIL, SKIPPED, SKIPPED, SKIPPED, SKIPPED]
    );
    let sign_in = rig.adapter().get_checks().row_data(2).unwrap();
    assert!(sign_in.fix.contains("Check the password"), "{sign_in:?}");
    assert!(!rig.adapter().get_may_continue_anyway());
    rig.screenshot("wizard-4-check-wrong-password");
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::Check);
    assert!(rig.adapter().get_notice().contains("Sign-in failed"));

    // Go back, correct, check again: on to the next step.
    rig.press("Back");
    rig.adapter().set_service_password(PASSWORD.into());
    rig.press("Next");
    rig.controller.wait_for_checks();
    assert_eq!(rig.check_statuses(), vec![PASS; 7]);
    rig.press("Next");
    assert_eq!(rig.controller.step(), Step::ContentInput);
}

#[test]
fn a_missing_impersonation_right_can_be_continued_anyway() {
    let rig = start(Account::new(SERVICE, PASSWORD));
    let ca = rig.ca_file();
    rig.fill_account(PASSWORD, Some(&ca));
    let impersonation = rig.adapter().get_checks().row_data(3).unwrap();
    assert_eq!(impersonation.status, FAIL);
    assert!(impersonation.fix.contains("New-ManagementRoleAssignment"));
    rig.screenshot("wizard-4-check-no-impersonation");
    assert!(rig.adapter().get_may_continue_anyway());
    rig.press("Continue anyway");
    assert_eq!(rig.controller.step(), Step::ContentInput);
}

#[test]
fn an_untrusted_certificate_fails_the_server_line() {
    let rig = start(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]));
    rig.fill_account(PASSWORD, None);
    let server = rig.adapter().get_checks().row_data(0).unwrap();
    assert_eq!(server.status, FAIL);
    assert!(server.message.contains("certificate"), "{server:?}");
    // The certificate is described so the admin can tell which CA to install.
    assert!(
        server
            .message
            .contains("issued by \"CN=room-console test Exchange CA\" (SHA-256 fingerprint "),
        "{server:?}"
    );
    assert!(
        server.fix.starts_with("Install the issuing CA"),
        "{server:?}"
    );
    assert!(server.fix.contains("TrustedCaFile"));
    rig.screenshot("wizard-4-check-untrusted-certificate");
}
