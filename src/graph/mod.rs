//! Microsoft Graph, app-only: the OAuth 2.0 client-credentials token, the room's
//! `calendarView` (listing and `delta`), events by id, the room's writes (book, new
//! end, decline, delete), and Graph's and Entra ID's errors
//! turned into typed errors that explain themselves to an IT admin.
//!
//! Protocol only: nothing here knows about the store, the sync task or the UI.

pub mod client;
pub mod config;
pub mod error;
pub mod event;
pub mod http;
pub mod token;
pub mod write;

pub use client::{DeltaRound, DeltaStart, GraphClient};
pub use config::{ClientSecret, GraphConfig};
pub use error::{ErrorContext, GraphError};
pub use event::{Event, EventVersion};
