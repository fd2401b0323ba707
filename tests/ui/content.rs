//! UI test of the shared-content window: the content state machine (with an injected
//! clock) drives the window on the headless platform; it pops up after the debounce
//! and closes by itself after the grace period once the laptop is unplugged.

use crate::common::screens;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use room_console::content::{
    ContentMachine, InputInfo, InputKind, InputStatus, MachineConfig, SignalReading,
};
use room_console::ui::content::panel::ContentPanel;
use room_console::ui::headless::Headless;
use room_console::ui::{AppWindow, ContentAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel, SharedPixelBuffer};

fn hdmi() -> InputInfo {
    InputInfo {
        id: "file:/run/hdmi".into(),
        name: "HDMI input".into(),
        kind: InputKind::StatusFile,
        path: None,
        status: InputStatus::Unknown,
        mode: None,
        can_preview: false,
        error: None,
    }
}

/// The share of dark pixels: the content window darkens the whole screen.
fn dark_share(frame: &SharedPixelBuffer<Rgb8Pixel>) -> f64 {
    let dark = frame
        .as_slice()
        .iter()
        .filter(|p| u16::from(p.r) + u16::from(p.g) + u16::from(p.b) < 60)
        .count();
    dark as f64 / frame.as_slice().len() as f64
}

#[test]
fn window_pops_up_on_plug_in_and_closes_after_the_grace_period() {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.show().unwrap();
    let names = HashMap::from([(hdmi().id, hdmi().name)]);
    let mut machine = ContentMachine::new(&hdmi(), MachineConfig::with_grace_seconds(3));
    let mut panel = ContentPanel::default();
    let t0 = Instant::now();
    let mut feed = |events: Vec<_>| {
        for event in events {
            panel.on_event(&event, true, &names);
        }
        panel.apply(&app);
    };
    let adapter = app.global::<ContentAdapter>();
    let empty = dark_share(&headless.render());

    feed(machine.on_reading(t0, Ok(SignalReading::Locked { mode: None })));
    assert!(
        !adapter.get_shown(),
        "not before the signal has held for the debounce"
    );
    feed(machine.on_tick(t0 + Duration::from_millis(1100)));
    assert!(adapter.get_shown(), "pops up once the signal held");
    assert_eq!(adapter.get_input_name(), "HDMI input");
    let shown = dark_share(&headless.render());
    assert!(
        shown > empty + 0.3,
        "the window covers the screen: {empty} → {shown}"
    );

    // A loose cable for a second does not flap the window.
    feed(machine.on_reading(t0 + Duration::from_secs(5), Ok(SignalReading::Absent)));
    feed(machine.on_reading(
        t0 + Duration::from_secs(6),
        Ok(SignalReading::Locked { mode: None }),
    ));
    feed(machine.on_tick(t0 + Duration::from_secs(10)));
    assert!(
        adapter.get_shown(),
        "a short loss within the grace period keeps the window"
    );

    // Unplugged: the window closes by itself after the grace period.
    feed(machine.on_reading(t0 + Duration::from_secs(20), Ok(SignalReading::Absent)));
    feed(machine.on_tick(t0 + Duration::from_secs(22)));
    assert!(adapter.get_shown(), "still within the grace period");
    feed(machine.on_tick(t0 + Duration::from_millis(23_100)));
    assert!(!adapter.get_shown(), "closed after the grace period");
    assert!(!adapter.get_offered());
    let closed = dark_share(&headless.render());
    assert!(
        (closed - empty).abs() < 0.01,
        "the screen is back: {empty} vs {closed}"
    );
}

mod share_to_meeting {
    //! "Share to meeting": the button shows only while a meeting with a join link is on,
    //! and pressing it runs the share command with the link and the content input.

    use std::collections::HashMap;
    use std::path::PathBuf;

