//! A hosted mailbox's calendar: items with Exchange-looking ItemIds and ChangeKeys that
//! change on every modification, recurring series expanded into occurrences, and the
//! change log SyncFolderItems reads. [`MailboxHandle`] lets a test churn it while the
//! server runs.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};

use super::config::Mailbox;
use super::item::CalendarItem;
use super::state::{ServerState, lock};
use super::subscriptions::EventKind;

/// `t:CalendarItemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Single,
    Occurrence,
    Exception,
    RecurringMaster,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Single => "Single",
            ItemKind::Occurrence => "Occurrence",
            ItemKind::Exception => "Exception",
            ItemKind::RecurringMaster => "RecurringMaster",
        }
    }
}

/// An item as one response shows it: a single, a master, or one instance of a series
/// with the instance's own id, times and overrides applied.
#[derive(Debug, Clone)]
pub struct ResolvedItem {
    pub id: String,
    pub change_key: String,
    pub kind: ItemKind,
    pub item: CalendarItem,
}

/// Why an id did not resolve: `ErrorInvalidIdMalformed` or `ErrorItemNotFound`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupError {
    Malformed,
    NotFound,
}

/// One entry of a SyncFolderItems answer.
#[derive(Debug, Clone)]
pub enum SyncChange {
    Create(ResolvedItem),
    Update(ResolvedItem),
    Delete { id: String, change_key: String },
}

#[derive(Debug, Clone)]
pub struct SyncPage {
    pub changes: Vec<SyncChange>,
    pub sync_state: String,
    pub includes_last_item_in_range: bool,
}

/// A message the mailbox sent (a meeting response such as a decline), as the recipient
/// would receive it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Why a write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteError {
    Lookup(LookupError),
    /// The ChangeKey sent is not the item's current one (ErrorIrresolvableConflict under
    /// ConflictResolution NeverOverwrite).
    StaleChangeKey,
}

/// The number of the mailbox an ItemId belongs to.
pub fn mailbox_number_of(id: &str) -> Result<usize, LookupError> {
    let text = decode(id).ok_or(LookupError::Malformed)?;
    let mut parts = text.split(':');
    match (parts.next(), parts.next()) {
        (Some("RCItem" | "RCOccurrence"), Some(number)) => {
            number.parse().map_err(|_| LookupError::Malformed)
        }
        _ => Err(LookupError::Malformed),
    }
}

#[derive(Debug, Clone)]
struct StoredItem {
    key: u64,
    item: CalendarItem,
    version: u64,
    created_seq: u64,
    last_seq: u64,
    deleted: bool,
}

/// The server-side state of one mailbox.
#[derive(Debug)]
pub struct MailboxStore {
    pub number: usize,
    pub smtp: String,
    pub display_name: String,
    items: Vec<StoredItem>,
    next_key: u64,
    seq: u64,
    /// Messages sent from this mailbox (declines), oldest first.
    pub sent: Vec<SentMessage>,
    /// An item someone else books just before the next CreateItem lands (a race).
    race: Option<CalendarItem>,
    /// The next CreateItem is done but answered with a transient error (the answer lost).
    pub fail_after_next_create: bool,
    /// The next UpdateItem finds the item changed by someone else just before it.
    pub change_before_next_update: bool,
}

fn encode(text: &str) -> String {
    BASE64.encode(text.as_bytes())
}

fn decode(text: &str) -> Option<String> {
    let bytes = BASE64.decode(text.trim().as_bytes()).ok()?;
    String::from_utf8(bytes).ok()
}

impl MailboxStore {
    pub fn new(number: usize, mailbox: &Mailbox) -> Self {
        let mut store = Self {
            number,
            smtp: mailbox.smtp.clone(),
            display_name: mailbox.display_name.clone(),
            items: Vec::new(),
            next_key: 1,
            seq: 0,
            sent: Vec::new(),
            race: None,
            fail_after_next_create: false,
            change_before_next_update: false,
        };
        for item in &mailbox.items {
            store.add(item.clone());
        }
        store
    }

    fn item_id(&self, key: u64) -> String {
        encode(&format!("RCItem:{}:{key}", self.number))
    }

    fn occurrence_id(&self, key: u64, index: u32) -> String {
        encode(&format!("RCOccurrence:{}:{key}:{index}", self.number))
    }

    fn change_key(key: u64, version: u64) -> String {
        encode(&format!("RCChange:{key}:{version}"))
    }

    /// Adds an item and returns its ItemId.
    pub fn add(&mut self, mut item: CalendarItem) -> String {
        let key = self.next_key;
        self.next_key += 1;
        self.seq += 1;
        if item.uid.is_empty() {
            item.uid = format!("040000008200E00074C5B7101A82E00800000000{:032X}", key);
        }
        self.items.push(StoredItem {
            key,
            item,
            version: 1,
            created_seq: self.seq,
            last_seq: self.seq,
            deleted: false,
        });
        self.item_id(key)
    }

