//! Exchange Web Services: the protocol side of the Exchange calendar backend.
//!
//! Requests are written by `envelope` and one module per operation (`find_item`,
//! `get_item`, `sync_folder_items`, `autodiscover`; the writes `create_item`,
//! `update_item`, `decline_item`, `delete_item` with the console's `marker`; and for push
//! `subscribe`, `get_streaming_events`, `get_events`, `unsubscribe` over
//! `subscription_client`). Answers are streamed by `xml` straight into EWS-shaped
//! structs in one pass: `response` reads what every answer has (the envelope, faults,
//! each message's ResponseClass/ResponseCode and `details`), each operation module
//! reads its own payload (`item` the calendar items several of them share); every
//! failure is an `EwsError` with an explanation and a fix for the admin (`error`);
//! `transport`, `ntlm_connection` and `client` do the HTTPS and sign-in. Nothing here
//! knows the store, the UI, or `crate::calendar::Meeting`: mapping to meetings belongs
//! to the sync.

pub mod autodiscover;
pub mod client;
pub mod create_item;
pub mod decline_item;
pub mod delete_item;
pub mod details;
pub mod envelope;
pub mod error;
pub mod find_item;
pub mod get_events;
pub mod get_item;
pub mod get_streaming_events;
pub mod item;
pub mod marker;
pub mod notification;
pub mod ntlm;
pub mod ntlm_connection;
pub mod response;
pub mod soap_stream;
pub mod subscribe;
pub mod subscription_client;
pub mod sync_folder_items;
pub mod transport;
pub mod unsubscribe;
pub mod update_item;
pub mod version;
pub mod xml;
mod xml_markup;
mod xml_text;

pub use autodiscover::AutodiscoverOutcome;
pub use client::{EwsClient, EwsConfig, Parsed, autodiscover_ews_url};
pub use error::{ErrorContext, EwsError};
pub use find_item::CalendarView;
pub use get_item::{BodyType, GetItemOptions, ItemResults};
pub use item::{CalendarItem, ItemId, Mailbox};
pub use response::Response;
pub use subscription_client::{EventStream, SubscriptionClient};
pub use sync_folder_items::SyncChanges;
pub use transport::{EwsAuth, Password};
pub use version::{RequestVersion, ServerVersionInfo};
