//! Night mode on the headless screen, with the clock and a fake sysfs backlight under the
//! test's control: the screen dims, then blanks; the waking touch presses nothing; a
//! touch on the awake screen restarts the wait; a meeting starting wakes it; without a
//! backlight the screen is darkened by the cover.

use crate::common::screens;
use screens::*;

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use room_console::calendar::MeetingTime;
use room_console::calendar::demo::demo_agenda;
use room_console::clock::FixedClock;
use room_console::device::backlight::Backlight;
use room_console::device::night::NightSchedule;
use room_console::settings::NightModeSettings;
use room_console::ui::headless::Headless;
use room_console::ui::home::controller::HomeController;
use room_console::ui::night::NightScreen;
use room_console::ui::{AppWindow, ContentAdapter, HomeAdapter, NightAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel};

/// The gear on the home screen (opens the PIN pad when awake).
const GEAR: (f32, f32) = (1228.0, 60.0);
/// An empty spot of the home screen, under the status card.
const EMPTY: (f32, f32) = (300.0, 600.0);

fn utc(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

/// The demo day plus an evening meeting from 21:00 to 22:00.
fn agenda(day: NaiveDate) -> Vec<room_console::calendar::Meeting> {
    let mut meetings = demo_agenda(day, 1, &Tz::UTC);
    let mut evening = meetings
        .iter()
        .find(|m| !m.time.is_all_day() && !m.cancelled)
        .expect("a timed demo meeting")
        .clone();
    evening.id = "evening".into();
    evening.time = MeetingTime::Timed {
        start: utc(21, 0, 0),
        end: utc(22, 0, 0),
    };
    meetings.push(evening);
    meetings
}

struct Ui {
    headless: Headless,
    app: AppWindow,
    clock: FixedClock,
    gear_taps: Rc<Cell<u32>>,
    _home: HomeController,
}

impl Ui {
    /// The home screen at 19:00 with night mode 19:00–07:00, dimming after 60 s and
    /// blanking after 300 s, on the backlight under `sysfs` if any.
    fn start(sysfs: &Path) -> Ui {
        let headless = Headless::install(PhysicalSize::new(1280, 800)).expect("headless");
        let app = AppWindow::new().expect("window");
        let clock = FixedClock::new(utc(19, 0, 0));
        let home = HomeController::start(
            &app,
            demo_room(),
            Box::new(clock.clone()),
            Box::new(|day| Ok(agenda(day))),
            None,
        );
        let schedule = NightSchedule::from_settings(
            &NightModeSettings {
                start: NaiveTime::from_hms_opt(19, 0, 0),
                end: NaiveTime::from_hms_opt(7, 0, 0),
                dim_after_seconds: 60,
                blank_after_seconds: 300,
            },
            Tz::UTC,
        )
        .expect("night mode on");
        home.start_night_mode(
            &app,
            NightScreen::new(schedule, Backlight::find(sysfs), utc(19, 0, 0)),
        );
        let gear_taps = Rc::new(Cell::new(0));
        let taps = gear_taps.clone();
        app.global::<HomeAdapter>()
            .on_open_admin(move || taps.set(taps.get() + 1));
        app.show().expect("show");
        headless.render();
        Ui {
            headless,
            app,
            clock,
            gear_taps,
            _home: home,
        }
    }

    /// Sets the console's clock to `at` and lets the one-second tick run.
    fn at(&self, at: DateTime<Utc>) {
        self.clock.set(at);
        self.headless.advance(Duration::from_secs(1));
        self.headless.render();
    }

    fn tap(&self, (x, y): (f32, f32)) {
        self.headless.tap(x, y);
        self.headless.render();
    }

    fn asleep(&self) -> bool {
        self.app.global::<NightAdapter>().get_asleep()
    }

    fn shade(&self) -> f32 {
        self.app.global::<NightAdapter>().get_shade()
    }

    fn pixel(&self, (x, y): (f32, f32)) -> Rgb8Pixel {
        let frame = self.headless.render();
        frame.as_slice()[y as usize * frame.width() as usize + x as usize]
    }
}

fn fake_backlight(brightness: u32, max: u32) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("class/backlight/panel");
    fs::create_dir_all(&dir).expect("dir");
    fs::write(dir.join("brightness"), brightness.to_string()).expect("brightness");
    fs::write(dir.join("max_brightness"), max.to_string()).expect("max");
    let file = dir.join("brightness");
    (root, file)
}

