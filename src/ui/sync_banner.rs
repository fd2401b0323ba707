//! The home screen's one-line word on the sync, for the visitor: whether the agenda may
//! be out of date and since when. The cause and its fix are for the admin screen.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::home_model::{Banner, BannerKind};
use crate::sync::status::{SyncState, SyncStatus};

fn as_of(status: &SyncStatus, tz: &Tz, clock_24h: bool, now: DateTime<Utc>) -> String {
    match status.last_success {
        None => "The calendar has not been loaded yet".to_owned(),
        Some(at) => {
            let local = at.with_timezone(tz);
            let time = if clock_24h {
                local.format("%H:%M").to_string()
            } else {
                local.format("%-I:%M %p").to_string()
            };
            if local.date_naive() == now.with_timezone(tz).date_naive() {
                format!("Showing the calendar as of {time}")
            } else {
                format!(
                    "Showing the calendar as of {} {time}",
                    local.format("%-d %b")
                )
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
    let (kind, text) = match &status.state {
        SyncState::Ok => return None,
        SyncState::FirstSync => (
            BannerKind::Info,
            "Connecting to the room's calendar… (first sync)".to_owned(),
        ),
        SyncState::Offline => (
            BannerKind::Warning,
            format!("Offline: cannot reach the calendar server. {since}."),
        ),
        SyncState::Throttled { .. } => (
            BannerKind::Info,
            format!("The calendar server asked the console to wait. {since}."),
        ),
        SyncState::ServerError => (
            BannerKind::Warning,
            format!("The calendar server has a problem. {since}."),
        ),
        SyncState::StorageError => (
            BannerKind::Error,
            format!("The console cannot save the calendar. {since}. Details in admin settings."),
        ),
        SyncState::SignInFailed | SyncState::PermissionDenied | SyncState::Misconfigured => (
            BannerKind::Error,
            format!("Calendar access needs an administrator. {since}. Details in admin settings."),
        ),
    };
    Some(Banner { kind, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn status(state: SyncState, last_success: Option<DateTime<Utc>>) -> SyncStatus {
        SyncStatus {
            state,
            last_success,
            ..SyncStatus::default()
        }
    }

    #[test]
    fn healthy_sync_shows_nothing() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        assert_eq!(
            banner_for(&status(SyncState::Ok, Some(now)), &Tz::UTC, true, now),
            None
        );
    }

    #[test]
    fn offline_says_since_when() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let last = Utc.with_ymd_and_hms(2026, 11, 23, 11, 42, 0).unwrap();
        let banner =
            banner_for(&status(SyncState::Offline, Some(last)), &Tz::UTC, true, now).unwrap();
        assert_eq!(banner.kind, BannerKind::Warning);
        assert!(banner.text.contains("as of 11:42"), "{}", banner.text);
        let yesterday = last - chrono::Duration::days(1);
        let banner = banner_for(
            &status(SyncState::Offline, Some(yesterday)),
            &Tz::UTC,
            true,
            now,
        )
        .unwrap();
        assert!(
            banner.text.contains("as of 22 Nov 11:42"),
            "{}",
            banner.text
        );
    }

    #[test]
    fn refusals_send_visitors_to_nobody_but_the_admin_screen() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let banner =
            banner_for(&status(SyncState::SignInFailed, None), &Tz::UTC, true, now).unwrap();
        assert_eq!(banner.kind, BannerKind::Error);
        assert!(banner.text.contains("not been loaded yet"));
        assert!(banner.text.contains("admin settings"));
    }
}
