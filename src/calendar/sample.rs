//! Meetings made up rather than read from a server: the plain meeting the demo calendar,
//! the benchmarks' agenda and unit tests build theirs on, and for unit tests a day to
//! put them on.

use super::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};

/// A busy meeting at `time` that is not part of a series, with its id as subject and
/// nothing else set: what the demo, the benchmarks' agenda and unit tests start from.
pub(crate) fn plain_meeting(id: impl Into<String>, time: MeetingTime) -> Meeting {
    let id = id.into();
    Meeting {
        change_key: None,
        series_id: None,
        occurrence: Occurrence::Single,
        subject: Some(id.clone()),
        organizer: Person::default(),
        location: None,
        time,
        time_zone: None,
        private: false,
        cancelled: false,
        free_busy: FreeBusy::Busy,
        join: None,
        no_join_reason: None,
        booked_here: false,
        id,
    }
}

/// `h:m` UTC on the day unit tests put their meetings on (Monday 7 December 2026).
#[cfg(test)]
pub(crate) fn at(h: u32, m: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

/// A plain meeting (see [`plain_meeting`]) from `start` to `end`.
#[cfg(test)]
pub(crate) fn timed(
    id: &str,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Meeting {
    plain_meeting(id, MeetingTime::Timed { start, end })
}
