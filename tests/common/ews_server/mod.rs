//! An in-repo Exchange Web Services server for integration tests, answering like
//! Microsoft Exchange (2010 SP2 to Subscription Edition) on 127.0.0.1 over HTTPS with a
//! private CA made at start.
//!
//! ```ignore
//! use crate::common::ews_server;
//! use ews_server::*;
//!
//! let room = Mailbox::new("room1@contoso.com", "Room 1")
//!     .with_items([CalendarItem::new("Standup", start, end).organizer("Ann", "ann@contoso.com")]);
//! let config = ServerConfig::new(ExchangeVersion::Exchange2016, AuthMode::Both)
//!     .with_account(Account::new("CONTOSO\\svc-rooms", "pw").impersonating(&["room1@contoso.com"]))
//!     .with_mailbox(room);
//! let server = EwsServer::start(config).await?;
//! // server.url(), server.autodiscover_url(), server.ca_pem() (write it to a file for
//! // TrustedCaFile), server.http_url() with `.with_plain_http()`.
//! server.mailbox("room1@contoso.com").unwrap().add(item);        // churn
//! server.inject(Fault::ServerBusy { back_off_ms: 500 }, Times::Once);
//! server.inject_on("GetItem", Fault::ItemNotFound, Times::UntilCleared);
//! let requests = server.requests();   // operation, headers, auth scheme, body, sizes…
//! ```
//!
//! What it answers:
//! - `POST /EWS/Exchange.asmx`: FindItem (CalendarView), GetItem (ItemId and
//!   OccurrenceItemId), SyncFolderItems, and the room console's writes: CreateItem of a
//!   CalendarItem (extended properties kept; [`MailboxHandle::race_next_create`] lets
//!   someone else book first) or a DeclineItem (an occurrence only; the organizer's
//!   note in [`MailboxHandle::sent`]), UpdateItem of End (stale ChangeKey:
//!   ErrorIrresolvableConflict), DeleteItem; a Reviewer delegate
//!   ([`Account::reviewer_of`]) gets ErrorAccessDenied on writes; anything else is a SOAP fault ErrorInvalidRequest.
//!   Every response carries ServerVersionInfo for the configured version; SOAP faults
//!   come back as HTTP 500 without a header, as Exchange sends them.
//! - `POST /autodiscover/autodiscover.svc`: SOAP GetUserSettings (ExternalEwsUrl,
//!   InternalEwsUrl, AutoDiscoverSMTPAddress, UserDisplayName, CasVersion,
//!   EwsSupportedSchemas), or RedirectAddress/RedirectUrl as configured with
//!   [`ServerConfig::with_autodiscover_redirect`]. [`EwsServer::move_ews`] moves EWS to
//!   another path (the old one answers 404), as after a server migration.
//! - Authentication: Basic, and NTLMv2 (offered as Negotiate and NTLM, bound to the TCP
//!   connection). [`auth::ntlm`] and [`auth::basic`] also build client messages for tests.
//! - Impersonation (ConnectingSID SmtpAddress / PrimarySmtpAddress / PrincipalName):
//!   ErrorNonExistentMailbox, ErrorImpersonateUserDenied, and an X-AnchorMailbox check
//!   recorded in [`RecordedRequest::anchor_mailbox_warning`]. Without impersonation an
//!   account opens only its own mailbox or those it is a delegate of (ErrorAccessDenied).
//! - RequestServerVersion newer than the server: ErrorInvalidServerVersion.
//! - Request bodies validated with xmllint when [`ServerConfig::validating_requests`] is
//!   set and the schema and xmllint are there ([`RecordedRequest::schema`]).

pub mod auth;
pub mod config;
pub mod dispatch;
pub mod faults;
pub mod http;
pub use super::http_wire;
pub mod item;
pub mod mailbox;
pub mod ops;
pub mod record;
pub mod rooms;
pub mod schema_check;
pub mod server;
pub mod soap;
pub mod state;
pub mod streaming;
pub mod subscriptions;
pub use super::tls;

pub use config::{Account, AuthMode, ExchangeVersion, Mailbox, RedirectTarget, ServerConfig};
pub use faults::{Fault, Times};
pub use item::{BodyKind, CalendarItem, FreeBusyStatus, Occurrence, Sensitivity};
pub use mailbox::{MailboxHandle, SentMessage};
pub use record::{RecordedRequest, SchemaCheck};
pub use rooms::{
    board_review, empty_room, impersonation_server, own_mailbox_server, standup_room,
    stripping_room, weekly_sync,
};
pub use server::{EwsServer, StartError};
