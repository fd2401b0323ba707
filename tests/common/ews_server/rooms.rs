//! Room mailboxes several tests share, by the shape that matters to them, and the server
//! most end-to-end tests start: a room that signs in to its own mailbox.

use chrono::{DateTime, TimeZone, Utc};

use super::{Account, AuthMode, CalendarItem, EwsServer, ExchangeVersion, Mailbox, ServerConfig};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// "Weekly sync", 08:00–08:30 UTC on 23 November 2026, organised by Ana Lindqvist, with
/// the text body "Agenda": the first meeting of the room most end-to-end tests sync.
pub fn weekly_sync() -> CalendarItem {
    CalendarItem::new(
        "Weekly sync",
        at(23, 8),
        at(23, 8) + chrono::Duration::minutes(30),
    )
    .organizer("Ana Lindqvist", "ana@contoso.com")
    .text_body("Agenda")
}

/// "Board review", 10:00–11:00 UTC on 23 November 2026, organised by Jonas Berg, without a
/// body (each test gives the one it is about: a join link, figures, HTML).
pub fn board_review() -> CalendarItem {
    CalendarItem::new("Board review", at(23, 10), at(23, 11))
        .organizer("Jonas Berg", "jonas@contoso.com")
}

/// The room `address` ("Conference Room 2") as a mailbox with the Exchange defaults
/// (DeleteComments, DeleteSubject, AddOrganizerToSubject all on) leaves it: two
/// invitations, on 23 and 24 November 2026, whose bodies were deleted and whose subjects
/// are their organizers' names.
pub fn stripping_room(address: &str) -> Mailbox {
    Mailbox::new(address, "Conference Room 2").with_items([
        CalendarItem::new("Ana Lindqvist", at(23, 8), at(23, 9))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .html_body("<html><body></body></html>"),
        CalendarItem::new("Jonas Berg", at(24, 10), at(24, 11))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .text_body(" "),
    ])
}

/// The room `address` ("Conference Room 2") with nothing in its calendar.
pub fn empty_room(address: &str) -> Mailbox {
    Mailbox::new(address, "Conference Room 2")
}

/// The room `address` ("Conference Room 2") with one meeting, "Standup", 08:00–08:15 UTC
/// on 7 December 2026.
pub fn standup_room(address: &str) -> Mailbox {
    let start = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
    Mailbox::new(address, "Conference Room 2").with_items([CalendarItem::new(
        "Standup",
        start,
        start + chrono::Duration::minutes(15),
    )])
}

/// A server of `version` answering `auth` where the service account `service` (user,
/// password) may impersonate the room `room`.
pub async fn impersonation_server(
    version: ExchangeVersion,
    auth: AuthMode,
    service: (&str, &str),
    room: Mailbox,
) -> EwsServer {
    let (user, password) = service;
    EwsServer::start(
        ServerConfig::new(version, auth)
            .with_account(Account::new(user, password).impersonating(&[&room.smtp]))
            .with_mailbox(room),
    )
    .await
    .unwrap()
}

/// An Exchange 2019 server with Basic sign-in where the room signs in as `account` (user,
/// password) to its own mailbox `room`.
pub async fn own_mailbox_server(account: (&str, &str), room: Mailbox) -> EwsServer {
    let (user, password) = account;
    EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Basic)
            .with_account(Account::new(user, password).with_own_mailbox(&room.smtp))
            .with_mailbox(room),
    )
    .await
    .unwrap()
}