    /// Splits an ItemId into `(item key, occurrence index)`, checking it is this mailbox's.
    fn parse_id(&self, id: &str) -> Result<(u64, Option<u32>), LookupError> {
        let text = decode(id).ok_or(LookupError::Malformed)?;
        let parts: Vec<&str> = text.split(':').collect();
        let number = |s: &str| s.parse::<u64>().map_err(|_| LookupError::Malformed);
        let (mailbox, key, index) = match parts.as_slice() {
            ["RCItem", mailbox, key] => (number(mailbox)?, number(key)?, None),
            ["RCOccurrence", mailbox, key, index] => {
                let index = u32::try_from(number(index)?).map_err(|_| LookupError::Malformed)?;
                (number(mailbox)?, number(key)?, Some(index))
            }
            _ => return Err(LookupError::Malformed),
        };
        if mailbox != self.number as u64 {
            return Err(LookupError::NotFound);
        }
        Ok((key, index))
    }

    fn live(&self, key: u64) -> Option<&StoredItem> {
        self.items.iter().find(|s| s.key == key && !s.deleted)
    }

    fn live_mut(&mut self, key: u64) -> Option<&mut StoredItem> {
        self.items.iter_mut().find(|s| s.key == key && !s.deleted)
    }

    /// Applies `change` to the item (a series' master for an occurrence id) and returns the
    /// new ChangeKey.
    pub fn modify(&mut self, id: &str, change: impl FnOnce(&mut CalendarItem)) -> Option<String> {
        let (key, _) = self.parse_id(id).ok()?;
        self.seq += 1;
        let seq = self.seq;
        let stored = self.live_mut(key)?;
        change(&mut stored.item);
        stored.version += 1;
        stored.last_seq = seq;
        Some(Self::change_key(key, stored.version))
    }

    pub fn delete(&mut self, id: &str) -> bool {
        let Ok((key, _)) = self.parse_id(id) else {
            return false;
        };
        self.seq += 1;
        let seq = self.seq;
        match self.live_mut(key) {
            Some(stored) => {
                stored.deleted = true;
                stored.version += 1;
                stored.last_seq = seq;
                true
            }
            None => false,
        }
    }

    /// The events of the changes after change number `seq`, as subscriptions get them.
    pub fn events_since(&self, seq: u64) -> Vec<(EventKind, String, String)> {
        let mut changed: Vec<&StoredItem> =
            self.items.iter().filter(|s| s.last_seq > seq).collect();
        changed.sort_by_key(|s| s.last_seq);
        changed
            .into_iter()
            .map(|stored| {
                let kind = if stored.deleted {
                    EventKind::Deleted
                } else if stored.created_seq > seq {
                    EventKind::Created
                } else {
                    EventKind::Modified
                };
                let change_key = Self::change_key(stored.key, stored.version);
                (kind, self.item_id(stored.key), change_key)
            })
            .collect()
    }

    /// Creates an item as CreateItem does: a race armed with [`MailboxStore::race`]
    /// lands first.
    pub fn create(&mut self, item: CalendarItem) -> String {
        if let Some(other) = self.race.take() {
            self.add(other);
        }
        self.add(item)
    }

    /// Arms a race: `item` is added just before the next CreateItem's own item.
    pub fn race(&mut self, item: CalendarItem) {
        self.race = Some(item);
    }

    /// Checks that `change_key` (when sent) is the current one of the item `id` names.
    pub fn check_change_key(&self, id: &str, change_key: Option<&str>) -> Result<(), WriteError> {
        let current = self.resolve(id).map_err(WriteError::Lookup)?;
        match change_key {
            Some(key) if key.trim() != current.change_key => Err(WriteError::StaleChangeKey),
            _ => Ok(()),
        }
    }

    /// Moves the end of the item (or the one occurrence) `id` names; the new ChangeKey.
    pub fn set_end(&mut self, id: &str, end: DateTime<Utc>) -> Result<String, LookupError> {
        let (key, index) = self.parse_id(id)?;
        self.seq += 1;
        let seq = self.seq;
        let stored = self.live_mut(key).ok_or(LookupError::NotFound)?;
        match index {
            None => stored.item.end = end,
            Some(index) => {
                let occurrence = stored
                    .item
                    .occurrences
                    .iter_mut()
                    .find(|o| o.index == index)
                    .ok_or(LookupError::NotFound)?;
                occurrence.end = end;
            }
        }
        stored.version += 1;
        stored.last_seq = seq;
        Ok(Self::change_key(key, stored.version))
    }

