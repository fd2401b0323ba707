//! Night mode's decision, free of screens and clocks: during the configured night hours
//! (local wall-clock times, possibly across midnight), while no meeting is on, the screen
//! dims after a while without a touch and then blanks. A touch wakes it (and that touch
//! does nothing else); a meeting starting wakes it; a meeting on keeps it awake.
//!
//! The caller feeds it the instant of each tick and touch. Inactivity is counted in real
//! elapsed time from the later of the last touch, the end of the last meeting and the
//! start of the night, so a DST change neither shortens nor lengthens it.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::settings::NightModeSettings;

/// What the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenState {
    Awake,
    Dimmed,
    Blank,
}

/// What a touch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    /// The screen was awake: the touch goes on to what is under the finger.
    PassedOn,
    /// The screen was dimmed or blank: the touch only woke it.
    WokeScreen,
}

/// When night mode applies and how long it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NightSchedule {
    start: NaiveTime,
    end: NaiveTime,
    dim_after: Duration,
    blank_after: Duration,
    tz: Tz,
}

impl NightSchedule {
    /// The schedule of `settings` in the room's time zone; `None` when night mode is off
    /// (a time unset, or start equal to end).
    pub fn from_settings(settings: &NightModeSettings, tz: Tz) -> Option<NightSchedule> {
        let (start, end) = (settings.start?, settings.end?);
        (start != end).then(|| NightSchedule {
            start,
            end,
            dim_after: Duration::seconds(settings.dim_after_seconds.into()),
            blank_after: Duration::seconds(settings.blank_after_seconds.into()),
            tz,
        })
    }

    /// Whether `now` falls in the night hours, read on the room's wall clock.
    pub(crate) fn is_night(&self, now: DateTime<Utc>) -> bool {
        let time = now.with_timezone(&self.tz).time();
        if self.start < self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }
}

/// The state machine: feed it ticks and touches, read the screen state back.
#[derive(Debug, Clone)]
pub struct NightMode {
    schedule: NightSchedule,
    /// The last touch, or the last instant a meeting was seen on.
    last_activity: DateTime<Utc>,
    /// The first tick of the current night, while it is night.
    night_since: Option<DateTime<Utc>>,
    meeting_on: bool,
    state: ScreenState,
}

impl NightMode {
    /// Starts awake at `now`, as after a touch.
    pub fn new(schedule: NightSchedule, now: DateTime<Utc>) -> NightMode {
        NightMode {
            schedule,
            last_activity: now,
            night_since: None,
            meeting_on: false,
            state: ScreenState::Awake,
        }
    }

    /// The state decided by the last tick or touch.
    pub fn state(&self) -> ScreenState {
        self.state
    }

    /// A finger touched the screen at `now`.
    pub fn touch(&mut self, now: DateTime<Utc>) -> Touch {
        self.last_activity = self.last_activity.max(now);
        let was = std::mem::replace(&mut self.state, ScreenState::Awake);
        if was == ScreenState::Awake {
            Touch::PassedOn
        } else {
            Touch::WokeScreen
        }
    }

