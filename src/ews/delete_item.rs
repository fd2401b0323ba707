//! DeleteItem of a booking the console made itself (it is the organizer, there is nobody
//! to tell): moved to Deleted Items, no cancellations sent.

use std::io;

use super::client::EwsClient;
use super::envelope::{RequestHeader, XmlWriter, ews_envelope};
use super::error::EwsError;
use super::item::ItemId;
use super::response::{read_messages, single};
use super::xml::document_text;

/// The request deleting `item`.
pub fn request(header: &RequestHeader, item: &ItemId<'_>) -> Vec<u8> {
    ews_envelope(header, |w| write_delete(w, item))
}

fn write_delete(w: &mut XmlWriter, item: &ItemId<'_>) -> io::Result<()> {
    w.create_element("m:DeleteItem")
        .with_attributes([
            ("DeleteType", "MoveToDeletedItems"),
            ("SendMeetingCancellations", "SendToNone"),
        ])
        .write_inner_content(|w| {
            w.create_element("m:ItemIds")
                .write_inner_content(|w| super::item::item_id_element(w, "t:ItemId", item))?;
            Ok(())
        })?;
    Ok(())
}

/// Reads the response: success or the typed error.
pub fn parse(answer: &[u8]) -> Result<(), EwsError> {
    let messages = read_messages(&document_text(answer), |_, _, _: &mut ()| Ok(false))?;
    single(messages).map(|_| ())
}

impl EwsClient {
    /// Deletes `item` (one of the console's own bookings).
    pub async fn delete(&self, item: &ItemId<'_>) -> Result<(), EwsError> {
        let answer = self.post(request(&self.header(), item)).await?;
        parse(&answer)
    }
}
