//! The calendar sync task: keeps the SQLite agenda cache current from the room's calendar
//! source, with back-off, and reports its status for the home screen and the admin.

pub mod backoff;
pub mod engine;
pub mod source;
mod staged;
pub mod status;
pub mod task;
