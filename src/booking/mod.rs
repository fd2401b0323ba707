//! The room acts: Book now, Extend, End now, check-in and the release of meetings nobody
//! came to. `rules` decides (pure functions over the day's meetings and an instant),
//! `write` is what a calendar backend must offer, `journal` is what the console
//! remembers across crashes, and `runner` is the one code path the screen and the
//! command line share: write, then sync at once; the agenda changes only from the
//! server's answer. `releaser` lets the sync task release no-shows by itself.

pub mod command;
pub mod journal;
pub mod releaser;
pub mod rules;
pub mod runner;
pub mod write;

pub use command::{ActionOutcome, BookingCommand};
pub use rules::{BookChoice, CheckIn, Refusal};
pub use runner::{ActionError, BOOKED_SUBJECT, ReleaseReport, Runner, booked_subject};
pub use write::{BookingRequest, CalendarWriter, Slot, WriteError};
