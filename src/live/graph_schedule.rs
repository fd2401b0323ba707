//! How often a Microsoft 365 room polls `calendarView/delta`: fast (every 2 s) in the
//! two minutes around any meeting's start or end and for two minutes after a touch on
//! the screen, when a change is most likely to matter; slow (every 15 s) otherwise.
//! A pure function of the instant, the meetings' edges and the last touch.
//!
//! Graph allows 10,000 requests per 10 minutes per app and mailbox: fast polling is
//! 300 per 10 minutes, so even a room in fast mode all day stays at 3 % of the budget.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The polling rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
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
    /// How long to wait at `now` before the next poll. `edges` are the starts and ends
    /// of the meetings around now (any order); `last_touch` the last touch on the
    /// screen. A slow wait never runs past the start of the next fast span.
    pub fn next_delay(
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

    /// Polls in a day for a room with `meetings` meetings (two edges each, spans apart)
    /// and no touches: the figure for BENCHMARKS.md.
    pub fn polls_per_day(&self, meetings: u32) -> u64 {
        let day = 24 * 3600;
        let fast_seconds = u64::from(meetings) * 2 * self.around_edge.as_secs();
        let slow_seconds = day - fast_seconds.min(day);
        fast_seconds / self.fast.as_secs().max(1) + slow_seconds / self.slow.as_secs().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, s).unwrap()
    }

    #[test]
    fn polls_slowly_far_from_any_meeting() {
        let schedule = PollSchedule::default();
        let edges = [at(10, 0, 0), at(11, 0, 0)];
        assert_eq!(
            schedule.next_delay(at(8, 0, 0), &edges, None),
            schedule.slow
        );
        assert_eq!(
            schedule.next_delay(at(10, 30, 0), &edges, None),
            schedule.slow
        );
        assert_eq!(
            schedule.next_delay(at(12, 0, 0), &edges, None),
            schedule.slow
        );
    }

    #[test]
    fn polls_fast_in_the_two_minutes_around_a_start_or_end() {
        let schedule = PollSchedule::default();
        let edges = [at(10, 0, 0), at(11, 0, 0)];
        for now in [
            at(9, 59, 0),
            at(10, 0, 0),
            at(10, 0, 59),
            at(10, 59, 30),
            at(11, 0, 30),
        ] {
            assert_eq!(
                schedule.next_delay(now, &edges, None),
                schedule.fast,
                "{now}"
            );
        }
        assert_eq!(
            schedule.next_delay(at(10, 1, 0), &edges, None),
            schedule.slow
        );
    }

    #[test]
    fn a_slow_wait_ends_where_the_fast_span_begins() {
        let schedule = PollSchedule::default();
        let edges = [at(10, 0, 0)];
        assert_eq!(
            schedule.next_delay(at(9, 58, 53), &edges, None),
            Duration::from_secs(7)
        );
        assert_eq!(
            schedule.next_delay(at(9, 58, 59), &edges, None),
            schedule.fast
        );
    }

    #[test]
    fn polls_fast_for_two_minutes_after_a_touch() {
        let schedule = PollSchedule::default();
        let touch = Some(at(15, 0, 0));
        assert_eq!(
            schedule.next_delay(at(15, 1, 59), &[], touch),
            schedule.fast
        );
        assert_eq!(schedule.next_delay(at(15, 2, 0), &[], touch), schedule.slow);
        // A touch "in the future" (the clock was set back) does not count.
        assert_eq!(schedule.next_delay(at(14, 0, 0), &[], touch), schedule.slow);
    }

    #[test]
    fn a_day_stays_far_within_graphs_budget() {
        let schedule = PollSchedule::default();
        assert_eq!(schedule.polls_per_day(0), 5_760);
        assert_eq!(schedule.polls_per_day(10), 6_800);
        // Graph: 10,000 requests per 10 minutes per app and mailbox.
        let per_ten_minutes_fast = 600 / schedule.fast.as_secs();
        assert!(
            per_ten_minutes_fast <= 10_000 / 20,
            "{per_ten_minutes_fast}"
        );
    }
}
