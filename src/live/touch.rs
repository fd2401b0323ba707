//! The last touch on the screen, for Microsoft 365's adaptive polling (someone at the
//! panel is about to care about the agenda). The UI thread records it; the poller on
//! the background runtime reads it. One console per process, so one instant for all.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Milliseconds since the epoch of the last touch; `i64::MIN` before the first.
static LAST_TOUCH_MS: AtomicI64 = AtomicI64::new(i64::MIN);

/// Records a touch at `now`.
pub fn touched(now: DateTime<Utc>) {
    LAST_TOUCH_MS.fetch_max(now.timestamp_millis(), Ordering::Relaxed);
}

/// The last touch, if there was one.
pub fn last_touch() -> Option<DateTime<Utc>> {
    match LAST_TOUCH_MS.load(Ordering::Relaxed) {
        i64::MIN => None,
        ms => DateTime::from_timestamp_millis(ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_touch_is_kept() {
        let at = |s: i64| DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap();
        touched(at(10));
        touched(at(5));
        assert_eq!(last_touch(), Some(at(10)));
    }
}
