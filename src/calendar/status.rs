//! Whether the room is free or in use at an instant, and until when.

use chrono::{DateTime, Utc};

/// The room's status at an instant, derived from the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomStatus {
    /// Free, with no further meeting today (or in the horizon looked at).
    Free,
    /// Free until a meeting starts.
    FreeUntil(DateTime<Utc>),
    /// In use until this instant (back-to-back meetings are merged). The meeting id and
    /// its visible subject are those of the meeting on now.
    BusyUntil {
        until: DateTime<Utc>,
        meeting_id: String,
        subject: Option<String>,
    },
}
