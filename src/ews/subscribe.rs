//! Subscribe on the room's calendar: a streaming subscription (events then arrive on
//! GetStreamingEvents) or a pull subscription (asked for with GetEvents from a
//! watermark), for the event types of [`CALENDAR_EVENT_TYPES`].

use std::io;

use quick_xml::events::BytesText;

use super::envelope::{
    RequestHeader, XmlWriter, element, ews_envelope, room_calendar_folder, text_element,
};
use super::error::EwsError;
use super::notification::CALENDAR_EVENT_TYPES;
use super::response::{Response, read_messages, single};
use super::xml::document_text;

/// Minutes a pull subscription lives without a GetEvents (Exchange allows 1 to 1440).
pub(crate) const PULL_TIMEOUT_MINUTES: u32 = 30;

/// Which kind of subscription to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionKind {
    Streaming,
    /// Pull, resuming after `watermark` when given.
    Pull {
        watermark: Option<String>,
        timeout_minutes: u32,
    },
}

/// A subscription Exchange made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscription {
    pub id: String,
    /// Pull subscriptions: where GetEvents starts.
    pub watermark: Option<String>,
}

/// The Subscribe request for `mailbox`'s calendar.
pub fn request(header: &RequestHeader, mailbox: &str, kind: &SubscriptionKind) -> Vec<u8> {
    ews_envelope(header, |w| write_subscribe(w, mailbox, kind))
}

fn write_subscribe(w: &mut XmlWriter, mailbox: &str, kind: &SubscriptionKind) -> io::Result<()> {
    let request = match kind {
        SubscriptionKind::Streaming => "m:StreamingSubscriptionRequest",
        SubscriptionKind::Pull { .. } => "m:PullSubscriptionRequest",
    };
    element(w, "m:Subscribe", |w| {
        element(w, request, |w| {
            element(w, "t:FolderIds", |w| room_calendar_folder(w, mailbox))?;
            element(w, "t:EventTypes", |w| {
                for event in CALENDAR_EVENT_TYPES {
                    w.create_element("t:EventType")
                        .write_text_content(BytesText::new(event))?;
                }
                Ok(())
            })?;
            if let SubscriptionKind::Pull {
                watermark,
                timeout_minutes,
            } = kind
            {
                if let Some(watermark) = watermark.as_deref().filter(|w| !w.is_empty()) {
                    text_element(w, "t:Watermark", watermark)?;
                }
                let timeout = (*timeout_minutes).clamp(1, 1440).to_string();
                text_element(w, "t:Timeout", &timeout)?;
            }
            Ok(())
        })
    })
}

/// Reads a Subscribe response.
pub fn parse(answer: &[u8]) -> Result<Response<Subscription>, EwsError> {
    let response = single(read_messages(
        &document_text(answer),
        |reader, child, found: &mut Subscription| {
            match child.name() {
                "SubscriptionId" => found.id = reader.trimmed_string(child)?.unwrap_or_default(),
                "Watermark" => found.watermark = reader.trimmed_string(child)?,
                _ => return Ok(false),
            }
            Ok(true)
        },
    )?)?;
    if response.value.id.is_empty() {
        return Err(EwsError::UnexpectedResponse {
            detail: "Subscribe answered without a SubscriptionId".into(),
        });
    }
    Ok(response)
}