    /// Decides the state at `now`, knowing whether a meeting is on.
    pub fn tick(&mut self, now: DateTime<Utc>, meeting_on: bool) -> ScreenState {
        self.meeting_on = meeting_on;
        if meeting_on {
            self.last_activity = self.last_activity.max(now);
        }
        if !self.schedule.is_night(now) {
            self.night_since = None;
            self.state = ScreenState::Awake;
            return self.state;
        }
        let night_since = *self.night_since.get_or_insert(now);
        let idle = now - self.last_activity.max(night_since);
        self.state = if self.meeting_on || idle < self.schedule.dim_after {
            ScreenState::Awake
        } else if idle < self.schedule.blank_after {
            ScreenState::Dimmed
        } else {
            ScreenState::Blank
        };
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const STOCKHOLM: Tz = chrono_tz::Europe::Stockholm;

    fn schedule(start: (u32, u32), end: (u32, u32)) -> NightSchedule {
        NightSchedule::from_settings(
            &NightModeSettings {
                start: NaiveTime::from_hms_opt(start.0, start.1, 0),
                end: NaiveTime::from_hms_opt(end.0, end.1, 0),
                dim_after_seconds: 60,
                blank_after_seconds: 300,
            },
            STOCKHOLM,
        )
        .expect("night mode on")
    }

    /// A local Stockholm time on 2026-11-`day` (CET, UTC+1).
    fn local(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        STOCKHOLM
            .with_ymd_and_hms(2026, 11, day, h, m, 0)
            .single()
            .expect("unambiguous")
            .with_timezone(&Utc)
    }

    fn secs(n: i64) -> Duration {
        Duration::seconds(n)
    }

    #[test]
    fn off_unless_both_times_are_set_and_differ() {
        let mut settings = NightModeSettings {
            start: NaiveTime::from_hms_opt(19, 0, 0),
            ..NightModeSettings::default()
        };
        assert_eq!(NightSchedule::from_settings(&settings, STOCKHOLM), None);
        settings.end = settings.start;
        assert_eq!(NightSchedule::from_settings(&settings, STOCKHOLM), None);
        settings.end = NaiveTime::from_hms_opt(7, 0, 0);
        assert!(NightSchedule::from_settings(&settings, STOCKHOLM).is_some());
    }

    /// `schedule` counts each of `nights` as night and each of `days` as day.
    fn assert_nights(schedule: &NightSchedule, nights: &[DateTime<Utc>], days: &[DateTime<Utc>]) {
        for at in nights {
            assert!(schedule.is_night(*at), "night at {at}");
        }
        for at in days {
            assert!(!schedule.is_night(*at), "day at {at}");
        }
    }

    #[test]
    fn hours_within_one_day() {
        assert_nights(
            &schedule((12, 0), (13, 30)),
            &[local(23, 12, 0), local(23, 13, 29)],
            &[local(23, 11, 59), local(23, 13, 30)],
        );
    }

    #[test]
    fn hours_across_midnight() {
        assert_nights(
            &schedule((19, 0), (7, 0)),
            &[
                local(23, 19, 0),
                local(23, 23, 59),
                local(24, 0, 0),
                local(24, 6, 59),
            ],
            &[local(23, 18, 59), local(24, 7, 0), local(24, 12, 0)],
        );
    }

    #[test]
    fn outside_the_hours_the_screen_stays_awake_however_long_nobody_touches_it() {
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), local(23, 8, 0));
        assert_eq!(night.tick(local(23, 18, 59), false), ScreenState::Awake);
    }

    #[test]
    fn inside_the_hours_it_dims_then_blanks_counting_from_the_start_of_the_night() {
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), local(23, 8, 0));
        let dusk = local(23, 19, 0);
        for (at, expected) in [
            (dusk, ScreenState::Awake),
            (dusk + secs(59), ScreenState::Awake),
            (dusk + secs(60), ScreenState::Dimmed),
            (dusk + secs(299), ScreenState::Dimmed),
            (dusk + secs(300), ScreenState::Blank),
            (local(24, 6, 59), ScreenState::Blank),
            (local(24, 7, 0), ScreenState::Awake),
        ] {
            assert_eq!(night.tick(at, false), expected, "at {at}");
        }
    }

    #[test]
    fn a_touch_wakes_the_screen_and_only_wakes_it() {
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), local(23, 20, 0));
        let t = local(23, 20, 0);
        assert_eq!(night.tick(t, false), ScreenState::Awake);
        assert_eq!(night.touch(t), Touch::PassedOn, "awake: the touch is a tap");
        assert_eq!(night.tick(t + secs(400), false), ScreenState::Blank);
        assert_eq!(night.touch(t + secs(401)), Touch::WokeScreen);
        assert_eq!(night.state(), ScreenState::Awake);
        assert_eq!(night.tick(t + secs(402), false), ScreenState::Awake);
        assert_eq!(night.tick(t + secs(460), false), ScreenState::Awake);
        assert_eq!(night.tick(t + secs(461), false), ScreenState::Dimmed);
        assert_eq!(night.touch(t + secs(462)), Touch::WokeScreen);
        assert_eq!(night.touch(t + secs(463)), Touch::PassedOn);
    }

    #[test]
    fn a_meeting_on_keeps_the_screen_awake_and_the_wait_starts_when_it_ends() {
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), local(23, 18, 0));
        let t = local(23, 19, 0);
        assert_eq!(night.tick(t, true), ScreenState::Awake);
        assert_eq!(night.tick(t + secs(3600), true), ScreenState::Awake);
        let ended = t + secs(3601);
        assert_eq!(night.tick(ended, false), ScreenState::Awake);
        assert_eq!(night.tick(ended + secs(58), false), ScreenState::Awake);
        assert_eq!(night.tick(ended + secs(61), false), ScreenState::Dimmed);
    }

    #[test]
    fn a_meeting_starting_wakes_a_blank_screen() {
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), local(23, 18, 0));
        assert_eq!(night.tick(local(23, 19, 0), false), ScreenState::Awake);
        assert_eq!(night.tick(local(23, 21, 0), false), ScreenState::Blank);
        assert_eq!(night.tick(local(23, 21, 30), true), ScreenState::Awake);
    }

    #[test]
    fn the_night_ends_by_the_wall_clock_on_both_dst_changes() {
        let s = schedule((19, 0), (7, 0));
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST; 07:00 CEST is 05:00 UTC.
        let spring = |h, m| Utc.with_ymd_and_hms(2026, 3, 29, h, m, 0).unwrap();
        assert!(s.is_night(spring(0, 59)), "01:59 CET");
        assert!(s.is_night(spring(1, 0)), "03:00 CEST");
        assert!(s.is_night(spring(4, 59)), "06:59 CEST");
        assert!(!s.is_night(spring(5, 0)), "07:00 CEST");
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET; 07:00 CET is 06:00 UTC.
        let autumn = |h, m| Utc.with_ymd_and_hms(2026, 10, 25, h, m, 0).unwrap();
        assert!(s.is_night(autumn(0, 30)), "02:30 CEST");
        assert!(s.is_night(autumn(1, 30)), "02:30 CET, the repeated hour");
        assert!(s.is_night(autumn(5, 59)), "06:59 CET");
        assert!(!s.is_night(autumn(6, 0)), "07:00 CET");
    }

    #[test]
    fn inactivity_is_real_time_across_the_repeated_hour() {
        // Touched at 02:59:30 CEST; 60 s later the wall clock reads 02:00:30 CET.
        let touched = Utc.with_ymd_and_hms(2026, 10, 25, 0, 59, 30).unwrap();
        let mut night = NightMode::new(schedule((19, 0), (7, 0)), touched - secs(900));
        assert_eq!(night.tick(touched - secs(600), false), ScreenState::Awake);
        night.touch(touched);
        assert_eq!(night.tick(touched + secs(59), false), ScreenState::Awake);
        assert_eq!(night.tick(touched + secs(60), false), ScreenState::Dimmed);
    }
}
