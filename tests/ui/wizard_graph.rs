//! UI tests of the setup wizard's Microsoft 365 path on the headless platform against
//! the in-repo Graph server: the wizard walked to Finish (the settings say source=graph,
//! the secret is in the secrets file, and `sync --once` with them fills the agenda the
//! home screen shows), field validation of the tenant and client IDs, and a wrong
//! client secret stopping the Check step at sign-in with its fix until corrected. Steps
//! are rendered at 1280x800 into `<target>/screenshots/` to be looked at.

use crate::common::screens;
use screens::*;

use crate::common::graph_server;

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::Command;
use std::rc::Rc;

use chrono::{TimeZone, Utc};
use graph_server::*;
use room_console::settings::{CalendarSource, Secrets, Settings};
use room_console::ui::headless::Headless;
use room_console::ui::wizard::{
    Step, SummaryLabel, WizardController, WizardOptions, save_finished,
};
use room_console::ui::{AppWindow, CheckState, WizardAdapter, WizardSource};
use slint::{ComponentHandle, Model};
use url::Url;

const ROOM: &str = "confrm2@contoso.com";

const PASS: CheckState = CheckState::Passed;
const FAIL: CheckState = CheckState::Failed;
const SKIPPED: CheckState = CheckState::NotChecked;
/// The Calendar access choice "Microsoft 365 app registration".
const MICROSOFT_365: WizardSource = WizardSource::Microsoft365;

struct Rig {
    headless: Headless,
    app: AppWindow,
    controller: WizardController,
    dir: tempfile::TempDir,
    finished: Rc<RefCell<bool>>,
    server: GraphServer,
    _server_runtime: tokio::runtime::Runtime,
}

