//! DeclineItem (CreateItem of a `t:DeclineItem` response object): the room declines one
//! meeting — an occurrence's own id declines that occurrence only, never the series —
//! and the organizer receives the decline with the console's note.

use std::io;

use super::client::EwsClient;
use super::envelope::{RequestHeader, XmlWriter, element, element_with, ews_envelope, text_body};
use super::error::EwsError;
use super::item::ItemId;
use super::response::single_status;

/// The request declining `item` with `note` as the message body.
pub fn request(header: &RequestHeader, item: &ItemId<'_>, note: &str) -> Vec<u8> {
    ews_envelope(header, |w| write_decline(w, item, note))
}

fn write_decline(w: &mut XmlWriter, item: &ItemId<'_>, note: &str) -> io::Result<()> {
    let attributes = [("MessageDisposition", "SendAndSaveCopy")];
    element_with(w, "m:CreateItem", attributes, |w| {
        element(w, "m:Items", |w| {
            element(w, "t:DeclineItem", |w| {
                text_body(w, note)?;
                super::item::item_id_element(w, "t:ReferenceItemId", item)
            })
        })
    })
}

/// Reads the response: success or the typed error.
pub fn parse(answer: &[u8]) -> Result<(), EwsError> {
    single_status(answer).map(|_| ())
}

impl EwsClient {
    /// Declines `item` as the room, sending `note` to the organizer.
    pub async fn decline(&self, item: &ItemId<'_>, note: &str) -> Result<(), EwsError> {
        let answer = self.post(request(&self.header(), item, note)).await?;
        parse(&answer)
    }
}
