//! SyncFolderItems on the room's calendar: the change detector. It reports which items
//! were created, updated or deleted since the last SyncState, by id only.

use std::io;

use quick_xml::events::BytesText;

use super::envelope::{RequestHeader, XmlWriter, ews_envelope, room_calendar_folder, text_element};
use super::error::EwsError;
use super::item::ItemId;
use super::response::{Envelope, Response, parse_bool, single_message};

/// Exchange's bounds for MaxChangesReturned.
pub const MAX_CHANGES_LIMIT: u32 = 512;

/// The changes since the previous sync state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncChanges {
    /// Pass this whole, unchanged, to the next call.
    pub sync_state: String,
    /// False when more changes wait: call again with the new sync state.
    pub includes_last_item_in_range: bool,
    pub created: Vec<ItemId>,
    pub updated: Vec<ItemId>,
    pub deleted: Vec<ItemId>,
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

/// Reads a SyncFolderItems response. ErrorInvalidSyncStateData comes back as
/// `EwsError::InvalidSyncStateData`: start over without a sync state.
pub fn parse(envelope: &Envelope) -> Result<Response<SyncChanges>, EwsError> {
    let message = single_message(&envelope.body)?;
    let mut changes = SyncChanges {
        sync_state: message
            .child("SyncState")
            .map(|s| s.text.trim().to_string())
            .unwrap_or_default(),
        includes_last_item_in_range: message
            .child_text("IncludesLastItemInRange")
            .and_then(parse_bool)
            .unwrap_or(true),
        ..SyncChanges::default()
    };
    if changes.sync_state.is_empty() {
        return Err(EwsError::UnexpectedResponse {
            detail: "SyncFolderItems answered without a SyncState".into(),
        });
    }
    for change in message
        .child("Changes")
        .into_iter()
        .flat_map(|c| &c.children)
    {
        let id = match change.name.as_str() {
            // Create and Update wrap the item (CalendarItem, MeetingRequest …).
            "Create" | "Update" => change
                .children
                .first()
                .and_then(|item| item.child("ItemId")),
            "Delete" => change.child("ItemId"),
            _ => continue,
        }
        .and_then(ItemId::from_element);
        let Some(id) = id else { continue };
        match change.name.as_str() {
            "Create" => changes.created.push(id),
            "Update" => changes.updated.push(id),
            _ => changes.deleted.push(id),
        }
    }
    Ok(envelope.respond(changes))
}
