//! The booking panel of the home screen: what it offers at an instant (from the rules
//! over the cached agenda), the action in flight (a booking also as a "booking…" row in
//! the agenda), the last failure in words, and the release countdown. Taps become [`BookingCommand`]s handed to the background; their
//! outcomes come back on a channel the one-second tick reads, so the UI never waits.

use std::collections::HashSet;
use std::sync::mpsc::Receiver;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use slint::{ComponentHandle, ModelRc, VecModel};

use crate::booking::rules::{self, CheckIn, Refusal};
use crate::booking::{ActionError, ActionOutcome, BookingCommand, Slot};
use crate::calendar::Meeting;
use crate::settings::BookingSettings;
use crate::sync::source::FailureKind;
use crate::ui::admin::checks::phrase_wording;
use crate::ui::home::model::time_of_day;
use crate::ui::{
    AppWindow, BookChoice as SlintChoice, BookingAdapter, BookingFailure, BookingMode,
    BookingPending, CheckInOffer, ClockTime as SlintClockTime,
};

/// Hands a command to whoever runs it (the background runtime, or a test).
pub(crate) type CommandSink = Box<dyn Fn(BookingCommand)>;

/// What the panel offers at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PanelView {
    pub mode: BookingMode,
    pub choices: Vec<rules::BookChoice>,
    pub extend: Vec<i64>,
    /// The countdown counts `seconds_left`.
    pub check_in: CheckInOffer,
    pub seconds_left: i64,
    /// A meeting nobody checked in to whose window ended.
    pub release_due: bool,
}

