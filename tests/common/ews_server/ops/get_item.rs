//! GetItem: one response message per requested id, in order, each a Success with the
//! item in the requested shape or an Error (ErrorItemNotFound, ErrorInvalidIdMalformed).

use super::shape::{Shape, calendar_item};
use super::{ACCESS_DENIED, OpAnswer, OpContext};
use crate::common::ews_server::mailbox::{LookupError, ResolvedItem, mailbox_number_of};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message,
};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "GetItem";

fn lookup(
    context: &OpContext<'_>,
    state: &ServerState,
    id: &Element,
) -> Result<ResolvedItem, (&'static str, &'static str)> {
    let not_found = (
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    );
    let malformed = ("ErrorInvalidIdMalformed", "Id is malformed.");
    let (item_id, occurrence) = match id.name.as_str() {
        "ItemId" => (id.attribute("Id").unwrap_or_default(), None),
        "OccurrenceItemId" => {
            let index = id
                .attribute("InstanceIndex")
                .and_then(|index| index.trim().parse::<u32>().ok())
                .ok_or(malformed)?;
            (
                id.attribute("RecurringMasterId").unwrap_or_default(),
                Some(index),
            )
        }
        _ => return Err(not_found),
    };
    let number = mailbox_number_of(item_id).map_err(|_| malformed)?;
    let store = state.mailboxes.get(number).ok_or(not_found)?;
    if !context.may_open(state, number) {
        return Err(ACCESS_DENIED);
    }
    let resolved = match occurrence {
        None => store.resolve(item_id),
        Some(index) => store.resolve_occurrence(item_id, index),
    };
    resolved.map_err(|error| match error {
        LookupError::Malformed => malformed,
        LookupError::NotFound => not_found,
    })
}

/// How many ids a GetItem asks for (a fault answers each of them).
pub fn requested_ids(request: &Element) -> usize {
    request
        .child("ItemIds")
        .map_or(1, |ids| ids.children.len().max(1))
}

pub fn answer(context: &OpContext<'_>, state: &ServerState, request: &Element) -> OpAnswer {
    let shape = match Shape::requested(request, context.version) {
        Ok(shape) => shape,
        Err(fault) => return fault,
    };
    let Some(ids) = request
        .child("ItemIds")
        .filter(|ids| !ids.children.is_empty())
    else {
        return OpAnswer::Fault(schema_validation_fault(
            "The element 'GetItem' has incomplete content. List of possible elements expected: 'ItemIds'.",
        ));
    };
    let messages = ids
        .children
        .iter()
        .map(|id| match lookup(context, state, id) {
            Ok(item) => success_message(
                OPERATION,
                &format!(
                    "<m:Items>{}</m:Items>",
                    calendar_item(&item, &shape, context.subject_text)
                ),
            ),
            Err((code, message)) => error_message(OPERATION, code, message, "<m:Items/>"),
        })
        .collect();
    OpAnswer::Messages(messages)
}
