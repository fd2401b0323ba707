//! The Graph writes the room makes on its own calendar (application permission
//! `Calendars.ReadWrite`): a booking as `POST …/calendar/events` with a `transactionId`
//! and the console's marker, a new end as `PATCH …/events/{id}` with `If-Match`, a
//! decline of one occurrence with a note to its organizer, and the delete of the
//! console's own booking; plus the marked view of a few minutes that the clash checks
//! read around a booking.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::client::{GraphClient, Request, parse};
use super::error::GraphError;
use super::event::{Event, MARKER_EXPAND, MARKER_ID, Page};

/// At most this many events in the few minutes a booking covers.
const VIEW_TOP: u32 = 100;
/// What the clash checks need of an event.
const VIEW_SELECT: &str = "id,changeKey,start,end,isAllDay,isCancelled,showAs";

/// A booking to create in the room's calendar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewEvent<'a> {
    pub subject: &'a str,
    /// Plain text for the event's body.
    pub body: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The console's booking id: the marker's value, and the `transactionId` is made
    /// from it so that Graph itself refuses to create the event twice.
    pub booking_id: &'a str,
}

/// Graph's `transactionId` for a booking id: the booking id's 32 hex digits written
/// as a GUID (Graph's examples use GUIDs); another id is used as it is.
pub fn transaction_id(booking_id: &str) -> String {
    let hex = booking_id.len() == 32 && booking_id.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex {
        return booking_id.to_owned();
    }
    let b = booking_id;
    format!(
        "{}-{}-{}-{}-{}",
        &b[0..8],
        &b[8..12],
        &b[12..16],
        &b[16..20],
        &b[20..32]
    )
}

/// The `@odata.etag` Graph gives an event of this change key (`W/"<changeKey>"`).
pub(crate) fn etag_of(change_key: &str) -> String {
    format!("W/\"{change_key}\"")
}

fn graph_time(t: DateTime<Utc>) -> Value {
    json!({
        "dateTime": t.to_rfc3339_opts(SecondsFormat::Secs, true).trim_end_matches('Z'),
        "timeZone": "UTC",
    })
}

impl GraphClient {
    async fn write(
        &self,
        method: reqwest::Method,
        url: &url::Url,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<crate::http_answer::Answer, GraphError> {
        self.send(Request {
            method,
            url,
            body,
            if_match,
            extra_prefer: None,
            on_mailbox: false,
        })
        .await
    }

    /// The events overlapping [from, to) with what a clash check needs and the marker.
    pub(crate) async fn marked_view(
        &self,
        mailbox: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Event>, GraphError> {
        let select = [("$select", VIEW_SELECT), ("$expand", MARKER_EXPAND)];
        let url = self.calendar_view_url(mailbox, from, to, &select, &VIEW_TOP.to_string())?;
        let page: Page<Event> = self.get(&url, None, true).await?;
        Ok(page.value)
    }

    /// Creates `event` in the room's calendar, organized by the room, with no attendees
    /// (so no invitation is sent); the event as created.
    pub(crate) async fn create_event(
        &self,
        mailbox: &str,
        event: &NewEvent<'_>,
    ) -> Result<Event, GraphError> {
        let url = self.user_url(mailbox, &["calendar", "events"])?;
        let body = json!({
            "subject": event.subject,
            "body": {"contentType": "text", "content": event.body},
            "start": graph_time(event.start),
            "end": graph_time(event.end),
            "showAs": "busy",
            "transactionId": transaction_id(event.booking_id),
            "singleValueExtendedProperties": [{"id": MARKER_ID, "value": event.booking_id}],
        });
        let answer = self
            .write(reqwest::Method::POST, &url, Some(&body), None)
            .await?;
        parse(&url, &answer)
    }

    /// Sets the end of event `id`, only if it is still at `change_key`
    /// ([`GraphError::EventChanged`] otherwise).
    pub async fn set_end(
        &self,
        mailbox: &str,
        id: &str,
        change_key: Option<&str>,
        end: DateTime<Utc>,
    ) -> Result<(), GraphError> {
        let url = self.user_url(mailbox, &["events", id])?;
        let body = json!({ "end": graph_time(end) });
        let etag = change_key.map(etag_of);
        self.write(reqwest::Method::PATCH, &url, Some(&body), etag.as_deref())
            .await
            .map(|_| ())
    }

    /// Declines event `id` (one occurrence when it is one) as the room, telling its
    /// organizer `comment`.
    pub async fn decline(&self, mailbox: &str, id: &str, comment: &str) -> Result<(), GraphError> {
        let url = self.user_url(mailbox, &["events", id, "decline"])?;
        let body = json!({ "comment": comment, "sendResponse": true });
        self.write(reqwest::Method::POST, &url, Some(&body), None)
            .await
            .map(|_| ())
    }

    /// Deletes event `id` (the console's own booking).
    pub(crate) async fn delete_event(&self, mailbox: &str, id: &str) -> Result<(), GraphError> {
        let url = self.user_url(mailbox, &["events", id])?;
        self.write(reqwest::Method::DELETE, &url, None, None)
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_booking_id_becomes_a_guid_transaction_id() {
        assert_eq!(
            transaction_id("0123456789abcdef0123456789abcdef"),
            "01234567-89ab-cdef-0123-456789abcdef"
        );
        assert_eq!(transaction_id("short"), "short");
    }

    #[test]
    fn times_are_written_in_utc_and_etags_as_graph_writes_them() {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 9, 3, 0).unwrap();
        assert_eq!(
            graph_time(t),
            json!({"dateTime": "2026-11-23T09:03:00", "timeZone": "UTC"})
        );
        assert_eq!(etag_of("ck-1"), "W/\"ck-1\"");
    }
}
