//! When to restart into freshly installed software: a pure function over the room's
//! cached agenda and a given "now". The restart goes to the start of the first free
//! period of at least [`MIN_FREE`] inside the maintenance hours (within the next day),
//! else to the start of the first free period of at least [`MIN_FREE`] at all; never
//! into a meeting, and not while content is being shown.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::calendar::Meeting;
use crate::clock::local_midnight;
use crate::settings::MaintenanceHours;

/// The shortest free period a restart is planned into.
pub(crate) const MIN_FREE: Duration = Duration::minutes(15);
/// How far ahead a free period is looked for: the agenda the cache holds.
pub(crate) const HORIZON: Duration = Duration::days(7);

/// A planned restart: when, and until when the room is free then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartPlan {
    pub at: DateTime<Utc>,
    /// The start of the next meeting; `None` when none is known within the horizon.
    pub free_until: Option<DateTime<Utc>>,
    /// Whether the restart falls inside the maintenance hours.
    pub in_maintenance_hours: bool,
}

impl RestartPlan {
    /// "planned at 12:30, the room is free 12:30–13:15" in the room's time zone.
    pub fn describe(&self, tz: &Tz) -> String {
        let local = |t: DateTime<Utc>| t.with_timezone(tz).format("%H:%M").to_string();
        let day = |t: DateTime<Utc>| t.with_timezone(tz).format("%a %Y-%m-%d").to_string();
        let free = match self.free_until {
            Some(until) => format!("the room is free {}–{}", local(self.at), local(until)),
            None => "no meeting follows".to_owned(),
        };
        format!("planned at {} ({}), {free}", local(self.at), day(self.at))
    }
}

/// The instants during which the room is taken, from the cached meetings.
pub(crate) fn busy_periods(meetings: &[Meeting], tz: &Tz) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    meetings
        .iter()
        .filter(|m| m.occupies_room())
        .map(|m| m.time.instants(tz))
        .collect()
}

/// Plans the restart. `busy` are the periods the room is taken (any order, may overlap);
/// `content_shown` means someone is presenting now, so the restart cannot be now.
/// `None` when the room has no free period of [`MIN_FREE`] within [`HORIZON`].
pub(crate) fn plan_restart(
    now: DateTime<Utc>,
    tz: &Tz,
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
    hours: MaintenanceHours,
    content_shown: bool,
) -> Option<RestartPlan> {
    let mut busy: Vec<_> = busy.to_vec();
    if content_shown {
        // Presenting usually outlasts a few minutes; look again after the first free quarter.
        busy.push((now, now + MIN_FREE));
    }
    let gaps = free_periods(now, now + HORIZON, &mut busy);
    let windows = maintenance_windows(now, tz, hours);
    let in_hours = windows.iter().find_map(|&(w_start, w_end)| {
        gaps.iter().find_map(|&(g_start, g_end)| {
            let start = g_start.max(w_start);
            let end = g_end.min(w_end);
            (end - start >= MIN_FREE).then_some((start, g_end))
        })
    });
    let (at, gap_end, in_maintenance_hours) = match in_hours {
        Some((at, gap_end)) => (at, gap_end, true),
        None => {
            let &(at, gap_end) = gaps.iter().find(|(s, e)| *e - *s >= MIN_FREE)?;
            (at, gap_end, false)
        }
    };
    Some(RestartPlan {
        at,
        free_until: (gap_end < now + HORIZON).then_some(gap_end),
        in_maintenance_hours,
    })
}