/// The panel's view of `meetings` at `now`.
pub(crate) fn panel_view(
    meetings: &[Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    settings: &BookingSettings,
    checked_in: &HashSet<String>,
) -> PanelView {
    let mut view = PanelView {
        mode: BookingMode::None,
        choices: Vec::new(),
        extend: Vec::new(),
        check_in: CheckInOffer::None,
        seconds_left: 0,
        release_due: false,
    };
    if settings.enabled {
        if rules::meeting_now(meetings, now, tz).is_some() {
            view.mode = BookingMode::InMeeting;
            view.extend = rules::extend_choices(meetings, now, tz);
        } else {
            view.choices = rules::book_choices(meetings, now, tz);
            view.mode = if view.choices.is_empty() {
                BookingMode::None
            } else {
                BookingMode::Book
            };
        }
    }
    for meeting in meetings {
        match rules::check_in_state(meeting, now, tz, settings, checked_in.contains(&meeting.id)) {
            CheckIn::Open if view.check_in == CheckInOffer::None => {
                view.check_in = CheckInOffer::Button;
            }
            CheckIn::Warning { seconds_left } => {
                view.check_in = CheckInOffer::Countdown;
                view.seconds_left = seconds_left;
            }
            CheckIn::Due => view.release_due = true,
            _ => {}
        }
    }
    view
}

/// The panel's state between ticks.
pub struct BookingScreen {
    settings: BookingSettings,
    sink: CommandSink,
    outcomes: Receiver<ActionOutcome>,
    checked_in: HashSet<String>,
    pending: Option<BookingCommand>,
    /// The slot of the booking in flight, shown in the agenda as "booking…" until the
    /// server answers (the store changes only from the answer).
    pending_slot: Option<Slot>,
    /// The choices on screen, to turn "until" (minutes 0) into minutes.
    choices: Vec<rules::BookChoice>,
    /// When the release of no-shows was last asked for: asked again a minute later at
    /// the soonest, so a failing server is not asked every second.
    release_asked: Option<DateTime<Utc>>,
}

impl BookingScreen {
    /// A panel for `settings`, sending commands to `sink` and reading their outcomes
    /// from `outcomes`; `checked_in` are the check-ins already recorded.
    pub fn new(
        settings: BookingSettings,
        sink: CommandSink,
        outcomes: Receiver<ActionOutcome>,
        checked_in: HashSet<String>,
    ) -> BookingScreen {
        BookingScreen {
            settings,
            sink,
            outcomes,
            checked_in,
            pending: None,
            pending_slot: None,
            choices: Vec::new(),
            release_asked: None,
        }
    }

    /// Sends `command` unless one is in flight; the screen shows it pending.
    pub fn ask(&mut self, app: &AppWindow, command: BookingCommand) {
        if self.pending.is_some() {
            return;
        }
        let command = match command {
            BookingCommand::Book(0) => match self.choices.iter().find(|c| c.minutes.is_none()) {
                Some(until) => BookingCommand::Book((until.end - until.start).num_minutes()),
                None => return,
            },
            other => other,
        };
        let adapter = app.global::<BookingAdapter>();
        adapter.set_failure(BookingFailure::None);
        adapter.set_pending(match command {
            BookingCommand::Book(_) => BookingPending::Booking,
            BookingCommand::Extend(_) => BookingPending::Extending,
            BookingCommand::End => BookingPending::Ending,
            BookingCommand::CheckIn | BookingCommand::ReleaseNoShows => BookingPending::Idle,
        });
        self.pending = Some(command);
        self.pending_slot = match command {
            BookingCommand::Book(minutes) => self
                .choices
                .iter()
                .find(|c| (c.end - c.start).num_minutes() == minutes)
                .map(|c| Slot {
                    start: c.start,
                    end: c.end,
                }),
            _ => None,
        };
        (self.sink)(command);
    }

    /// The booking asked for and not yet answered, for the agenda's "booking…" row.
    pub(crate) fn pending_booking(&self) -> Option<Slot> {
        self.pending_slot
    }

    /// Someone is evidently in the room (Join pressed, a laptop plugged in): counts as a
    /// check-in while one is asked for.
    pub(crate) fn presence(&mut self, app: &AppWindow) {
        if app.global::<BookingAdapter>().get_check_in() != CheckInOffer::None {
            self.ask(app, BookingCommand::CheckIn);
        }
    }

    /// Reads the outcomes that arrived and puts the panel for `meetings` at `now` on
    /// screen; true when an action changed the agenda (read it again).
    pub fn tick(
        &mut self,
        app: &AppWindow,
        meetings: &[Meeting],
        now: DateTime<Utc>,
        tz: &Tz,
        clock_24h: bool,
        offline: bool,
    ) -> bool {
        let adapter = app.global::<BookingAdapter>();
        let mut changed = false;
        while let Ok(outcome) = self.outcomes.try_recv() {
            changed = true;
            if outcome.command != BookingCommand::ReleaseNoShows {
                self.pending = None;
                self.pending_slot = None;
                adapter.set_pending(BookingPending::Idle);
            }
            match outcome.result {
                Ok(Some(id)) if outcome.command == BookingCommand::CheckIn => {
                    self.checked_in.insert(id);
                }
                Ok(_) => {}
                Err(err) => show_failure(&adapter, &err, tz, clock_24h),
            }
        }
        let view = panel_view(meetings, now, tz, &self.settings, &self.checked_in);
        let asked_lately = self
            .release_asked
            .is_some_and(|at| now >= at && now - at < chrono::Duration::minutes(1));
        if view.release_due && !asked_lately && !offline {
            self.release_asked = Some(now);
            (self.sink)(BookingCommand::ReleaseNoShows);
        }
        adapter.set_mode(view.mode);
        adapter.set_offline(offline);
        if view.mode != BookingMode::Book {
            adapter.set_choosing(false);
        }
        if view.choices != self.choices {
            let choices: Vec<SlintChoice> = view
                .choices
                .iter()
                .map(|c| SlintChoice {
                    minutes: c.minutes.unwrap_or(0) as i32,
                    until: clock_time(c.end, tz, clock_24h),
                })
                .collect();
            adapter.set_choices(ModelRc::new(VecModel::from(choices)));
            self.choices = view.choices;
        }
        adapter.set_extend_15(view.extend.contains(&15));
        adapter.set_extend_30(view.extend.contains(&30));
        adapter.set_check_in(view.check_in);
        adapter.set_countdown_seconds(view.seconds_left as i32);
        changed
    }
}

fn clock_time(t: DateTime<Utc>, tz: &Tz, clock_24h: bool) -> SlintClockTime {
    let time = time_of_day(t, tz, clock_24h);
    SlintClockTime {
        digits: time.digits.as_str().into(),
        half: time.half,
    }
}

/// Puts why an action failed on the panel, for the screen to word in its language.
fn show_failure(adapter: &BookingAdapter, err: &ActionError, tz: &Tz, clock_24h: bool) {
    let (kind, time, detail) = match err {
        ActionError::Clash { start } => {
            (BookingFailure::BookedMeanwhile, Some(*start), String::new())
        }
        ActionError::Refused(Refusal::PastNextMeeting { next })
        | ActionError::Refused(Refusal::NotFreeAfter { next }) => {
            (BookingFailure::NextMeeting, Some(*next), String::new())
        }
        ActionError::Changed => (BookingFailure::Changed, None, String::new()),
        ActionError::Failed(e) => match e.kind {
            FailureKind::PermissionDenied
            | FailureKind::SignInFailed
            | FailureKind::Misconfigured => (BookingFailure::NotAllowed, None, String::new()),
            FailureKind::Offline => (BookingFailure::Offline, None, String::new()),
            FailureKind::Throttled { .. } => (BookingFailure::Throttled, None, String::new()),
            _ => (BookingFailure::Other, None, e.message.english()),
        },
        other => (BookingFailure::Other, None, other.describe(tz)),
    };
    if let Some(time) = time {
        adapter.set_failure_time(clock_time(time, tz, clock_24h));
    }
    adapter.set_failure_detail(detail.into());
    // A server's failure as phrases, for the screen's language.
    let words = match err {
        ActionError::Failed(e) if kind == BookingFailure::Other => Some(&e.message),
        _ => None,
    };
    adapter.set_failure_words(phrase_wording(words));
    adapter.set_failure(kind);
}
