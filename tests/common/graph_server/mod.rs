//! An in-repo Microsoft Graph (and Entra ID token endpoint) for integration tests, on
//! 127.0.0.1 over HTTPS with a private CA made at start, answering in the JSON shapes of
//! Microsoft's Graph documentation.
//!
//! ```ignore
//! use crate::common::graph_server;
//! use graph_server::*;
//!
//! let app = App::new(TENANT, CLIENT_ID, "s3cret");
//! let server = GraphServer::start(app, [("confrm2@contoso.com", events)], 2).await?;
//! // server.graph_url(), server.authority_url(), server.ca_pem() (for TrustedCaFile)
//! server.modify(ROOM, "AAMk-retro", |e| e.subject = "Retro (moved)".into());
//! server.inject(Fault::Throttled { retry_after: 17 }, Times::Once);
//! let requests = server.requests();   // method, path, query, Prefer headers…
//! ```
//!
//! What it answers:
//! - `POST /{tenant}/oauth2/v2.0/token` (client credentials): an access token, or the
//!   AADSTS errors Entra ID sends (90002 tenant, 700016 app, 7000215 wrong secret,
//!   7000222 expired secret, 65001 no consent, 500011 a scope whose resource the tenant
//!   does not know: see [`server::App::resources`]).
//! - `GET /v1.0/users/{room}/calendarView` with `$select`, `$top` and `@odata.nextLink`
//!   paging (series masters are never listed, as in Graph).
//! - `GET /v1.0/users/{room}/calendarView/delta`: an initial round over the window, then
//!   rounds from `$deltatoken` with changed events and `@removed` entries; an unknown or
//!   expired token is 410 SyncStateNotFound.
//! - `GET /v1.0/users/{room}/events/{id}` with `$select`; `$expand` of the console's
//!   marker (a single-value extended property) on these and on calendarView.
//! - Writes (needs [`App::may_write`], else 403 ErrorAccessDenied): `POST …/calendar/
//!   events` (201; a repeated `transactionId` gives the earlier event, not a second),
//!   `PATCH …/events/{id}` with `If-Match` (412 ErrorIrresolvableConflict when the etag
//!   is stale), `POST …/events/{id}/decline` (202; the comment is "sent" to the
//!   organizer, see [`GraphServer::sent`]) and `DELETE …/events/{id}` (204); races and
//!   lost answers on demand (`race_next_create`, `lose_next_create_answer`,
//!   `change_before_next_update`).
//! - Bearer tokens are checked (401 InvalidAuthenticationToken); faults: see [`Fault`].

pub mod event;
pub mod http;
pub use super::http_wire;
pub mod routes;
pub mod server;
pub use super::tls;
pub mod writes;

pub use event::{ShowAs, TestEvent};
pub use server::{App, Fault, GraphServer, Recorded, SentResponse, Times};

/// The app registration the Graph tests sign in as: its tenant, client id and secret.
pub const TENANT: &str = "contoso.onmicrosoft.com";
/// See [`TENANT`].
pub const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
/// See [`TENANT`].
pub const SECRET: &str = "Qx8Q~s3cret.value";
