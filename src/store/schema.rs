//! The versioned schema of the agenda cache: one SQL script per version. Opening
//! (`open.rs`) runs the ones a file lacks in one transaction and sets
//! `PRAGMA user_version` to their count; the first one also stamps the file with our
//! `application_id`, so a file that lacks it is never taken for ours.
//!
//! Append migrations; never edit a released one.

/// `PRAGMA application_id` of every room-console agenda cache: "RCon" in ASCII.
pub const APPLICATION_ID: i32 = 0x5243_6f6e;

/// Every migration, oldest first: migration `n` takes a file from version `n` to `n + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // Instants are Unix microseconds (UTC). All-day meetings keep their local dates
    // (`first_day`, `last_day`, ISO 8601) and derived instants computed in the device
    // time zone, so that queries by instant treat every meeting alike.
    "PRAGMA application_id = 1380151150;

    CREATE TABLE meeting (
        id              TEXT PRIMARY KEY NOT NULL CONSTRAINT id_present CHECK (id <> ''),
        change_key      TEXT,
        series_id       TEXT,
        occurrence      TEXT NOT NULL,
        subject         TEXT,
        organizer_name  TEXT,
        organizer_email TEXT,
        location        TEXT,
        all_day         INTEGER NOT NULL CHECK (all_day IN (0, 1)),
        first_day       TEXT,
        last_day        TEXT,
        start_us        INTEGER NOT NULL,
        end_us          INTEGER NOT NULL,
        time_zone       TEXT,
        private         INTEGER NOT NULL CHECK (private IN (0, 1)),
        cancelled       INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
        free_busy       TEXT NOT NULL,
        join_provider   TEXT,
        join_url        TEXT,
        no_join_reason  TEXT,
        CONSTRAINT last_day_after_first CHECK (first_day IS NULL OR last_day >= first_day),
        CONSTRAINT ends_after_start CHECK (end_us >= start_us),
        CONSTRAINT all_day_has_dates
            CHECK ((all_day = 1) = (first_day IS NOT NULL AND last_day IS NOT NULL)),
        CONSTRAINT join_link_complete CHECK ((join_provider IS NULL) = (join_url IS NULL))
    ) STRICT;

    -- Covers the overlap filter: queries scan start_us and test end_us without the table.
    CREATE INDEX meeting_by_start ON meeting (start_us, end_us);
    -- Answers max(end_us - start_us), the bound that lets overlap queries use the index.
    CREATE INDEX meeting_by_length ON meeting ((end_us - start_us));

    CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) STRICT;",
    // Bookings made at the console (the item carries the console's marker), and the
    // console's own memory of check-ins: nobody on the server knows who came.
    "ALTER TABLE meeting ADD COLUMN booked_here INTEGER NOT NULL DEFAULT 0
         CHECK (booked_here IN (0, 1));

    CREATE TABLE check_in (
        meeting_id TEXT PRIMARY KEY NOT NULL,
        at_us      INTEGER NOT NULL
    ) STRICT;",
];

/// The schema version this build writes (the number of migrations).
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_to_an_empty_database_and_stamp_our_application_id() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for (version, migration) in MIGRATIONS.iter().enumerate() {
            conn.execute_batch(migration)
                .unwrap_or_else(|e| panic!("migration to version {}: {e}", version + 1));
        }
        let id: i32 = conn
            .pragma_query_value(None, "application_id", |row| row.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
    }
}
