//! What the console remembers about its own actions, in the agenda cache's state table:
//! the booking it is making (so a retry after a crash reuses its booking id and finds the
//! earlier item instead of booking twice), and how many times in a row each series was
//! released (reported to the admin past the configured count).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::write::Slot;
use crate::store::{Store, StoreError};

const PENDING_KEY: &str = "booking.pending";
const STREAKS_KEY: &str = "booking.release_streaks";

/// A booking asked for and not yet seen confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingBooking {
    pub booking_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The booking id for `slot`: the pending one when it overlaps (a retry), else a new
/// one, noted before anything is sent.
pub(crate) fn booking_id_for(store: &mut Store, slot: Slot) -> Result<String, StoreError> {
    if let Some(pending) = pending(store)?
        && pending.start < slot.end
        && slot.start < pending.end
    {
        return Ok(pending.booking_id);
    }
    let booking_id = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    let pending = PendingBooking {
        booking_id: booking_id.clone(),
        start: slot.start,
        end: slot.end,
    };
    let json = serde_json::to_string(&pending).expect("a pending booking serialises");
    store.set_state(PENDING_KEY, Some(&json))?;
    Ok(booking_id)
}

/// The booking in flight, if any.
pub fn pending(store: &Store) -> Result<Option<PendingBooking>, StoreError> {
    Ok(store
        .get_state(PENDING_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

/// Forgets the booking in flight (confirmed, or refused for good).
pub(crate) fn settle(store: &mut Store) -> Result<(), StoreError> {
    store.set_state(PENDING_KEY, None)
}

fn streaks(store: &Store) -> Result<BTreeMap<String, u32>, StoreError> {
    Ok(store
        .get_state(STREAKS_KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

fn save_streaks(store: &mut Store, streaks: &BTreeMap<String, u32>) -> Result<(), StoreError> {
    let json = serde_json::to_string(streaks).expect("a map of counts serialises");
    store.set_state(STREAKS_KEY, Some(&json))
}

/// Counts a release of an occurrence of `series`; the releases in a row now.
pub(crate) fn count_release(store: &mut Store, series: &str) -> Result<u32, StoreError> {
    let mut all = streaks(store)?;
    let count = all.entry(series.to_string()).or_insert(0);
    *count += 1;
    let count = *count;
    save_streaks(store, &all)?;
    Ok(count)
}

/// Someone came to an occurrence of `series`: its streak ends.
pub(crate) fn count_attended(store: &mut Store, series: &str) -> Result<(), StoreError> {
    let mut all = streaks(store)?;
    if all.remove(series).is_some() {
        save_streaks(store, &all)?;
    }
    Ok(())
}

/// The series released at least `threshold` times in a row, with their counts.
pub(crate) fn series_to_report(
    store: &Store,
    threshold: u32,
) -> Result<Vec<(String, u32)>, StoreError> {
    Ok(streaks(store)?
        .into_iter()
        .filter(|(_, count)| *count >= threshold)
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn slot(h: u32, minutes: i64) -> Slot {
        let start = Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap();
        Slot {
            start,
            end: start + Duration::minutes(minutes),
        }
    }

    #[test]
    fn a_retry_of_an_overlapping_slot_reuses_the_booking_id_until_settled() {
        let mut store = Store::open_in_memory().unwrap();
        let first = booking_id_for(&mut store, slot(9, 30)).unwrap();
        assert_eq!(booking_id_for(&mut store, slot(9, 15)).unwrap(), first);
        let other = booking_id_for(&mut store, slot(11, 30)).unwrap();
        assert_ne!(other, first, "a slot elsewhere is another booking");
        settle(&mut store).unwrap();
        assert_eq!(pending(&store).unwrap(), None);
        assert_ne!(booking_id_for(&mut store, slot(11, 30)).unwrap(), other);
    }

    #[test]
    fn releases_in_a_row_are_counted_until_someone_comes() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(count_release(&mut store, "series-a").unwrap(), 1);
        assert_eq!(count_release(&mut store, "series-a").unwrap(), 2);
        assert_eq!(count_release(&mut store, "series-b").unwrap(), 1);
        assert_eq!(
            series_to_report(&store, 2).unwrap(),
            [("series-a".to_string(), 2)]
        );
        count_attended(&mut store, "series-a").unwrap();
        assert!(
            series_to_report(&store, 1)
                .unwrap()
                .iter()
                .all(|(s, _)| s != "series-a")
        );
    }
}
