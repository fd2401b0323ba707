//! Microsoft 365's adaptive polling loop: waits what [`PollSchedule`] says on tokio's
//! clock, re-plans at once when the screen is touched (polling turns fast without
//! waiting out a slow interval) or the sync stored a new agenda (a meeting may now
//! start sooner), and then asks for a poll. Never polls more often than
//! the schedule's fast interval, however often the screen is touched.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

use super::graph_schedule::PollSchedule;
use super::touch::Touches;
use crate::clock::Clock;

/// Polls for ever: `edges` gives the meetings' starts and ends around an instant, `poll`
/// asks for one delta round (wakes the sync task), `agenda` moves when the cache got a
/// new agenda. The first wait counts from now (the sync task is making its first pass).
pub(crate) async fn run(
    schedule: PollSchedule,
    clock: Arc<dyn Clock>,
    touches: &Touches,
    mut agenda: watch::Receiver<u64>,
    mut edges: impl FnMut(DateTime<Utc>) -> Vec<DateTime<Utc>>,
    mut poll: impl FnMut(),
) {
    let mut last_poll = Instant::now();
    let mut agenda_open = true;
    loop {
        let now = clock.now();
        let delay = schedule.next_delay(now, &edges(now), touches.last());
        tokio::select! {
            _ = sleep_until(last_poll + delay) => {
                poll();
                last_poll = Instant::now();
            }
            // A touch: plan again (the rhythm is now fast).
            _ = touches.next() => {}
            // A new agenda: plan again with its meetings.
            changed = agenda.changed(), if agenda_open => agenda_open = changed.is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::Mutex;
    use std::time::Duration;

    /// The injected clock, following tokio's paused clock from `start`.
    struct Following {
        start: DateTime<Utc>,
        since: Instant,
    }

    impl Clock for Following {
        fn now(&self) -> DateTime<Utc> {
            self.start + chrono::Duration::from_std(self.since.elapsed()).unwrap()
        }
    }

    const T0: (u32, u32) = (9, 0);

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, s).unwrap()
    }

    /// Runs the poller from 09:00 with meetings' `edges` for `run_for`, touching the
    /// screen at the offsets in `touch_at`; the seconds after 09:00 of each poll.
    async fn polls(edges: Vec<DateTime<Utc>>, touch_at: &[u64], run_for: Duration) -> Vec<u64> {
        let start = at(T0.0, T0.1, 0);
        let since = Instant::now();
        let clock: Arc<dyn Clock> = Arc::new(Following { start, since });
        let touches: &'static Touches = Box::leak(Box::new(Touches::new()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let (_agenda_tx, agenda) = watch::channel(0);
        let poller = tokio::spawn(run(
            PollSchedule::default(),
            clock.clone(),
            touches,
            agenda,
            move |_| edges.clone(),
            move || record.lock().unwrap().push(since.elapsed().as_secs()),
        ));
        for offset in touch_at {
            tokio::time::sleep_until(since + Duration::from_secs(*offset)).await;
            touches.touched(clock.now());
        }
        tokio::time::sleep_until(since + run_for).await;
        poller.abort();
        seen.lock().unwrap().clone()
    }

    fn gaps(polls: &[u64]) -> Vec<u64> {
        polls.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn far_from_meetings_it_polls_every_15_s() {
        let polls = polls(vec![at(15, 0, 0)], &[], Duration::from_secs(61)).await;
        assert_eq!(polls, [15, 30, 45, 60]);
    }

    #[tokio::test(start_paused = true)]
    async fn around_a_start_it_polls_every_2_s_for_two_minutes() {
        // A meeting starts at 09:05: fast from 09:04:00 to 09:06:00.
        let polls = polls(vec![at(9, 5, 0)], &[], Duration::from_secs(599)).await;
        let fast: Vec<u64> = polls
            .iter()
            .copied()
            .filter(|s| (240..=360).contains(s))
            .collect();
        assert_eq!(fast.first(), Some(&240), "{polls:?}");
        assert!(gaps(&fast).iter().all(|g| *g == 2), "{polls:?}");
        assert_eq!(fast.len(), 61, "{polls:?}");
        let before: Vec<u64> = polls.iter().copied().filter(|s| *s < 240).collect();
        assert!(gaps(&before).iter().all(|g| *g == 15), "{polls:?}");
        let after: Vec<u64> = polls.iter().copied().filter(|s| *s > 360).collect();
        assert!(gaps(&after).iter().all(|g| *g == 15), "{polls:?}");
        assert_eq!(polls.len(), 15 + 61 + 15, "{polls:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_touch_makes_it_poll_at_once_and_fast_for_two_minutes() {
        let polls = polls(vec![], &[20], Duration::from_secs(201)).await;
        // 15 (slow), then the touch at 20 polls at once, every 2 s until 140, then slow.
        assert_eq!(polls[..3], [15, 20, 22], "{polls:?}");
        let fast: Vec<u64> = polls.iter().copied().filter(|s| *s >= 20).collect();
        let (during, after): (Vec<u64>, Vec<u64>) = fast.iter().partition(|s| **s <= 140);
        assert!(gaps(&during).iter().all(|g| *g == 2), "{polls:?}");
        assert_eq!(during.last(), Some(&140), "{polls:?}");
        assert_eq!(after, [155, 170, 185, 200], "{polls:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_agenda_with_a_meeting_soon_makes_it_plan_again() {
        let start = at(T0.0, T0.1, 0);
        let since = Instant::now();
        let clock: Arc<dyn Clock> = Arc::new(Following { start, since });
        let touches: &'static Touches = Box::leak(Box::new(Touches::new()));
        let (agenda_tx, agenda) = watch::channel(0);
        let edges = Arc::new(Mutex::new(Vec::new()));
        let known = edges.clone();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let slow = PollSchedule {
            slow: Duration::from_secs(3600),
            ..PollSchedule::default()
        };
        let poller = tokio::spawn(run(
            slow,
            clock,
            touches,
            agenda,
            move |_| known.lock().unwrap().clone(),
            move || record.lock().unwrap().push(since.elapsed().as_secs()),
        ));
        // The first pass stores a meeting at 09:01 after the poller planned an hour.
        tokio::time::sleep(Duration::from_secs(1)).await;
        edges.lock().unwrap().push(at(9, 1, 0));
        agenda_tx.send_modify(|generation| *generation += 1);
        tokio::time::sleep_until(since + Duration::from_secs(7)).await;
        poller.abort();
        assert_eq!(*seen.lock().unwrap(), [2, 4, 6]);
    }

    #[tokio::test(start_paused = true)]
    async fn touches_never_make_it_poll_faster_than_the_fast_interval() {
        let touches: Vec<u64> = (0..40).map(|n| 30 + n / 4).collect();
        let polls = polls(vec![], &touches, Duration::from_secs(41)).await;
        assert_eq!(polls, [15, 30, 32, 34, 36, 38, 40], "{polls:?}");
    }
}
