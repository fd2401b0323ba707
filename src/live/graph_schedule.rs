//! How often a Microsoft 365 room polls `calendarView/delta`: fast (by default every
//! 2 s, `GraphFastPollSeconds`) in the two minutes around any meeting's start or end and
//! for two minutes after a touch on the screen, when a change is most likely to matter;
//! slow (every 15 s, `GraphSlowPollSeconds`) otherwise. A pure function of the instant,
//! the meetings' edges and the last touch.
//!
//! Graph allows 10,000 requests per 10 minutes per app and mailbox: fast polling at the
//! fastest setting (1 s) is 600 per 10 minutes, so even a room in fast mode all day
//! stays at 6 % of the budget (3 % at the default 2 s).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::settings::CalendarSettings;

/// The polling rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PollSchedule {
    /// The interval near a meeting's edge and after a touch.
    pub fast: Duration,
    /// The interval otherwise.
    pub slow: Duration,
    /// The span around each start and end polled fast (half before, half after).
    pub around_edge: Duration,
    /// How long after a touch polling stays fast.
    pub after_touch: Duration,
}

impl Default for PollSchedule {
    fn default() -> Self {
        PollSchedule {
            fast: Duration::from_secs(2),
            slow: Duration::from_secs(15),
            around_edge: Duration::from_secs(120),
            after_touch: Duration::from_secs(120),
        }
    }
}

impl PollSchedule {
    /// The schedule the settings ask for (the spans are fixed at two minutes).
    pub(crate) fn from_settings(calendar: &CalendarSettings) -> PollSchedule {
        PollSchedule {
            fast: calendar.graph_fast_poll(),
            slow: calendar.graph_slow_poll(),
            ..PollSchedule::default()
        }
    }

    /// How long to wait at `now` before the next poll. `edges` are the starts and ends
    /// of the meetings around now (any order); `last_touch` the last touch on the
    /// screen. A slow wait never runs past the start of the next fast span.
    pub(crate) fn next_delay(
        &self,
        now: DateTime<Utc>,
        edges: &[DateTime<Utc>],
        last_touch: Option<DateTime<Utc>>,
    ) -> Duration {
        let half = chrono::Duration::from_std(self.around_edge / 2).unwrap_or_default();
        let after_touch = chrono::Duration::from_std(self.after_touch).unwrap_or_default();
        let near_edge = edges
            .iter()
            .any(|edge| now >= *edge - half && now < *edge + half);
        let touched = last_touch.is_some_and(|touch| now >= touch && now < touch + after_touch);
        if near_edge || touched {
            return self.fast;
        }
        let next_fast_span = edges
            .iter()
            .map(|edge| *edge - half)
            .filter(|start| *start > now)
            .min();
        match next_fast_span.and_then(|start| (start - now).to_std().ok()) {
            Some(until) => until.clamp(self.fast, self.slow),
            None => self.slow,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, s).unwrap()
    }

    const FAST: Duration = Duration::from_secs(2);
    const SLOW: Duration = Duration::from_secs(15);

    /// At each instant of `waits`, the default schedule waits the delay beside it.
    fn assert_waits(
        edges: &[DateTime<Utc>],
        touch: Option<DateTime<Utc>>,
        waits: &[(DateTime<Utc>, Duration)],
    ) {
        let schedule = PollSchedule::default();
        for (now, delay) in waits {
            assert_eq!(schedule.next_delay(*now, edges, touch), *delay, "at {now}");
        }
    }

    #[test]
    fn the_default_is_every_2_s_when_fast_and_15_s_otherwise() {
        let schedule = PollSchedule::default();
        assert_eq!((schedule.fast, schedule.slow), (FAST, SLOW));
    }

    #[test]
    fn polls_fast_in_the_two_minutes_around_a_start_or_end_and_slowly_elsewhere() {
        let edges = [at(10, 0, 0), at(11, 0, 0)];
        assert_waits(
            &edges,
            None,
            &[
                (at(8, 0, 0), SLOW),
                (at(9, 59, 0), FAST),
                (at(10, 0, 0), FAST),
                (at(10, 0, 59), FAST),
                (at(10, 1, 0), SLOW),
                (at(10, 30, 0), SLOW),
                (at(10, 59, 30), FAST),
                (at(11, 0, 30), FAST),
                (at(12, 0, 0), SLOW),
            ],
        );
    }

