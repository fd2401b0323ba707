//! Unsubscribe: ends a pull or streaming subscription the console no longer uses, so
//! it stops counting against the server's limits.

use super::envelope::{RequestHeader, ews_envelope, text_element};
use super::error::EwsError;
use super::response::{Response, read_messages, single};
use super::xml::document_text;

/// The Unsubscribe request for `subscription_id`.
pub fn request(header: &RequestHeader, subscription_id: &str) -> Vec<u8> {
    ews_envelope(header, |w| {
        w.create_element("m:Unsubscribe")
            .write_inner_content(|w| text_element(w, "m:SubscriptionId", subscription_id))?;
        Ok(())
    })
}

/// Reads an Unsubscribe response.
pub fn parse(answer: &[u8]) -> Result<Response<()>, EwsError> {
    single(read_messages(
        &document_text(answer),
        |_, _, _: &mut ()| Ok(false),
    )?)
}
