//! Meetings and instants for the store tests, written short.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use room_console::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use room_console::join::{JoinLink, NoJoinReason, Provider};

/// An instant from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("valid RFC 3339 in a test")
        .with_timezone(&Utc)
}

/// A date from ISO 8601 text.
pub fn day(text: &str) -> NaiveDate {
    text.parse().expect("valid date in a test")
}

pub fn stockholm() -> Tz {
    "Europe/Stockholm".parse().expect("known zone")
}

/// A busy, timed, single meeting with no join link.
pub fn timed(id: &str, start: &str, end: &str) -> Meeting {
    Meeting {
        id: id.to_owned(),
        change_key: Some(format!("ck-{id}")),
        series_id: None,
        occurrence: Occurrence::Single,
        subject: Some(format!("Subject {id}")),
        organizer: Person::default(),
        location: None,
        time: MeetingTime::Timed {
            start: at(start),
            end: at(end),
        },
        time_zone: None,
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Busy,
        join: None,
        no_join_reason: Some(NoJoinReason::NoLink),
        booked_here: false,
    }
}

/// An all-day meeting on local dates `first..=last`, busy.
pub fn all_day(id: &str, first: &str, last: &str) -> Meeting {
    Meeting {
        time: MeetingTime::AllDay {
            first: day(first),
            last: day(last),
        },
        ..timed(id, "2000-01-01T00:00:00Z", "2000-01-01T00:00:00Z")
    }
}

/// A meeting with every optional field set.
pub fn fully_described(id: &str) -> Meeting {
    Meeting {
        id: id.to_owned(),
        change_key: Some("DwAAABYAAAB".to_owned()),
        series_id: Some("040000008200E00074C5B7101A82E008".to_owned()),
        occurrence: Occurrence::Exception,
        subject: Some("Quarterly review — Zürich ✓".to_owned()),
        organizer: Person {
            name: Some("Åsa Lindqvist".to_owned()),
            email: Some("asa.lindqvist@example.com".to_owned()),
        },
        location: Some("Room 4.12 \"Aurora\"".to_owned()),
        time: MeetingTime::Timed {
            start: at("2026-11-23T08:30:00.123456Z"),
            end: at("2026-11-23T09:45:00Z"),
        },
        time_zone: Some("W. Europe Standard Time".to_owned()),
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Tentative,
        join: Some(JoinLink {
            provider: Provider::Teams,
            url: "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
                .to_owned(),
        }),
        no_join_reason: None,
        booked_here: false,
    }
}

/// The ids of `meetings`, in order.
pub fn ids(meetings: &[Meeting]) -> Vec<&str> {
    meetings.iter().map(|m| m.id.as_str()).collect()
}
