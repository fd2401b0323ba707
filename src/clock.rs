//! Time for the console: an injectable clock (tests and `--now` never read the wall
//! clock) and the device's time zone, DST-correct.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A source of "now".
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Waits `duration` of this clock's time: the short wait a server asks for in the
    /// middle of a sync pass. The wall clock sleeps.
    fn pause(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told: for tests, screenshots and `--now`.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    pub fn new(now: DateTime<Utc>) -> Self {
        FixedClock(Arc::new(Mutex::new(now)))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: chrono::Duration) {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *guard += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves the clock on by `duration` at once: tests (and `--now`) never wait for real,
    /// and see the wait in the clock.
    fn pause(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.advance(chrono::Duration::from_std(duration).unwrap_or_default());
        Box::pin(std::future::ready(()))
    }
}

/// The start of the local day `date` in `tz`, as an instant. On a day whose midnight is
/// skipped by a DST change, the first instant of the day that exists.
pub(crate) fn local_midnight<Tz2: TimeZone>(tz: &Tz2, date: NaiveDate) -> DateTime<Utc> {
    let mut t = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    // A DST gap at midnight lasts at most a few hours; step forward until a local time exists.
    for _ in 0..24 * 4 {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(dt) => return dt.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => t += chrono::Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
}

/// The device's time zone: the configured IANA name, else the system's, else UTC.
pub fn device_time_zone(configured: Option<&str>) -> Tz {
    configured
        .and_then(|name| name.parse::<Tz>().ok())
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|name| name.parse::<Tz>().ok())
        })
        .unwrap_or(Tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_midnight_follows_dst() {
        let tz: Tz = "Europe/Stockholm".parse().unwrap();
        // Winter: UTC+1.
        let winter = local_midnight(&tz, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        assert_eq!(winter.to_rfc3339(), "2026-01-14T23:00:00+00:00");
        // Summer: UTC+2.
        let summer = local_midnight(&tz, NaiveDate::from_ymd_opt(2026, 7, 15).unwrap());
        assert_eq!(summer.to_rfc3339(), "2026-07-14T22:00:00+00:00");
    }

    #[test]
    fn local_midnight_skips_a_dst_gap_at_midnight() {
        // Santiago moves clocks from 00:00 to 01:00 on the first Sunday of September 2026.
        let tz: Tz = "America/Santiago".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = local_midnight(&tz, day);
        assert_eq!(start.with_timezone(&tz).date_naive(), day);
        assert_eq!(
            start.with_timezone(&tz).format("%H:%M").to_string(),
            "01:00"
        );
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let clock = FixedClock::new(t0);
        assert_eq!(clock.now(), t0);
        clock.advance(chrono::Duration::minutes(5));
        assert_eq!(clock.now(), t0 + chrono::Duration::minutes(5));
    }

    #[test]
    fn unknown_configured_zone_falls_back() {
        let tz = device_time_zone(Some("Not/AZone"));
        // Whatever the system says, it is a valid zone; a valid configured one wins.
        assert!(!tz.name().is_empty());
        assert_eq!(device_time_zone(Some("Asia/Seoul")).name(), "Asia/Seoul");
    }
}
