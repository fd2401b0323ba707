//! UI tests of the booking panel on the home screen, on the headless platform with the
//! injected clock: Book now and its choices, Extend and End now, Check in, the release
//! countdown, the pending state, the failure in words and the offline state; every
//! button at least 48 px high. Taps land where a finger would. Screens are kept in
//! `<target>/screenshots/` in English, Swedish and Korean, to be looked at.

use crate::common::screens;
use screens::*;

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::mpsc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use i_slint_backend_testing::{AccessibleRole, ElementHandle};
use room_console::booking::{ActionError, ActionOutcome, BookingCommand};
use room_console::clock::FixedClock;
use room_console::settings::BookingSettings;
use room_console::ui::headless::Headless;
use room_console::ui::home::booking_panel::BookingScreen;
use room_console::ui::home::controller::HomeController;
use room_console::ui::language;
use room_console::ui::{AppWindow, BookingAdapter, BookingMode};
use slint::ComponentHandle;

fn utc(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

struct Panel {
    headless: Headless,
    app: AppWindow,
    _home: HomeController,
    clock: FixedClock,
    sent: Rc<RefCell<Vec<BookingCommand>>>,
    outcomes: mpsc::Sender<ActionOutcome>,
}

impl Panel {
    /// The demo room's home screen at `now` with the booking panel on.
    fn at(now: DateTime<Utc>, settings: BookingSettings) -> Panel {
        let (headless, app, home, clock) = start_home(now, demo_room());
        let sent = Rc::new(RefCell::new(Vec::new()));
        let record = sent.clone();
        let (outcomes, received) = mpsc::channel();
        home.start_booking(
            &app,
            BookingScreen::new(
                settings,
                Box::new(move |command| record.borrow_mut().push(command)),
                received,
                HashSet::new(),
            ),
        );
        headless.render();
        Panel {
            headless,
            app,
            _home: home,
            clock,
            sent,
            outcomes,
        }
    }

    fn find(&self, label: &str) -> Option<ElementHandle> {
        find_drawn(&self.app, label)
    }

    fn shows(&self, label: &str) -> bool {
        self.find(label).is_some()
    }

    /// Taps the middle of the button labelled `label`, checking it is a finger's size.
    fn tap(&self, label: &str) {
        let button = self
            .find(label)
            .unwrap_or_else(|| panic!("no {label:?} on the screen"));
        assert!(
            button.size().height >= 48.0,
            "{label} is too small to touch"
        );
        let (at, size) = (button.absolute_position(), button.size());
        self.headless
            .tap(at.x + size.width / 2.0, at.y + size.height / 2.0);
        self.headless.render();
    }

    /// Taps `label`; the commands sent so far must then be `sent`.
    fn tap_and_expect(&self, label: &str, sent: &[BookingCommand]) {
        self.tap(label);
        assert_eq!(*self.sent.borrow(), sent, "after tapping {label:?}");
    }

    /// Lets the one-second tick run at `now`.
    fn tick_at(&self, now: DateTime<Utc>) {
        self.clock.set(now);
        self.headless.advance(std::time::Duration::from_secs(1));
        self.headless.render();
    }

    fn reply(&self, command: BookingCommand, result: Result<Option<String>, ActionError>) {
        self.outcomes
            .send(ActionOutcome { command, result })
            .unwrap();
    }

    fn keep(&self, name: &str) {
        for lang in ["en", "sv", "ko"] {
            language::apply(&self.app, lang);
            keep_screenshot(&self.headless, &format!("booking-{name}-{lang}"));
        }
        language::apply(&self.app, "en");
        self.headless.render();
    }
}

#[test]
fn book_now_offers_its_choices_and_sends_the_one_tapped() {
    // 12:03: free until the 13:00 design review.
    let panel = Panel::at(utc(12, 3, 20), BookingSettings::default());
    assert!(panel.shows("Book now"));
    panel.keep("book-now");
    for (lang, words) in [("sv", "Boka nu"), ("ko", "지금 예약"), ("en", "Book now")] {
        language::apply(&panel.app, lang);
        panel.headless.render();
        assert!(panel.shows(words), "{lang}: {words}");
    }
    panel.tap("Book now");
    assert!(panel.shows("15 min"));
    assert!(panel.shows("30 min"));
    assert!(!panel.shows("60 min"), "60 minutes would run into 13:00");
    assert!(panel.shows("Until 13:00"));
    panel.keep("choices");
    panel.tap_and_expect("Until 13:00", &[BookingCommand::Book(57)]);
    assert!(panel.shows("Booking…"));
    // The booking is on the agenda at once, marked as not yet confirmed.
    assert_eq!(
        pending_rows(&panel),
        ["12:03 – 13:00 Booked at the console · Booking…"]
    );
    for (lang, row) in [
        ("sv", "12:03 – 13:00 Bokat vid konsolen · Bokar…"),
        ("ko", "12:03 – 13:00 콘솔에서 예약됨 · 예약 중…"),
    ] {
        language::apply(&panel.app, lang);
        panel.headless.render();
        assert_eq!(pending_rows(&panel), [row], "{lang}");
    }
    language::apply(&panel.app, "en");
    panel.headless.render();
    // A second tap while the first is in flight sends nothing.
    panel.tap("Booking…");
    assert_eq!(panel.sent.borrow().len(), 1);
    panel.keep("pending");

    // The server said someone was faster: the reason in words, the panel usable again.
    panel.reply(
        BookingCommand::Book(57),
        Err(ActionError::Clash {
            start: utc(12, 10, 0),
        }),
    );
    panel.tick_at(utc(12, 3, 21));
    assert!(panel.shows("Someone booked this room at 12:10 a moment ago."));
    assert!(panel.shows("Book now"));
    assert!(pending_rows(&panel).is_empty(), "rolled back");
    panel.keep("clash");
}

#[test]
fn a_servers_failure_is_said_in_the_screens_language() {
    use room_console::sync::source::{FailureKind, SourceError};
    use room_console::words::{Phrase, Wording};

    let panel = Panel::at(utc(12, 3, 20), BookingSettings::default());
    panel.tap("Book now");
    panel.tap("Until 13:00");
    panel.reply(
        BookingCommand::Book(57),
        Err(ActionError::Failed(SourceError::new(
            FailureKind::ServerError,
            Wording::phrase(
                Phrase::EwsHttpStatus,
                ["https://mail.contoso.com/EWS/Exchange.asmx", "500"],
            ),
        ))),
    );
    panel.tick_at(utc(12, 3, 21));
    assert!(panel.shows(
        "That did not work: Exchange at https://mail.contoso.com/EWS/Exchange.asmx answered \
         with HTTP status 500."
    ));
    for (lang, words) in [
        (
            "sv",
            "Det gick inte: Exchange på https://mail.contoso.com/EWS/Exchange.asmx svarade med \
             HTTP-status 500.",
        ),
        (
            "ko",
            "실패했습니다: https://mail.contoso.com/EWS/Exchange.asmx의 Exchange가 HTTP 상태 \
             500(으)로 응답했습니다.",
        ),
    ] {
        language::apply(&panel.app, lang);
        panel.headless.render();
        assert!(panel.shows(words), "{lang}: {words}");
    }
    panel.keep("server-failed");
}

#[test]
fn a_confirmed_booking_leaves_the_pending_row_for_the_servers_answer() {
    let panel = Panel::at(utc(12, 3, 20), BookingSettings::default());
    panel.tap("Book now");
    panel.tap_and_expect("15 min", &[BookingCommand::Book(15)]);
    assert_eq!(
        pending_rows(&panel),
        ["12:03 – 12:18 Booked at the console · Booking…"]
    );
    // Still pending a second later: nothing was answered.
    panel.tick_at(utc(12, 3, 21));
    assert_eq!(pending_rows(&panel).len(), 1);
    panel.reply(BookingCommand::Book(15), Ok(Some("AAMk-new".into())));
    panel.tick_at(utc(12, 3, 22));
    assert!(
        pending_rows(&panel).is_empty(),
        "the agenda shows the store's answer only"
    );
    assert!(panel.shows("Book now"));
}

/// The accessible labels of the agenda's "booking…" rows on screen.
fn pending_rows(panel: &Panel) -> Vec<String> {
    use room_console::ui::HomeAdapter;
    use slint::Model;
    let agenda = panel.app.global::<HomeAdapter>().get_agenda();
    let pending = agenda.iter().filter(|row| row.pending).count();
    let labels: Vec<String> = i_slint_backend_testing::ElementQuery::from_root(&panel.app)
        .match_accessible_role(AccessibleRole::ListItem)
        .find_all()
        .into_iter()
        .filter_map(|e| e.accessible_label().map(|l| l.to_string()))
        .filter(|l| l.contains(" · "))
        .filter(|l| l.contains("Booking…") || l.contains("Bokar…") || l.contains("예약 중…"))
        .collect();
    assert_eq!(
        labels.len(),
        pending,
        "every pending row of the model is on screen: {labels:?}"
    );
    labels
}

#[test]
fn extend_and_end_now_are_offered_during_a_meeting() {
    // 9:10 in the 9:00–10:00 planning; the next meeting is at 10:30.
    let panel = Panel::at(utc(9, 10, 0), BookingSettings::default());
    assert!(!panel.shows("Book now"));
    assert!(panel.shows("+15 min"));
    assert!(panel.shows("+30 min"));
    panel.keep("extend");
    panel.tap("+30 min");
    panel.reply(BookingCommand::Extend(30), Ok(Some("m".into())));
    panel.tick_at(utc(9, 10, 1));
    panel.tap("End now");
    assert_eq!(
        *panel.sent.borrow(),
        [BookingCommand::Extend(30), BookingCommand::End]
    );
    assert!(panel.shows("Ending…"));

    // 13:40 in the 13:00–14:00 review, the 14:00 call follows at once: no extension.
    panel.reply(BookingCommand::End, Ok(Some("m".into())));
    panel.tick_at(utc(13, 40, 0));
    assert!(panel.shows("End now"));
    assert!(!panel.shows("+15 min"), "the 14:00 meeting follows at once");
}

#[test]
fn booking_turned_off_shows_no_buttons() {
    let settings = BookingSettings {
        enabled: false,
        ..BookingSettings::default()
    };
    let panel = Panel::at(utc(12, 3, 0), settings);
    assert!(!panel.shows("Book now"));
    assert!(!panel.shows("End now"));
    assert_eq!(
        panel.app.global::<BookingAdapter>().get_mode(),
        BookingMode::None
    );
}

#[test]
fn check_in_then_the_release_countdown_then_the_release() {
    // 12:56: the 13:00 design review can be checked in to.
    let panel = Panel::at(utc(12, 56, 0), with_check_in());
    assert!(panel.shows("Check in"));
    panel.keep("check-in");

    // Nobody came: the last minute counts down.
    panel.tick_at(utc(13, 9, 1));
    assert!(panel.shows("Releasing this room in 0:59"), "the countdown");
    panel.keep("countdown");
    panel.tick_at(utc(13, 9, 30));
    assert!(panel.shows("Releasing this room in 0:30"));

    // The window ended: the release is asked for once.
    panel.tick_at(utc(13, 10, 0));
    panel.tick_at(utc(13, 10, 1));
    assert_eq!(*panel.sent.borrow(), [BookingCommand::ReleaseNoShows]);
}

#[test]
fn im_here_stops_the_countdown() {
    let panel = Panel::at(utc(13, 9, 10), with_check_in());
    assert!(panel.shows("Releasing this room in 0:50"));
    panel.tap_and_expect("I'm here", &[BookingCommand::CheckIn]);
    panel.reply(BookingCommand::CheckIn, Ok(Some(design_review_id(&panel))));
    panel.tick_at(utc(13, 9, 11));
    assert!(!panel.shows("Releasing this room in 0:49"));
    panel.tick_at(utc(13, 10, 5) + Duration::seconds(1));
    assert_eq!(panel.sent.borrow().len(), 1, "nothing released");
}

/// Booking on, with check-in.
fn with_check_in() -> BookingSettings {
    BookingSettings {
        check_in: true,
        ..BookingSettings::default()
    }
}

/// The id of the demo's 13:00 design review (the meeting on at 13:09).
fn design_review_id(panel: &Panel) -> String {
    use room_console::ui::HomeAdapter;
    panel
        .app
        .global::<HomeAdapter>()
        .get_now_card()
        .id
        .to_string()
}

#[test]
fn pressing_join_counts_as_a_check_in() {
    let panel = Panel::at(utc(13, 2, 0), with_check_in());
    assert!(panel.shows("Check in"));
    panel.tap_and_expect("Join", &[BookingCommand::CheckIn]);
}
