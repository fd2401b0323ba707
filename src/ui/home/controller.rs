//! The home screen's controller on the UI thread: a one-second Slint timer that keeps the
//! clock and status current, re-reads the day's agenda each minute and drives night mode,
//! and the Join callback; it also tells the shared-content window whether a meeting with
//! a join link is on, and runs "Share to meeting". It never waits on the network: it
//! reads only the local agenda.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use slint::{ComponentHandle, Timer, TimerMode};

use crate::booking::BookingCommand;
use crate::calendar::{Meeting, current_meeting};
use crate::clock::Clock;
use crate::join::{JoinLink, JoinOutcome, launch, launch_share};
use crate::sync::task::SyncHandle;
use crate::ui::home::adapter::HomeModels;
use crate::ui::home::booking_panel::BookingScreen;
use crate::ui::home::join_overlay;
use crate::ui::home::model::{Banner, BannerMessage, HomeInputs, add_pending_booking, build};
use crate::ui::home::sync_banner::banner_for;
use crate::ui::night::NightScreen;
use crate::ui::{
    AppWindow, BannerKind, BookingAdapter, ContentAdapter, HomeAdapter, JoinOverlayAdapter,
    NightAdapter, ShareOutcome,
};

/// Reads a local day's meetings (from the cache or the demo).
pub(crate) type DayLoader = Box<dyn Fn(NaiveDate) -> anyhow::Result<Vec<Meeting>>>;

/// What the controller needs to know about the room.
pub struct RoomInfo {
    pub name: String,
    pub tz: Tz,
    pub clock_24h: bool,
    /// Shown in the banner while no error is.
    pub notice: Option<BannerMessage>,
    /// The program that opens meeting links (setting JoinCommand); None shows the link
    /// and its QR code instead.
    pub join_command: Option<PathBuf>,
    /// The program "Share to meeting" runs (setting ShareCommand); None says how to set
    /// it up.
    pub share_command: Option<PathBuf>,
}

struct State {
    models: HomeModels,
    room: RoomInfo,
    clock: Box<dyn Clock>,
    load_day: DayLoader,
    day: Option<NaiveDate>,
    loaded_at: Option<DateTime<Utc>>,
    meetings: Vec<Meeting>,
    /// Why the last read of the cache failed, if it did.
    load_error: Option<String>,
    sync: Option<SyncHandle>,
    /// The sync's agenda generation the meetings were read at.
    generation: u64,
    /// Night mode, when configured.
    night: Option<NightScreen>,
    /// The booking panel, when booking or check-in is on.
    booking: Option<BookingScreen>,
}

impl State {
    /// Re-reads the agenda when the day changed or a minute passed since the last read.
    fn refresh_agenda(&mut self, now: DateTime<Utc>) {
        let today = now.with_timezone(&self.room.tz).date_naive();
        let stale = self
            .loaded_at
            .is_none_or(|at| now - at >= chrono::Duration::minutes(1) || now < at);
        if self.day != Some(today) || stale {
            match (self.load_day)(today) {
                Ok(meetings) => {
                    self.meetings = meetings;
                    self.load_error = None;
                }
                Err(err) => {
                    tracing::error!("cannot read the agenda cache: {err:#}");
                    self.load_error = Some(format!("{err:#}"));
                }
            }
            self.day = Some(today);
            self.loaded_at = Some(now);
        }
    }

    /// The banner: a cache problem first, then the sync's word, then the room's notice.
    fn banner(&self, now: DateTime<Utc>) -> Option<Banner> {
        if let Some(why) = &self.load_error {
            return Some(Banner {
                kind: BannerKind::Error,
                message: BannerMessage::CacheUnreadable(why.clone()),
            });
        }
        let sync_banner = self
            .sync
            .as_ref()
            .and_then(|sync| banner_for(&sync.status(), &self.room.tz, self.room.clock_24h, now));
        sync_banner.or_else(|| {
            self.room.notice.as_ref().map(|message| Banner {
                kind: BannerKind::Info,
                message: message.clone(),
            })
        })
    }

    /// Whether the calendar has been read at least once (always, for the demo).
    fn agenda_known(&self) -> bool {
        self.sync
            .as_ref()
            .is_none_or(|sync| sync.status().last_success.is_some())
    }

