//! UI tests of the admin screens on the headless platform, tapped like a finger would:
//! gear → PIN pad → five wrong PINs → lockout countdown (also after a restart); the
//! right PIN → the admin screen with the status facts; Sync now, Change setup, and a
//! factory reset through its confirmation.

use crate::common::screens;
use screens::*;

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use room_console::clock::FixedClock;
use room_console::device::paths::DataDir;
use room_console::settings::{Secret, Secrets, Settings};
use room_console::ui::admin::controller::{AdminController, AdminDeps};
use room_console::ui::headless::Headless;
use room_console::ui::language;
use room_console::ui::{AdminAdapter, AppState, AppWindow, FactLabel, FactWord, Screen};
use slint::{ComponentHandle, Model, PhysicalSize};

/// Where things are on the 1280×800 screens (fixed by the layouts in ui/admin/).
const GEAR: (f32, f32) = (1228.0, 60.0);
const OK_KEY: (f32, f32) = (776.0, 632.0);
const SYNC_NOW: (f32, f32) = (1056.0, 128.0);
const CHANGE_SETUP: (f32, f32) = (1056.0, 268.0);
const FACTORY_RESET: (f32, f32) = (1056.0, 338.0);
const CONFIRM_CANCEL: (f32, f32) = (458.0, 578.0);
const CONFIRM_ERASE: (f32, f32) = (822.0, 578.0);

/// The centre of a digit key of the PIN pad.
fn key(digit: char) -> (f32, f32) {
    let (col, row) = match digit {
        '0' => (1, 3),
        d => {
            let n = d.to_digit(10).expect("a digit") as i32 - 1;
            (n % 3, n / 3)
        }
    };
    (504.0 + 136.0 * col as f32, 332.0 + 100.0 * row as f32)
}

fn now() -> DateTime<Utc> {
    "2026-11-23T09:00:00Z".parse().expect("instant")
}

/// A temp data dir of a configured console: the demo settings and the admin PIN 2468.
fn configured() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    Settings::demo().save(temp.path()).expect("settings");
    Secrets {
        admin_pin: Some(Secret::new("2468")),
        ..Secrets::default()
    }
    .save(temp.path())
    .expect("secrets");
    temp
}

struct Ui {
    headless: Headless,
    app: AppWindow,
    clock: FixedClock,
    reset_done: Rc<Cell<bool>>,
    _controller: AdminController,
}

impl Ui {
    /// The console of `dir` on a fresh headless panel, in `language` (or English), at the
    /// admin screen: the gear tapped and the PIN entered.
    fn admin_of(dir: &Path, language: Option<&str>) -> Ui {
        let ui = Ui::on_a_new_panel(dir);
        if let Some(code) = language {
            language::apply(&ui.app, code);
        }
        ui.tap(GEAR);
        ui.enter("2468");
        assert_eq!(ui.screen(), Screen::Admin);
        ui
    }

    /// The console of `dir` on a fresh 1280x800 headless panel.
    fn on_a_new_panel(dir: &Path) -> Ui {
        let headless = Headless::install(PhysicalSize::new(1280, 800)).expect("headless");
        Ui::start(dir, headless)
    }

    fn start(dir: &Path, headless: Headless) -> Ui {
        let app = AppWindow::new().expect("window");
        let clock = FixedClock::new(now());
        let reset_done = Rc::new(Cell::new(false));
        let flag = reset_done.clone();
        let controller = AdminController::start(
            &app,
            AdminDeps {
                data_dir: DataDir::at(dir),
                clock: Arc::new(clock.clone()),
                sync: None,
                runtime: None,
                allow_insecure_http: false,
                after_reset: Box::new(move || flag.set(true)),
            },
        );
        app.show().expect("show");
        headless.render();
        Ui {
            headless,
            app,
            clock,
            reset_done,
            _controller: controller,
        }
    }

    fn tap(&self, (x, y): (f32, f32)) {
        self.headless.tap(x, y);
        self.headless.render();
    }

    fn enter(&self, pin: &str) {
        for digit in pin.chars() {
            self.tap(key(digit));
        }
        self.tap(OK_KEY);
    }

    fn screen(&self) -> Screen {
        self.app.global::<AppState>().get_screen()
    }

    fn admin(&self) -> AdminAdapter<'_> {
        self.app.global::<AdminAdapter>()
    }

    /// Lets `by` pass on the console's clock and the UI's timers.
    fn wait(&self, by: chrono::Duration) {
        self.clock.advance(by);
        self.headless.advance(Duration::from_secs(1));
    }
}

#[test]
fn five_wrong_pins_lock_the_pad_with_a_countdown_then_the_right_pin_opens_admin() {
    let temp = configured();
    let ui = Ui::on_a_new_panel(temp.path());

    ui.tap(GEAR);
    assert_eq!(ui.screen(), Screen::PinPad);
    ui.tap(key('1'));
    ui.tap(key('2'));
    assert_eq!(ui.admin().get_pin_length(), 2);

    ui.tap(OK_KEY);
    assert_eq!(ui.admin().get_pin_message(), "A PIN has 4 to 8 digits.");
    for left in (1..=4).rev() {
        ui.enter("1111");
        assert_eq!(
            ui.admin().get_pin_message(),
            format!("Wrong PIN. {left} of 5 tries left before the pad locks.")
        );
    }
    ui.enter("1111");
    assert!(ui.admin().get_pin_locked());
    assert_eq!(
        ui.admin().get_pin_message(),
        "Too many wrong PINs. Try again in 0:30."
    );

    ui.wait(chrono::Duration::seconds(10));
    assert_eq!(
        ui.admin().get_pin_message(),
        "Too many wrong PINs. Try again in 0:20."
    );
    ui.enter("2468");
    assert_eq!(
        ui.screen(),
        Screen::PinPad,
        "locked: even the right PIN waits"
    );
    assert_eq!(ui.admin().get_pin_length(), 0);

    ui.wait(chrono::Duration::seconds(20));
    assert!(!ui.admin().get_pin_locked());
    ui.enter("2468");
    assert_eq!(ui.screen(), Screen::Admin);
    let facts: Vec<(String, String)> = ui
        .admin()
        .get_facts()
        .iter()
        .map(|f| (f.label.to_string(), f.value.to_string()))
        .collect();
    assert!(
        facts.iter().any(|(l, v)| l == "Room" && v.contains("Demo")),
        "{facts:?}"
    );
    assert!(facts.iter().any(|(l, _)| l == "Last good sync"));
}

