//! Opening the cache file: refuse what is not ours or is too new, detect damage, set
//! the connection up, and bring the schema up to date. Nothing is written to a file
//! before it is known to be ours (or empty).
//!
//! Several processes open the cache at once at first boot (the screen, the sync task, an
//! admin's `agenda`): each waits on a busy file instead of failing, and the schema
//! version is read only under the write lock, so exactly one of them makes the schema.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::error::StoreError;
use super::schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};

/// How long a connection waits for another's lock before failing. In WAL mode readers
/// never wait for writers; two writers can meet (a sync batch is a few milliseconds
/// long), and so can several processes setting up a fresh file.
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
    if fresh {
        choose_page_size(&conn).map_err(open_failed(path))?;
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

/// The page size of a new file (SQLite's default is 4 KiB). A full sync writes the whole
/// window (about 2 MB for a 5,000-meeting week): through the WAL and then its checkpoint
/// that is one write of a frame header and one of a page per page, then a read and a write
/// per page; 16 KiB pages make it a quarter of the system calls (BENCHMARKS.md). It only
/// takes effect while the file is still empty, so a file made by another process, or
/// made before, keeps its size.
fn choose_page_size(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "page_size", PAGE_SIZE)
}

/// Bytes per page of a new agenda cache.
const PAGE_SIZE: i64 = 16 * 1024;

/// WAL: readers (the UI) never wait for the sync task's writes and always see a whole
/// transaction. `synchronous = NORMAL` in WAL mode keeps the database consistent after
/// a crash or power cut; what a power cut can lose is the last committed sync, which
/// the next sync fetches again from the server. FULL would add an fsync to every
/// commit, wearing the device's flash for data that is only a cache.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode = switch_to_wal(conn)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "the agenda cache could not switch to WAL mode");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")
}

/// Runs the migrations the file lacks, all or none. The write lock comes first
/// (`BEGIN IMMEDIATE`, waiting up to [`BUSY_TIMEOUT`] for it), then the schema version
/// is read: a process that waited while another made the schema finds it made, instead
/// of making it again ("table meeting already exists").
/// How often opening asks for WAL mode while other processes switch the same new file.
const WAL_ATTEMPTS: u32 = 8;

/// `PRAGMA journal_mode = WAL`; the mode the file is in afterwards. Switching a new file
/// upgrades a read lock to the write lock, and SQLite refuses that at once, without the
/// busy wait (which could deadlock), while another process holds the write lock to
/// switch the same file. Then wait for that lock to be released (`BEGIN IMMEDIATE`
/// waits up to [`BUSY_TIMEOUT`]) and ask again: by then the file is in WAL mode.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let mut attempt = 1;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0)) {
            Err(error)
                if error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && attempt < WAL_ATTEMPTS =>
            {
                conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")?;
                attempt += 1;
            }
            result => return result,
        }
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let failed = |source| StoreError::Migration {
        path: path.to_owned(),
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| damaged_or(path, e, failed))?;
    let found: i64 = tx
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| damaged_or(path, e, failed))?;
    let version = match usize::try_from(found) {
        Ok(version) if version <= SCHEMA_VERSION => version,
        Ok(_) => {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Err(_) => {
            return Err(StoreError::Corrupt {
                path: path.to_owned(),
                detail: format!("impossible schema version {found}"),
            });
        }
    };
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    for migration in &MIGRATIONS[version..] {
        tx.execute_batch(migration)
            .map_err(|e| damaged_or(path, e, failed))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION as i64)
        .map_err(|e| damaged_or(path, e, failed))?;
    tx.commit().map_err(|e| damaged_or(path, e, failed))
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
