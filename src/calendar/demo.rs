//! The built-in demo calendar: a realistic day relative to any date, so a newcomer sees
//! the product on a fresh machine (private, all-day, cancelled, recurring meetings and
//! several join providers).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::sample::plain_meeting;
use super::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use crate::join::{JoinLink, NoJoinReason, Provider};
use Kind::{Cancelled, Plain, Private, Recurring};
use Link::{Join, NoJoin};

/// How a demo meeting stands out from a plain one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Private,
    Cancelled,
    Recurring,
}

/// A demo meeting's online meeting: its join link, or why it has none.
#[derive(Clone, Copy)]
enum Link {
    Join(Provider, &'static str),
    NoJoin(NoJoinReason),
}

/// One demo meeting, in local time, in [`ROOM`]: its key, start (hour, minute), length
/// in minutes, subject, organizer, link and kind. The organizer's address is their name
/// in lower case, without hyphens, a dot for each space, at contoso.com.
type DemoEntry = (
    &'static str,
    (u32, u32),
    i64,
    &'static str,
    &'static str,
    Link,
    Kind,
);

/// The room the demo meetings are in.
const ROOM: &str = "Conference Room 2";

/// The demo day, one meeting a row.
#[rustfmt::skip]
const DAY: &[DemoEntry] = &[
    // key, local start, minutes, subject, organizer, link, kind
    ("standup", (8, 30), 15, "Morning stand-up", "Ana Lindqvist", Join(Provider::Teams, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ3ZDU4%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d"), Recurring),
    ("planning", (9, 0), 60, "Quarterly planning", "Jonas Berg", Join(Provider::Zoom, "https://contoso.zoom.us/j/93412345678?pwd=Q2xvdWQ"), Plain),
    ("private", (10, 30), 30, "Salary review", "Min-jun Kim", Join(Provider::Teams, "https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGhIj"), Private),
    ("vendor", (11, 0), 60, "Vendor demo: Fabrikam displays", "Sara Holm", Join(Provider::Webex, "https://fabrikam.webex.com/meet/sales"), Cancelled),
    ("design", (13, 0), 60, "Design review: lobby signage", "Erik Nilsson", Join(Provider::Sfb, "https://meet.contoso.com/erik.nilsson/K7QX2P4M"), Plain),
    ("customer", (14, 0), 90, "Customer call: Northwind rollout", "Ji-woo Park", Join(Provider::Meet, "https://meet.google.com/abc-defg-hij"), Plain),
    ("one-on-one", (16, 0), 45, "Budget workshop", "Lars Ek", NoJoin(NoJoinReason::NoLink), Plain),
    ("retro", (17, 0), 30, "Team retrospective", "Ana Lindqvist", NoJoin(NoJoinReason::BodyRemoved), Recurring),
];

/// The demo agenda for `days` local days from `first`, in the time zone `tz`.
pub fn demo_agenda(first: NaiveDate, days: u32, tz: &Tz) -> Vec<Meeting> {
    let mut meetings = Vec::new();
    for offset in 0..days {
        let Some(day) = first.checked_add_signed(Duration::days(i64::from(offset))) else {
            break;
        };
        meetings.push(all_day_meeting(day));
        meetings.extend(DAY.iter().filter_map(|entry| timed_meeting(entry, day, tz)));
    }
    meetings
}

/// A person of the demo company.
fn contoso_person(name: &str) -> Person {
    let mailbox = name.to_lowercase().replace('-', "").replace(' ', ".");
    Person {
        name: Some(name.into()),
        email: Some(format!("{mailbox}@contoso.com")),
    }
}

fn all_day_meeting(day: NaiveDate) -> Meeting {
    let time = MeetingTime::AllDay {
        first: day,
        last: day,
    };
    Meeting {
        change_key: Some("1".into()),
        subject: Some("Facilities: window cleaning this evening".into()),
        organizer: contoso_person("Facilities"),
        free_busy: FreeBusy::Free,
        no_join_reason: Some(NoJoinReason::NoLink),
        ..plain_meeting(format!("demo-{day}-facilities"), time)
    }
}

fn timed_meeting(entry: &DemoEntry, day: NaiveDate, tz: &Tz) -> Option<Meeting> {
    let &(key, (hour, minute), minutes, subject, organizer, link, kind) = entry;
    let local = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0)?);
    let start = tz.from_local_datetime(&local).earliest()?.to_utc();
    let end = start + Duration::minutes(minutes);
    let recurring = kind == Recurring;
    let (join, no_join_reason) = match link {
        Join(provider, url) => {
            let link = JoinLink {
                provider,
                url: url.into(),
            };
            (Some(link), None)
        }
        NoJoin(reason) => (None, Some(reason)),
    };
    Some(Meeting {
        change_key: Some("1".into()),
        series_id: recurring.then(|| format!("demo-series-{key}")),
        occurrence: if recurring {
            Occurrence::Occurrence
        } else {
            Occurrence::Single
        },
        subject: Some(subject.into()),
        organizer: contoso_person(organizer),
        location: Some(ROOM.into()),
        time_zone: Some(tz.name().into()),
        private: kind == Private,
        cancelled: kind == Cancelled,
        join,
        no_join_reason,
        ..plain_meeting(
            format!("demo-{day}-{key}"),
            MeetingTime::Timed { start, end },
        )
    })
}

/// `count` meetings of 15 to 120 minutes packed over `days` days from `first`, plus a
/// weekly all-day item: a large cache for benchmarks and load tests.
pub fn synthetic_agenda(first: DateTime<Utc>, count: i64, days: i64) -> Vec<Meeting> {
    let per_day = count / days + 1;
    let mut meetings: Vec<Meeting> = (0..count)
        .map(|n| {
            let start = first + Duration::days(n / per_day) + Duration::minutes((n % per_day) * 10);
            let time = MeetingTime::Timed {
                start,
                end: start + Duration::minutes(15 * (1 + n % 8)),
            };
            synthetic_meeting(format!("meeting-{n:05}"), time)
        })
        .collect();
    let start_date = first.date_naive();
    meetings.extend((0..days).step_by(7).map(|d| {
        let date = start_date + Duration::days(d);
        let time = MeetingTime::AllDay {
            first: date,
            last: date,
        };
        synthetic_meeting(format!("all-day-{d:02}"), time)
    }));
    meetings
}

fn synthetic_meeting(id: String, time: MeetingTime) -> Meeting {
    Meeting {
        change_key: Some(format!("ck-{id}")),
        subject: Some(format!("Subject of {id}")),
        organizer: Person {
            name: Some("Organizer".to_owned()),
            email: Some("organizer@example.com".to_owned()),
        },
        location: Some("Room 4.12".to_owned()),
        time_zone: Some("W. Europe Standard Time".to_owned()),
        ..plain_meeting(id, time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_day_has_every_kind_of_meeting() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let tz: Tz = "Europe/Stockholm".parse().unwrap();
        let ms = demo_agenda(day, 1, &tz);
        assert!(ms.iter().any(|m| m.time.is_all_day()));
        assert!(ms.iter().any(|m| m.private));
        assert!(ms.iter().any(|m| m.cancelled));
        assert!(ms.iter().any(|m| m.occurrence == Occurrence::Occurrence));
        let providers: std::collections::BTreeSet<_> = ms
            .iter()
            .filter_map(|m| m.join.as_ref())
            .map(|j| j.provider)
            .collect();
        assert!(providers.len() >= 4, "{providers:?}");
        // Local times are kept: the stand-up starts at 08:30 Stockholm time.
        let standup = ms.iter().find(|m| m.id.ends_with("standup")).unwrap();
        let (start, _) = standup.time.instants(&tz);
        assert_eq!(
            start.with_timezone(&tz).format("%H:%M").to_string(),
            "08:30"
        );
    }

    #[test]
    fn ids_are_unique_across_days() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ms = demo_agenda(day, 3, &Tz::UTC);
        let ids: std::collections::HashSet<_> = ms.iter().map(|m| &m.id).collect();
        assert_eq!(ids.len(), ms.len());
    }
}
