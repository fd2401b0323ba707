//! GetEvents: the events of a pull subscription since a watermark, for networks where
//! a streaming answer never arrives (a proxy that holds a response until it ends).

use super::envelope::{RequestHeader, element, ews_envelope, text_element};
use super::error::EwsError;
use super::notification::Notification;
use super::response::{Response, read_messages, single};
use super::xml::document_text;

/// The GetEvents request for `subscription_id` after `watermark`.
pub fn request(header: &RequestHeader, subscription_id: &str, watermark: &str) -> Vec<u8> {
    ews_envelope(header, |w| {
        element(w, "m:GetEvents", |w| {
            text_element(w, "m:SubscriptionId", subscription_id)?;
            text_element(w, "m:Watermark", watermark)
        })
    })
}

/// Reads a GetEvents response: the notification (a StatusEvent alone when nothing
/// happened). A lost subscription comes back as its error (see `SubscriptionLost`).
pub fn parse(answer: &[u8]) -> Result<Response<Notification>, EwsError> {
    single(read_messages(
        &document_text(answer),
        |reader, child, found: &mut Notification| {
            if child.name() != "Notification" {
                return Ok(false);
            }
            *found = Notification::read(reader, child)?;
            Ok(true)
        },
    )?)
}
