//! CreateItem as Exchange answers the room console's two uses of it: a `CalendarItem`
//! saved in a calendar (Book now: the item keeps its extended properties, the acting
//! mailbox is its organizer, no invitations), and a `DeclineItem` response object
//! (the room declines a meeting or one occurrence; the organizer receives the note).

use super::find_item::parse_date_time;
use super::{ACCESS_DENIED, OpAnswer, OpContext};
use crate::common::ews_server::item::{BodyKind, CalendarItem, ItemBody, Organizer};
use crate::common::ews_server::mailbox::{LookupError, mailbox_number_of};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message, text,
};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "CreateItem";
const NOT_FOUND: (&str, &str) = (
    "ErrorItemNotFound",
    "The specified object was not found in the store.",
);

fn error(code: &str, message: &str) -> OpAnswer {
    OpAnswer::Messages(error_message(OPERATION, code, message, "<m:Items/>"))
}

pub fn answer(context: &OpContext<'_>, state: &mut ServerState, request: &Element) -> OpAnswer {
    let Some(item) = request
        .child("Items")
        .and_then(|items| items.children.first())
    else {
        return OpAnswer::Fault(schema_validation_fault(
            "The element 'CreateItem' has incomplete content. List of possible elements expected: 'Items'.",
        ));
    };
    match item.name.as_str() {
        "CalendarItem" => create_calendar_item(context, state, request, item),
        "DeclineItem" => decline(context, state, item),
        other => error(
            "ErrorInvalidRequest",
            &format!("This test server does not create a {other}."),
        ),
    }
}

fn create_calendar_item(
    context: &OpContext<'_>,
    state: &mut ServerState,
    request: &Element,
    element: &Element,
) -> OpAnswer {
    if request.attribute("SendMeetingInvitations").is_none() {
        return error(
            "ErrorSendMeetingInvitationsRequired",
            "SendMeetingInvitations attribute is required for calendar items.",
        );
    }
    let number = match context.calendar_folder(state, request.child("SavedItemFolderId")) {
        Ok(number) => number,
        Err((code, message)) => return error(code, message),
    };
    if !context.may_write(state, number) {
        let (code, message) = ACCESS_DENIED;
        return error(code, message);
    }
    let time = |name: &str| element.child(name).and_then(|t| parse_date_time(&t.text));
    let (Some(start), Some(end)) = (time("Start"), time("End")) else {
        return error(
            "ErrorCalendarInvalidDayForTimeChangePattern",
            "This test server needs Start and End on a new calendar item.",
        );
    };
    if end < start {
        return error(
            "ErrorCalendarEndDateIsEarlierThanStartDate",
            "EndDate is earlier than StartDate",
        );
    }
    let mailbox = &state.mailboxes[number];
    let subject = element
        .child("Subject")
        .map(|s| s.text.clone())
        .unwrap_or_default();
    let mut item = CalendarItem::new(&subject, start, end);
    item.organizer = Some(Organizer {
        name: mailbox.display_name.clone(),
        email: mailbox.smtp.clone(),
    });
    item.body = element.child("Body").map(|body| ItemBody {
        kind: BodyKind::Text,
        content: body.text.clone(),
    });
    item.booking_id = element
        .children_named("ExtendedProperty")
        .find(|p| {
            p.child("ExtendedFieldURI")
                .and_then(|uri| uri.attribute("PropertyName"))
                == Some("RoomConsoleBookingId")
        })
        .and_then(|p| p.child("Value"))
        .map(|v| v.trimmed_text().to_string());
    let store = &mut state.mailboxes[number];
    let id = store.create(item);
    let change_key = store.resolve(&id).map(|r| r.change_key).unwrap_or_default();
    if std::mem::take(&mut store.fail_after_next_create) {
        return error(
            "ErrorInternalServerTransientError",
            "An internal server error occurred. Try again later.",
        );
    }
    OpAnswer::Messages(success_message(
        OPERATION,
        &format!(
            r#"<m:Items><t:CalendarItem><t:ItemId Id="{}" ChangeKey="{}"/></t:CalendarItem></m:Items>"#,
            text(&id),
            text(&change_key)
        ),
    ))
}

fn decline(context: &OpContext<'_>, state: &mut ServerState, element: &Element) -> OpAnswer {
    let Some(id) = element
        .child("ReferenceItemId")
        .and_then(|r| r.attribute("Id"))
        .map(str::to_string)
    else {
        return OpAnswer::Fault(schema_validation_fault(
            "The element 'DeclineItem' has incomplete content. List of possible elements expected: 'ReferenceItemId'.",
        ));
    };
    let Ok(number) = mailbox_number_of(&id) else {
        return error("ErrorInvalidIdMalformed", "Id is malformed.");
    };
    if number >= state.mailboxes.len() {
        return error(NOT_FOUND.0, NOT_FOUND.1);
    }
    if !context.may_write(state, number) {
        let (code, message) = ACCESS_DENIED;
        return error(code, message);
    }
    let note = element
        .child("Body")
        .map(|b| b.text.clone())
        .unwrap_or_default();
    match state.mailboxes[number].decline(&id, &note) {
        Ok(()) => OpAnswer::Messages(success_message(OPERATION, "<m:Items/>")),
        Err(LookupError::Malformed) => error("ErrorInvalidIdMalformed", "Id is malformed."),
        Err(LookupError::NotFound) => error(NOT_FOUND.0, NOT_FOUND.1),
    }
}
