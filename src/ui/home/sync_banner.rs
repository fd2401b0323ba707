//! The home screen's one-line word on the sync, for the visitor: whether the agenda may
//! be out of date and since when. The cause and its fix are for the admin screen.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::sync::status::{SyncState, SyncStatus};
use crate::ui::BannerKind;
use crate::ui::home::model::{AsOf, Banner, BannerMessage, time_of_day};

fn as_of(status: &SyncStatus, tz: &Tz, clock_24h: bool, now: DateTime<Utc>) -> AsOf {
    match status.last_success {
        None => AsOf::NeverLoaded,
        Some(at) => {
            let local = at.with_timezone(tz);
            let time = time_of_day(at, tz, clock_24h);
            if local.date_naive() == now.with_timezone(tz).date_naive() {
                AsOf::Today { time }
            } else {
                AsOf::Earlier {
                    day: local.day(),
                    month: local.month(),
                    time,
                }
            }
        }
    }
}

/// The banner for `status` at `now`, or None when all is well.
pub fn banner_for(
    status: &SyncStatus,
    tz: &Tz,
    clock_24h: bool,
    now: DateTime<Utc>,
) -> Option<Banner> {
    let since = as_of(status, tz, clock_24h, now);
    let (kind, message) = match &status.state {
        SyncState::Ok => return None,
        SyncState::FirstSync => (BannerKind::Info, BannerMessage::FirstSync),
        SyncState::Offline => (BannerKind::Warning, BannerMessage::Offline(since)),
        SyncState::Throttled { .. } => (BannerKind::Info, BannerMessage::Throttled(since)),
        SyncState::ServerError => (BannerKind::Warning, BannerMessage::ServerError(since)),
        SyncState::StorageError => (BannerKind::Error, BannerMessage::StorageError(since)),
        SyncState::SignInFailed | SyncState::PermissionDenied | SyncState::Misconfigured => {
            (BannerKind::Error, BannerMessage::NeedsAdministrator(since))
        }
    };
    Some(Banner { kind, message })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::DayHalf;
    use crate::ui::home::model::ClockTime;
    use chrono::TimeZone;

    fn twenty_four(digits: &str) -> ClockTime {
        ClockTime {
            digits: digits.into(),
            half: DayHalf::None,
        }
    }

    fn status(state: SyncState, last_success: Option<DateTime<Utc>>) -> SyncStatus {
        SyncStatus {
            state,
            last_success,
            ..SyncStatus::default()
        }
    }

    /// The banner for `status` in UTC, on the 24-hour clock or not.
    fn utc_banner(status: SyncStatus, clock_24h: bool, now: DateTime<Utc>) -> Option<Banner> {
        banner_for(&status, &Tz::UTC, clock_24h, now)
    }

    #[test]
    fn healthy_sync_shows_nothing() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        assert_eq!(
            utc_banner(status(SyncState::Ok, Some(now)), true, now),
            None
        );
    }

    #[test]
    fn offline_says_since_when() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let last = Utc.with_ymd_and_hms(2026, 11, 23, 11, 42, 0).unwrap();
        let banner = utc_banner(status(SyncState::Offline, Some(last)), true, now).unwrap();
        assert_eq!(banner.kind, BannerKind::Warning);
        assert_eq!(
            banner.message,
            BannerMessage::Offline(AsOf::Today {
                time: twenty_four("11:42")
            })
        );
        let yesterday = last - chrono::Duration::days(1);
        let banner = utc_banner(status(SyncState::Offline, Some(yesterday)), true, now).unwrap();
        assert_eq!(
            banner.message,
            BannerMessage::Offline(AsOf::Earlier {
                day: 22,
                month: 11,
                time: twenty_four("11:42")
            })
        );
    }

    #[test]
    fn a_twelve_hour_clock_says_the_half_of_the_day_apart() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).unwrap();
        let last = Utc.with_ymd_and_hms(2026, 11, 23, 13, 5, 0).unwrap();
        let banner = utc_banner(status(SyncState::Offline, Some(last)), false, now).unwrap();
        assert_eq!(
            banner.message,
            BannerMessage::Offline(AsOf::Today {
                time: ClockTime {
                    digits: "1:05".into(),
                    half: DayHalf::AfterNoon
                }
            })
        );
    }

    #[test]
    fn refusals_send_visitors_to_nobody_but_the_admin_screen() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let banner = utc_banner(status(SyncState::SignInFailed, None), true, now).unwrap();
        assert_eq!(banner.kind, BannerKind::Error);
        assert_eq!(
            banner.message,
            BannerMessage::NeedsAdministrator(AsOf::NeverLoaded)
        );
    }
}
