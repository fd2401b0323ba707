//! Live calendar: changes on the server reach the cache within seconds. For EWS a
//! streaming subscription wakes the sync task when the room's calendar changes
//! (`listener`, over `ews_server`); for Microsoft 365, which cannot push to a console
//! behind NAT, `graph_schedule` says how often to poll (faster after a `touch`) and
//! `graph_poller` polls on it.
//! `push_status` is what `status` and the admin screen show; `start` wires it all to
//! the running sync task.

pub mod ews_server;
mod graph_poller;
pub mod graph_schedule;
pub mod listener;
pub mod push_status;
pub mod start;
pub mod touch;
