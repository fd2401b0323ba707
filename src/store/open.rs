//! Opening the cache file: refuse what is not ours or is too new, detect damage, set
//! the connection up, and bring the schema up to date. Nothing is written to a file
//! before it is known to be ours (or empty).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use super::error::StoreError;
use super::schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};

/// How long a writer waits for another connection's write to finish before failing.
/// In WAL mode readers never wait for writers; only two writers can meet, and a sync
/// batch is a few milliseconds long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether opening reads every page to detect damage first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DamageCheck {
    /// Check before use: what the sync (the writer) does.
    Before,
    /// Leave it to the first query (SQLite reports a damaged page it reads): what the
    /// screen does, so the first frame does not wait for a read of the whole file.
    OnRead,
}

/// Opens `path`, creating it when missing, and returns a connection ready for use.
pub(crate) fn open_file(path: &Path, damage: DamageCheck) -> Result<Connection, StoreError> {
    if !looks_like_sqlite(path) {
        return Err(StoreError::NotSqlite {
            path: path.to_owned(),
        });
    }
    let mut conn = Connection::open(path).map_err(open_failed(path))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(open_failed(path))?;
    let header = read_header(&conn).map_err(|e| damaged_or(path, e, open_failed(path)))?;
    let fresh = check_ours(path, &header)?;
    if !fresh && damage == DamageCheck::Before {
        check_integrity(&conn, path)?;
    }
    if damage == DamageCheck::OnRead && is_current(&header) {
        // The screen only reads, and a file at this schema version was set up by the
        // open that created it: WAL is kept in the file, `synchronous` only matters to
        // writers, and there is nothing to migrate.
        return Ok(conn);
    }
    configure(&conn).map_err(|e| damaged_or(path, e, open_failed(path)))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Opens a private database in memory, for tests and demos.
pub(crate) fn open_memory() -> Result<Connection, StoreError> {
    let path = Path::new(":memory:");
    let mut conn = Connection::open_in_memory().map_err(open_failed(path))?;
    migrate(&mut conn, path)?;
    Ok(conn)
}

/// Whether the file at `path` is missing, empty (SQLite makes a new database of both)
/// or starts like an SQLite database. An unreadable file passes: opening it reports why.
fn looks_like_sqlite(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return true;
    };
    let mut start = Vec::with_capacity(SQLITE_MAGIC.len());
    match file.take(SQLITE_MAGIC.len() as u64).read_to_end(&mut start) {
        Ok(_) => start.is_empty() || start == SQLITE_MAGIC,
        Err(_) => true,
    }
}

/// What the database header and catalogue say about whose file this is.
struct Header {
    application_id: i32,
    user_version: i64,
    schema_objects: i64,
}

fn read_header(conn: &Connection) -> rusqlite::Result<Header> {
    conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id), \
                (SELECT user_version FROM pragma_user_version), \
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |row| {
            Ok(Header {
                application_id: row.get(0)?,
                user_version: row.get(1)?,
                schema_objects: row.get(2)?,
            })
        },
    )
}

/// Refuses a database that is another program's or newer than this build. Returns
/// whether the database is new and empty.
fn check_ours(path: &Path, header: &Header) -> Result<bool, StoreError> {
    let empty =
        header.application_id == 0 && header.user_version == 0 && header.schema_objects == 0;
    if empty {
        return Ok(true);
    }
    if header.application_id != APPLICATION_ID {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
            application_id: header.application_id,
        });
    }
    match usize::try_from(header.user_version) {
        Ok(version) if version <= SCHEMA_VERSION => Ok(false),
        Ok(_) => Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: header.user_version,
            known: SCHEMA_VERSION,
        }),
        Err(_) => Err(StoreError::Corrupt {
            path: path.to_owned(),
            detail: format!("impossible schema version {}", header.user_version),
        }),
    }
}

/// Whether the database is ours (already checked) and at this build's schema version.
fn is_current(header: &Header) -> bool {
    usize::try_from(header.user_version).is_ok_and(|version| version == SCHEMA_VERSION)
}

/// Runs SQLite's quick check and reports its first findings as damage. The quick check
/// reads every page (what a torn write or a failing flash damages) but skips matching
/// each index against its table, which made the full check a quarter of the console's
/// start-up with a busy room's cache.
fn check_integrity(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let findings = integrity_findings(conn).map_err(|e| damaged_or(path, e, open_failed(path)))?;
    if findings == ["ok"] {
        return Ok(());
    }
    Err(StoreError::Corrupt {
        path: path.to_owned(),
        detail: format!("integrity check: {}", findings.join("; ")),
    })
}

/// The first three problems `PRAGMA quick_check` finds, or just "ok".
fn integrity_findings(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA quick_check(3)")?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

/// WAL: readers (the UI) never wait for the sync task's writes and always see a whole
/// transaction. `synchronous = NORMAL` in WAL mode keeps the database consistent after
/// a crash or power cut; what a power cut can lose is the last committed sync, which
/// the next sync fetches again from the server. FULL would add an fsync to every
/// commit, wearing the device's flash for data that is only a cache.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "the agenda cache could not switch to WAL mode");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    MIGRATIONS
        .to_latest(conn)
        .map_err(|source| StoreError::Migration {
            path: path.to_owned(),
            source,
        })
}

/// Wraps an SQLite error met while opening `path`.
fn open_failed(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Open {
        path: path.to_owned(),
        source,
    }
}

/// Classifies an SQLite error met on the file: "not a database" and "malformed" mean the
/// file is damaged, "disk full" and I/O errors that the storage under it is full or
/// failing; anything else goes through `otherwise`.
pub(crate) fn damaged_or(
    path: &Path,
    error: rusqlite::Error,
    otherwise: impl FnOnce(rusqlite::Error) -> StoreError,
) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => StoreError::Storage {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        _ => otherwise(error),
    }
}