fn start() -> Rig {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let at = |h| Utc.with_ymd_and_hms(2026, 11, 23, h, 0, 0).unwrap();
    let events = vec![
        TestEvent::new("AAMk-sync", "Weekly sync", at(8), at(9))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .teams("https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0"),
        TestEvent::new("AAMk-board", "Board review", at(10), at(11))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .body("<html><body><p>Budget 2027</p></body></html>"),
    ];
    let server = runtime
        .block_on(GraphServer::start(
            App::new(TENANT, CLIENT_ID, SECRET),
            [(ROOM, events)],
            2,
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let finished = Rc::new(RefCell::new(false));
    let done = finished.clone();
    let (headless, app, controller) = start_wizard(
        WizardOptions {
            graph_url: Some(Url::parse(&server.graph_url()).unwrap()),
            authority_url: Some(Url::parse(&server.authority_url()).unwrap()),
            ..wizard_options()
        },
        move |settings: Settings, secrets: Secrets| {
            save_finished(&data, &settings, &secrets)?;
            *done.borrow_mut() = true;
            Ok(())
        },
    );
    Rig {
        headless,
        app,
        controller,
        dir,
        finished,
        server,
        _server_runtime: runtime,
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

    fn adapter(&self) -> WizardAdapter<'_> {
        self.app.global::<WizardAdapter>()
    }

    fn screenshot(&self, name: &str) {
        keep_screenshot(&self.headless, name);
    }

    fn check_statuses(&self) -> Vec<CheckState> {
        self.adapter()
            .get_checks()
            .iter()
            .map(|r| r.status)
            .collect()
    }

    /// Welcome and Room account filled, on to Calendar access with Microsoft 365 chosen.
    fn to_calendar_access(&self) {
        self.adapter().invoke_next();
        self.adapter().set_display_name("Conference Room 2".into());
        self.adapter().set_sign_in_address(ROOM.into());
        self.adapter().invoke_next();
        assert_eq!(self.controller.step(), Step::CalendarAccess);
        self.adapter().set_source(MICROSOFT_365);
    }

    fn fill_app(&self, secret: &str) {
        let a = self.adapter();
        a.set_tenant_id(TENANT.into());
        a.set_client_id(CLIENT_ID.into());
        a.set_client_secret(secret.into());
        a.set_ca_file(self.ca_file().display().to_string().into());
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_room-console"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    }
}

#[test]
fn the_microsoft_365_path_saves_a_graph_source_that_syncs() {
    let rig = start();
    rig.to_calendar_access();
    rig.screenshot("wizard-graph-3-calendar-access-empty");

    // IDs that cannot be right are refused next to their fields.
    rig.adapter().set_tenant_id("contoso".into());
    rig.adapter().set_client_id("my-app".into());
    rig.adapter().invoke_next();
    assert_eq!(rig.controller.step(), Step::CalendarAccess);
    assert!(
        rig.adapter()
            .get_error_tenant_id()
            .contains("a GUID) or domain")
    );
    assert!(rig.adapter().get_error_client_id().contains("a GUID"));
    assert!(
        rig.adapter()
            .get_error_client_secret()
            .contains("is needed")
    );
    rig.screenshot("wizard-graph-3-calendar-access-errors");

    rig.fill_app(SECRET);
    rig.screenshot("wizard-graph-3-calendar-access");
    rig.adapter().invoke_next();
    assert_eq!(rig.adapter().get_error_tenant_id(), "");
    assert_eq!(rig.controller.step(), Step::Check);
    rig.controller.wait_for_checks();
    let rows: Vec<_> = rig.adapter().get_checks().iter().collect();
    assert_eq!(rig.check_statuses(), vec![PASS; 5], "{rows:#?}");
    assert_eq!(rows[1].title, "Sign-in");
    assert_eq!(rows[4].title, "Join links in upcoming online meetings");
    rig.screenshot("wizard-graph-4-check-passed");

    rig.adapter().invoke_next();
    assert_eq!(rig.controller.step(), Step::ContentInput);
    rig.adapter().invoke_next();
    rig.adapter().set_pin("2468".into());
    rig.adapter().set_pin_again("2468".into());
    rig.adapter().invoke_next();
    assert_eq!(rig.controller.step(), Step::Summary);
    let summary: Vec<_> = rig.adapter().get_summary().iter().collect();
    assert!(summary.iter().all(|row| !row.value.contains(SECRET)));
    assert!(
        summary
            .iter()
            .any(|row| row.label == SummaryLabel::ClientId && row.value == CLIENT_ID)
    );
    rig.screenshot("wizard-graph-7-summary");
    assert!(!Settings::path(&rig.data()).exists());

    rig.adapter().invoke_finish();
    assert!(*rig.finished.borrow());
    let settings = Settings::load(&rig.data()).unwrap().unwrap();
    assert_eq!(settings.calendar.source, CalendarSource::Graph);
    assert_eq!(settings.calendar.tenant_id.as_deref(), Some(TENANT));
    assert_eq!(settings.calendar.client_id.as_deref(), Some(CLIENT_ID));
    let secrets = Secrets::load(&rig.data()).unwrap().unwrap();
    assert_eq!(secrets.client_secret.unwrap().expose(), SECRET);
    let settings_text = std::fs::read_to_string(Settings::path(&rig.data())).unwrap();
    assert!(
        !settings_text.contains(SECRET),
        "the secret stays out of settings"
    );

    // What the home screen shows after Finish: the saved setup reads the room over Graph.
    let sync = rig.cli(&["sync", "--once", "--now", "2026-11-23T07:00:00Z"]);
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let agenda = rig.cli(&["agenda", "--json", "--date", "2026-11-23"]);
    let agenda: serde_json::Value = serde_json::from_slice(&agenda.stdout).unwrap();
    let subjects: Vec<&str> = agenda
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["subject"].as_str())
        .collect();
    assert_eq!(subjects, ["Weekly sync", "Board review"]);
}

#[test]
fn a_wrong_client_secret_stops_at_sign_in_with_its_fix() {
    let rig = start();
    rig.to_calendar_access();
    rig.fill_app("wrong~secret");
    rig.adapter().invoke_next();
    rig.controller.wait_for_checks();
    assert_eq!(
        rig.check_statuses(),
        [PASS, FAIL, SKIPPED, SKIPPED, SKIPPED]
    );
    let sign_in = rig.adapter().get_checks().row_data(1).unwrap();
    assert!(sign_in.message.contains("AADSTS7000215"), "{sign_in:?}");
    assert!(
        sign_in
            .fix
            .contains("Certificates & secrets and update ClientSecret"),
        "{sign_in:?}"
    );
    assert!(!rig.adapter().get_may_continue_anyway());
    rig.screenshot("wizard-graph-4-check-wrong-secret");
    rig.adapter().invoke_next();
    assert_eq!(rig.controller.step(), Step::Check);
    assert_eq!(
        rig.adapter().get_notice(),
        "Sign-in failed: go back and correct the tenant ID, client ID or client secret."
    );

    // Back, paste the right secret, check again: on to the next step.
    rig.adapter().invoke_back();
    rig.adapter().set_client_secret(SECRET.into());
    rig.adapter().invoke_next();
    rig.controller.wait_for_checks();
    assert_eq!(rig.check_statuses(), vec![PASS; 5]);
    rig.adapter().invoke_next();
    assert_eq!(rig.controller.step(), Step::ContentInput);
}
