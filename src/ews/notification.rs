//! The notifications EWS sends on a subscription (GetStreamingEvents and GetEvents
//! alike): which items of the watched folder were created, modified, deleted, moved or
//! copied, with the watermark to resume from; and which errors mean the subscription is
//! gone and must be made again.

use super::error::EwsError;
use super::xml::{Read, Tag, XmlReader};

/// The kinds of events the console subscribes to on the room's calendar.
pub(crate) const CALENDAR_EVENT_TYPES: [&str; 6] = [
    "CreatedEvent",
    "ModifiedEvent",
    "DeletedEvent",
    "MovedEvent",
    "CopiedEvent",
    "FreeBusyChangedEvent",
];

/// One event of a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The element's name: `CreatedEvent`, `ModifiedEvent`, … or `StatusEvent` (a pull
    /// subscription's "nothing happened").
    pub kind: String,
    /// Where a pull subscription resumes after this event.
    pub watermark: Option<String>,
    /// The item the event is about (none for folder events and status events).
    pub item_id: Option<String>,
}

impl Event {
    /// Whether the event says something changed (a status event does not).
    pub(crate) fn is_change(&self) -> bool {
        self.kind != "StatusEvent"
    }
}

/// One `Notification`: the events of one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Notification {
    pub subscription_id: String,
    pub previous_watermark: Option<String>,
    /// GetEvents: more events wait; ask again at once.
    pub more_events: bool,
    pub events: Vec<Event>,
}

impl Notification {
    /// Whether any event says something changed.
    pub fn has_changes(&self) -> bool {
        self.events.iter().any(Event::is_change)
    }

    /// The watermark after the last event, where a pull subscription resumes.
    pub fn last_watermark(&self) -> Option<&str> {
        self.events
            .iter()
            .rev()
            .find_map(|e| e.watermark.as_deref())
    }

    /// Reads a `Notification` element.
    pub(crate) fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Notification> {
        let mut notification = Notification::default();
        while let Some(child) = reader.next_child(tag)? {
            match child.name() {
                "SubscriptionId" => {
                    notification.subscription_id =
                        reader.trimmed_string(&child)?.unwrap_or_default();
                }
                "PreviousWatermark" => {
                    notification.previous_watermark = reader.trimmed_string(&child)?;
                }
                "MoreEvents" => {
                    notification.more_events =
                        reader.trimmed_string(&child)?.as_deref() == Some("true");
                }
                kind if kind.ends_with("Event") => {
                    let event = read_event(reader, &child)?;
                    notification.events.push(event);
                }
                _ => reader.skip(&child)?,
            }
        }
        Ok(notification)
    }
}

fn read_event<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Event> {
    let mut event = Event {
        kind: tag.name().to_string(),
        watermark: None,
        item_id: None,
    };
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "Watermark" => event.watermark = reader.trimmed_string(&child)?,
            "ItemId" => {
                event.item_id = child.attr("Id").map(|id| id.into_owned());
                reader.skip(&child)?;
            }
            _ => reader.skip(&child)?,
        }
    }
    Ok(event)
}

/// Why a subscription can no longer be used: make a new one (without the old
/// watermark) and read the whole window again, since events may have been lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionLost {
    NotFound,
    Expired,
    Invalid,
    MissedEvents,
}

impl SubscriptionLost {
    /// The lost subscription an error stands for, if it stands for one.
    pub fn of(error: &EwsError) -> Option<SubscriptionLost> {
        let EwsError::Exchange { code, .. } = error else {
            return None;
        };
        match code.as_str() {
            "ErrorSubscriptionNotFound" => Some(SubscriptionLost::NotFound),
            "ErrorExpiredSubscription" => Some(SubscriptionLost::Expired),
            "ErrorInvalidSubscription" | "ErrorInvalidWatermark" => Some(SubscriptionLost::Invalid),
            "ErrorMissedNotificationEvents" => Some(SubscriptionLost::MissedEvents),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ews::details::Details;

    #[test]
    fn subscription_errors_are_recognised_by_code() {
        let error = |code: &str| EwsError::from_code(code, "", &Details::default());
        assert_eq!(
            SubscriptionLost::of(&error("ErrorSubscriptionNotFound")),
            Some(SubscriptionLost::NotFound)
        );
        assert_eq!(
            SubscriptionLost::of(&error("ErrorMissedNotificationEvents")),
            Some(SubscriptionLost::MissedEvents)
        );
        assert_eq!(
            SubscriptionLost::of(&error("ErrorExpiredSubscription")),
            Some(SubscriptionLost::Expired)
        );
        assert_eq!(SubscriptionLost::of(&error("ErrorServerBusy")), None);
    }
}
