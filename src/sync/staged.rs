//! The work of a pass that failed part-way, kept so that the next pass continues instead
//! of starting over: the window's listing, the change-check state it answers to, and the
//! meetings already fetched. It is kept apart from the agenda (one value in the sync
//! state), so the cache shows the old agenda until a pass commits the new one whole.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::ItemVersion;
use crate::calendar::Meeting;
use crate::store::{Store, StoreError};

/// The store key of the staged pass (JSON).
const STAGED_PASS_KEY: &str = "sync.staged_pass";

/// A pass that listed the window and fetched part of it before it failed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StagedPass {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// When the window was listed.
    pub listed_at: DateTime<Utc>,
    /// The change-check state taken just before the listing.
    pub check_state: Option<String>,
    pub listed: Vec<ItemVersion>,
    pub fetched: Vec<Meeting>,
}

impl StagedPass {
    /// The staged pass, if one is kept; an unreadable one (another version's) is ignored.
    pub(super) fn load(store: &Store) -> Result<Option<StagedPass>, StoreError> {
        Ok(store
            .get_state(STAGED_PASS_KEY)?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// Keeps this pass's work for the next one.
    pub(super) fn save(&self, store: &mut Store) -> Result<(), StoreError> {
        let json = serde_json::to_string(self).unwrap_or_default();
        store.set_state(STAGED_PASS_KEY, Some(&json))
    }

    /// Forgets the staged work (once committed, or when the window moved on).
    pub(super) fn clear(store: &mut Store) -> Result<(), StoreError> {
        store.set_state(STAGED_PASS_KEY, None)
    }
}
