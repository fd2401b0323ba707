//! SyncFolderItems on the room's calendar: the change detector. It reports which items
//! were created, updated or deleted since the last SyncState, by id only.

use std::io;

use quick_xml::events::BytesText;

use super::envelope::{RequestHeader, XmlWriter, ews_envelope, room_calendar_folder, text_element};
use super::error::EwsError;
use super::item::ItemId;
use super::response::{Response, read_messages, single};
use super::xml::{Read, Tag, XmlReader, document_text, parse_bool, trim};

/// Exchange's bounds for MaxChangesReturned.
pub(crate) const MAX_CHANGES_LIMIT: u32 = 512;

/// The changes since the previous sync state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncChanges {
    /// Pass this whole, unchanged, to the next call.
    pub sync_state: String,
    /// False when more changes wait: call again with the new sync state.
    pub includes_last_item_in_range: bool,
    pub created: Vec<ItemId<'static>>,
    pub updated: Vec<ItemId<'static>>,
    pub deleted: Vec<ItemId<'static>>,
}

/// The request for the changes in `mailbox`'s calendar since `sync_state` (None: from
/// the start), at most `max_changes` (1 to 512) of them.
pub fn request(
    header: &RequestHeader,
    mailbox: &str,
    sync_state: Option<&str>,
    max_changes: u32,
) -> Vec<u8> {
    ews_envelope(header, |w| write_sync(w, mailbox, sync_state, max_changes))
}

fn write_sync(
    w: &mut XmlWriter,
    mailbox: &str,
    sync_state: Option<&str>,
    max_changes: u32,
) -> io::Result<()> {
    w.create_element("m:SyncFolderItems")
        .write_inner_content(|w| {
            w.create_element("m:ItemShape").write_inner_content(|w| {
                w.create_element("t:BaseShape")
                    .write_text_content(BytesText::new("IdOnly"))?;
                Ok(())
            })?;
            w.create_element("m:SyncFolderId")
                .write_inner_content(|w| room_calendar_folder(w, mailbox))?;
            if let Some(state) = sync_state.filter(|s| !s.is_empty()) {
                text_element(w, "m:SyncState", state)?;
            }
            let max = max_changes.clamp(1, MAX_CHANGES_LIMIT).to_string();
            text_element(w, "m:MaxChangesReturned", &max)?;
            Ok(())
        })?;
    Ok(())
}

/// What a SyncFolderItems response message carries.
#[derive(Debug, Default)]
struct Payload {
    /// `SyncState`, trimmed.
    sync_state: Option<String>,
    includes_last_item_in_range: Option<bool>,
    changes: Vec<Change>,
}

/// A response message's child, for `response::read_messages`.
fn read_message_child<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    found: &mut Payload,
) -> Read<bool> {
    match tag.name() {
        "SyncState" => found.sync_state = Some(trim(&reader.text(tag)?).to_string()),
        "IncludesLastItemInRange" => {
            found.includes_last_item_in_range = parse_bool(&reader.text(tag)?);
        }
        "Changes" => found.changes = read_changes(reader, tag)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// One entry of `Changes`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Create(ItemId<'static>),
    Update(ItemId<'static>),
    Delete(ItemId<'static>),
}

/// Reads a `Changes` element; entries without an item id (read-flag changes …) are left
/// out.
fn read_changes<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Vec<Change>> {
    let mut changes = Vec::new();
    while let Some(change) = reader.next_child(tag)? {
        let kind: fn(ItemId<'static>) -> Change = match change.name() {
            "Create" => Change::Create,
            "Update" => Change::Update,
            "Delete" => Change::Delete,
            _ => {
                reader.skip(&change)?;
                continue;
            }
        };
        let id = match change.name() {
            // Create and Update wrap the item (CalendarItem, MeetingRequest …).
            "Delete" => read_item_id(reader, &change)?,
            _ => {
                let mut id = None;
                let mut first = true;
                while let Some(item) = reader.next_child(&change)? {
                    if first {
                        first = false;
                        id = read_item_id(reader, &item)?;
                    } else {
                        reader.skip(&item)?;
                    }
                }
                id
            }
        };
        changes.extend(id.map(kind));
    }
    Ok(changes)
}

/// The `ItemId` child of an element.
fn read_item_id<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Option<ItemId<'static>>> {
    let mut id = None;
    let mut seen = false;
    while let Some(child) = reader.next_child(tag)? {
        if child.name() == "ItemId" && !seen {
            seen = true;
            id = ItemId::from_tag(&child).map(ItemId::into_owned);
        }
        reader.skip(&child)?;
    }
    Ok(id)
}

/// Reads a SyncFolderItems response. ErrorInvalidSyncStateData comes back as
/// `EwsError::InvalidSyncStateData`: start over without a sync state.
pub fn parse(answer: &[u8]) -> Result<Response<SyncChanges>, EwsError> {
    let response = single(read_messages(&document_text(answer), read_message_child)?)?;
    let (server_version, message) = (response.server_version, response.value);
    let sync_state = message.sync_state.unwrap_or_default();
    if sync_state.is_empty() {
        return Err(EwsError::UnexpectedResponse {
            detail: "SyncFolderItems answered without a SyncState".into(),
        });
    }
    let mut changes = SyncChanges {
        sync_state,
        includes_last_item_in_range: message.includes_last_item_in_range.unwrap_or(true),
        ..SyncChanges::default()
    };
    for change in message.changes {
        match change {
            Change::Create(id) => changes.created.push(id),
            Change::Update(id) => changes.updated.push(id),
            Change::Delete(id) => changes.deleted.push(id),
        }
    }
    Ok(Response {
        server_version,
        value: changes,
    })
}
