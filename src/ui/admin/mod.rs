//! The PIN pad and the admin screen (`ui/admin/`).
//!
//! - [`controller`]: the gear, the PIN, the actions (Sync now, Run checks, Change
//!   setup, Factory reset, Check for update) and the timers.
//! - [`model`]: the facts of `room-console status`, the PIN messages and what a reset
//!   erases; pure Rust, tested without a window.
//! - [`checks`]: the "Run checks" lines, shared with the wizard's Check step.
//! - [`health`]: the mailbox health hints; [`update`]: the software update's facts.

pub mod checks;
pub mod controller;
pub mod health;
pub mod model;
pub mod update;
