//! room-console: the firmware of a meeting-room touch console.
//!
//! Data flows one way: calendar source → sync task → SQLite store → UI models → Slint.
//! ARCHITECTURE.md (in the repository) says how the pieces fit, the layering rules and
//! how to add an EWS operation, a message, a screen or a setting.

pub mod booking;
mod byte_words;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod content;
pub mod device;
pub mod diagnose;
pub mod ews;
pub mod fleet;
pub mod graph;
pub mod heap;
pub mod http_answer;
pub mod join;
pub mod live;
pub mod logging;
pub mod secret;
pub mod settings;
pub mod sources;
pub mod status;
pub mod store;
pub mod sync;
pub mod tls_verifier;
pub mod ui;
pub mod update;
pub mod words;
