//! UpdateItem of a meeting's `End`: Extend and End now. Sent with the ChangeKey the
//! console last read and `ConflictResolution="NeverOverwrite"`, so a meeting changed
//! meanwhile is refused (ErrorIrresolvableConflict) instead of overwritten: the caller
//! re-reads and decides again.

use std::io;

use chrono::{DateTime, Utc};

use super::client::EwsClient;
use super::envelope::{RequestHeader, XmlWriter, ews_envelope, field_uri, text_element};
use super::error::EwsError;
use super::item::{ItemId, format_date_time, read_first_item};
use super::response::{read_messages, single};
use super::xml::document_text;

/// The request moving the end of `item` to `end`.
pub fn request(header: &RequestHeader, item: &ItemId<'_>, end: DateTime<Utc>) -> Vec<u8> {
    ews_envelope(header, |w| write_update(w, item, end))
}

fn write_update(w: &mut XmlWriter, item: &ItemId<'_>, end: DateTime<Utc>) -> io::Result<()> {
    w.create_element("m:UpdateItem")
        .with_attributes([
            ("ConflictResolution", "NeverOverwrite"),
            ("SendMeetingInvitationsOrCancellations", "SendToNone"),
        ])
        .write_inner_content(|w| {
            w.create_element("m:ItemChanges").write_inner_content(|w| {
                w.create_element("t:ItemChange").write_inner_content(|w| {
                    super::item::item_id_element(w, "t:ItemId", item)?;
                    w.create_element("t:Updates").write_inner_content(|w| {
                        w.create_element("t:SetItemField")
                            .write_inner_content(|w| {
                                field_uri(w, "calendar:End")?;
                                w.create_element("t:CalendarItem")
                                    .write_inner_content(|w| {
                                        text_element(w, "t:End", &format_date_time(end))
                                    })?;
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
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
    pub async fn update_end(
        &self,
        item: &ItemId<'_>,
        end: DateTime<Utc>,
    ) -> Result<Option<ItemId<'static>>, EwsError> {
        let answer = self.post(request(&self.header(), item, end)).await?;
        parse(&answer)
    }
}