    /// Declines the item `id` names as the room: an occurrence leaves the room's calendar
    /// alone (the series stays), a single is removed; the organizer gets `note`.
    pub fn decline(&mut self, id: &str, note: &str) -> Result<(), LookupError> {
        let resolved = self.resolve(id)?;
        let (key, index) = self.parse_id(id)?;
        self.seq += 1;
        let seq = self.seq;
        let stored = self.live_mut(key).ok_or(LookupError::NotFound)?;
        match index {
            Some(index) => stored.item.occurrences.retain(|o| o.index != index),
            None => stored.deleted = true,
        }
        stored.version += 1;
        stored.last_seq = seq;
        if let Some(organizer) = &resolved.item.organizer {
            self.sent.push(SentMessage {
                to: organizer.email.clone(),
                subject: format!("Declined: {}", resolved.item.subject),
                body: note.to_string(),
            });
        }
        Ok(())
    }

    pub fn item_ids(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|s| !s.deleted)
            .map(|s| self.item_id(s.key))
            .collect()
    }

    fn resolve_master(&self, stored: &StoredItem) -> ResolvedItem {
        let kind = if stored.item.is_recurring_master() {
            ItemKind::RecurringMaster
        } else {
            ItemKind::Single
        };
        ResolvedItem {
            id: self.item_id(stored.key),
            change_key: Self::change_key(stored.key, stored.version),
            kind,
            item: stored.item.clone(),
        }
    }

    fn resolve_instance(&self, stored: &StoredItem, index: u32) -> Option<ResolvedItem> {
        let occurrence = stored.item.occurrences.iter().find(|o| o.index == index)?;
        let mut item = stored.item.clone();
        item.occurrences.clear();
        item.start = occurrence.start;
        item.end = occurrence.end;
        if let Some(subject) = &occurrence.subject {
            item.subject = subject.clone();
        }
        if let Some(location) = &occurrence.location {
            item.location = location.clone();
        }
        Some(ResolvedItem {
            id: self.occurrence_id(stored.key, index),
            change_key: Self::change_key(stored.key, stored.version),
            kind: if occurrence.is_exception() {
                ItemKind::Exception
            } else {
                ItemKind::Occurrence
            },
            item,
        })
    }

    /// The item an ItemId names.
    pub fn resolve(&self, id: &str) -> Result<ResolvedItem, LookupError> {
        let (key, index) = self.parse_id(id)?;
        let stored = self.live(key).ok_or(LookupError::NotFound)?;
        match index {
            None => Ok(self.resolve_master(stored)),
            Some(index) => self
                .resolve_instance(stored, index)
                .ok_or(LookupError::NotFound),
        }
    }

    /// The instance `OccurrenceItemId RecurringMasterId InstanceIndex` names.
    pub fn resolve_occurrence(
        &self,
        master_id: &str,
        index: u32,
    ) -> Result<ResolvedItem, LookupError> {
        let (key, _) = self.parse_id(master_id)?;
        let stored = self.live(key).ok_or(LookupError::NotFound)?;
        self.resolve_instance(stored, index)
            .ok_or(LookupError::NotFound)
    }

    /// Singles and instances overlapping `[start, end)`, earliest first, as CalendarView
    /// shows them (never masters).
    pub fn calendar_view(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<ResolvedItem> {
        let mut found: Vec<ResolvedItem> = Vec::new();
        for stored in self.items.iter().filter(|s| !s.deleted) {
            if stored.item.is_recurring_master() {
                found.extend(
                    stored
                        .item
                        .occurrences
                        .iter()
                        .filter_map(|o| self.resolve_instance(stored, o.index)),
                );
            } else {
                found.push(self.resolve_master(stored));
            }
        }
        found.retain(|r| r.item.start < end && r.item.end > start);
        found.sort_by(|a, b| a.item.start.cmp(&b.item.start).then(a.id.cmp(&b.id)));
        found
    }

    fn sync_state(&self, base: u64, page: u64) -> String {
        encode(&format!("RCSync:{}:{base}:{page}", self.number))
    }

    fn parse_sync_state(&self, state: &str) -> Option<(u64, u64)> {
        let text = decode(state)?;
        let parts: Vec<&str> = text.split(':').collect();
        let ["RCSync", mailbox, base, page] = parts.as_slice() else {
            return None;
        };
        let (mailbox, base, page) = (
            mailbox.parse::<usize>().ok()?,
            base.parse::<u64>().ok()?,
            page.parse::<u64>().ok()?,
        );
        (mailbox == self.number && base <= page && page <= self.seq).then_some((base, page))
    }

    /// The changes since `sync_state` (everything, as Creates, without one), at most
    /// `max_changes`. `None` when the state is not one this mailbox issued.
    ///
    /// The state carries two watermarks: `base`, where the client's copy was complete, and
    /// `page`, up to which changes were delivered. Items not yet delivered are classified
    /// against `base`, so paging never turns a Create into an Update the client cannot
    /// place; a Delete is sent for anything that may have been delivered.
    pub fn sync(&self, sync_state: Option<&str>, max_changes: usize) -> Option<SyncPage> {
        let (base, page) = match sync_state.map(str::trim).filter(|s| !s.is_empty()) {
            Some(state) => self.parse_sync_state(state)?,
            None => (0, 0),
        };
        let mut pending: Vec<&StoredItem> =
            self.items.iter().filter(|s| s.last_seq > page).collect();
        pending.retain(|s| !(s.deleted && s.created_seq > page));
        pending.sort_by_key(|s| s.last_seq);
        let truncated = pending.len() > max_changes;
        pending.truncate(max_changes);
        let changes = pending
            .iter()
            .map(|stored| {
                if stored.deleted {
                    SyncChange::Delete {
                        id: self.item_id(stored.key),
                        change_key: Self::change_key(stored.key, stored.version),
                    }
                } else if stored.created_seq > base {
                    SyncChange::Create(self.resolve_master(stored))
                } else {
                    SyncChange::Update(self.resolve_master(stored))
                }
            })
            .collect();
        let sync_state = match (truncated, pending.last()) {
            (true, Some(last)) => self.sync_state(base, last.last_seq),
            _ => self.sync_state(self.seq, self.seq),
        };
        Some(SyncPage {
            changes,
            sync_state,
            includes_last_item_in_range: !truncated,
        })
    }
}

