//! "Run checks" on the admin screen, tapped on the headless platform, against the in-repo
//! EWS server over HTTPS: the lines show "checking" at once, then each check's outcome
//! with its message and fix; a second run after the password changed shows the failure
//! and the checks it stopped. "Show status" goes back to the facts. Set
//! ROOM_CONSOLE_KEEP_SCREENSHOTS to a folder to keep the rendered results for a look.

use crate::common::ews_server;
use crate::common::room_settings::service_account_secrets;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use ews_server::*;
use room_console::clock::FixedClock;
use room_console::device::paths::DataDir;
use room_console::diagnose::CheckId;
use room_console::settings::{CalendarSource, EwsAuthMethod, Settings};
use room_console::ui::admin::controller::{AdminController, AdminDeps};
use room_console::ui::headless::{Headless, write_png};
use room_console::ui::{AdminAdapter, AdminCheckRow, AppWindow, CheckState, Screen};
use slint::{ComponentHandle, Model, PhysicalSize};
use url::Url;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: &str = "CONTOSO\\mailboxservice";
const PASSWORD: &str = "S3rvice!pw";

/// Where things are on the 1280×800 admin screen (fixed by ui/admin/admin.slint).
const RUN_CHECKS: (f32, f32) = (1056.0, 198.0);
const SHOW_STATUS: (f32, f32) = (720.0, 144.0);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()
}

fn configure(dir: &Path, server: &EwsServer, password: &str) {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).expect("CA");
    let mut settings = Settings::default();
    settings.room.display_name = "Conference Room 2".into();
    settings.room.sign_in_address = ROOM.into();
    settings.room.exchange_address = ROOM.into();
    settings.calendar.source = CalendarSource::EwsImpersonation;
    settings.calendar.ews_url = Some(Url::parse(&server.url()).expect("url"));
    settings.calendar.authentication = EwsAuthMethod::Basic;
    settings.calendar.service_account_username = Some(SERVICE.into());
    settings.calendar.trusted_ca_file = Some(ca);
    settings.save(dir).expect("settings");
    service_account_secrets(password)
        .save(dir)
        .expect("secrets");
}

fn rows(app: &AppWindow) -> Vec<AdminCheckRow> {
    app.global::<AdminAdapter>().get_checks().iter().collect()
}

fn row(app: &AppWindow, id: CheckId) -> AdminCheckRow {
    rows(app)
        .into_iter()
        .find(|r| r.title == id.title())
        .unwrap_or_else(|| panic!("no line for {id:?}"))
}

#[test]
fn run_checks_shows_each_result_with_its_fix() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(EwsServer::start(
            ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Both)
                .with_account(Account::new(SERVICE, PASSWORD).impersonating(&[ROOM]))
                .with_mailbox(stripping_room(ROOM)),
        ))
        .expect("EWS server");
    let temp = tempfile::tempdir().expect("temp dir");
    configure(temp.path(), &server, PASSWORD);

    let headless = Headless::install(PhysicalSize::new(1280, 800)).expect("headless");
    let app = AppWindow::new().expect("window");
    let controller = AdminController::start(
        &app,
        AdminDeps {
            data_dir: DataDir::at(temp.path()),
            clock: Arc::new(FixedClock::new(now())),
            sync: None,
            runtime: Some(runtime.handle().clone()),
            allow_insecure_http: false,
            after_reset: Box::new(|| {}),
        },
    );
    controller.show_without_pin(&app, Screen::Admin);
    app.show().expect("show");
    headless.render();
    let admin = app.global::<AdminAdapter>();
    assert!(!admin.get_checks_shown(), "the facts first");

    headless.tap(RUN_CHECKS.0, RUN_CHECKS.1);
    assert!(admin.get_checks_shown());
    assert!(
        admin.get_checks_running(),
        "the running indicator is up at once"
    );
    assert_eq!(rows(&app).len(), CheckId::EXCHANGE.len());
    assert!(controller.wait_for_checks(&app, Duration::from_secs(30)));
    headless.render();
    assert!(!admin.get_checks_running());
    for id in [CheckId::Server, CheckId::SignIn, CheckId::Calendar] {
        assert_eq!(row(&app, id).status, CheckState::Passed, "{id:?}");
    }
    assert!(
        row(&app, CheckId::ExchangeVersion)
            .message
            .contains("Exchange Server 2019")
    );
    let invitations = row(&app, CheckId::Invitations);
    assert_eq!(invitations.status, CheckState::Warning, "{invitations:?}");
    assert!(
        invitations.fix.contains("Set-CalendarProcessing"),
        "{:?}",
        invitations.fix
    );

    if let Some(keep) = std::env::var_os("ROOM_CONSOLE_KEEP_SCREENSHOTS") {
        let png = Path::new(&keep).join("admin-checks.png");
        write_png(&headless.render(), &png).expect("keep");
    }

    configure(temp.path(), &server, "an-old-password");
    headless.tap(RUN_CHECKS.0, RUN_CHECKS.1);
    assert!(controller.wait_for_checks(&app, Duration::from_secs(30)));
    let sign_in = row(&app, CheckId::SignIn);
    assert_eq!(sign_in.status, CheckState::Failed, "{sign_in:?}");
    assert!(!sign_in.fix.is_empty(), "a failure comes with its fix");
    assert_eq!(row(&app, CheckId::Server).status, CheckState::Passed);
    assert_eq!(row(&app, CheckId::Calendar).status, CheckState::NotChecked);

    headless.tap(SHOW_STATUS.0, SHOW_STATUS.1);
    assert!(!admin.get_checks_shown(), "back to the facts");
    drop(server);
}