    use super::screens::{accent_pixels, demo_room};
    use crate::common::fifo_command::FifoCommand;
    use chrono::{NaiveDate, TimeZone, Utc};
    use chrono_tz::Tz;
    use room_console::calendar::demo::demo_agenda;
    use room_console::clock::FixedClock;
    use room_console::content::ContentEvent;
    use room_console::ui::content::panel::ContentPanel;
    use room_console::ui::headless::Headless;
    use room_console::ui::home::controller::{HomeController, RoomInfo};
    use room_console::ui::{AppWindow, ContentAdapter};
    use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel, SharedPixelBuffer};

    /// The centre of the pixels in the accent colour: with the content window up, only
    /// its primary button ("Share to meeting") is drawn undimmed in it.
    fn accent_button(buffer: &SharedPixelBuffer<Rgb8Pixel>) -> Option<(f32, f32)> {
        let hits = accent_pixels(buffer);
        let (min_x, max_x) = (
            hits.iter().map(|h| h.0).min()?,
            hits.iter().map(|h| h.0).max()?,
        );
        let (min_y, max_y) = (
            hits.iter().map(|h| h.1).min()?,
            hits.iter().map(|h| h.1).max()?,
        );
        Some(((min_x + max_x) as f32 / 2.0, (min_y + max_y) as f32 / 2.0))
    }

    /// The console at `hour:minute` on the demo day, with the content window up for
    /// `v4l2:/dev/video0`, marked as unable to preview so no capture thread starts.
    fn console(
        hour: u32,
        minute: u32,
        share_command: Option<PathBuf>,
    ) -> (Headless, AppWindow, HomeController) {
        let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
        let app = AppWindow::new().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, hour, minute, 0).unwrap();
        let controller = HomeController::start(
            &app,
            RoomInfo {
                share_command,
                ..demo_room()
            },
            Box::new(FixedClock::new(now)),
            Box::new(|day: NaiveDate| Ok(demo_agenda(day, 1, &Tz::UTC))),
            None,
        );
        let mut panel = ContentPanel::default();
        panel.on_event(
            &ContentEvent::ShowContent {
                input: "v4l2:/dev/video0".into(),
                resolution: None,
                can_preview: false,
            },
            true,
            &HashMap::new(),
        );
        panel.apply(&app);
        app.show().unwrap();
        (headless, app, controller)
    }

    #[test]
    fn no_share_button_without_a_meeting() {
        // 07:00: nothing on in the demo agenda.
        let (headless, app, _controller) = console(7, 0, None);
        assert!(app.global::<ContentAdapter>().get_shown());
        assert!(!app.global::<ContentAdapter>().get_in_meeting());
        assert_eq!(accent_button(&headless.render()), None);
    }

    #[test]
    fn pressing_share_runs_the_share_command_with_link_and_input() {
        let dir = tempfile::tempdir().unwrap();
        let share = FifoCommand::new(dir.path(), "share", 2);

        // 13:20: "Design review" with a join link is on.
        let (headless, app, _controller) = console(13, 20, Some(share.script.clone()));
        assert!(app.global::<ContentAdapter>().get_in_meeting());
        let (x, y) = accent_button(&headless.render()).expect("a Share to meeting button");
        headless.tap(x, y);

        let shared = share.read();
        assert_eq!(
            shared,
            "https://meet.contoso.com/erik.nilsson/K7QX2P4M v4l2:/dev/video0"
        );
        assert_eq!(
            app.global::<ContentAdapter>().get_share_message(),
            "Sharing to the meeting…"
        );
    }

    #[test]
    fn without_a_share_command_the_window_says_how_to_set_it_up() {
        let (headless, app, _controller) = console(13, 20, None);
        let (x, y) = accent_button(&headless.render()).expect("a Share to meeting button");
        headless.tap(x, y);
        let message = app.global::<ContentAdapter>().get_share_message();
        assert_eq!(
            message,
            "Sharing to meetings is not set up on this console. An admin can set it up: \
             ShareCommand in the provisioning file (under Device) names the program that \
             shares content to meetings."
        );
    }
}

#[test]
fn the_window_stays_off_the_setup_wizard_and_shows_once_it_is_done() {
    use room_console::ui::{AppState, Screen};
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.global::<AppState>().set_screen(Screen::Wizard);
    app.show().unwrap();
    let wizard_only = headless.render();

    let adapter = app.global::<ContentAdapter>();
    adapter.set_shown(true);
    assert_eq!(
        headless.render().as_bytes(),
        wizard_only.as_bytes(),
        "plugging a laptop in during setup changes nothing on screen"
    );

    app.global::<AppState>().set_screen(Screen::Home);
    let home_with_window = dark_share(&headless.render());
    adapter.set_shown(false);
    let home = dark_share(&headless.render());
    assert!(
        home_with_window > home,
        "after setup the window shows: {home_with_window} vs {home}"
    );
}
