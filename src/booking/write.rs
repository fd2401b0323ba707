//! What a calendar backend must do for the room to act: book a slot idempotently (the
//! booking id finds an earlier attempt), move a meeting's end with its version check,
//! and release a meeting (decline it, or delete the console's own booking).

use std::future::Future;

use chrono::{DateTime, Utc};

use crate::calendar::Meeting;
use crate::sync::source::SourceError;

/// The time a booking takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A booking to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRequest {
    pub slot: Slot,
    pub subject: String,
    /// A short text for the item's body.
    pub note: String,
    /// Chosen before the first attempt and kept until the server confirmed: a retry
    /// finds the earlier booking by it.
    pub booking_id: String,
}

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// Someone else holds the room from `start` (found before, or just after, booking;
    /// a booking made meanwhile was undone).
    Clash { start: DateTime<Utc> },
    /// The meeting changed on the server since it was read (stale ChangeKey or ETag).
    Changed,
    /// The server refused or could not be reached, in the admin's words.
    Failed(SourceError),
}

/// A calendar backend the room can write to.
pub trait CalendarWriter: Send + Sync {
    /// Books `request.slot` as the room; Ok also when an earlier attempt with the same
    /// booking id already did.
    fn book(&self, request: &BookingRequest)
    -> impl Future<Output = Result<(), WriteError>> + Send;

    /// Moves the end of `meeting` (as last read) to `end`.
    fn set_end(
        &self,
        meeting: &Meeting,
        end: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), WriteError>> + Send;

    /// Releases `meeting` (that occurrence only): declined with `note` to its organizer,
    /// or deleted when the console booked it.
    fn release(
        &self,
        meeting: &Meeting,
        note: &str,
    ) -> impl Future<Output = Result<(), WriteError>> + Send;
}
