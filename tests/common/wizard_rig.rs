//! The setup wizard on the headless platform, driven like a finger would: elements are
//! found by their accessible label (Slint's element lookup, which needs the debug info
//! that debug builds carry, see build.rs) and tapped where they are drawn through the
//! platform's tap; text is typed by tapping the keys of the on-screen keyboard. Finish
//! saves, syncs once from the in-repo EWS server and shows the home screen, as the
//! console does on first boot.

use crate::common::screens::find_drawn;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use room_console::clock::{Clock, FixedClock, device_time_zone};
use room_console::device::paths::DataDir;
use room_console::settings::{Secrets, Settings};
use room_console::sources::configured::ConfiguredSource;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::SyncEngine;
use room_console::ui::headless::Headless;
use room_console::ui::home::controller::{HomeController, RoomInfo};
use room_console::ui::wizard::{Step, WizardController, WizardOptions, save_finished};
use room_console::ui::{AppState, AppWindow, CheckState, HomeAdapter, Screen, WizardAdapter};
use slint::{ComponentHandle, Model, PhysicalSize};

use crate::common::ews_server::*;

pub const ROOM: &str = "confrm2@contoso.com";
pub const SERVICE: &str = "CONTOSO\\mailboxservice";
pub const PASSWORD: &str = "S3rvice!pw";
pub const PIN: &str = "2468";
/// The meeting the test server has for the room.
pub const MEETING: &str = "Weekly sync";

/// The instant the checks and the first sync run at.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()
}

/// The keys of the keyboard's first layer that type themselves (letters in lower case).
const PLAIN_KEYS: &str = "1234567890qwertyuiopasdfghjkl@zxcvbnm.-_";
/// The keys of its symbol layer ("?123").
const SYMBOL_KEYS: &str = "!#$%&*()=+/:;\"'?,<>~[]{}|^`£€§";

pub struct Rig {
    pub headless: Headless,
    pub app: AppWindow,
    pub controller: WizardController,
    pub server: EwsServer,
    dir: tempfile::TempDir,
    /// The home screen, once Finish has started it.
    home: Rc<RefCell<Option<HomeController>>>,
    _server_runtime: tokio::runtime::Runtime,
}

impl Rig {
    /// The wizard's Welcome step in front of an EWS server that knows `account` and the
    /// room's mailbox with one meeting.
    pub fn start(account: Account) -> Rig {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let room = Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
            MEETING,
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
        let home = Rc::new(RefCell::new(None));
        let controller = WizardController::start(
            &app,
            WizardOptions {
                default_time_zone: "Europe/Stockholm".into(),
                now: Box::new(now),
                allow_insecure_http: false,
                content_inputs: Vec::new(),
                content_events: None,
                graph_url: None,
                authority_url: None,
            },
            finish_to_home(&app, dir.path().join("data"), home.clone()),
        )
        .unwrap();
        app.show().unwrap();
        Rig {
            headless,
            app,
            controller,
            server,
            dir,
            home,
            _server_runtime: runtime,
        }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The server's CA as a file, for the Trusted CA file field.
    pub fn ca_file(&self) -> PathBuf {
        let path = self.dir.path().join("ca.pem");
        std::fs::write(&path, self.server.ca_pem()).unwrap();
        path
    }

    pub fn adapter(&self) -> WizardAdapter<'_> {
        self.app.global::<WizardAdapter>()
    }

    pub fn step(&self) -> Step {
        self.controller.step()
    }

    pub fn screenshot(&self, name: &str) {
        crate::common::screens::keep_screenshot(&self.headless, name);
    }

    /// Taps the element labelled `label` (a button, a field, a list line) in its middle.
    pub fn tap(&self, label: &str) {
        let element = self
            .find(label)
            .unwrap_or_else(|| panic!("nothing labelled {label:?} is on the screen"));
        self.tap_element(&element);
    }

    /// Whether an element labelled `label` is on the screen.
    pub fn shows(&self, label: &str) -> bool {
        self.find(label).is_some()
    }

    /// Whether the element labelled `label` (which must be on the screen) takes taps.
    pub fn enabled(&self, label: &str) -> bool {
        let element = self
            .find(label)
            .unwrap_or_else(|| panic!("nothing labelled {label:?} is on the screen"));
        element.accessible_enabled().unwrap_or(true)
    }

    fn find(&self, label: &str) -> Option<ElementHandle> {
        find_drawn(&self.app, label)
    }

    fn tap_element(&self, element: &ElementHandle) {
        let (at, size) = (element.absolute_position(), element.size());
        self.headless
            .tap(at.x + size.width / 2.0, at.y + size.height / 2.0);
    }

    /// Taps a key of the on-screen keyboard (which must be up).
    pub fn key(&self, label: &str) {
        let keyboard = ElementHandle::find_by_element_id(&self.app, "WizardScreen::keyboard")
            .next()
            .expect("the on-screen keyboard is up");
        let key = keyboard
            .query_descendants()
            .match_accessible_role(AccessibleRole::Button)
            .match_predicate({
                let label = label.to_owned();
                move |e| e.accessible_label().is_some_and(|l| l == label)
            })
            .find_first()
            .unwrap_or_else(|| panic!("the keyboard has no key {label:?}"));
        self.tap_element(&key);
    }

