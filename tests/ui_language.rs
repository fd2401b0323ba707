//! The screens in Swedish and Korean on the headless platform: the home screen's words
//! come from the bundled translations (with a Hangul font), and choosing a language on
//! the wizard's Welcome step puts the following steps in that language at once.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use room_console::calendar::demo::demo_agenda;
use room_console::clock::FixedClock;
use room_console::ui::controller::{HomeController, RoomInfo};
use room_console::ui::headless::Headless;
use room_console::ui::language;
use room_console::ui::wizard::{Step, WizardController, WizardOptions};
use room_console::ui::{
    AgendaWords, AppState, AppWindow, HomeAdapter, Locale, Screen, WizardAdapter,
};
use slint::{ComponentHandle, Model, PhysicalSize};

fn utc(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, hour, minute, 0).unwrap()
}

fn home_at(now: DateTime<Utc>) -> (Headless, AppWindow, HomeController) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    let controller = HomeController::start(
        &app,
        RoomInfo {
            name: "Conference Room 2".into(),
            tz: Tz::UTC,
            clock_24h: true,
            notice: None,
            join_command: None,
            share_command: None,
        },
        Box::new(FixedClock::new(now)),
        Box::new(|day: NaiveDate| Ok(demo_agenda(day, 1, &Tz::UTC))),
        None,
    );
    app.show().unwrap();
    (headless, app, controller)
}

#[test]
fn home_screen_speaks_korean_with_a_hangul_font() {
    // 10:40: the private 10:30–11:00 meeting is on.
    let (headless, app, _controller) = home_at(utc(10, 40));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_status_headline(), "In use until 11:00");

    language::apply(&app, "ko");
    headless.render();
    assert_eq!(home.get_status_headline(), "11:00까지 사용 중");
    assert!(home.get_status_private());
    let words = app.global::<AgendaWords>();
    assert_eq!(words.invoke_title(true, false, "".into()), "비공개 회의");
    assert_eq!(words.invoke_time(true, "".into()), "종일");
    assert_eq!(
        app.global::<Locale>().get_font_family(),
        "NanumGothic",
        "Inter has no Hangul: Korean screens need NanumGothic"
    );

    language::apply(&app, "sv");
    assert_eq!(home.get_status_headline(), "Upptaget till 11:00");
    assert_eq!(app.global::<Locale>().get_font_family(), "Inter");
}

#[test]
fn an_unknown_language_shows_english() {
    let (_headless, app, _controller) = home_at(utc(10, 40));
    language::apply(&app, "ko");
    language::apply(&app, "de");
    assert_eq!(
        app.global::<HomeAdapter>().get_status_headline(),
        "In use until 11:00"
    );
}

fn wizard() -> (Headless, AppWindow, WizardController) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.global::<AppState>().set_screen(Screen::Wizard);
    let controller = WizardController::start(
        &app,
        WizardOptions {
            default_time_zone: "Europe/Stockholm".into(),
            now: Box::new(|| utc(7, 0)),
            allow_insecure_http: false,
            content_inputs: Vec::new(),
            content_events: None,
            graph_url: None,
            authority_url: None,
        },
        Box::new(|_, _| Err("not saved in this test".into())),
    )
    .unwrap();
    app.show().unwrap();
    (headless, app, controller)
}

/// Taps a language on the Welcome step as its button does, then Next.
fn choose_language_and_go_on(adapter: &WizardAdapter, code: &str) {
    adapter.set_language(code.into());
    adapter.invoke_language_chosen(code.into());
    adapter.invoke_next();
}

#[test]
fn choosing_swedish_on_welcome_puts_the_next_step_in_swedish() {
    let (headless, app, controller) = wizard();
    let adapter = app.global::<WizardAdapter>();
    assert_eq!(
        adapter.get_step_titles().row_data(1).unwrap(),
        "Room account"
    );

    choose_language_and_go_on(&adapter, "sv");
    headless.render();
    assert_eq!(controller.step(), Step::RoomAccount);
    let title = adapter
        .get_step_titles()
        .row_data(adapter.get_step() as usize);
    assert_eq!(title.unwrap(), "Rumskonto");
}

#[test]
fn choosing_korean_on_welcome_puts_the_next_step_in_korean() {
    let (headless, app, controller) = wizard();
    let adapter = app.global::<WizardAdapter>();
    choose_language_and_go_on(&adapter, "ko");
    headless.render();
    assert_eq!(controller.step(), Step::RoomAccount);
    let title = adapter
        .get_step_titles()
        .row_data(adapter.get_step() as usize);
    assert_eq!(title.unwrap(), "회의실 계정");
    assert_eq!(app.global::<Locale>().get_font_family(), "NanumGothic");
}
