//! The 12-hour clock in each language on the headless home screen: English says
//! "9:10 AM", Swedish "9:10\u{a0}fm", Korean "오전\u{a0}9:10" (the marker before the time), and a
//! meeting's span says the half of the day once when both ends share it. The screens are
//! rendered into `<target>/screenshots/` to be looked at.

use crate::common::screens;
use screens::*;

use chrono::{DateTime, TimeZone, Utc};
use room_console::ui::headless::Headless;
use room_console::ui::home::controller::{HomeController, RoomInfo};
use room_console::ui::language;
use room_console::ui::{AgendaWords, AppWindow, HomeAdapter};
use slint::{ComponentHandle, Model};

/// The home screen on a 12-hour clock at `now` (UTC), with the demo agenda.
fn home_12h(now: DateTime<Utc>) -> (Headless, AppWindow, HomeController) {
    let (headless, app, controller, _clock) = start_home(
        now,
        RoomInfo {
            clock_24h: false,
            ..demo_room()
        },
    );
    (headless, app, controller)
}

/// The agenda's times as the screen words them.
fn agenda_times(app: &AppWindow) -> Vec<String> {
    let words = app.global::<AgendaWords>();
    app.global::<HomeAdapter>()
        .get_agenda()
        .iter()
        .map(|row| {
            words
                .invoke_time(row.all_day, row.start, row.end)
                .to_string()
        })
        .collect()
}

#[test]
fn the_twelve_hour_clock_speaks_each_language() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 10, 0).unwrap();
    let (headless, app, _controller) = home_12h(now);
    let home = app.global::<HomeAdapter>();
    // Per language: the clock, the status headline, and three of the agenda's spans.
    let expected = [
        (
            "en",
            "9:10 AM",
            "In use until 10:00 AM",
            ["9:00 – 10:00 AM", "11:00 AM – 12:00 PM", "1:00 – 2:00 PM"],
        ),
        (
            "sv",
            "9:10\u{a0}fm",
            "Upptaget till 10:00\u{a0}fm",
            [
                "9:00 – 10:00\u{a0}fm",
                "11:00\u{a0}fm – 12:00\u{a0}em",
                "1:00 – 2:00\u{a0}em",
            ],
        ),
        (
            "ko",
            "오전\u{a0}9:10",
            "오전\u{a0}10:00까지 사용 중",
            [
                "오전\u{a0}9:00 – 10:00",
                "오전\u{a0}11:00 – 오후\u{a0}12:00",
                "오후\u{a0}1:00 – 2:00",
            ],
        ),
    ];
    for (code, clock, headline, spans) in expected {
        speak(&headless, &app, code);
        assert_eq!(home.get_clock_text(), clock, "{code}");
        assert_eq!(home.get_status_headline(), headline, "{code}");
        let times = agenda_times(&app);
        for span in spans {
            assert!(times.iter().any(|t| t == span), "{span:?} in {times:?}");
        }
        keep_screenshot(&headless, &format!("home-12h-{code}"));
    }
}

#[test]
fn the_twenty_four_hour_clock_has_no_marker_in_any_language() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 10, 0).unwrap();
    let (_headless, app, _controller) = home_12h(now);
    let words = app.global::<AgendaWords>();
    let time = |digits: &str| room_console::ui::ClockTime {
        digits: digits.into(),
        half: room_console::ui::DayHalf::None,
    };
    for language_code in ["en", "sv", "ko"] {
        language::apply(&app, language_code);
        assert_eq!(
            words.invoke_time(false, time("09:00"), time("10:00")),
            "09:00 – 10:00",
            "{language_code}"
        );
    }
}
