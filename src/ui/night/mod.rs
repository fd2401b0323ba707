//! Night mode on the screen: feeds the [`NightMode`] state machine the home screen's
//! one-second tick and the touches, and shows its state: the backlight when the device
//! has one, and the cover over the screens (a dark shade when there is no backlight to
//! dim, black when blank) that takes the waking touch.

use chrono::{DateTime, Utc};
use slint::ComponentHandle;

use crate::device::backlight::Backlight;
use crate::device::night::{NightMode, NightSchedule, ScreenState, Touch};
use crate::ui::{AppWindow, NightAdapter};

/// How dark the cover is while dimmed without a backlight.
const DIM_SHADE: f32 = 0.6;

/// Night mode's screen side; lives in the home controller.
pub struct NightScreen {
    mode: NightMode,
    backlight: Option<Backlight>,
    /// What the screen shows now (None before the first tick).
    shown: Option<ScreenState>,
}

impl NightScreen {
    /// Night mode on `schedule`, awake at `now`; without a backlight it darkens the UI.
    pub fn new(
        schedule: NightSchedule,
        backlight: Option<Backlight>,
        now: DateTime<Utc>,
    ) -> NightScreen {
        NightScreen {
            mode: NightMode::new(schedule, now),
            backlight,
            shown: None,
        }
    }

    /// The tick: decides and shows the state at `now`.
    pub fn tick(&mut self, app: &AppWindow, now: DateTime<Utc>, meeting_on: bool) {
        self.mode.tick(now, meeting_on);
        self.show(app);
    }

    /// A touch on the cover: wakes the screen.
    pub fn wake(&mut self, app: &AppWindow, now: DateTime<Utc>) {
        if self.mode.touch(now) == Touch::WokeScreen {
            tracing::debug!("night mode: woken by a touch");
        }
        self.show(app);
    }

    /// A touch on the awake screen: restarts the wait. (A touch while asleep lands on
    /// the cover, which wakes the screen itself.)
    pub(crate) fn activity(&mut self, now: DateTime<Utc>) {
        if self.mode.state() == ScreenState::Awake {
            self.mode.touch(now);
        }
    }

    fn show(&mut self, app: &AppWindow) {
        let state = self.mode.state();
        if self.shown == Some(state) {
            return;
        }
        self.shown = Some(state);
        if let Some(backlight) = &self.backlight
            && let Err(err) = backlight.show(state)
        {
            tracing::warn!("cannot set the backlight: {err}");
        }
        show_cover(app, state, self.backlight.is_some());
    }
}

/// Puts the cover for `state` on the screen; `backlight_dims` when a backlight does the
/// dimming, so the cover stays clear then.
pub(crate) fn show_cover(app: &AppWindow, state: ScreenState, backlight_dims: bool) {
    let adapter = app.global::<NightAdapter>();
    adapter.set_asleep(state != ScreenState::Awake);
    adapter.set_shade(match (state, backlight_dims) {
        (ScreenState::Awake, _) | (ScreenState::Dimmed, true) => 0.0,
        (ScreenState::Dimmed, false) => DIM_SHADE,
        (ScreenState::Blank, _) => 1.0,
    });
}
