//! The last touch on the screen, for Microsoft 365's adaptive polling (someone at the
//! panel is about to care about the agenda). The UI thread records it; the poller on
//! the background runtime reads it and is woken by it, so that polling turns fast at
//! once rather than after the slow wait. One console per process, so one [`TOUCHES`].

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

/// The touches of this process's screen.
pub(crate) static TOUCHES: Touches = Touches::new();

/// Records a touch at `now` (the UI calls this).
pub(crate) fn touched(now: DateTime<Utc>) {
    TOUCHES.touched(now);
}

/// Touches on one screen: the latest instant, and a wake-up for whoever waits for one.
pub(crate) struct Touches {
    /// Milliseconds since the epoch of the last touch; `i64::MIN` before the first.
    last_ms: AtomicI64,
    wake: Notify,
}

impl Touches {
    pub(crate) const fn new() -> Touches {
        Touches {
            last_ms: AtomicI64::new(i64::MIN),
            wake: Notify::const_new(),
        }
    }

    /// Records a touch at `now` and wakes the waiter.
    pub(crate) fn touched(&self, now: DateTime<Utc>) {
        self.last_ms
            .fetch_max(now.timestamp_millis(), Ordering::Relaxed);
        self.wake.notify_one();
    }

    /// The last touch, if there was one.
    pub(crate) fn last(&self) -> Option<DateTime<Utc>> {
        match self.last_ms.load(Ordering::Relaxed) {
            i64::MIN => None,
            ms => DateTime::from_timestamp_millis(ms),
        }
    }

    /// Waits for the next touch (one made since the last wait ended counts too).
    pub(crate) async fn next(&self) {
        self.wake.notified().await;
    }
}

impl Default for Touches {
    fn default() -> Self {
        Touches::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    #[test]
    fn the_latest_touch_is_kept() {
        let touches = Touches::new();
        assert_eq!(touches.last(), None);
        touches.touched(at(10));
        touches.touched(at(5));
        assert_eq!(touches.last(), Some(at(10)));
    }

    #[tokio::test]
    async fn a_touch_wakes_the_waiter_even_if_it_came_first() {
        let touches = Touches::new();
        touches.touched(at(1));
        tokio::time::timeout(std::time::Duration::from_secs(5), touches.next())
            .await
            .expect("the touch made before the wait is not lost");
    }
}
