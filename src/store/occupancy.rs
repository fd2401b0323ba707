//! Whether the room is in use now, by which meeting, and until when.
//!
//! The rule for which meetings occupy the room is [`occupies_room`].

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, params};

use super::error::StoreError;
use super::meetings::{MEETING_COLUMNS, StoredMeeting, read_row};
use crate::calendar::{FreeBusy, Meeting, MeetingTime, RoomStatus};
use crate::clock::local_midnight;

/// Meetings separated by less than this are one busy stretch.
const BACK_TO_BACK_GAP: Duration = Duration::minutes(1);

/// Whether `meeting` makes the room in use while it runs.
///
/// Cancelled meetings never do. A timed meeting does when its free/busy status occupies
/// the room (busy, tentative, out of office, or unknown). An all-day meeting does only
/// when it is firmly busy or out of office: Outlook marks all-day items free by default,
/// and holidays, reminders or tentative all-day holds would otherwise show the room as
/// taken all day to people at the door, while a room closed for works is entered as busy.
pub fn occupies_room(meeting: &Meeting) -> bool {
    if meeting.cancelled {
        return false;
    }
    match meeting.time {
        MeetingTime::Timed { .. } => meeting.free_busy.occupies_room(),
        MeetingTime::AllDay { .. } => {
            matches!(meeting.free_busy, FreeBusy::Busy | FreeBusy::OutOfOffice)
        }
    }
}

/// The meeting on at `now` and the next one to start after `now`, among those that
/// occupy the room. When meetings overlap, the one on now is the one that started last.
pub(crate) fn current_and_next(
    conn: &Connection,
    now: DateTime<Utc>,
) -> Result<(Option<Meeting>, Option<Meeting>), StoreError> {
    let mut current = None;
    let mut next = None;
    for_each_occupying_from(conn, now, |stored| {
        if stored.start <= now {
            current = Some(stored.meeting);
            true
        } else {
            next = Some(stored.meeting);
            false
        }
    })?;
    Ok((current, next))
}

/// The room's status at `now`: busy until the end of the stretch of back-to-back
/// meetings on now, free until the next meeting starting today (local day in `tz`), or
/// free.
pub(crate) fn room_status(
    conn: &Connection,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<RoomStatus, StoreError> {
    let mut current: Option<Meeting> = None;
    let mut busy_until: Option<DateTime<Utc>> = None;
    let mut next_start = None;
    for_each_occupying_from(conn, now, |stored| {
        if stored.start <= now {
            busy_until = busy_until.max(Some(stored.end));
            current = Some(stored.meeting);
            return true;
        }
        match busy_until {
            Some(until) if stored.start < until + BACK_TO_BACK_GAP => {
                busy_until = Some(until.max(stored.end));
                true
            }
            Some(_) => false,
            None => {
                next_start = Some(stored.start);
                false
            }
        }
    })?;
    if let (Some(meeting), Some(until)) = (current, busy_until) {
        return Ok(RoomStatus::BusyUntil {
            until,
            subject: meeting.visible_subject().map(str::to_owned),
            meeting_id: meeting.id,
        });
    }
    let today = now.with_timezone(tz).date_naive();
    let end_of_today = local_midnight(tz, today.succ_opt().unwrap_or(today));
    Ok(match next_start {
        Some(start) if start < end_of_today => RoomStatus::FreeUntil(start),
        _ => RoomStatus::Free,
    })
}

/// Calls `visit` with each meeting that occupies the room and has not ended at `now`,
/// by start time, until `visit` returns false.
fn for_each_occupying_from(
    conn: &Connection,
    now: DateTime<Utc>,
    mut visit: impl FnMut(StoredMeeting) -> bool,
) -> Result<(), StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meeting \
         WHERE start_us >= ?1 - (SELECT coalesce(max(end_us - start_us), 0) FROM meeting) \
         AND end_us > ?1 \
         ORDER BY start_us, id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params![now.timestamp_micros()])?;
    while let Some(row) = rows.next()? {
        let stored = read_row(row)?;
        if occupies_room(&stored.meeting) && !visit(stored) {
            break;
        }
    }
    Ok(())
}
