//! Book now with a clash check, the same for every calendar that can be written:
//! neither Exchange nor Graph refuses an item of the room's own that overlaps another,
//! so the view is read just before the booking (an earlier attempt's booking is
//! taken as done, another meeting refuses it) and just after (a booking that clashes
//! after all is undone).

use std::fmt::Display;
use std::future::Future;

use chrono::{DateTime, Utc};

use crate::booking::{BookingRequest, WriteError};

/// What the view shows about a booking: the id of the booking with this booking id
/// when it is there, and the start of the earliest other item holding the room.
pub(super) struct ViewCheck<Id> {
    pub(super) ours: Option<Id>,
    pub(super) clash: Option<DateTime<Utc>>,
}

/// A calendar the console books in with [`book_checked`].
pub(super) trait CheckedCalendar: Sync {
    /// The id of an item in the calendar.
    type Id: Send;
    /// Why undoing a booking failed (only logged).
    type UndoError: Display;

    /// The view from `start` to `end` as it concerns the booking `booking_id`.
    fn check_view(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        booking_id: &str,
    ) -> impl Future<Output = Result<ViewCheck<Self::Id>, WriteError>> + Send;

    /// Creates the booking `request` asks for; its id.
    fn create(
        &self,
        request: &BookingRequest,
    ) -> impl Future<Output = Result<Self::Id, WriteError>> + Send;

    /// Deletes the booking `id` again.
    fn undo(&self, id: &Self::Id) -> impl Future<Output = Result<(), Self::UndoError>> + Send;
}

/// Books `request.slot` in `calendar`: Ok also when an earlier attempt with the same
/// booking id already did; a clash before or after refuses it (undone when after).
pub(super) async fn book_checked<C: CheckedCalendar>(
    calendar: &C,
    request: &BookingRequest,
) -> Result<(), WriteError> {
    let slot = request.slot;
    let before = calendar
        .check_view(slot.start, slot.end, &request.booking_id)
        .await?;
    if before.ours.is_some() {
        // An earlier attempt (before a crash or a lost answer) booked it already.
        return Ok(());
    }
    if let Some(start) = before.clash {
        return Err(WriteError::Clash { start });
    }
    let created = calendar.create(request).await?;
    let after = calendar
        .check_view(slot.start, slot.end, &request.booking_id)
        .await?;
    if let Some(start) = after.clash {
        let ours = after.ours.unwrap_or(created);
        if let Err(err) = calendar.undo(&ours).await {
            tracing::warn!("undoing the clashing booking failed: {err}");
        }
        return Err(WriteError::Clash { start });
    }
    Ok(())
}
