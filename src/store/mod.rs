//! The SQLite agenda cache: the meetings the sync task fetched, and the sync task's own
//! state, kept in one file in the data directory (e.g. `<data-dir>/agenda.sqlite3`) so
//! the console shows the right agenda at power-on, network or not.
//!
//! One [`Store`] is one connection. The sync task writes through its own; the UI reads
//! through another. WAL mode lets readers run during a write and see either the agenda
//! before it or after it, never a mix.
//!
//! All-day meetings are stored with instants derived in the device time zone passed to
//! the writing methods; after a time-zone change call [`Store::retime_all_day`].

mod check_ins;
mod error;
mod meetings;
mod open;
mod queries;
mod schema;
mod state;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, TransactionBehavior, params};

pub use error::{RESET_HINT, StoreError};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

use crate::calendar::{self, Meeting, RoomStatus};
use crate::clock::local_midnight;

/// How far ahead `current_and_next` looks for the next meeting.
const NEXT_HORIZON_DAYS: i64 = 14;

/// A connection to the agenda cache.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens the cache at `path`, creating it (and its schema) when missing.
    ///
    /// Refuses, without changing it, a file that is not SQLite, an SQLite database of
    /// another program, or one written by a newer room-console; reports a damaged file.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::open_file(path, open::DamageCheck::Before)?,
        })
    }

    /// Opens the cache as [`Store::open`] does but without reading the whole file for
    /// damage first: for the screen, whose first frame should not wait for it. A damaged
    /// page is still reported, by the query that reads it, and the sync, which opens
    /// with [`Store::open`], reports damage anywhere in the file.
    pub fn open_for_screen(path: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::open_file(path, open::DamageCheck::OnRead)?,
        })
    }

    /// Opens a private, empty cache in memory.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Ok(Store {
            conn: open::open_memory()?,
        })
    }

    /// Replaces every meeting overlapping `[from, to)` with `meetings`, in one
    /// transaction: a reader sees the old agenda or the new one, never a mix, and on
    /// error the old agenda stays. A meeting in `meetings` replaces the stored one with
    /// the same id, wherever that one was.
    pub fn replace_window(
        &mut self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        meetings: &[Meeting],
        tz: &Tz,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(&format!("DELETE FROM meeting WHERE {}", queries::OVERLAPS))?
            .execute(params![from.timestamp_micros(), to.timestamp_micros()])?;
        meetings::write_meetings(&tx, meetings, tz)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores `meetings`, each replacing the stored meeting with its id, in one
    /// transaction (incremental sync).
    pub fn upsert(&mut self, meetings: &[Meeting], tz: &Tz) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        meetings::write_meetings(&tx, meetings, tz)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes the meetings with these ids, in one transaction; returns how many were
    /// stored.
    pub fn delete_ids(&mut self, ids: &[String]) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut deleted = 0;
        {
            let mut delete = tx.prepare_cached("DELETE FROM meeting WHERE id = ?1")?;
            for id in ids {
                deleted += delete.execute(params![id])?;
            }
        }
        tx.commit()?;
        Ok(deleted)
    }

    /// Recomputes the instants of all-day meetings for the device time zone `tz`.
    pub fn retime_all_day(&mut self, tz: &Tz) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        meetings::retime_all_day(&tx, tz)?;
        tx.commit()?;
        Ok(())
    }

    /// The change key of every stored meeting, by id.
    pub fn change_keys(&self) -> Result<HashMap<String, Option<String>>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, change_key FROM meeting")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The meetings overlapping the local day `day` in `tz`: all-day meetings first,
    /// then by start.
    pub fn meetings_on_day(&self, day: NaiveDate, tz: &Tz) -> Result<Vec<Meeting>, StoreError> {
        self.naming_damage(queries::meetings_on_day(&self.conn, day, tz))
    }

    /// The meetings overlapping `[from, to)`, by start.
    pub fn meetings_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Meeting>, StoreError> {
        self.naming_damage(queries::meetings_between(&self.conn, from, to))
    }

    /// The meeting on at `now` and the next one to start within the cache's horizon,
    /// among those that occupy the room (the rules of [`crate::calendar::status`]).
    pub fn current_and_next(
        &self,
        now: DateTime<Utc>,
        tz: &Tz,
    ) -> Result<(Option<Meeting>, Option<Meeting>), StoreError> {
        let today = local_midnight(tz, now.with_timezone(tz).date_naive());
        let meetings =
            self.meetings_between(today, now + chrono::Duration::days(NEXT_HORIZON_DAYS))?;
        Ok((
            calendar::current_meeting(&meetings, now, tz).cloned(),
            calendar::next_meeting(&meetings, now, tz).cloned(),
        ))
    }

    /// The room's status at `now` from today's meetings (the local day in `tz`): busy
    /// until the end of the back-to-back meetings on now, free until the next meeting
    /// starting today, or free.
    pub fn room_status(&self, now: DateTime<Utc>, tz: &Tz) -> Result<RoomStatus, StoreError> {
        let meetings = self.meetings_on_day(now.with_timezone(tz).date_naive(), tz)?;
        Ok(calendar::room_status(&meetings, now, tz))
    }

    /// How many meetings are stored.
    pub fn meeting_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM meeting")?
            .query_row([], |row| row.get(0))?;
        Ok(count.unsigned_abs())
    }

    /// The sync-state value stored under `key`.
    pub fn get_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.naming_damage(state::get(&self.conn, key))
    }

    /// Stores `value` under `key`; None removes the key.
    pub fn set_state(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        state::set(&self.conn, key, value)
    }

    /// Notes that someone checked in to `meeting_id` at `at` (the first time is kept).
    pub fn record_check_in(
        &mut self,
        meeting_id: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        check_ins::record(&self.conn, meeting_id, at)
    }

    /// The ids of the meetings someone checked in to.
    pub(crate) fn checked_in_ids(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        self.naming_damage(check_ins::checked_in(&self.conn))
    }

    /// Forgets check-ins made before `before`.
    pub(crate) fn forget_check_ins_before(
        &mut self,
        before: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        check_ins::forget_before(&self.conn, before)
    }

    /// A read that met a damaged page becomes [`StoreError::Corrupt`], naming the file
    /// and the way out, as opening does ([`Store::open_for_screen`] leaves damage to the
    /// reads).
    fn naming_damage<T>(&self, result: Result<T, StoreError>) -> Result<T, StoreError> {
        result.map_err(|error| match error {
            StoreError::Sqlite(error) => {
                let path = Path::new(self.conn.path().unwrap_or(":memory:"));
                open::damaged_or(path, error, StoreError::Sqlite)
            }
            other => other,
        })
    }
}
