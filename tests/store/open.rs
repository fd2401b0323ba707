//! Opening the agenda cache: a new file is set up (WAL, our application id, current
//! schema); files that are not ours, too new or damaged are refused untouched with a
//! message that names the file and the way out.

use crate::common::store_rig;

use std::path::{Path, PathBuf};

use room_console::store::{APPLICATION_ID, SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;
use store_rig::{at, stockholm, timed};

fn pragma_i64(conn: &Connection, name: &str) -> i64 {
    conn.pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

/// What the refusal of a file that is not the console's cache says.
const NOT_OURS: &[&str] = &[
    "is not a room-console database",
    "move it away",
    "factory-reset",
];

/// A temp dir (removed when dropped) and the cache's path in it.
fn cache_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.sqlite3");
    (dir, path)
}

/// A cache made by this version, then given the schema version `version`.
fn cache_with_user_version(version: i64) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = cache_path();
    drop(Store::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", version)
        .unwrap();
    (dir, path)
}

/// Opens the file at `path`, which must be refused (`why`) and left as it was; the error.
fn refused_untouched(path: &Path, why: &str) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let error = Store::open(path).err().expect(why);
    assert_eq!(std::fs::read(path).unwrap(), before, "the file was changed");
    error
}

/// The message of `error` names the file at `path` and says each of `words`.
fn assert_says(error: &StoreError, path: &Path, words: &[&str]) {
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    for words in words {
        assert!(message.contains(words), "{words:?} not in {message}");
    }
}

#[test]
fn a_new_file_gets_wal_our_application_id_and_the_current_schema() {
    let (_dir, path) = cache_path();
    drop(Store::open(&path).unwrap());

    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(
        pragma_i64(&conn, "application_id"),
        i64::from(APPLICATION_ID)
    );
    assert_eq!(pragma_i64(&conn, "user_version"), SCHEMA_VERSION as i64);
}

#[test]
fn a_new_file_gets_16_kib_pages() {
    let (_dir, path) = cache_path();
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    assert_eq!(pragma_i64(&conn, "page_size"), 16 * 1024);
}

#[test]
fn a_cache_made_with_4_kib_pages_keeps_them_and_its_meetings() {
    let (_dir, path) = cache_path();
    {
        // A cache as versions before 16 KiB pages made it.
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "page_size", 4096).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    let meeting = timed("m1", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z");
    Store::open(&path)
        .unwrap()
        .upsert(std::slice::from_ref(&meeting), &stockholm())
        .unwrap();

    let store = Store::open(&path).unwrap();
    assert_eq!(store.meeting_count().unwrap(), 1);
    let conn = Connection::open(&path).unwrap();
    assert_eq!(pragma_i64(&conn, "page_size"), 4096);
}

#[test]
fn an_empty_file_is_taken_as_a_new_database() {
    let (_dir, path) = cache_path();
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.meeting_count().unwrap(), 0);
}

#[test]
fn meetings_and_state_survive_reopening() {
    let (_dir, path) = cache_path();
    let meeting = timed("m1", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z");
    {
        let mut store = Store::open(&path).unwrap();
        store
            .upsert(std::slice::from_ref(&meeting), &stockholm())
            .unwrap();
        store
            .set_state("last_good_sync", Some("2026-11-23T08:00:00Z"))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let found = store
        .meetings_between(at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z"))
        .unwrap();
    assert_eq!(found, vec![meeting]);
    assert_eq!(
        store.get_state("last_good_sync").unwrap().as_deref(),
        Some("2026-11-23T08:00:00Z")
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let (_dir, path) = cache_with_user_version(7);
    let error = refused_untouched(&path, "a newer schema is refused");
    assert!(
        matches!(error, StoreError::NewerSchema { found: 7, known, .. } if known == SCHEMA_VERSION),
        "{error:?}"
    );
    assert_says(
        &error,
        &path,
        &[
            &format!(
                "was written by a newer room-console (schema 7, this version knows {SCHEMA_VERSION})"
            ),
            "update the software",
            "room-console factory-reset --yes",
        ],
    );
}

#[test]
fn an_sqlite_database_of_another_program_is_refused_untouched() {
    let (_dir, path) = cache_path();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('cat');")
            .unwrap();
    }
    let error = refused_untouched(&path, "a foreign database is refused");
    assert!(
        matches!(
            error,
            StoreError::ForeignDatabase {
                application_id: 0,
                ..
            }
        ),
        "{error:?}"
    );
    assert_says(&error, &path, NOT_OURS);
}

#[test]
fn an_sqlite_database_with_another_application_id_is_refused() {
    let (_dir, path) = cache_path();
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "application_id", 0x4750_4b47)
        .unwrap();

    let error = Store::open(&path)
        .err()
        .expect("a foreign database is refused");
    assert!(
        matches!(
            error,
            StoreError::ForeignDatabase {
                application_id: 0x4750_4b47,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("0x47504b47"), "{error}");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let (_dir, path) = cache_path();
    std::fs::write(&path, b"room=4.12\nname=Aurora\n".repeat(100)).unwrap();
    let error = refused_untouched(&path, "a text file is refused");
    assert!(matches!(error, StoreError::NotSqlite { .. }), "{error:?}");
    assert_says(&error, &path, NOT_OURS);
}

/// A cache of several pages with everything after the first page garbled (the header
/// and the catalogue stay readable).
fn cache_with_damaged_pages() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = cache_path();
    write_cache(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    let page_size = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(bytes.len() > 4 * page_size, "the test needs a few pages");
    bytes[page_size..].fill(0x5A);
    std::fs::write(&path, &bytes).unwrap();
    (dir, path)
}

/// Writes a cache with enough meetings to span several pages, then closes it (which
/// checkpoints the WAL into the main file).
fn write_cache(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let meetings: Vec<_> = (0..500)
        .map(|n| {
            timed(
                &format!("meeting-{n:04}"),
                "2026-11-23T09:00:00Z",
                "2026-11-23T10:00:00Z",
            )
        })
        .collect();
    store.upsert(&meetings, &stockholm()).unwrap();
}

#[test]
fn a_file_with_a_damaged_header_is_reported_as_corrupt() {
    let (_dir, path) = cache_path();
    write_cache(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    // Keep the magic string; garble the rest of the 100-byte header (page size …).
    bytes[16..100].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();

    let error = Store::open(&path).err().expect("a damaged file is refused");
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert_says(&error, &path, &["is damaged", "factory-reset"]);
}

#[test]
fn a_file_with_damaged_pages_fails_the_integrity_check() {
    let (_dir, path) = cache_with_damaged_pages();

    let error = Store::open(&path).err().expect("a damaged file is refused");
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("is damaged"), "{error}");
}

#[test]
fn the_screen_opens_without_the_damage_check_and_its_query_reports_the_damage() {
    let (_dir, path) = cache_with_damaged_pages();

    // Opening may already notice (the catalogue is read to check the schema); if it
    // does not, the day's query must.
    let error = match Store::open_for_screen(&path) {
        Err(error) => error,
        Ok(store) => store
            .meetings_on_day(
                chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                &stockholm(),
            )
            .expect_err("a query on damaged pages fails"),
    };
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("is damaged"), "{error}");
}

#[test]
fn an_impossible_schema_version_is_reported_as_damage() {
    let (_dir, path) = cache_with_user_version(-3);

    let error = Store::open(&path).err().expect("the file is refused");
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(
        error.to_string().contains("impossible schema version -3"),
        "{error}"
    );
}
