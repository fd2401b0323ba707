//! DeleteItem of a booking the console made itself (it is the organizer, there is nobody
//! to tell): moved to Deleted Items, no cancellations sent.

use std::io;

use super::client::EwsClient;
use super::envelope::{RequestHeader, XmlWriter, element, element_with, ews_envelope};
use super::error::EwsError;
use super::item::ItemId;
use super::response::single_status;

/// The request deleting `item`.
pub fn request(header: &RequestHeader, item: &ItemId<'_>) -> Vec<u8> {
    ews_envelope(header, |w| write_delete(w, item))
}

fn write_delete(w: &mut XmlWriter, item: &ItemId<'_>) -> io::Result<()> {
    let attributes = [
        ("DeleteType", "MoveToDeletedItems"),
        ("SendMeetingCancellations", "SendToNone"),
    ];
    element_with(w, "m:DeleteItem", attributes, |w| {
        element(w, "m:ItemIds", |w| {
            super::item::item_id_element(w, "t:ItemId", item)
        })
    })
}

/// Reads the response: success or the typed error.
pub fn parse(answer: &[u8]) -> Result<(), EwsError> {
    single_status(answer).map(|_| ())
}

impl EwsClient {
    /// Deletes `item` (one of the console's own bookings).
    pub async fn delete(&self, item: &ItemId<'_>) -> Result<(), EwsError> {
        let answer = self.post(request(&self.header(), item)).await?;
        parse(&answer)
    }
}
