//! Agenda queries by time: the meetings of a local day, or between two instants.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, params};

use super::error::StoreError;
use super::meetings::{MEETING_COLUMNS, read_row};
use crate::calendar::Meeting;
use crate::clock::local_midnight;

/// Rows overlapping the instants `[?1, ?2)` (Unix microseconds). A meeting of zero
/// length counts when it sits inside the range. The lower bound on `start_us` (the
/// longest stored meeting before `?1`) lets SQLite walk the start index instead of the
/// whole table.
pub(crate) const OVERLAPS: &str = "start_us < ?2 \
     AND start_us >= ?1 - (SELECT coalesce(max(end_us - start_us), 0) FROM meeting) \
     AND (end_us > ?1 OR start_us >= ?1)";

/// Meetings overlapping the local day `day` in `tz`: all-day ones first, then by start.
pub(crate) fn meetings_on_day(
    conn: &Connection,
    day: NaiveDate,
    tz: &Tz,
) -> Result<Vec<Meeting>, StoreError> {
    let from = local_midnight(tz, day);
    let to = local_midnight(tz, day.succ_opt().unwrap_or(day));
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meeting WHERE {OVERLAPS} \
         ORDER BY all_day DESC, start_us, end_us, id"
    );
    select(conn, &sql, from, to)
}

/// Meetings overlapping `[from, to)`, by start (all-day first among equal starts).
pub(crate) fn meetings_between(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Meeting>, StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meeting WHERE {OVERLAPS} \
         ORDER BY start_us, all_day DESC, end_us, id"
    );
    select(conn, &sql, from, to)
}

fn select(
    conn: &Connection,
    sql: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Meeting>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params![from.timestamp_micros(), to.timestamp_micros()])?;
    let mut meetings = Vec::new();
    while let Some(row) = rows.next()? {
        meetings.push(read_row(row)?);
    }
    Ok(meetings)
}
