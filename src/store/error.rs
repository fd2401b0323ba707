//! What can go wrong with the agenda cache, in words an IT admin can act on.

use std::path::PathBuf;

use thiserror::Error;

/// The command that wipes the console's data directory and starts over.
pub const RESET_HINT: &str = "run `room-console factory-reset --yes` to start over";

/// An agenda-cache failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database at all.
    #[error(
        "{path} is not a room-console database (it is not an SQLite file): move it away, or {RESET_HINT}"
    )]
    NotSqlite { path: PathBuf },

    /// The file is an SQLite database, but another program's.
    #[error(
        "{path} is not a room-console database (it is an SQLite database of another program, application id {application_id:#010x}): move it away, or {RESET_HINT}"
    )]
    ForeignDatabase { path: PathBuf, application_id: i32 },

    /// The file was written by a newer room-console whose schema this version does not know.
    #[error(
        "{path} was written by a newer room-console (schema {found}, this version knows {known}): update the software, or {RESET_HINT}"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: usize,
    },

    /// The file is damaged: SQLite cannot read it or its integrity check fails.
    #[error(
        "{path} is damaged ({detail}): the agenda cache cannot be used; {RESET_HINT} (the agenda is fetched again from the calendar server)"
    )]
    Corrupt { path: PathBuf, detail: String },

    /// The storage under the file is full or failing: SQLite could not write (or map) it.
    #[error(
        "cannot use the agenda cache {path}: the device's storage is full or failing (SQLite: {detail}). The agenda already cached stays as it is; free space on the storage or replace it, and the console retries by itself"
    )]
    Storage { path: PathBuf, detail: String },

    /// The file could not be opened or set up (missing folder, permissions …).
    #[error("cannot open the agenda cache {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// Bringing the schema up to date failed; nothing was changed.
    #[error("cannot update the agenda cache {path} to this version's schema: {source}")]
    Migration {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// A meeting from the calendar could not be stored; the whole batch was rolled back.
    #[error("meeting {id:?} was not stored (the agenda cache is unchanged): {detail}")]
    InvalidMeeting { id: String, detail: String },

    /// A stored value this version cannot read back (an unknown id, a malformed date).
    #[error(
        "the agenda cache holds a value this version does not understand (meeting {id:?}, {column} = {value:?}): the next full sync rewrites it, or {RESET_HINT}"
    )]
    UnreadableValue {
        id: String,
        column: &'static str,
        value: String,
    },

    /// Any other SQLite failure while reading or writing the cache.
    #[error("the agenda cache failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