/// A running server's mailbox, for a test to add, change and delete items ("churn").
#[derive(Clone)]
pub struct MailboxHandle {
    pub(crate) state: Arc<Mutex<ServerState>>,
    pub(crate) number: usize,
}

impl MailboxHandle {
    /// Runs `action` on the mailbox and hands what it changed to the subscriptions.
    fn with_store<T>(&self, action: impl FnOnce(&mut MailboxStore) -> T) -> T {
        let mut state = lock(&self.state);
        let before = state.mailboxes[self.number].seq;
        let result = action(&mut state.mailboxes[self.number]);
        let events = state.mailboxes[self.number].events_since(before);
        state.subscriptions.publish(self.number, &events);
        result
    }

    /// Adds an item; returns its ItemId.
    pub fn add(&self, item: CalendarItem) -> String {
        self.with_store(|store| store.add(item))
    }

    /// Changes an item; returns its new ChangeKey, or `None` for an unknown id.
    pub fn modify(&self, id: &str, change: impl FnOnce(&mut CalendarItem)) -> Option<String> {
        self.with_store(|store| store.modify(id, change))
    }

    /// Deletes an item; `false` for an unknown id.
    pub fn delete(&self, id: &str) -> bool {
        self.with_store(|store| store.delete(id))
    }

    /// The ItemIds of the items (singles and masters) now in the calendar.
    pub fn item_ids(&self) -> Vec<String> {
        self.with_store(|store| store.item_ids())
    }

    /// The current ChangeKey of an item.
    pub fn change_key(&self, id: &str) -> Option<String> {
        self.with_store(|store| store.resolve(id).ok().map(|r| r.change_key))
    }

    /// The messages the mailbox sent (declines), oldest first.
    pub fn sent(&self) -> Vec<SentMessage> {
        self.with_store(|store| store.sent.clone())
    }

    /// Someone else books `item` just before the next CreateItem lands.
    pub fn race_next_create(&self, item: CalendarItem) {
        self.with_store(|store| store.race(item))
    }

    /// The next CreateItem creates its item but answers ErrorInternalServerTransientError,
    /// as when the answer is lost after Exchange did the work.
    pub fn fail_after_next_create(&self) {
        self.with_store(|store| store.fail_after_next_create = true)
    }

    /// Someone else changes the item just before the next UpdateItem (its ChangeKey
    /// moves on).
    pub fn change_before_next_update(&self) {
        self.with_store(|store| store.change_before_next_update = true)
    }

    /// The items (singles and masters) now in the calendar.
    pub fn items(&self) -> Vec<CalendarItem> {
        self.with_store(|store| {
            store
                .item_ids()
                .iter()
                .filter_map(|id| store.resolve(id).ok().map(|r| r.item))
                .collect()
        })
    }

    /// The ItemId of the first item with this subject.
    pub fn id_of(&self, subject: &str) -> Option<String> {
        self.with_store(|store| {
            store
                .item_ids()
                .into_iter()
                .find(|id| store.resolve(id).is_ok_and(|r| r.item.subject == subject))
        })
    }
}
