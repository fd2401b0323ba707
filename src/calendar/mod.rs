//! The backend-neutral calendar model: what a meeting is to the console, whichever
//! server (EWS, Graph, the demo) it came from. Protocol code maps into these types; the
//! store persists them; the UI reads them.

pub mod demo;
mod meeting;
pub(crate) mod sample;
mod status;

pub use meeting::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
pub use status::{RoomStatus, current_meeting, next_meeting, room_status};
