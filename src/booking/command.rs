//! The actions the screen asks the background to run, and what came of them: plain data
//! that crosses from the UI thread to the tokio runtime and back.

use super::runner::ActionError;

/// An action asked for at the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingCommand {
    /// Book now for this many minutes.
    Book(i64),
    /// Extend the meeting on by this many minutes.
    Extend(i64),
    /// End the meeting on now.
    End,
    /// Check in to the meeting on or about to start.
    CheckIn,
    /// Release the meetings nobody checked in to whose window has ended.
    ReleaseNoShows,
}

/// What came of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcome {
    pub command: BookingCommand,
    /// The id of the meeting acted on, when it succeeded.
    pub result: Result<Option<String>, ActionError>,
}
