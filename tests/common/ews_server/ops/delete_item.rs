//! DeleteItem of calendar items: each id answered in order, deleted or
//! ErrorItemNotFound, ErrorAccessDenied for a mailbox the account may only read.

use super::{ACCESS_DENIED, OpAnswer, OpContext};
use crate::common::ews_server::mailbox::mailbox_number_of;
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{error_message, success_message};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "DeleteItem";

pub fn answer(context: &OpContext<'_>, state: &mut ServerState, request: &Element) -> OpAnswer {
    let ids: Vec<String> = request
        .child("ItemIds")
        .map(|ids| {
            ids.children
                .iter()
                .filter_map(|id| id.attribute("Id").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let messages = ids
        .iter()
        .map(|id| {
            let Ok(number) = mailbox_number_of(id) else {
                return error_message(OPERATION, "ErrorInvalidIdMalformed", "Id is malformed.", "");
            };
            if !context.may_write(state, number) {
                let (code, message) = ACCESS_DENIED;
                return error_message(OPERATION, code, message, "");
            }
            if state
                .mailboxes
                .get_mut(number)
                .is_some_and(|store| store.delete(id))
            {
                success_message(OPERATION, "")
            } else {
                error_message(
                    OPERATION,
                    "ErrorItemNotFound",
                    "The specified object was not found in the store.",
                    "",
                )
            }
        })
        .collect();
    OpAnswer::Messages(messages)
}
