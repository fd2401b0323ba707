//! The room's calendar over Graph, written: Book now as a POST of an event with a
//! `transactionId` and the console's marker, with a clash check of the calendar view
//! just before and just after (an own booking that clashes is deleted again), Extend /
//! End now as a PATCH of `end` with `If-Match` (412: the meeting changed, the runner
//! reads again and decides again), and release as a decline of the occurrence with the
//! note (a delete for the console's own bookings).

use chrono::{DateTime, Utc};

use super::graph::GraphSource;
use crate::booking::{BookingRequest, CalendarWriter, WriteError};
use crate::calendar::Meeting;
use crate::graph::GraphError;
use crate::graph::event::{Event, ShowAs};
use crate::graph::write::NewEvent;
use crate::sources::checked_booking::{CheckedCalendar, Listed, View, book_checked};

/// Whether a listed event holds the room during [start, end).
fn holds_room(event: &Event, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let (Some(event_start), Some(event_end)) = (
        event.start.as_ref().and_then(|t| t.instant()),
        event.end.as_ref().and_then(|t| t.instant()),
    ) else {
        return false;
    };
    let all_day = event.is_all_day.unwrap_or(false);
    let busy = match event.show_as {
        Some(ShowAs::Free | ShowAs::WorkingElsewhere) => false,
        Some(ShowAs::Tentative | ShowAs::Unknown) => !all_day,
        Some(ShowAs::Busy | ShowAs::Oof) | None => true,
    };
    busy && !event.is_cancelled.unwrap_or(false) && event_start < end && event_end > start
}

impl GraphSource {
    fn write_error(&self, err: &GraphError) -> WriteError {
        match err {
            GraphError::EventChanged => WriteError::Changed,
            other => WriteError::Failed(self.error(other)),
        }
    }
}

impl CheckedCalendar for GraphSource {
    type Id = String;
    type UndoError = GraphError;

    async fn view(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> View<Self::Id> {
        let events = self
            .client
            .marked_view(&self.mailbox, start, end)
            .await
            .map_err(|e| self.write_error(&e))?;
        let listed = events.into_iter().map(|event| {
            let event_start = event.start.as_ref().and_then(|t| t.instant());
            let holds = holds_room(&event, start, end);
            Listed::new(
                event.id.clone(),
                event.console_booking_id(),
                event_start,
                holds,
            )
        });
        Ok(listed.collect())
    }

    async fn create(&self, request: &BookingRequest) -> Result<String, WriteError> {
        let event = NewEvent {
            subject: &request.subject,
            body: &request.note,
            start: request.slot.start,
            end: request.slot.end,
            booking_id: &request.booking_id,
        };
        let created = self
            .client
            .create_event(&self.mailbox, &event)
            .await
            .map_err(|e| self.write_error(&e))?;
        Ok(created.id)
    }

    async fn undo(&self, id: &String) -> Result<(), GraphError> {
        self.client.delete_event(&self.mailbox, id).await
    }
}

impl CalendarWriter for GraphSource {
    async fn book(&self, request: &BookingRequest) -> Result<(), WriteError> {
        book_checked(self, request).await
    }

    async fn set_end(&self, meeting: &Meeting, end: DateTime<Utc>) -> Result<(), WriteError> {
        self.client
            .set_end(
                &self.mailbox,
                &meeting.id,
                meeting.change_key.as_deref(),
                end,
            )
            .await
            .map_err(|e| self.write_error(&e))
    }

    async fn release(&self, meeting: &Meeting, note: &str) -> Result<(), WriteError> {
        let result = if meeting.booked_here {
            self.client.delete_event(&self.mailbox, &meeting.id).await
        } else {
            self.client.decline(&self.mailbox, &meeting.id, note).await
        };
        result.map_err(|e| self.write_error(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: &str) -> Event {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn only_busy_uncancelled_overlapping_events_hold_the_room() {
        use chrono::TimeZone;
        let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap();
        let times = r#""start":{"dateTime":"2026-11-23T09:10:00","timeZone":"UTC"},"end":{"dateTime":"2026-11-23T09:40:00","timeZone":"UTC"}"#;
        let busy = event(&format!(r#"{{"id":"a","showAs":"busy",{times}}}"#));
        assert!(holds_room(&busy, at(9, 0), at(9, 30)));
        assert!(!holds_room(&busy, at(9, 40), at(10, 0)), "ends as we start");
        let free = event(&format!(r#"{{"id":"b","showAs":"free",{times}}}"#));
        assert!(!holds_room(&free, at(9, 0), at(9, 30)));
        let cancelled = event(&format!(
            r#"{{"id":"c","showAs":"busy","isCancelled":true,{times}}}"#
        ));
        assert!(!holds_room(&cancelled, at(9, 0), at(9, 30)));
    }
}
