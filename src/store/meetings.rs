//! Rows of the `meeting` table to and from [`Meeting`]: every field is kept, enums by
//! their stable ids, instants as Unix microseconds. All-day meetings also get instants
//! derived in the device time zone, so queries by instant need no special case.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, ErrorCode, Row, params};

use super::error::StoreError;
use crate::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use crate::join::{JoinLink, NoJoinReason, Provider};

/// The columns [`read_row`] expects, in order, for `SELECT {MEETING_COLUMNS} FROM meeting`.
pub(crate) const MEETING_COLUMNS: &str = "id, change_key, series_id, occurrence, subject, \
     organizer_name, organizer_email, location, all_day, first_day, last_day, start_us, \
     end_us, time_zone, private, cancelled, free_busy, join_provider, join_url, no_join_reason, \
     booked_here";

const INSERT_OR_REPLACE: &str = "INSERT OR REPLACE INTO meeting (id, change_key, series_id, \
     occurrence, subject, organizer_name, organizer_email, location, all_day, first_day, \
     last_day, start_us, end_us, time_zone, private, cancelled, free_busy, join_provider, \
     join_url, no_join_reason, booked_here) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
     ?19, ?20, ?21)";

/// Inserts `meetings`, replacing any stored meeting with the same id. Call inside a
/// transaction: on error the caller rolls back, so a batch is stored whole or not at all.
pub(crate) fn write_meetings(
    conn: &Connection,
    meetings: &[Meeting],
    tz: &Tz,
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(INSERT_OR_REPLACE)?;
    for meeting in meetings {
        let (start, end) = meeting.time.instants(tz);
        let (first_day, last_day) = match meeting.time {
            MeetingTime::AllDay { first, last } => {
                (Some(first.to_string()), Some(last.to_string()))
            }
            MeetingTime::Timed { .. } => (None, None),
        };
        let join = meeting.join.as_ref();
        insert
            .execute(params![
                meeting.id,
                meeting.change_key,
                meeting.series_id,
                meeting.occurrence.as_str(),
                meeting.subject,
                meeting.organizer.name,
                meeting.organizer.email,
                meeting.location,
                meeting.time.is_all_day(),
                first_day,
                last_day,
                start.timestamp_micros(),
                end.timestamp_micros(),
                meeting.time_zone,
                meeting.private,
                meeting.cancelled,
                meeting.free_busy.as_str(),
                join.map(|j| j.provider.as_str()),
                join.map(|j| j.url.as_str()),
                meeting.no_join_reason.map(NoJoinReason::as_str),
                meeting.booked_here,
            ])
            .map_err(|e| rejected(&meeting.id, e))?;
    }
    Ok(())
}

/// Recomputes the derived instants of every all-day meeting for the time zone `tz`.
pub(crate) fn retime_all_day(conn: &Connection, tz: &Tz) -> Result<(), StoreError> {
    let mut select =
        conn.prepare_cached("SELECT id, first_day, last_day FROM meeting WHERE all_day = 1")?;
    let mut update =
        conn.prepare_cached("UPDATE meeting SET start_us = ?2, end_us = ?3 WHERE id = ?1")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let first = parse_day(&id, "first_day", row.get(1)?)?;
        let last = parse_day(&id, "last_day", row.get(2)?)?;
        let (start, end) = MeetingTime::AllDay { first, last }.instants(tz);
        update.execute(params![
            id,
            start.timestamp_micros(),
            end.timestamp_micros()
        ])?;
    }
    Ok(())
}

/// Reads a row selected with [`MEETING_COLUMNS`].
pub(crate) fn read_row(row: &Row<'_>) -> Result<Meeting, StoreError> {
    let id: String = row.get(0)?;
    let time = if row.get::<_, bool>(8)? {
        MeetingTime::AllDay {
            first: parse_day(&id, "first_day", row.get(9)?)?,
            last: parse_day(&id, "last_day", row.get(10)?)?,
        }
    } else {
        MeetingTime::Timed {
            start: parse_instant(&id, "start_us", row.get(11)?)?,
            end: parse_instant(&id, "end_us", row.get(12)?)?,
        }
    };
    let occurrence = parse_id(&id, "occurrence", row.get(3)?, Occurrence::from_id)?;
    let free_busy = parse_id(&id, "free_busy", row.get(16)?, FreeBusy::from_id)?;
    let join = match (
        row.get::<_, Option<String>>(17)?,
        row.get::<_, Option<String>>(18)?,
    ) {
        (Some(provider), Some(url)) => Some(JoinLink {
            provider: parse_id(&id, "join_provider", provider, Provider::from_id)?,
            url,
        }),
        _ => None,
    };
    let no_join_reason = row
        .get::<_, Option<String>>(19)?
        .map(|reason| parse_id(&id, "no_join_reason", reason, NoJoinReason::from_id))
        .transpose()?;
    Ok(Meeting {
        change_key: row.get(1)?,
        series_id: row.get(2)?,
        occurrence,
        subject: row.get(4)?,
        organizer: Person {
            name: row.get(5)?,
            email: row.get(6)?,
        },
        location: row.get(7)?,
        time,
        time_zone: row.get(13)?,
        private: row.get(14)?,
        cancelled: row.get(15)?,
        free_busy,
        join,
        no_join_reason,
        booked_here: row.get(20)?,
        id,
    })
}

fn parse_id<T>(
    id: &str,
    column: &'static str,
    value: String,
    from_id: impl FnOnce(&str) -> Option<T>,
) -> Result<T, StoreError> {
    from_id(&value).ok_or_else(|| unreadable(id, column, value))
}

fn parse_day(id: &str, column: &'static str, value: String) -> Result<NaiveDate, StoreError> {
    value
        .parse::<NaiveDate>()
        .map_err(|_| unreadable(id, column, value))
}

fn parse_instant(id: &str, column: &'static str, micros: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| unreadable(id, column, micros.to_string()))
}

fn unreadable(id: &str, column: &'static str, value: String) -> StoreError {
    StoreError::UnreadableValue {
        id: id.to_owned(),
        column,
        value,
    }
}

/// Turns a refused insert into an error naming the meeting and, for the table's named
/// CHECK constraints, what is wrong with it.
fn rejected(id: &str, error: rusqlite::Error) -> StoreError {
    if error.sqlite_error_code() != Some(ErrorCode::ConstraintViolation) {
        return StoreError::Sqlite(error);
    }
    let message = error.to_string();
    let detail = [
        ("id_present", "its id is empty"),
        ("ends_after_start", "it ends before it starts"),
        (
            "last_day_after_first",
            "its last day is before its first day",
        ),
    ]
    .into_iter()
    .find(|(constraint, _)| message.ends_with(constraint))
    .map_or(message.clone(), |(_, words)| words.to_owned());
    StoreError::InvalidMeeting {
        id: id.to_owned(),
        detail,
    }
}
