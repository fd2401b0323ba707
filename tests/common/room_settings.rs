//! Settings a test hands to the console's parts directly (not through a provisioning
//! file): the room "Conference Room 2" reading its calendar from an in-repo server, and
//! the secrets it signs in with.

use std::path::Path;

use room_console::settings::{CalendarSource, Secret, Secrets, Settings};
use url::Url;

use super::graph_server::{CLIENT_ID, GraphServer, TENANT};

/// The room `room` reading its calendar from Microsoft 365 through `server` as the app
/// [`TENANT`] / [`CLIENT_ID`] (its secret goes into the secrets), trusting the private
/// root CA in `ca_file`.
pub fn graph_room(server: &GraphServer, ca_file: &Path, room: &str) -> Settings {
    let mut settings = Settings::default();
    settings.room.display_name = "Conference Room 2".into();
    settings.room.sign_in_address = room.into();
    settings.room.exchange_address = room.into();
    settings.calendar.source = CalendarSource::Graph;
    settings.calendar.tenant_id = Some(TENANT.into());
    settings.calendar.client_id = Some(CLIENT_ID.into());
    settings.calendar.graph_url = Some(Url::parse(&server.graph_url()).unwrap());
    settings.calendar.authority_url = Some(Url::parse(&server.authority_url()).unwrap());
    settings.calendar.trusted_ca_file = Some(ca_file.to_path_buf());
    settings
}

/// The secrets of a console whose service account signs in with `password`, with the
/// admin PIN 2468.
pub fn service_account_secrets(password: &str) -> Secrets {
    Secrets {
        service_account_password: Some(Secret::new(password)),
        admin_pin: Some(Secret::new("2468")),
        ..Secrets::default()
    }
}