    #[test]
    fn a_slow_wait_ends_where_the_fast_span_begins() {
        assert_waits(
            &[at(10, 0, 0)],
            None,
            &[
                (at(9, 58, 53), Duration::from_secs(7)),
                (at(9, 58, 59), FAST),
            ],
        );
    }

    #[test]
    fn polls_fast_for_two_minutes_after_a_touch() {
        assert_waits(
            &[],
            Some(at(15, 0, 0)),
            &[
                (at(15, 1, 59), FAST),
                (at(15, 2, 0), SLOW),
                // A touch "in the future" (the clock was set back) does not count.
                (at(14, 0, 0), SLOW),
            ],
        );
    }

    /// Polls in the day of 2026-12-07 (UTC) as the poller makes them: each wait what
    /// `next_delay` says at the instant of the previous poll; the most in any 10 minutes.
    fn day_of_polls(
        schedule: &PollSchedule,
        edges: &[DateTime<Utc>],
        touch: Option<DateTime<Utc>>,
    ) -> (usize, usize) {
        let (start, end) = (at(0, 0, 0), at(0, 0, 0) + chrono::Duration::days(1));
        let mut polls = Vec::new();
        let mut now = start;
        loop {
            now += chrono::Duration::from_std(schedule.next_delay(now, edges, touch)).unwrap();
            if now >= end {
                break;
            }
            polls.push(now);
        }
        let ten_minutes = chrono::Duration::minutes(10);
        let busiest = polls
            .iter()
            .map(|from| {
                polls
                    .iter()
                    .filter(|t| **t >= *from && **t < *from + ten_minutes)
                    .count()
            })
            .max()
            .unwrap_or(0);
        (polls.len(), busiest)
    }

    /// Ten meetings of 45 minutes on the hour from 08:00, as in BENCHMARKS.md.
    fn ten_meetings() -> Vec<DateTime<Utc>> {
        (8..18).flat_map(|h| [at(h, 0, 0), at(h, 45, 0)]).collect()
    }

    #[test]
    fn a_day_stays_far_within_graphs_budget() {
        let schedule = PollSchedule::default();
        // No meetings: one poll every 15 s (the one at midnight is the next day's).
        assert_eq!(day_of_polls(&schedule, &[], None), (5_759, 40));
        // Ten meetings: each of the 20 edges polled for two minutes every 2 s (60
        // polls) instead of every 15 s (8): 20 × 52 more. The busiest 10 minutes hold
        // the two fast spans of a meeting's end and the next one's start.
        let (polls, busiest) = day_of_polls(&schedule, &ten_meetings(), None);
        assert_eq!(polls, 6_799);
        assert_eq!(busiest, 92);
        // A touch away from any edge adds two more fast minutes: 52 polls.
        let (touched, _) = day_of_polls(&schedule, &ten_meetings(), Some(at(12, 20, 0)));
        assert_eq!(touched, 6_851);
        // At the fastest settings, still far within Graph's 10,000 requests per 10
        // minutes per app and mailbox.
        let fastest = PollSchedule {
            fast: Duration::from_secs(1),
            ..schedule
        };
        let (_, busiest) = day_of_polls(&fastest, &ten_meetings(), None);
        assert!(busiest <= 600, "{busiest}");
    }

    #[test]
    fn the_settings_choose_the_rates() {
        let calendar = CalendarSettings {
            graph_fast_poll_seconds: 1,
            graph_slow_poll_seconds: 600,
            ..CalendarSettings::default()
        };
        let schedule = PollSchedule::from_settings(&calendar);
        assert_eq!(schedule.fast, Duration::from_secs(1));
        assert_eq!(schedule.slow, Duration::from_secs(600));
        assert_eq!(schedule.around_edge, Duration::from_secs(120));
    }
}
