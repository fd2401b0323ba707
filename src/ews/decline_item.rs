//! DeclineItem (CreateItem of a `t:DeclineItem` response object): the room declines one
//! meeting — an occurrence's own id declines that occurrence only, never the series —
//! and the organizer receives the decline with the console's note.

use std::io;

use quick_xml::events::BytesText;

use super::client::EwsClient;
use super::envelope::{RequestHeader, XmlWriter, ews_envelope};
use super::error::EwsError;
use super::item::ItemId;
use super::response::{read_messages, single};
use super::xml::document_text;

/// The request declining `item` with `note` as the message body.
pub fn request(header: &RequestHeader, item: &ItemId<'_>, note: &str) -> Vec<u8> {
    ews_envelope(header, |w| write_decline(w, item, note))
}

fn write_decline(w: &mut XmlWriter, item: &ItemId<'_>, note: &str) -> io::Result<()> {
    w.create_element("m:CreateItem")
        .with_attribute(("MessageDisposition", "SendAndSaveCopy"))
        .write_inner_content(|w| {
            w.create_element("m:Items").write_inner_content(|w| {
                w.create_element("t:DeclineItem").write_inner_content(|w| {
                    w.create_element("t:Body")
                        .with_attribute(("BodyType", "Text"))
                        .write_text_content(BytesText::new(note))?;
                    super::item::item_id_element(w, "t:ReferenceItemId", item)
                })?;
                Ok(())
            })?;
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
    /// Declines `item` as the room, sending `note` to the organizer.
    pub async fn decline(&self, item: &ItemId<'_>, note: &str) -> Result<(), EwsError> {
        let answer = self.post(request(&self.header(), item, note)).await?;
        parse(&answer)
    }
}
