//! FindItem with a CalendarView: occurrences and singles overlapping the range, earliest
//! first, cut at MaxEntriesReturned with IncludesLastItemInRange="false", and the range
//! limits Exchange enforces.

use chrono::{DateTime, Months, NaiveDateTime, Utc};

use super::shape::{Field, Shape, calendar_item};
use super::{OpAnswer, OpContext};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{
    error_message, schema_validation_fault, success_message,
};
use crate::common::ews_server::state::ServerState;

const OPERATION: &str = "FindItem";

/// Reads an xs:dateTime; one without an offset is taken as UTC.
pub fn parse_date_time(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    DateTime::parse_from_rfc3339(value)
        .map(|parsed| parsed.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|naive| naive.and_utc())
        })
}

fn error(code: &str, message: &str) -> OpAnswer {
    OpAnswer::Messages(error_message(OPERATION, code, message, ""))
}

pub fn answer(context: &OpContext<'_>, state: &ServerState, request: &Element) -> OpAnswer {
    let Some(view) = request.child("CalendarView") else {
        return error(
            "ErrorInvalidOperation",
            "This test server answers FindItem only with a CalendarView.",
        );
    };
    let (Some(start), Some(end)) = (
        view.attribute("StartDate").and_then(parse_date_time),
        view.attribute("EndDate").and_then(parse_date_time),
    ) else {
        return OpAnswer::Fault(schema_validation_fault(
            "The 'StartDate' or 'EndDate' attribute is missing or is not a valid dateTime.",
        ));
    };
    let max_entries = match view.attribute("MaxEntriesReturned") {
        Some(value) => match value.trim().parse::<usize>() {
            Ok(max) if max > 0 => Some(max),
            _ => {
                return OpAnswer::Fault(schema_validation_fault(
                    "The 'MaxEntriesReturned' attribute is invalid.",
                ));
            }
        },
        None => None,
    };
    if end < start {
        return error(
            "ErrorCalendarEndDateIsEarlierThanStartDate",
            "EndDate is earlier than StartDate",
        );
    }
    if start
        .checked_add_months(Months::new(24))
        .is_some_and(|limit| end > limit)
    {
        return error(
            "ErrorCalendarViewRangeTooBig",
            "The specified view range exceeds the maximum range of two years.",
        );
    }
    let shape = match Shape::requested(request, context.version) {
        Ok(shape) => shape,
        Err(fault) => return fault,
    };
    if shape.wants(Field::Body)
        && request
            .path(&["ItemShape", "AdditionalProperties"])
            .is_some_and(|props| {
                props
                    .children_named("FieldURI")
                    .any(|f| f.attribute("FieldURI") == Some("item:Body"))
            })
    {
        return OpAnswer::Messages(error_message(
            OPERATION,
            "ErrorInvalidPropertyRequest",
            "Property is not valid for this object type.",
            r#"<m:MessageXml><t:FieldURI FieldURI="item:Body"/></m:MessageXml>"#,
        ));
    }
    let mut shape = shape;
    shape.fields.retain(|field| *field != Field::Body);
    let number = match context.calendar_folder(state, request.child("ParentFolderIds")) {
        Ok(number) => number,
        Err((code, message)) => return error(code, message),
    };
    let items = state.mailboxes[number].calendar_view(start, end);
    let total = items.len();
    let shown = max_entries.map_or(total, |max| max.min(total));
    let rendered: String = items
        .iter()
        .take(shown)
        .map(|item| calendar_item(item, &shape, context.subject_text))
        .collect();
    OpAnswer::Messages(success_message(
        OPERATION,
        &format!(
            r#"<m:RootFolder TotalItemsInView="{total}" IncludesLastItemInRange="{}"><t:Items>{rendered}</t:Items></m:RootFolder>"#,
            shown == total
        ),
    ))
}