/// The free periods in `[from, to)` between the busy periods.
fn free_periods(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    busy: &mut [(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    busy.sort();
    let mut gaps = Vec::new();
    let mut cursor = from;
    for &(start, end) in busy.iter() {
        if end <= cursor {
            continue;
        }
        if start > cursor {
            gaps.push((cursor, start.min(to)));
        }
        cursor = cursor.max(end);
        if cursor >= to {
            break;
        }
    }
    if cursor < to {
        gaps.push((cursor, to));
    }
    gaps.retain(|(s, e)| s < e);
    gaps
}

/// The maintenance windows of the next day as instants, the one open now first: today's
/// (or last night's, when it crosses midnight) and tomorrow's, cut to start at `now`.
fn maintenance_windows(
    now: DateTime<Utc>,
    tz: &Tz,
    hours: MaintenanceHours,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let today = now.with_timezone(tz).date_naive();
    let at = |day: chrono::NaiveDate, time: NaiveTime| {
        tz.from_local_datetime(&day.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            // A time skipped by a DST change: the start of that day.
            .unwrap_or_else(|| local_midnight(tz, day))
    };
    let mut windows: Vec<_> = [today.pred_opt(), Some(today), today.succ_opt()]
        .into_iter()
        .flatten()
        .map(|day| {
            let start = at(day, hours.start);
            let end_day = if hours.end <= hours.start {
                day.succ_opt().unwrap_or(day)
            } else {
                day
            };
            (start, at(end_day, hours.end))
        })
        .filter(|&(_, end)| end > now)
        .map(|(start, end)| (start.max(now), end))
        .collect();
    windows.truncate(2);
    windows.retain(|&(start, _)| start < now + Duration::days(1));
    windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo() -> Tz {
        "Europe/Oslo".parse().expect("tz")
    }

    /// 2026-12-07 (a Monday) at HH:MM in Oslo (UTC+1).
    fn t(hh: u32, mm: u32) -> DateTime<Utc> {
        oslo()
            .with_ymd_and_hms(2026, 12, 7, hh, mm, 0)
            .single()
            .expect("exists")
            .with_timezone(&Utc)
    }

    #[test]
    fn maintenance_hours_parse_and_refuse_nonsense() {
        let hours: MaintenanceHours = "22:30-04:00".parse().expect("parses");
        assert_eq!(hours.to_string(), "22:30-04:00");
        assert!("01:00".parse::<MaintenanceHours>().is_err());
        assert!("25:00-26:00".parse::<MaintenanceHours>().is_err());
        assert!("03:00-03:00".parse::<MaintenanceHours>().is_err());
    }

    #[test]
    fn a_free_night_restarts_at_the_start_of_the_maintenance_hours() {
        let busy = [(t(9, 0), t(17, 0))];
        let plan = plan_restart(t(12, 0), &oslo(), &busy, MaintenanceHours::default(), false)
            .expect("planned");
        assert_eq!(plan.at, t(1, 0) + Duration::days(1));
        assert!(plan.in_maintenance_hours);
        assert_eq!(plan.free_until, None);
    }

    #[test]
    fn a_booked_night_falls_back_to_the_first_free_quarter_of_the_day() {
        // A full day: back-to-back meetings, a 10-minute hole, then a 45-minute gap at
        // 12:30, and a night booked through by a maintenance window of the building.
        let busy = [
            (t(8, 0), t(10, 0)),
            (t(10, 0), t(11, 0)),
            (t(11, 10), t(12, 30)),
            (t(13, 15), t(18, 0)),
            (t(18, 0), t(8, 0) + Duration::days(1)),
        ];
        let plan = plan_restart(t(9, 30), &oslo(), &busy, MaintenanceHours::default(), false)
            .expect("planned");
        assert_eq!(plan.at, t(12, 30), "not the 10-minute hole at 11:00");
        assert_eq!(plan.free_until, Some(t(13, 15)));
        assert!(!plan.in_maintenance_hours);
        assert_eq!(
            plan.describe(&oslo()),
            "planned at 12:30 (Mon 2026-12-07), the room is free 12:30–13:15"
        );
    }

    #[test]
    fn a_partly_booked_night_uses_its_free_quarter() {
        let busy = [(t(0, 0) + Duration::days(1), t(3, 40) + Duration::days(1))];
        let plan = plan_restart(t(23, 0), &oslo(), &busy, MaintenanceHours::default(), false)
            .expect("planned");
        assert_eq!(plan.at, t(3, 40) + Duration::days(1));
        assert!(plan.in_maintenance_hours);
    }

    #[test]
    fn inside_free_maintenance_hours_the_restart_is_now_unless_content_is_shown() {
        let now = t(2, 0);
        let hours = MaintenanceHours::default();
        let plan = plan_restart(now, &oslo(), &[], hours, false).expect("planned");
        assert_eq!(plan.at, now);
        let plan = plan_restart(now, &oslo(), &[], hours, true).expect("planned");
        assert_eq!(plan.at, now + MIN_FREE);
    }

    #[test]
    fn never_during_a_meeting_even_a_long_one() {
        let busy = [(t(0, 0), t(0, 0) + HORIZON + Duration::days(1))];
        assert_eq!(
            plan_restart(t(9, 0), &oslo(), &busy, MaintenanceHours::default(), false),
            None
        );
    }

    #[test]
    fn hours_crossing_midnight_are_one_window() {
        let hours: MaintenanceHours = "23:00-02:00".parse().expect("parses");
        let busy = [(t(23, 0), t(23, 50))];
        let plan = plan_restart(t(20, 0), &oslo(), &busy, hours, false).expect("planned");
        assert_eq!(plan.at, t(23, 50));
        assert!(plan.in_maintenance_hours);
    }
}
