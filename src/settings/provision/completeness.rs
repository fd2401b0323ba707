//! Checks that the settings after applying a file are complete for the chosen calendar
//! source: each source needs its own account details. Checked on the merged result, so a
//! file that only changes the sync interval does not have to repeat the passwords.

use crate::settings::model::CalendarSource;

use super::error::FileProblem;
use super::field::Draft;
use super::reader::Reading;
use super::schema::ROOT;

/// Refuses a draft that lacks what its calendar source needs.
pub(super) fn check(draft: &Draft, reading: &Reading) -> Result<(), FileProblem> {
    let settings = &draft.settings;
    if settings.room.display_name.trim().is_empty() {
        return Err(missing(
            reading,
            "RoomAccount/DisplayName",
            "the room has no name to show: add <DisplayName> to <RoomAccount>".into(),
        ));
    }
    let source = settings.calendar.source;
    let mut needed: Vec<&str> = Vec::new();
    if source != CalendarSource::Demo && settings.room.exchange_address.is_empty() {
        needed.push("RoomAccount/ExchangeAddress");
    }
    let secrets = &draft.secrets;
    let calendar = &settings.calendar;
    match source {
        CalendarSource::EwsImpersonation => {
            if calendar.service_account_username.is_none() {
                needed.push("Calendar/ServiceAccount/Username");
            }
            if secrets.service_account_password.is_none() {
                needed.push("Calendar/ServiceAccount/Password");
            }
        }
        CalendarSource::EwsRoomAccount => {
            if secrets.room_password.is_none() {
                needed.push("RoomAccount/Password");
            }
        }
        CalendarSource::Graph => {
            if calendar.tenant_id.is_none() {
                needed.push("Calendar/TenantId");
            }
            if calendar.client_id.is_none() {
                needed.push("Calendar/ClientId");
            }
            if secrets.client_secret.is_none() {
                needed.push("Calendar/ClientSecret");
            }
        }
        CalendarSource::Demo => {}
    }
    if needed.is_empty() {
        return Ok(());
    }
    let labels: Vec<String> = needed.iter().map(|path| full_label(path)).collect();
    let why = match reading.line_of("Calendar/Source") {
        Some(_) => format!("<Source> is {source}"),
        None => format!("the calendar source is {source} (already set on this console)"),
    };
    Err(missing(
        reading,
        "Calendar/Source",
        format!("{why}, which needs {}; add them", labels.join(" and ")),
    ))
}

/// A problem reported at the line of `path`'s element when the file has it.
fn missing(reading: &Reading, path: &str, message: String) -> FileProblem {
    FileProblem {
        line: reading.line_of(path),
        element: Some(format!("{ROOT}/{path}")),
        message,
    }
}

/// `<Calendar><ServiceAccount><Username>`: the whole path, so the admin knows where to add it.
fn full_label(path: &str) -> String {
    path.split('/').map(|part| format!("<{part}>")).collect()
}