    fn show(&mut self, app: &AppWindow) {
        let now = self.clock.now();
        let generation = self.sync.as_ref().map(SyncHandle::agenda_generation);
        if let Some(generation) = generation.filter(|g| *g != self.generation) {
            self.generation = generation;
            self.loaded_at = None;
        }
        self.refresh_agenda(now);
        let banner = self.banner(now);
        if let Some(booking) = &mut self.booking {
            let offline = banner
                .as_ref()
                .is_some_and(|b| matches!(b.message, BannerMessage::Offline(_)));
            let (tz, clock_24h) = (self.room.tz, self.room.clock_24h);
            if app.global::<ContentAdapter>().get_shown() {
                booking.presence(app);
            }
            if booking.tick(app, &self.meetings, now, &tz, clock_24h, offline) {
                // An action finished: the store has the server's answer.
                self.loaded_at = None;
                self.refresh_agenda(now);
            }
        }
        let inputs = HomeInputs {
            room_name: &self.room.name,
            meetings: &self.meetings,
            now,
            tz: self.room.tz,
            clock_24h: self.room.clock_24h,
            banner,
            agenda_known: self.agenda_known(),
        };
        let mut view = build(&inputs);
        if let Some(slot) = self.booking.as_ref().and_then(|b| b.pending_booking()) {
            add_pending_booking(&mut view, slot, &inputs);
        }
        self.models.show(app, &view);
        app.global::<ContentAdapter>()
            .set_in_meeting(self.meeting_link(now).is_some());
        // A laptop on screen keeps it awake as a meeting does.
        let in_use = self.meeting_on(now) || app.global::<ContentAdapter>().get_shown();
        if let Some(night) = &mut self.night {
            night.tick(app, now, in_use);
        }
    }

    /// Whether a timed meeting occupies the room at `now` (all-day ones do not keep the
    /// screen awake all night).
    fn meeting_on(&self, now: DateTime<Utc>) -> bool {
        self.meetings.iter().any(|m| {
            let (start, end) = m.time.instants(&self.room.tz);
            m.occupies_room() && !m.time.is_all_day() && start <= now && now < end
        })
    }

    /// The join link of the meeting on now, if it has one: what content is shared to.
    fn meeting_link(&self, now: DateTime<Utc>) -> Option<&JoinLink> {
        current_meeting(&self.meetings, now, &self.room.tz)
            .filter(|m| !m.cancelled)
            .and_then(|m| m.join.as_ref())
    }

    /// "Share to meeting": runs the share command with the meeting's link and the input.
    fn share(&self, app: &AppWindow) {
        let adapter = app.global::<ContentAdapter>();
        let Some(link) = self.meeting_link(self.clock.now()) else {
            show_share(&adapter, ShareOutcome::NoMeeting, "");
            return;
        };
        let source = adapter.get_input_id();
        tracing::info!(provider = link.provider.as_str(), %source, "share to meeting pressed");
        match launch_share(self.room.share_command.as_deref(), link, &source) {
            JoinOutcome::Launched(launch) => {
                tracing::info!(pid = launch.pid(), "share command started");
                show_share(&adapter, ShareOutcome::Started, "");
            }
            JoinOutcome::NoCommandConfigured => show_share(&adapter, ShareOutcome::NotSetUp, ""),
            JoinOutcome::Failed { reason } => show_share(&adapter, ShareOutcome::Failed, &reason),
        }
    }
}

/// Shows what "Share to meeting" did; the screen words it (`ContentAdapter.share-message`).
fn show_share(adapter: &ContentAdapter, share: ShareOutcome, detail: &str) {
    adapter.set_share_detail(detail.into());
    adapter.set_share_kind(share);
}

/// Joins `meeting`: runs the join command, or shows the link and its QR code when there
/// is none or it cannot start.
fn join(app: &AppWindow, meeting: &Meeting, join_command: Option<&Path>) {
    let Some(link) = &meeting.join else { return };
    tracing::info!(meeting = %meeting.id, provider = link.provider.as_str(), "join pressed");
    match launch(join_command, link) {
        JoinOutcome::Launched(launch) => {
            tracing::info!(pid = launch.pid(), "join command started");
        }
        JoinOutcome::NoCommandConfigured => join_overlay::show(app, meeting),
        JoinOutcome::Failed { reason } => {
            tracing::error!("cannot start the join command: {reason}");
            join_overlay::show_not_started(app, meeting);
        }
    }
}

/// Keeps the home screen current while it lives.
pub struct HomeController {
    _timer: Timer,
    /// Owned here; the timer and callbacks hold weak references.
    state: Rc<RefCell<State>>,
}