fn read(file: &Path) -> String {
    fs::read_to_string(file).expect("brightness")
}

#[test]
fn the_backlight_dims_then_goes_off_and_the_waking_touch_presses_nothing() {
    let (sysfs, brightness) = fake_backlight(200, 255);
    let ui = Ui::start(sysfs.path());
    assert!(!ui.asleep());
    ui.at(utc(19, 0, 59));
    assert!(!ui.asleep(), "59 s without a touch");
    ui.at(utc(19, 1, 0));
    assert!(ui.asleep());
    assert_eq!(read(&brightness), "25", "dimmed to a tenth");
    assert_eq!(
        ui.shade(),
        0.0,
        "the backlight dims; the screen stays readable"
    );
    ui.at(utc(19, 5, 0));
    assert_eq!(read(&brightness), "0");
    assert_eq!(ui.shade(), 1.0);
    assert_eq!(ui.pixel(GEAR), Rgb8Pixel::new(0, 0, 0), "drawn black too");

    ui.tap(GEAR);
    assert!(!ui.asleep(), "the touch woke the screen");
    assert_eq!(read(&brightness), "200", "the brightness found at start");
    assert_eq!(ui.gear_taps.get(), 0, "the waking touch pressed nothing");
    ui.tap(GEAR);
    assert_eq!(ui.gear_taps.get(), 1, "awake, the next touch is a tap");
}

#[test]
fn a_touch_on_the_awake_screen_restarts_the_wait() {
    let (sysfs, _brightness) = fake_backlight(200, 255);
    let ui = Ui::start(sysfs.path());
    ui.at(utc(19, 0, 50));
    ui.tap(EMPTY);
    ui.at(utc(19, 1, 40));
    assert!(!ui.asleep(), "50 s since the touch");
    ui.at(utc(19, 1, 50));
    assert!(ui.asleep(), "60 s since the touch");
}

#[test]
fn a_meeting_starting_wakes_the_screen_and_keeps_it_awake() {
    let (sysfs, brightness) = fake_backlight(200, 255);
    let ui = Ui::start(sysfs.path());
    ui.at(utc(20, 59, 0));
    assert_eq!(read(&brightness), "0");
    ui.at(utc(21, 0, 0));
    assert!(!ui.asleep(), "the 21:00 meeting started");
    assert_eq!(read(&brightness), "200");
    ui.at(utc(21, 59, 59));
    assert!(!ui.asleep(), "still on");
    ui.at(utc(22, 1, 0));
    assert!(ui.asleep(), "a minute after it ended");
}

#[test]
fn a_laptop_on_screen_keeps_the_screen_awake() {
    let (sysfs, brightness) = fake_backlight(200, 255);
    let ui = Ui::start(sysfs.path());
    ui.app.global::<ContentAdapter>().set_shown(true);
    ui.at(utc(19, 10, 0));
    assert!(
        !ui.asleep(),
        "ten minutes without a touch, but content is shown"
    );
    assert_eq!(read(&brightness), "200");
    ui.app.global::<ContentAdapter>().set_shown(false);
    ui.at(utc(19, 11, 0));
    assert!(ui.asleep(), "a minute after the laptop left");
}

#[test]
fn without_a_backlight_the_cover_darkens_the_screen() {
    let no_sysfs = tempfile::tempdir().expect("temp dir");
    let ui = Ui::start(no_sysfs.path());
    let awake = ui.pixel(EMPTY);
    ui.at(utc(19, 1, 0));
    assert!(ui.asleep());
    assert!(
        ui.shade() > 0.0 && ui.shade() < 1.0,
        "dimmed: {}",
        ui.shade()
    );
    let dimmed = ui.pixel(EMPTY);
    assert!(
        u32::from(dimmed.r) + u32::from(dimmed.g) + u32::from(dimmed.b)
            < u32::from(awake.r) + u32::from(awake.g) + u32::from(awake.b),
        "{dimmed:?} is darker than {awake:?}"
    );
    ui.at(utc(19, 5, 0));
    assert_eq!(ui.pixel(EMPTY), Rgb8Pixel::new(0, 0, 0));
    ui.at(utc(7, 0, 0) + chrono::Duration::days(1));
    assert!(!ui.asleep(), "morning");
}
