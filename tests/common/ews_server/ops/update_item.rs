//! UpdateItem of a calendar item's `End` (SetItemField), with Exchange's ChangeKey
//! check: under `ConflictResolution="NeverOverwrite"` a stale ChangeKey is
//! ErrorIrresolvableConflict and nothing changes.

use super::find_item::parse_date_time;
use super::{ACCESS_DENIED, OpAnswer, OpContext};
use crate::common::ews_server::mailbox::{LookupError, WriteError, mailbox_number_of};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message, text,
};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "UpdateItem";

fn error(code: &str, message: &str) -> OpAnswer {
    OpAnswer::Messages(error_message(OPERATION, code, message, "<m:Items/>"))
}

fn lookup_error(error_kind: LookupError) -> OpAnswer {
    match error_kind {
        LookupError::Malformed => error("ErrorInvalidIdMalformed", "Id is malformed."),
        LookupError::NotFound => error(
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        ),
    }
}

pub fn answer(context: &OpContext<'_>, state: &mut ServerState, request: &Element) -> OpAnswer {
    let Some(change) = request.path(&["ItemChanges", "ItemChange"]) else {
        return OpAnswer::Fault(schema_validation_fault(
            "The element 'UpdateItem' has incomplete content. List of possible elements expected: 'ItemChanges'.",
        ));
    };
    let Some(item_id) = change.child("ItemId") else {
        return error("ErrorInvalidIdEmpty", "Id is empty.");
    };
    let id = item_id.attribute("Id").unwrap_or_default().to_string();
    let Some(end) = change
        .path(&["Updates", "SetItemField", "CalendarItem", "End"])
        .and_then(|end| parse_date_time(&end.text))
    else {
        return error(
            "ErrorInvalidPropertySet",
            "This test server updates only calendar:End.",
        );
    };
    let Ok(number) = mailbox_number_of(&id) else {
        return error("ErrorInvalidIdMalformed", "Id is malformed.");
    };
    if number >= state.mailboxes.len() {
        return lookup_error(LookupError::NotFound);
    }
    if !context.may_write(state, number) {
        let (code, message) = ACCESS_DENIED;
        return error(code, message);
    }
    let store = &mut state.mailboxes[number];
    if std::mem::take(&mut store.change_before_next_update) {
        store.modify(&id, |_| {});
    }
    let never_overwrite = request.attribute("ConflictResolution") == Some("NeverOverwrite");
    match store.check_change_key(&id, item_id.attribute("ChangeKey")) {
        Ok(()) => {}
        Err(WriteError::StaleChangeKey) if never_overwrite => {
            return error(
                "ErrorIrresolvableConflict",
                "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
            );
        }
        Err(WriteError::StaleChangeKey) => {}
        Err(WriteError::Lookup(kind)) => return lookup_error(kind),
    }
    match store.set_end(&id, end) {
        Ok(change_key) => OpAnswer::Messages(success_message(
            OPERATION,
            &format!(
                r#"<m:Items><t:CalendarItem><t:ItemId Id="{}" ChangeKey="{}"/></t:CalendarItem></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"#,
                text(&id),
                text(&change_key)
            ),
        )),
        Err(kind) => lookup_error(kind),
    }
}
