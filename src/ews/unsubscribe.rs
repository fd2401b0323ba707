//! Unsubscribe: ends a pull or streaming subscription the console no longer uses, so
//! it stops counting against the server's limits.

use super::envelope::{RequestHeader, element, ews_envelope, text_element};
use super::error::EwsError;
use super::response::{Response, single_status};

/// The Unsubscribe request for `subscription_id`.
pub fn request(header: &RequestHeader, subscription_id: &str) -> Vec<u8> {
    ews_envelope(header, |w| {
        element(w, "m:Unsubscribe", |w| {
            text_element(w, "m:SubscriptionId", subscription_id)
        })
    })
}

/// Reads an Unsubscribe response.
pub fn parse(answer: &[u8]) -> Result<Response<()>, EwsError> {
    single_status(answer)
}
