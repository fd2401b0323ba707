//! SyncFolderItems on a calendar: Create / Update / Delete changes since an opaque
//! SyncState, at most MaxChangesReturned of them, and ErrorInvalidSyncStateData for a
//! state this mailbox did not issue.

use super::shape::{Shape, calendar_item};
use super::{OpAnswer, OpContext};
use crate::common::ews_server::mailbox::SyncChange;
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message, text,
};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "SyncFolderItems";
/// MaxSyncChangesReturnedType's upper bound in types.xsd.
const MOST_CHANGES: usize = 512;

/// What follows DescriptiveLinkKey in a SyncFolderItems error, as Exchange writes it.
pub const ERROR_TRAILER: &str =
    "<m:SyncState/><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange>";

pub fn answer(context: &OpContext<'_>, state: &ServerState, request: &Element) -> OpAnswer {
    let shape = match Shape::requested(request, context.version) {
        Ok(shape) => shape,
        Err(fault) => return fault,
    };
    let max_changes = match request
        .child("MaxChangesReturned")
        .map(|max| max.trimmed_text().parse::<usize>())
    {
        Some(Ok(max)) if (1..=MOST_CHANGES).contains(&max) => max,
        _ => {
            return OpAnswer::Fault(schema_validation_fault(
                "The 'MaxChangesReturned' element is invalid - The value must be between 1 and 512.",
            ));
        }
    };
    let number = match context.calendar_folder(state, request.child("SyncFolderId")) {
        Ok(number) => number,
        Err((code, message)) => {
            return OpAnswer::Messages(error_message(OPERATION, code, message, ERROR_TRAILER));
        }
    };
    let sync_state = request.child("SyncState").map(Element::trimmed_text);
    let Some(page) = state.mailboxes[number].sync(sync_state, max_changes) else {
        return OpAnswer::Messages(error_message(
            OPERATION,
            "ErrorInvalidSyncStateData",
            "Synchronization state data is corrupt or otherwise invalid.",
            ERROR_TRAILER,
        ));
    };
    let changes: String = page
        .changes
        .iter()
        .map(|change| match change {
            SyncChange::Create(item) => format!(
                "<t:Create>{}</t:Create>",
                calendar_item(item, &shape, context.subject_text)
            ),
            SyncChange::Update(item) => format!(
                "<t:Update>{}</t:Update>",
                calendar_item(item, &shape, context.subject_text)
            ),
            SyncChange::Delete { id, change_key } => format!(
                r#"<t:Delete><t:ItemId Id="{}" ChangeKey="{}"/></t:Delete>"#,
                text(id),
                text(change_key)
            ),
        })
        .collect();
    OpAnswer::Messages(success_message(
        OPERATION,
        &format!(
            "<m:SyncState>{}</m:SyncState><m:IncludesLastItemInRange>{}</m:IncludesLastItemInRange><m:Changes>{changes}</m:Changes>",
            text(&page.sync_state),
            page.includes_last_item_in_range
        ),
    ))
}
