//! The home screen (`ui/home/`): the room's status, today's agenda, the booking panel,
//! the Join overlay and the sync banner.
//!
//! - [`model`]: the meetings, the time and the sync state turned into rows and cards;
//!   pure Rust, tested without a window.
//! - [`adapter`]: puts a model's view on the `HomeAdapter`.
//! - [`controller`]: the one-second tick, Join, "Share to meeting", and the booking
//!   panel and night mode when they are on.
//! - [`booking_panel`], [`join_overlay`], [`sync_banner`]: the parts with their own
//!   rules.

pub mod adapter;
pub mod booking_panel;
pub mod controller;
pub mod join_overlay;
pub mod model;
pub mod sync_banner;
