//! Whether the room is free or in use at an instant, and until when; the meeting on
//! now and the next one. Pure functions over a day's meetings, shared by the store,
//! the home screen and `status`.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::Meeting;

/// Meetings closer together than this count as one stretch of "in use".
const BACK_TO_BACK_GAP: Duration = Duration::minutes(1);

/// The room's status at an instant, derived from the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomStatus {
    /// Free, with no further meeting in the meetings looked at.
    Free,
    /// Free until a meeting starts.
    FreeUntil(DateTime<Utc>),
    /// In use until this instant (back-to-back meetings are merged). The meeting id and
    /// its visible subject are those of the meeting on now.
    BusyUntil {
        until: DateTime<Utc>,
        meeting_id: String,
        subject: Option<String>,
    },
}

/// The meeting that occupies the room at `now` (see [`Meeting::occupies_room`]): of
/// overlapping ones, the one that started last.
pub fn current_meeting<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Option<&'a Meeting> {
    let on_now = |&(_, start, end): &Occupying<'a>| start <= now && now < end;
    occupying(meetings, tz)
        .filter(on_now)
        .max_by_key(|&(m, start, _)| (start, m.id.as_str()))
        .map(|(m, ..)| m)
}

/// The next meeting that occupies the room and starts after `now`.
pub fn next_meeting<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Option<&'a Meeting> {
    let later = |&(_, start, _): &Occupying<'a>| start > now;
    occupying(meetings, tz)
        .filter(later)
        .min_by_key(|&(m, start, _)| (start, m.id.as_str()))
        .map(|(m, ..)| m)
}

/// The room's status at `now`, from the meetings given (typically the rest of the day).
pub fn room_status(meetings: &[Meeting], now: DateTime<Utc>, tz: &Tz) -> RoomStatus {
    let Some(current) = current_meeting(meetings, now, tz) else {
        return next_meeting(meetings, now, tz).map_or(RoomStatus::Free, |next| {
            RoomStatus::FreeUntil(next.time.instants(tz).0)
        });
    };
    let mut until = current.time.instants(tz).1;
    // Extend across meetings that start before (or right after) the stretch ends.
    while let Some(end) = occupying(meetings, tz)
        .filter(|&(_, start, end)| start < until + BACK_TO_BACK_GAP && end > until)
        .map(|(_, _, end)| end)
        .max()
    {
        until = end;
    }
    RoomStatus::BusyUntil {
        until,
        meeting_id: current.id.clone(),
        subject: current.visible_subject().map(str::to_owned),
    }
}

/// A meeting that occupies the room, with its start and end in the room's time zone.
type Occupying<'a> = (&'a Meeting, DateTime<Utc>, DateTime<Utc>);

/// The meetings that occupy the room (see [`Meeting::occupies_room`]), with their
/// instants in `tz`.
fn occupying<'a>(meetings: &'a [Meeting], tz: &Tz) -> impl Iterator<Item = Occupying<'a>> {
    meetings.iter().filter(|m| m.occupies_room()).map(|m| {
        let (start, end) = m.time.instants(tz);
        (m, start, end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::FreeBusy;
    use crate::calendar::sample::{at, timed as meeting};

    #[test]
    fn free_all_day_when_nothing_is_booked() {
        assert_eq!(room_status(&[], at(9, 0), &Tz::UTC), RoomStatus::Free);
    }

    #[test]
    fn free_until_the_next_meeting() {
        let ms = [meeting("a", at(14, 0), at(15, 0))];
        assert_eq!(
            room_status(&ms, at(9, 0), &Tz::UTC),
            RoomStatus::FreeUntil(at(14, 0))
        );
    }

    #[test]
    fn back_to_back_meetings_merge_into_one_busy_stretch() {
        let ms = [
            meeting("a", at(9, 0), at(10, 0)),
            meeting("b", at(10, 0), at(11, 0)),
            meeting("c", at(11, 0) + Duration::seconds(30), at(11, 30)),
            meeting("d", at(13, 0), at(14, 0)),
        ];
        assert_eq!(
            room_status(&ms, at(9, 30), &Tz::UTC),
            RoomStatus::BusyUntil {
                until: at(11, 30),
                meeting_id: "a".into(),
                subject: Some("a".into())
            }
        );
    }

    #[test]
    fn cancelled_and_free_meetings_leave_the_room_available() {
        let cancelled = Meeting {
            cancelled: true,
            ..meeting("a", at(9, 0), at(10, 0))
        };
        let free = Meeting {
            free_busy: FreeBusy::Free,
            ..meeting("b", at(9, 0), at(10, 0))
        };
        let ms = [cancelled, free];
        assert_eq!(room_status(&ms, at(9, 30), &Tz::UTC), RoomStatus::Free);
        assert!(current_meeting(&ms, at(9, 30), &Tz::UTC).is_none());
    }

    #[test]
    fn private_meeting_status_has_no_subject() {
        let mut private = meeting("a", at(9, 0), at(10, 0));
        private.private = true;
        let status = room_status(&[private], at(9, 15), &Tz::UTC);
        assert!(matches!(
            status,
            RoomStatus::BusyUntil { subject: None, .. }
        ));
    }

    #[test]
    fn a_meeting_ends_exactly_at_its_end() {
        let ms = [meeting("a", at(9, 0), at(10, 0))];
        assert_eq!(room_status(&ms, at(10, 0), &Tz::UTC), RoomStatus::Free);
        assert!(current_meeting(&ms, at(9, 59), &Tz::UTC).is_some());
    }

    #[test]
    fn next_meeting_skips_cancelled_and_started_ones() {
        let cancelled = Meeting {
            cancelled: true,
            ..meeting("b", at(11, 0), at(12, 0))
        };
        let ms = [
            meeting("a", at(9, 0), at(10, 0)),
            cancelled,
            meeting("c", at(13, 0), at(14, 0)),
        ];
        assert_eq!(
            next_meeting(&ms, at(9, 30), &Tz::UTC).map(|m| m.id.as_str()),
            Some("c")
        );
    }
}