    /// Types `text` with the keyboard's keys: Shift for capitals, the symbol layer for
    /// symbols, each layer left again after the character.
    pub fn type_keys(&self, text: &str) {
        for c in text.chars() {
            let lower = c.to_lowercase().to_string();
            if c == '\\' {
                self.key("\\");
            } else if c == ' ' {
                self.key("Space");
            } else if PLAIN_KEYS.contains(c) {
                self.key(&lower);
            } else if c.is_uppercase() && PLAIN_KEYS.contains(lower.as_str()) {
                self.key("Shift");
                self.key(&c.to_string());
                self.key("Shift");
            } else if SYMBOL_KEYS.contains(c) {
                self.key("?123");
                self.key(&c.to_string());
                self.key("abc");
            } else {
                panic!("the on-screen keyboard has no key for {c:?}");
            }
        }
    }

    /// Taps the field labelled `field`, types `text` on the keyboard and hides it.
    pub fn type_into(&self, field: &str, text: &str) {
        self.tap(field);
        assert!(
            self.shows("Space"),
            "tapping {field:?} brings up the keyboard"
        );
        self.type_keys(text);
        self.key("Hide");
    }

    /// Empties the field labelled `field` (of `length` characters) with the Delete key.
    pub fn clear(&self, field: &str, length: usize) {
        self.tap(field);
        for _ in 0..length {
            self.key("Delete");
        }
        self.key("Hide");
    }

    /// From Welcome to the Check step's results: the room account and the service
    /// account typed in, and the CA file when given.
    pub fn walk_to_check(&self, password: &str, ca: Option<&Path>) {
        assert_eq!(self.step(), Step::Welcome);
        self.tap("Next");
        self.type_into("Display name", "Conference Room 2");
        self.type_into("Sign-in address", ROOM);
        self.tap("Next");
        assert_eq!(self.step(), Step::CalendarAccess);
        self.type_into("EWS URL (empty: find automatically)", &self.server.url());
        self.type_into("Service account: DOMAIN\\user or UPN", SERVICE);
        self.type_into("Service account password", password);
        if let Some(ca) = ca {
            self.type_into("Trusted CA file (optional, PEM)", &ca.display().to_string());
        }
        self.tap("Next");
        assert_eq!(self.step(), Step::Check);
        self.controller.wait_for_checks();
    }

    /// From the Content input step to Finish: the PIN typed twice.
    pub fn finish_from_content_input(&self) {
        assert_eq!(self.step(), Step::ContentInput);
        self.tap("Next");
        self.type_into("PIN", PIN);
        self.type_into("PIN again", PIN);
        self.tap("Next");
        assert_eq!(self.step(), Step::Summary);
        self.tap("Finish");
    }

    pub fn check_statuses(&self) -> Vec<CheckState> {
        self.adapter()
            .get_checks()
            .iter()
            .map(|r| r.status)
            .collect()
    }

    pub fn screen(&self) -> Screen {
        self.app.global::<AppState>().get_screen()
    }

    /// The titles of the home screen's agenda lines.
    pub fn agenda_titles(&self) -> Vec<String> {
        assert!(self.home.borrow().is_some(), "the home screen was started");
        self.app
            .global::<HomeAdapter>()
            .get_agenda()
            .iter()
            .map(|row| row.title.to_string())
            .collect()
    }
}

/// What Finish does on first boot (see `cli/run.rs`): save, then the home screen. The
/// sync runs one pass here before the home screen reads the cache, so the test needs no
/// background task and no waiting.
fn finish_to_home(
    app: &AppWindow,
    data: PathBuf,
    home: Rc<RefCell<Option<HomeController>>>,
) -> Box<dyn FnMut(Settings, Secrets) -> Result<(), String>> {
    let app = app.as_weak();
    Box::new(move |settings: Settings, secrets: Secrets| {
        save_finished(&data, &settings, &secrets)?;
        let tz = device_time_zone(settings.device.time_zone.as_deref());
        let db = DataDir::at(&data).agenda_db();
        sync_once(&settings, &secrets, &db);
        let app = app.upgrade().ok_or("the window is gone")?;
        let store = Store::open(&db).map_err(|e| e.to_string())?;
        let controller = HomeController::start(
            &app,
            RoomInfo {
                name: settings.room.display_name.clone(),
                tz,
                clock_24h: settings.device.clock_24h,
                notice: None,
                join_command: None,
                share_command: None,
            },
            Box::new(FixedClock::new(now())),
            Box::new(move |day| Ok(store.meetings_on_day(day, &tz)?)),
            None,
        );
        *home.borrow_mut() = Some(controller);
        app.global::<AppState>().set_screen(Screen::Home);
        Ok(())
    })
}

/// One sync pass into the cache at `db`, as the background sync's first.
fn sync_once(settings: &Settings, secrets: &Secrets, db: &Path) {
    let tz = device_time_zone(settings.device.time_zone.as_deref());
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(now()));
    let source = ConfiguredSource::new(settings.clone(), secrets.clone(), false).with_clock(clock);
    let store = Store::open(db).unwrap();
    let mut engine = SyncEngine::new(
        source,
        store,
        tz,
        settings.calendar.sync_interval(),
        Backoff::new(1),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(engine.pass(now()));
}
