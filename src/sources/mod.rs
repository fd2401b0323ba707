//! The calendar sources the sync task can read, each turning its backend's shapes into the
//! console's [`crate::calendar::Meeting`] and its failures into admin-facing
//! [`crate::sync::source::SourceError`]s.

mod checked_booking;
pub mod configured;
mod configured_write;
pub mod ews;
pub mod ews_discovery;
mod ews_error;
pub mod ews_mapping;
pub mod graph;
pub mod graph_mapping;
mod graph_write;
mod trusted_ca;