#[test]
fn the_lockout_survives_a_restart() {
    let temp = configured();
    let first = Ui::on_a_new_panel(temp.path());
    first.tap(GEAR);
    for _ in 0..5 {
        first.enter("9999");
    }
    assert!(first.admin().get_pin_locked());
    let Ui { headless, .. } = first;

    let again = Ui::start(temp.path(), headless);
    again.tap(GEAR);
    assert_eq!(again.screen(), Screen::PinPad);
    assert!(again.admin().get_pin_locked());
    assert_eq!(
        again.admin().get_pin_message(),
        "Too many wrong PINs. Try again in 0:30."
    );
}

#[test]
fn admin_actions_work_by_touch_and_the_reset_erases_after_confirmation() {
    let temp = configured();
    let ui = Ui::admin_of(temp.path(), None);

    ui.tap(SYNC_NOW);
    assert!(
        ui.admin()
            .get_action_message()
            .contains("No calendar sync runs here")
    );

    ui.tap(FACTORY_RESET);
    assert!(ui.admin().get_confirm_reset_shown());
    let erases = ui.admin().get_reset_erases();
    assert!(
        erases.contains("The settings") && erases.contains("The secrets"),
        "{erases}"
    );
    ui.tap(CONFIRM_CANCEL);
    assert!(!ui.admin().get_confirm_reset_shown());
    assert!(
        temp.path().join("secrets.json").exists(),
        "cancel erases nothing"
    );

    ui.tap(CHANGE_SETUP);
    assert_eq!(ui.screen(), Screen::Wizard);
    ui.app.global::<AppState>().set_screen(Screen::Admin);
    ui.headless.render();

    ui.tap(FACTORY_RESET);
    ui.tap(CONFIRM_ERASE);
    assert!(ui.reset_done.get());
    assert_eq!(ui.screen(), Screen::Wizard);
    assert_eq!(std::fs::read_dir(temp.path()).expect("list").count(), 0);
}

#[test]
fn the_admin_facts_word_the_calendar_source_and_the_content_inputs_in_swedish() {
    let temp = configured();
    let ui = Ui::admin_of(temp.path(), Some("sv"));
    ui.headless.render();
    assert!(
        shows(&ui.app, "Demokalender"),
        "the demo settings' calendar source, in Swedish"
    );
    let inputs: Vec<_> = ui
        .admin()
        .get_facts()
        .iter()
        .filter(|f| {
            f.key == FactLabel::ContentInputs || (f.key == FactLabel::AsGiven && f.label.is_empty())
        })
        .collect();
    assert!(!inputs.is_empty(), "the device lists its content inputs");
    for input in inputs {
        let state = match input.word {
            FactWord::InputUnknown => "inte läst ännu",
            FactWord::InputDisconnected => "inget anslutet",
            FactWord::InputNoSignal => "kabel ansluten, ingen bild",
            FactWord::InputUnstable => "bilden är inte stabil",
            FactWord::InputConnected => "ansluten",
            FactWord::InputUnsupported => "bilden stöds inte",
            FactWord::InputError => "fel",
            other => panic!("input {:?} is not worded ({other:?})", input.value),
        };
        let line = format!("{}: {state}", input.value);
        assert!(shows(&ui.app, &line), "{line:?} is on the screen");
    }
    keep_screenshot(&ui.headless, "admin-facts-sv");
}

#[test]
fn the_fleet_connection_is_worded_in_swedish_and_korean() {
    let temp = configured();
    let mut settings = Settings::load(temp.path())
        .expect("load")
        .expect("settings");
    settings.fleet.broker = Some("mqtts://fleet.contoso.com:8883".parse().expect("url"));
    settings.save(temp.path()).expect("save");
    let reason = "nothing answers at fleet.contoso.com:8883";
    room_console::status::fleet_state::record(
        temp.path(),
        &room_console::status::fleet_state::FleetState::Connecting {
            reason: Some(reason.into()),
        },
    );
    let ui = Ui::admin_of(temp.path(), Some("sv"));
    ui.headless.render();
    assert!(
        shows(&ui.app, "Enhetsflotta"),
        "the fleet's label in Swedish"
    );
    assert!(
        shows(&ui.app, &format!("ansluter ({reason})")),
        "the fleet's state in Swedish"
    );
    keep_screenshot(&ui.headless, "admin-fleet-sv");
    language::apply(&ui.app, "ko");
    ui.headless.render();
    assert!(shows(&ui.app, &format!("연결 중 ({reason})")));
    keep_screenshot(&ui.headless, "admin-fleet-ko");
}