impl HomeController {
    /// Installs the home screen's models and callbacks on `app` and starts the clock.
    pub fn start(
        app: &AppWindow,
        room: RoomInfo,
        clock: Box<dyn Clock>,
        load_day: DayLoader,
        sync: Option<SyncHandle>,
    ) -> Self {
        let state = Rc::new(RefCell::new(State {
            models: HomeModels::install(app),
            room,
            clock,
            load_day,
            day: None,
            loaded_at: None,
            meetings: Vec::new(),
            load_error: None,
            sync,
            generation: 0,
            night: None,
            booking: None,
        }));
        state.borrow_mut().show(app);
        // A touch makes a Microsoft 365 room poll fast for a while (night mode, when on,
        // takes this callback over and records the touch too).
        let touch_state = Rc::downgrade(&state);
        app.global::<NightAdapter>().on_activity(move || {
            if let Some(state) = touch_state.upgrade() {
                crate::live::touch::touched(state.borrow().clock.now());
            }
        });

        let join_state = Rc::downgrade(&state);
        let join_app = app.as_weak();
        app.global::<HomeAdapter>().on_join(move |id| {
            let (Some(state), Some(app)) = (join_state.upgrade(), join_app.upgrade()) else {
                return;
            };
            let mut state = state.borrow_mut();
            if let Some(booking) = &mut state.booking {
                booking.presence(&app);
            }
            if let Some(meeting) = state.meetings.iter().find(|m| m.id == id.as_str()) {
                join(&app, meeting, state.room.join_command.as_deref());
            }
        });
        let share_state = Rc::downgrade(&state);
        let share_app = app.as_weak();
        app.global::<ContentAdapter>().on_share_to_meeting(move || {
            if let (Some(state), Some(app)) = (share_state.upgrade(), share_app.upgrade()) {
                state.borrow().share(&app);
            }
        });
        let close_app = app.as_weak();
        app.global::<JoinOverlayAdapter>().on_close(move || {
            if let Some(app) = close_app.upgrade() {
                app.global::<JoinOverlayAdapter>().set_shown(false);
            }
        });

        let timer = Timer::default();
        let tick_state = Rc::downgrade(&state);
        let tick_app = app.as_weak();
        timer.start(TimerMode::Repeated, Duration::from_secs(1), move || {
            if let (Some(state), Some(app)) = (tick_state.upgrade(), tick_app.upgrade()) {
                state.borrow_mut().show(&app);
            }
        });
        HomeController {
            _timer: timer,
            state,
        }
    }

    /// Turns the booking panel on: Book now, Extend, End now and check-in, run by
    /// whoever `booking`'s sink hands the commands to.
    pub fn start_booking(&self, app: &AppWindow, booking: BookingScreen) {
        self.state.borrow_mut().booking = Some(booking);
        let adapter = app.global::<BookingAdapter>();
        let command = |make: fn(i32) -> BookingCommand| {
            let (weak, state) = (app.as_weak(), Rc::downgrade(&self.state));
            move |value: i32| {
                if let (Some(state), Some(app)) = (state.upgrade(), weak.upgrade()) {
                    let mut state = state.borrow_mut();
                    if let Some(booking) = &mut state.booking {
                        booking.ask(&app, make(value));
                    }
                    // A booking shows on the agenda at once, as "booking…".
                    state.show(&app);
                }
            }
        };
        adapter.on_book(command(|m| BookingCommand::Book(i64::from(m))));
        adapter.on_extend(command(|m| BookingCommand::Extend(i64::from(m))));
        let end = command(|_| BookingCommand::End);
        adapter.on_end_now(move || end(0));
        let check_in = command(|_| BookingCommand::CheckIn);
        adapter.on_check_in_now(move || check_in(0));
        self.state.borrow_mut().show(app);
    }

    /// Turns night mode on: the tick dims and blanks the screen, a touch wakes it.
    pub fn start_night_mode(&self, app: &AppWindow, night: NightScreen) {
        self.state.borrow_mut().night = Some(night);
        let adapter = app.global::<NightAdapter>();
        let (weak, state) = (app.as_weak(), Rc::downgrade(&self.state));
        adapter.on_wake(move || {
            if let (Some(state), Some(app)) = (state.upgrade(), weak.upgrade()) {
                let mut state = state.borrow_mut();
                let now = state.clock.now();
                if let Some(night) = &mut state.night {
                    night.wake(&app, now);
                }
            }
        });
        let state = Rc::downgrade(&self.state);
        adapter.on_activity(move || {
            if let Some(state) = state.upgrade() {
                let mut state = state.borrow_mut();
                let now = state.clock.now();
                crate::live::touch::touched(now);
                if let Some(night) = &mut state.night {
                    night.activity(now);
                }
            }
        });
        self.state.borrow_mut().show(app);
    }
}
