//! Book now with a clash check, the same for every calendar that can be written:
//! neither Exchange nor Graph refuses an item of the room's own that overlaps another,
//! so the view is read just before the booking (an earlier attempt's booking is
//! taken as done, another meeting refuses it) and just after (a booking that clashes
//! after all is undone).

use std::fmt::Display;
use std::future::Future;

use chrono::{DateTime, Utc};

use crate::booking::{BookingRequest, WriteError};

/// An item of the calendar view, as the clash check sees it.
pub(super) struct Listed<Id> {
    id: Id,
    /// The booking id of the console's marker, when the item has one.
    booking_id: Option<String>,
    start: Option<DateTime<Utc>>,
    /// Whether it holds the room during the booking's slot.
    holds_room: bool,
}

impl<Id> Listed<Id> {
    pub(super) fn new(
        id: Id,
        booking_id: Option<&str>,
        start: Option<DateTime<Utc>>,
        holds_room: bool,
    ) -> Listed<Id> {
        let booking_id = booking_id.map(str::to_owned);
        Listed {
            id,
            booking_id,
            start,
            holds_room,
        }
    }
}

/// The view a calendar lists for the clash check, or why it could not.
pub(super) type View<Id> = Result<Vec<Listed<Id>>, WriteError>;

/// What the view shows about a booking: the id of the booking with this booking id
/// when it is there, and the start of the earliest other item holding the room.
struct ViewCheck<Id> {
    ours: Option<Id>,
    clash: Option<DateTime<Utc>>,
}

impl<Id> ViewCheck<Id> {
    fn of(view: Vec<Listed<Id>>, booking_id: &str) -> ViewCheck<Id> {
        let (ours, others): (Vec<_>, Vec<_>) = view
            .into_iter()
            .partition(|item| item.booking_id.as_deref() == Some(booking_id));
        let clash = others
            .iter()
            .filter(|item| item.holds_room)
            .filter_map(|item| item.start)
            .min();
        ViewCheck {
            ours: ours.into_iter().next().map(|item| item.id),
            clash,
        }
    }
}

/// A calendar the console books in with [`book_checked`].
pub(super) trait CheckedCalendar: Sync {
    /// The id of an item in the calendar.
    type Id: Send;
    /// Why undoing a booking failed (only logged).
    type UndoError: Display;

    /// The items of the view from `start` to `end`, with whether they hold the room
    /// then.
    fn view(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> impl Future<Output = View<Self::Id>> + Send;

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
    let check = async || -> Result<ViewCheck<C::Id>, WriteError> {
        let view = calendar.view(slot.start, slot.end).await?;
        Ok(ViewCheck::of(view, &request.booking_id))
    };
    let before = check().await?;
    if before.ours.is_some() {
        // An earlier attempt (before a crash or a lost answer) booked it already.
        return Ok(());
    }
    if let Some(start) = before.clash {
        return Err(WriteError::Clash { start });
    }
    let created = calendar.create(request).await?;
    let after = check().await?;
    if let Some(start) = after.clash {
        let ours = after.ours.unwrap_or(created);
        if let Err(err) = calendar.undo(&ours).await {
            tracing::warn!("undoing the clashing booking failed: {err}");
        }
        return Err(WriteError::Clash { start });
    }
    Ok(())
}
