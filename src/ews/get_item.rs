//! GetItem for a batch of calendar items: everything the console shows and needs for
//! join detection (body, organizer, times, online meeting links).

use std::borrow::Cow;
use std::io;

use quick_xml::events::BytesText;
use yoke::Yokeable;

use super::envelope::{RequestHeader, XmlWriter, ews_envelope, field_uri};
use super::error::EwsError;
use super::item::{
    CalendarItem, ItemId, LYNC_PROPERTY_SET, ONLINE_MEETING_EXTERNAL_LINK, read_first_item,
};
use super::response::{Response, read_messages};
use super::version::RequestVersion;
use super::xml::document_text;

/// The body format to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyType {
    /// Whatever the item has (HTML for most invitations).
    #[default]
    Best,
    Html,
}

/// What to fetch besides the always-read fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GetItemOptions {
    pub body_type: BodyType,
    pub with_attendees: bool,
}

/// The request for `ids`, written for the schema `header.version`: fields a version does
/// not know are left out, since Exchange refuses them with ErrorSchemaValidation.
pub fn request(header: &RequestHeader, ids: &[ItemId<'_>], options: GetItemOptions) -> Vec<u8> {
    ews_envelope(header, |w| write_get_item(w, header.version, ids, options))
}

fn fields(version: RequestVersion, options: GetItemOptions) -> Vec<&'static str> {
    let mut fields = vec![
        "item:Subject",
        "item:Body",
        "item:Sensitivity",
        "calendar:Organizer",
    ];
    if options.with_attendees {
        fields.extend(["calendar:RequiredAttendees", "calendar:OptionalAttendees"]);
    }
    fields.extend([
        "calendar:Location",
        "calendar:Start",
        "calendar:End",
        "calendar:IsAllDayEvent",
        "calendar:IsCancelled",
        "calendar:LegacyFreeBusyStatus",
        "calendar:UID",
        "calendar:CalendarItemType",
        "calendar:RecurrenceId",
        "calendar:OriginalStart",
    ]);
    if version.has_online_meeting_fields() {
        fields.extend(["calendar:StartTimeZoneId", "calendar:JoinOnlineMeetingUrl"]);
    } else if version.has_start_time_zone() {
        fields.push("calendar:StartTimeZone");
    } else {
        fields.push("calendar:TimeZone");
    }
    fields
}

fn write_get_item(
    w: &mut XmlWriter,
    version: RequestVersion,
    ids: &[ItemId<'_>],
    options: GetItemOptions,
) -> io::Result<()> {
    w.create_element("m:GetItem").write_inner_content(|w| {
        w.create_element("m:ItemShape").write_inner_content(|w| {
            w.create_element("t:BaseShape")
                .write_text_content(BytesText::new("IdOnly"))?;
            let body_type = match options.body_type {
                BodyType::Best => "Best",
                BodyType::Html => "HTML",
            };
            w.create_element("t:BodyType")
                .write_text_content(BytesText::new(body_type))?;
            w.create_element("t:AdditionalProperties")
                .write_inner_content(|w| {
                    fields(version, options)
                        .iter()
                        .try_for_each(|f| field_uri(w, f))?;
                    w.create_element("t:ExtendedFieldURI")
                        .with_attributes([
                            ("PropertySetId", LYNC_PROPERTY_SET),
                            ("PropertyName", ONLINE_MEETING_EXTERNAL_LINK),
                            ("PropertyType", "String"),
                        ])
                        .write_empty()?;
                    super::marker::write_field_uri(w)?;
                    Ok(())
                })?;
            Ok(())
        })?;
        w.create_element("m:ItemIds").write_inner_content(|w| {
            ids.iter()
                .try_for_each(|id| super::item::item_id_element(w, "t:ItemId", id))
        })?;
        Ok(())
    })?;
    Ok(())
}

/// What `parse` reads, kept together with the response it borrows from (see
/// `client::Parsed`): one result per requested id, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Yokeable)]
pub struct ItemResults<'a>(pub Vec<Result<CalendarItem<'a>, EwsError>>);

/// Reads a GetItem response: one result per requested id, in request order. An item
/// that fails on its own (deleted meanwhile, malformed) is an `Err` in its place; an
/// error that concerns the whole request (throttling, rights, version) fails the call.
/// The items borrow from `answer` (owned only when it is not UTF-8).
pub fn parse(answer: &[u8]) -> Result<Response<Vec<Result<CalendarItem<'_>, EwsError>>>, EwsError> {
    match document_text(answer) {
        Cow::Borrowed(text) => read(text),
        Cow::Owned(text) => read(&text).map(|response| Response {
            server_version: response.server_version,
            value: response
                .value
                .into_iter()
                .map(|item| item.map(CalendarItem::into_owned))
                .collect(),
        }),
    }
}

fn read(text: &str) -> Result<Response<Vec<Result<CalendarItem<'_>, EwsError>>>, EwsError> {
    let response = read_messages(text, read_first_item)?;
    let mut results = Vec::with_capacity(response.value.len());
    for message in response.value {
        match message.status {
            Ok(()) => results.push(message.payload.unwrap_or_else(|| {
                Err(EwsError::UnexpectedResponse {
                    detail: "a GetItem response message without an item".into(),
                })
            })),
            Err(error) if concerns_one_item(&error) => results.push(Err(error)),
            Err(error) => return Err(error),
        }
    }
    Ok(Response {
        server_version: response.server_version,
        value: results,
    })
}

/// Whether an error in one response message is about that item only.
fn concerns_one_item(error: &EwsError) -> bool {
    match error {
        EwsError::ItemNotFound => true,
        EwsError::Exchange { code, .. } => matches!(
            code.as_str(),
            "ErrorInvalidIdMalformed"
                | "ErrorInvalidIdNotAnItemAttachmentId"
                | "ErrorInvalidChangeKey"
                | "ErrorItemCorrupt"
                | "ErrorCorruptData"
                | "ErrorInvalidIdEmpty"
                | "ErrorInvalidIdReturnedByResolveNames"
                | "ErrorInvalidPropertyRequest"
                | "ErrorChangeKeyRequiredForWriteOperations"
                | "ErrorStaleObject"
        ),
        _ => false,
    }
}
