//! What the UI tests share about a screen on the headless platform: starting the home
//! screen over the demo agenda or the setup wizard on it, keeping a screen as a screenshot (a test artefact in
//! `target/tmp/../screenshots`, looked at, never compared to a golden file) and asking
//! whether a text is on it.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use room_console::calendar::demo::demo_agenda;
use room_console::clock::FixedClock;
use room_console::settings::{Secrets, Settings};
use room_console::ui::headless::{Headless, write_png};
use room_console::ui::home::controller::{HomeController, RoomInfo};
use room_console::ui::wizard::{WizardController, WizardOptions};
use room_console::ui::{AppState, AppWindow, Screen, WizardAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel, SharedPixelBuffer};

/// The app on a 1280x800 headless panel, shown, at `screen` (its adapters still empty).
pub fn show_app_at(screen: Screen) -> (Headless, AppWindow) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.show().unwrap();
    app.global::<AppState>().set_screen(screen);
    (headless, app)
}

/// Switches the screens to the language `code` and draws them again.
pub fn speak(headless: &Headless, app: &AppWindow, code: &str) {
    room_console::ui::language::apply(app, code);
    headless.render();
}

/// The demo room: Conference Room 2 on UTC, a 24-hour clock, no banner, no join or share
/// command. Tests change what they need with `..`.
pub fn demo_room() -> RoomInfo {
    RoomInfo {
        name: "Conference Room 2".into(),
        tz: Tz::UTC,
        clock_24h: true,
        notice: None,
        join_command: None,
        share_command: None,
    }
}

/// The home screen of `room` over the demo agenda, on a 1280x800 headless panel, with
/// a clock at `now` the test moves.
pub fn start_home(
    now: DateTime<Utc>,
    room: RoomInfo,
) -> (Headless, AppWindow, HomeController, FixedClock) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    let clock = FixedClock::new(now);
    let controller = HomeController::start(
        &app,
        room,
        Box::new(clock.clone()),
        Box::new(|day: NaiveDate| Ok(demo_agenda(day, 1, &Tz::UTC))),
        None,
    );
    app.show().unwrap();
    (headless, app, controller, clock)
}

/// The instant the wizard's checks read the calendar from: 07:00 UTC, 23 November 2026.
pub fn wizard_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()
}

/// The wizard's options in a test: Stockholm offered first, checks at [`wizard_now`], no
/// content inputs, the global cloud. Tests change what they need with `..`.
pub fn wizard_options() -> WizardOptions {
    WizardOptions {
        default_time_zone: "Europe/Stockholm".into(),
        now: Box::new(wizard_now),
        allow_insecure_http: false,
        content_inputs: Vec::new(),
        content_events: None,
        graph_url: None,
        authority_url: None,
    }
}

/// The setup wizard shown on a 1280x800 headless panel; `finish` gets what Finish saves.
pub fn start_wizard(
    options: WizardOptions,
    finish: impl FnMut(Settings, Secrets) -> Result<(), String> + 'static,
) -> (Headless, AppWindow, WizardController) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.global::<AppState>().set_screen(Screen::Wizard);
    let controller = WizardController::start(&app, options, Box::new(finish)).unwrap();
    app.show().unwrap();
    (headless, app, controller)
}

/// Renders the screen and keeps it as `<name>.png` among the test screenshots.
pub fn keep_screenshot(headless: &Headless, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    write_png(&headless.render(), &dir.join(format!("{name}.png"))).unwrap();
}

/// Whether a text or element labelled exactly `label` is on the screen.
pub fn shows(app: &AppWindow, label: &str) -> bool {
    ElementHandle::find_by_accessible_label(app, label)
        .next()
        .is_some()
}

/// The element labelled `label` that is drawn on `app` (it has a size). A button's text
/// is labelled like the button: the button comes first, to be tapped itself.
pub fn find_drawn(app: &AppWindow, label: &str) -> Option<ElementHandle> {
    let mut found: Vec<ElementHandle> = ElementHandle::find_by_accessible_label(app, label)
        .filter(|e| e.size().width > 0.0 && e.size().height > 0.0)
        .collect();
    found.sort_by_key(|e| e.accessible_role() == Some(AccessibleRole::Text));
    found.into_iter().next()
}

/// Nothing listens on the discard port of loopback: the connection is refused.
pub const REFUSED_EWS_URL: &str = "https://127.0.0.1:9/EWS/Exchange.asmx";

/// The wizard at its Check step after the checks ran against a refused connection.
pub fn wizard_after_failed_checks() -> (Headless, AppWindow, WizardController) {
    let (headless, app, controller) =
        start_wizard(
            wizard_options(),
            |_, _| Err("not saved in this test".into()),
        );
    let adapter = app.global::<WizardAdapter>();
    adapter.set_display_name("Konferensrum 2".into());
    adapter.set_sign_in_address("confrm2@contoso.com".into());
    adapter.set_ews_url(REFUSED_EWS_URL.into());
    adapter.set_service_username("CONTOSO\\mailboxservice".into());
    adapter.set_service_password("S3rvice!pw".into());
    for _ in 0..3 {
        adapter.invoke_next();
    }
    controller.wait_for_checks();
    (headless, app, controller)
}

/// The pixels (x, y) of a frame painted in the accent colour, the colour of the primary
/// buttons (Join, Share to meeting).
pub fn accent_pixels(buffer: &SharedPixelBuffer<Rgb8Pixel>) -> Vec<(usize, usize)> {
    let accent = Rgb8Pixel::new(0x4c, 0x9d, 0xff);
    let width = buffer.width() as usize;
    buffer
        .as_slice()
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == accent)
        .map(|(i, _)| (i % width, i / width))
        .collect()
}
