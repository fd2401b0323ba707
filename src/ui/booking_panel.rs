//! The booking panel of the home screen: what it offers at an instant (from the rules
//! over the cached agenda), the action in flight, the last failure in words, and the
//! release countdown. Taps become [`BookingCommand`]s handed to the background; their
//! outcomes come back on a channel the one-second tick reads, so the UI never waits.

use std::collections::HashSet;
use std::sync::mpsc::Receiver;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use slint::{ComponentHandle, ModelRc, VecModel};

use super::home_model::time_of_day;
use super::{AppWindow, BookChoice as SlintChoice, BookingAdapter, ClockTime as SlintClockTime};
use crate::booking::rules::{self, CheckIn, Refusal};
use crate::booking::{ActionError, ActionOutcome, BookingCommand};
use crate::calendar::Meeting;
use crate::settings::BookingSettings;
use crate::sync::source::FailureKind;

/// Hands a command to whoever runs it (the background runtime, or a test).
pub type CommandSink = Box<dyn Fn(BookingCommand)>;

/// What the panel offers at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelView {
    /// 0 = nothing, 1 = Book now, 2 = Extend / End now.
    pub mode: i32,
    pub choices: Vec<rules::BookChoice>,
    pub extend: Vec<i64>,
    /// 0 = no check-in, 1 = Check in, 2 = countdown of `seconds_left`.
    pub check_in: i32,
    pub seconds_left: i64,
    /// A meeting nobody checked in to whose window ended.
    pub release_due: bool,
}

/// The panel's view of `meetings` at `now`.
pub fn panel_view(
    meetings: &[Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    settings: &BookingSettings,
    checked_in: &HashSet<String>,
) -> PanelView {
    let mut view = PanelView {
        mode: 0,
        choices: Vec::new(),
        extend: Vec::new(),
        check_in: 0,
        seconds_left: 0,
        release_due: false,
    };
    if settings.enabled {
        if rules::meeting_now(meetings, now, tz).is_some() {
            view.mode = 2;
            view.extend = rules::extend_choices(meetings, now, tz);
        } else {
            view.choices = rules::book_choices(meetings, now, tz);
            view.mode = if view.choices.is_empty() { 0 } else { 1 };
        }
    }
    for meeting in meetings {
        match rules::check_in_state(meeting, now, tz, settings, checked_in.contains(&meeting.id)) {
            CheckIn::Open => view.check_in = view.check_in.max(1),
            CheckIn::Warning { seconds_left } => {
                view.check_in = 2;
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
        adapter.set_failure(0);
        adapter.set_pending(match command {
            BookingCommand::Book(_) => 1,
            BookingCommand::Extend(_) => 2,
            BookingCommand::End => 3,
            BookingCommand::CheckIn | BookingCommand::ReleaseNoShows => 0,
        });
        self.pending = Some(command);
        (self.sink)(command);
    }

    /// Someone is evidently in the room (Join pressed, a laptop plugged in): counts as a
    /// check-in while one is asked for.
    pub fn presence(&mut self, app: &AppWindow) {
        if app.global::<BookingAdapter>().get_check_in() > 0 {
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
                adapter.set_pending(0);
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
        if view.mode != 1 {
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
        half: time.half as i32,
    }
}

/// Puts why an action failed on the panel, for the screen to word in its language.
fn show_failure(adapter: &BookingAdapter, err: &ActionError, tz: &Tz, clock_24h: bool) {
    let (kind, time, detail) = match err {
        ActionError::Clash { start } => (1, Some(*start), String::new()),
        ActionError::Refused(Refusal::PastNextMeeting { next })
        | ActionError::Refused(Refusal::NotFreeAfter { next }) => (2, Some(*next), String::new()),
        ActionError::Changed => (3, None, String::new()),
        ActionError::Failed(e) => match e.kind {
            FailureKind::PermissionDenied
            | FailureKind::SignInFailed
            | FailureKind::Misconfigured => (4, None, String::new()),
            FailureKind::Offline => (5, None, String::new()),
            FailureKind::Throttled { .. } => (6, None, String::new()),
            _ => (7, None, e.message.english()),
        },
        other => (7, None, other.describe(tz)),
    };
    if let Some(time) = time {
        adapter.set_failure_time(clock_time(time, tz, clock_24h));
    }
    adapter.set_failure_detail(detail.into());
    adapter.set_failure(kind);
}
