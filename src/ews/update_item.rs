//! UpdateItem of a meeting's `End`: Extend and End now. Sent with the ChangeKey the
//! console last read and `ConflictResolution="NeverOverwrite"`, so a meeting changed
//! meanwhile is refused (ErrorIrresolvableConflict) instead of overwritten: the caller
//! re-reads and decides again.

use std::io;

use chrono::{DateTime, Utc};

use super::client::EwsClient;
use super::envelope::{
    RequestHeader, XmlWriter, element, element_with, ews_envelope, field_uri, text_element,
};
use super::error::EwsError;
use super::item::{ItemId, format_date_time, read_first_item};
use super::response::{read_messages, single};
use super::xml::document_text;

/// The request moving the end of `item` to `end`.
pub fn request(header: &RequestHeader, item: &ItemId<'_>, end: DateTime<Utc>) -> Vec<u8> {
    ews_envelope(header, |w| write_update(w, item, end))
}

fn write_update(w: &mut XmlWriter, item: &ItemId<'_>, end: DateTime<Utc>) -> io::Result<()> {
    let attributes = [
        ("ConflictResolution", "NeverOverwrite"),
        ("SendMeetingInvitationsOrCancellations", "SendToNone"),
    ];
    let set_end = |w: &mut XmlWriter| {
        field_uri(w, "calendar:End")?;
        element(w, "t:CalendarItem", |w| {
            text_element(w, "t:End", &format_date_time(end))
        })
    };
    element_with(w, "m:UpdateItem", attributes, |w| {
        element(w, "m:ItemChanges", |w| {
            element(w, "t:ItemChange", |w| {
                super::item::item_id_element(w, "t:ItemId", item)?;
                element(w, "t:Updates", |w| element(w, "t:SetItemField", set_end))
            })
        })
    })
}

/// Reads an UpdateItem response: the item's new id and ChangeKey, when Exchange sent it.
pub fn parse(answer: &[u8]) -> Result<Option<ItemId<'static>>, EwsError> {
    let text = document_text(answer);
    Ok(single(read_messages(&text, read_first_item)?)?
        .value
        .and_then(Result::ok)
        .map(|item| item.id.into_owned()))
}

impl EwsClient {
    /// Moves the end of `item` (with its current ChangeKey) to `end`.
    pub(crate) async fn update_end(
        &self,
        item: &ItemId<'_>,
        end: DateTime<Utc>,
    ) -> Result<Option<ItemId<'static>>, EwsError> {
        let answer = self.post(request(&self.header(), item, end)).await?;
        parse(&answer)
    }
}
