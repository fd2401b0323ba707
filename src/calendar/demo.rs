//! The built-in demo calendar: a realistic day relative to any date, so a newcomer sees
//! the product on a fresh machine (private, all-day, cancelled, recurring meetings and
//! several join providers).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use crate::join::{JoinLink, NoJoinReason, Provider};

/// One demo meeting, in local time.
struct DemoEntry {
    key: &'static str,
    start: (u32, u32),
    minutes: i64,
    subject: &'static str,
    organizer: (&'static str, &'static str),
    location: &'static str,
    join: Option<(Provider, &'static str)>,
    no_join: Option<NoJoinReason>,
    private: bool,
    cancelled: bool,
    recurring: bool,
}

const DAY: &[DemoEntry] = &[
    DemoEntry {
        key: "standup",
        start: (8, 30),
        minutes: 15,
        subject: "Morning stand-up",
        organizer: ("Ana Lindqvist", "ana.lindqvist@contoso.com"),
        location: "Conference Room 2",
        join: Some((
            Provider::Teams,
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzQ3ZDU4%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%7d",
        )),
        no_join: None,
        private: false,
        cancelled: false,
        recurring: true,
    },
    DemoEntry {
        key: "planning",
        start: (9, 0),
        minutes: 60,
        subject: "Quarterly planning",
        organizer: ("Jonas Berg", "jonas.berg@contoso.com"),
        location: "Conference Room 2",
        join: Some((
            Provider::Zoom,
            "https://contoso.zoom.us/j/93412345678?pwd=Q2xvdWQ",
        )),
        no_join: None,
        private: false,
        cancelled: false,
        recurring: false,
    },
    DemoEntry {
        key: "private",
        start: (10, 30),
        minutes: 30,
        subject: "Salary review",
        organizer: ("Min-jun Kim", "minjun.kim@contoso.com"),
        location: "Conference Room 2",
        join: Some((
            Provider::Teams,
            "https://teams.microsoft.com/meet/2345678901234?p=AbCdEfGhIj",
        )),
        no_join: None,
        private: true,
        cancelled: false,
        recurring: false,
    },
    DemoEntry {
        key: "vendor",
        start: (11, 0),
        minutes: 60,
        subject: "Vendor demo: Fabrikam displays",
        organizer: ("Sara Holm", "sara.holm@contoso.com"),
        location: "Conference Room 2",
        join: Some((Provider::Webex, "https://fabrikam.webex.com/meet/sales")),
        no_join: None,
        private: false,
        cancelled: true,
        recurring: false,
    },
    DemoEntry {
        key: "design",
        start: (13, 0),
        minutes: 60,
        subject: "Design review: lobby signage",
        organizer: ("Erik Nilsson", "erik.nilsson@contoso.com"),
        location: "Conference Room 2",
        join: Some((
            Provider::Sfb,
            "https://meet.contoso.com/erik.nilsson/K7QX2P4M",
        )),
        no_join: None,
        private: false,
        cancelled: false,
        recurring: false,
    },
    DemoEntry {
        key: "customer",
        start: (14, 0),
        minutes: 90,
        subject: "Customer call: Northwind rollout",
        organizer: ("Ji-woo Park", "jiwoo.park@contoso.com"),
        location: "Conference Room 2",
        join: Some((Provider::Meet, "https://meet.google.com/abc-defg-hij")),
        no_join: None,
        private: false,
        cancelled: false,
        recurring: false,
    },
    DemoEntry {
        key: "one-on-one",
        start: (16, 0),
        minutes: 45,
        subject: "Budget workshop",
        organizer: ("Lars Ek", "lars.ek@contoso.com"),
        location: "Conference Room 2",
        join: None,
        no_join: Some(NoJoinReason::NoLink),
        private: false,
        cancelled: false,
        recurring: false,
    },
    DemoEntry {
        key: "retro",
        start: (17, 0),
        minutes: 30,
        subject: "Team retrospective",
        organizer: ("Ana Lindqvist", "ana.lindqvist@contoso.com"),
        location: "Conference Room 2",
        join: None,
        no_join: Some(NoJoinReason::BodyRemoved),
        private: false,
        cancelled: false,
        recurring: true,
    },
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

fn all_day_meeting(day: NaiveDate) -> Meeting {
    Meeting {
        id: format!("demo-{day}-facilities"),
        change_key: Some("1".into()),
        series_id: None,
        occurrence: Occurrence::Single,
        subject: Some("Facilities: window cleaning this evening".into()),
        organizer: Person {
            name: Some("Facilities".into()),
            email: Some("facilities@contoso.com".into()),
        },
        location: None,
        time: MeetingTime::AllDay {
            first: day,
            last: day,
        },
        time_zone: None,
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Free,
        join: None,
        no_join_reason: Some(NoJoinReason::NoLink),
        booked_here: false,
    }
}

fn timed_meeting(entry: &DemoEntry, day: NaiveDate, tz: &Tz) -> Option<Meeting> {
    let local = day.and_time(NaiveTime::from_hms_opt(entry.start.0, entry.start.1, 0)?);
    let start = tz.from_local_datetime(&local).earliest()?.to_utc();
    let end = start + Duration::minutes(entry.minutes);
    Some(Meeting {
        id: format!("demo-{day}-{}", entry.key),
        change_key: Some("1".into()),
        series_id: entry
            .recurring
            .then(|| format!("demo-series-{}", entry.key)),
        occurrence: if entry.recurring {
            Occurrence::Occurrence
        } else {
            Occurrence::Single
        },
        subject: Some(entry.subject.into()),
        organizer: Person {
            name: Some(entry.organizer.0.into()),
            email: Some(entry.organizer.1.into()),
        },
        location: Some(entry.location.into()),
        time: MeetingTime::Timed { start, end },
        time_zone: Some(tz.name().into()),
        private: entry.private,
        cancelled: entry.cancelled,
        free_busy: FreeBusy::Busy,
        join: entry.join.map(|(provider, url)| JoinLink {
            provider,
            url: url.into(),
        }),
        no_join_reason: entry.no_join,
        booked_here: false,
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
        series_id: None,
        occurrence: Occurrence::Single,
        subject: Some(format!("Subject of {id}")),
        organizer: Person {
            name: Some("Organizer".to_owned()),
            email: Some("organizer@example.com".to_owned()),
        },
        location: Some("Room 4.12".to_owned()),
        time,
        time_zone: Some("W. Europe Standard Time".to_owned()),
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Busy,
        join: None,
        no_join_reason: None,
        booked_here: false,
        id,
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
