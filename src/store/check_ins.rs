//! The console's memory of check-ins: which meetings someone checked in to (the button,
//! Join, or a laptop plugged in) and when. Nobody on the server knows this, so it lives
//! here beside the agenda and goes with a factory reset.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::error::StoreError;

/// Notes a check-in to `meeting_id` at `at`; a second one keeps the first time.
pub(crate) fn record(
    conn: &Connection,
    meeting_id: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR IGNORE INTO check_in (meeting_id, at_us) VALUES (?1, ?2)")?
        .execute(params![meeting_id, at.timestamp_micros()])?;
    Ok(())
}

/// The ids of the meetings checked in to.
pub(crate) fn checked_in(conn: &Connection) -> Result<HashSet<String>, StoreError> {
    let mut select = conn.prepare_cached("SELECT meeting_id FROM check_in")?;
    let ids = select
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<HashSet<_>, _>>()?;
    Ok(ids)
}

/// Forgets check-ins older than `before` (their meetings are long over).
pub(crate) fn forget_before(conn: &Connection, before: DateTime<Utc>) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM check_in WHERE at_us < ?1")?
        .execute(params![before.timestamp_micros()])?;
    Ok(())
}
