//! Reads what the response messages of the subscription operations carry (subscription
//! ids, watermarks, notifications, connection status) beside the shared reader: the
//! envelope is read by `response` first, for SOAP faults, ServerVersionInfo and each
//! message's ResponseClass/ResponseCode; then each operation reads its own elements of
//! the same messages here.

use super::error::EwsError;
use super::response::{Envelope, Response, response_messages};
use super::xml::{Read, Tag, XmlReader, document_text};

/// One response message: its status, and what the operation read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Message<T> {
    pub status: Result<(), EwsError>,
    pub payload: T,
}

/// Reads every `ResponseMessages/*` of an answer. `read_child` is offered each child of
/// a message and returns true when it read it (false: the child is passed over).
pub(crate) fn read_messages<T: Default>(
    bytes: &[u8],
    mut read_child: impl for<'a> FnMut(&mut XmlReader<'a>, &Tag<'a>, &mut T) -> Read<bool>,
) -> Result<Response<Vec<Message<T>>>, EwsError> {
    let envelope = Envelope::parse(bytes)?;
    let statuses: Vec<Result<(), EwsError>> = response_messages(&envelope.body)?
        .iter()
        .map(|message| message.status.clone())
        .collect();
    let text = document_text(bytes);
    let mut payloads = Vec::with_capacity(statuses.len());
    let mut reader = XmlReader::new(&text);
    let root = reader.root()?;
    while let Some(part) = reader.next_child(&root)? {
        if part.name() != "Body" {
            reader.skip(&part)?;
            continue;
        }
        while let Some(operation) = reader.next_child(&part)? {
            while let Some(messages) = reader.next_child(&operation)? {
                if messages.name() != "ResponseMessages" {
                    reader.skip(&messages)?;
                    continue;
                }
                while let Some(message) = reader.next_child(&messages)? {
                    let mut payload = T::default();
                    while let Some(child) = reader.next_child(&message)? {
                        if !read_child(&mut reader, &child, &mut payload)? {
                            reader.skip(&child)?;
                        }
                    }
                    payloads.push(payload);
                }
            }
        }
    }
    reader.finish()?;
    Ok(Response {
        server_version: envelope.server_version,
        value: statuses
            .into_iter()
            .zip(payloads)
            .map(|(status, payload)| Message { status, payload })
            .collect(),
    })
}

/// The single message of an operation on one subscription, checked: an error
/// ResponseClass is its typed error.
pub(crate) fn single<T>(response: Response<Vec<Message<T>>>) -> Result<Response<T>, EwsError> {
    let message =
        response
            .value
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: "the answer has no response message".into(),
            })?;
    message.status?;
    Ok(Response {
        server_version: response.server_version,
        value: message.payload,
    })
}
