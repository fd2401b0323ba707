//! Instants as an admin reads them in `room-console status`: the device's local time to
//! the second with how long ago it was ("18:02:23, 3 min ago"; the date too when it was
//! another day), and instants for JSON without sub-second noise.

use chrono::{DateTime, SubsecRound, Utc};
use chrono_tz::Tz;

/// `at` in the device's time zone `tz` to the second, with its distance from `now`:
/// "18:02:23, 3 min ago", "08:10:00, in 4 min"; with the date when it is more than a day
/// away or on another local day: "2026-12-03 18:02:23, 2 days ago".
pub(crate) fn local_with_age(at: DateTime<Utc>, now: DateTime<Utc>, tz: &Tz) -> String {
    // The age of the second shown, so that the two agree.
    let (at, now) = (whole_seconds(at), whole_seconds(now));
    let local = at.with_timezone(tz);
    let far = (now - at).abs() >= chrono::Duration::days(1)
        || local.date_naive() != now.with_timezone(tz).date_naive();
    let time = if far {
        local.format("%Y-%m-%d %H:%M:%S")
    } else {
        local.format("%H:%M:%S")
    };
    format!("{time}, {}", distance(at, now))
}

/// How far `at` is from `now`, in the largest whole unit: "12 s ago", "3 min ago",
/// "5 h ago", "1 day ago", "in 4 min".
fn distance(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    let span = seconds.unsigned_abs();
    let amount = match span {
        0..60 => format!("{span} s"),
        60..3_600 => format!("{} min", span / 60),
        3_600..86_400 => format!("{} h", span / 3_600),
        _ => match span / 86_400 {
            1 => "1 day".to_owned(),
            days => format!("{days} days"),
        },
    };
    if seconds >= 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// `at` to the whole second, for JSON: RFC 3339 without the nanoseconds.
pub(crate) fn whole_seconds(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    const NOW: &str = "2026-12-05T18:05:40Z";

    #[test]
    fn today_shows_the_local_time_and_the_age() {
        let stockholm: Tz = "Europe/Stockholm".parse().unwrap();
        let now = at(NOW);
        for (when, shown) in [
            ("2026-12-05T18:05:28.9Z", "19:05:28, 12 s ago"),
            ("2026-12-05T18:02:23.088507269Z", "19:02:23, 3 min ago"),
            ("2026-12-05T13:00:00Z", "14:00:00, 5 h ago"),
            ("2026-12-04T18:05:41Z", "2026-12-04 19:05:41, 23 h ago"),
            ("2026-12-05T18:10:00Z", "19:10:00, in 4 min"),
        ] {
            assert_eq!(local_with_age(at(when), now, &stockholm), shown, "{when}");
        }
    }

    #[test]
    fn another_local_day_includes_the_date() {
        let stockholm: Tz = "Europe/Stockholm".parse().unwrap();
        assert_eq!(
            local_with_age(
                at("2026-12-05T22:58:00Z"),
                at("2026-12-05T23:10:00Z"),
                &stockholm
            ),
            "2026-12-05 23:58:00, 12 min ago",
            "yesterday, seen just after midnight"
        );
    }

    #[test]
    fn more_than_a_day_ago_includes_the_date() {
        let seoul: Tz = "Asia/Seoul".parse().unwrap();
        let now = at(NOW);
        assert_eq!(
            local_with_age(at("2026-12-04T18:05:40Z"), now, &seoul),
            "2026-12-05 03:05:40, 1 day ago"
        );
        assert_eq!(
            local_with_age(at("2026-11-20T09:00:00Z"), now, &seoul),
            "2026-11-20 18:00:00, 15 days ago"
        );
    }

    #[test]
    fn whole_seconds_drop_the_sub_second_noise() {
        let t = whole_seconds(at("2026-12-05T18:02:23.088507269Z"));
        assert_eq!(t.to_rfc3339(), "2026-12-05T18:02:23+00:00");
    }
}
