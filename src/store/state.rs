//! A small key-value table for the sync task's own state (its sync cursor, the time of
//! the last good sync, the last error, the server's version …). Values are text; the
//! sync task decides what they mean.

use rusqlite::{Connection, OptionalExtension, params};

use super::error::StoreError;

/// The value stored under `key`, if any.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row(params![key], |row| row.get(0))
        .optional()?)
}

/// Stores `value` under `key`, or removes the key when `value` is None.
pub(crate) fn set(conn: &Connection, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(value) => conn
            .prepare_cached("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)")?
            .execute(params![key, value])?,
        None => conn
            .prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
            .execute(params![key])?,
    };
    Ok(())
}
