//! CreateItem of a `CalendarItem` in the room's calendar, acting as the room: the
//! console's "Book now". No invitations are sent (`SendToNone`: the room is the only
//! attendee), and the item carries the console's marker with the booking id.

use std::io;

use chrono::{DateTime, Utc};

use super::client::EwsClient;
use super::envelope::{
    RequestHeader, XmlWriter, element, element_with, ews_envelope, room_calendar_folder, text_body,
    text_element,
};
use super::error::EwsError;
use super::item::{ItemId, format_date_time, read_first_item};
use super::marker;
use super::response::{read_messages, single};
use super::xml::document_text;

/// The booking to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking<'a> {
    pub subject: &'a str,
    /// A plain-text note in the item's body (who booked it and where).
    pub body: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The console's booking id, stored in the marker property.
    pub booking_id: &'a str,
}

/// The request creating `booking` in `mailbox`'s calendar.
pub fn request(header: &RequestHeader, mailbox: &str, booking: &NewBooking<'_>) -> Vec<u8> {
    ews_envelope(header, |w| write_create_item(w, mailbox, booking))
}

fn write_create_item(w: &mut XmlWriter, mailbox: &str, booking: &NewBooking<'_>) -> io::Result<()> {
    let attributes = [("SendMeetingInvitations", "SendToNone")];
    element_with(w, "m:CreateItem", attributes, |w| {
        element(w, "m:SavedItemFolderId", |w| {
            room_calendar_folder(w, mailbox)
        })?;
        element(w, "m:Items", |w| {
            element(w, "t:CalendarItem", |w| write_calendar_item(w, booking))
        })
    })
}

fn write_calendar_item(w: &mut XmlWriter, booking: &NewBooking<'_>) -> io::Result<()> {
    // types.xsd order: ItemType's Subject, Body, ReminderIsSet, ExtendedProperty, then
    // CalendarItemType's Start, End, LegacyFreeBusyStatus.
    text_element(w, "t:Subject", booking.subject)?;
    text_body(w, booking.body)?;
    text_element(w, "t:ReminderIsSet", "false")?;
    marker::write_property(w, booking.booking_id)?;
    text_element(w, "t:Start", &format_date_time(booking.start))?;
    text_element(w, "t:End", &format_date_time(booking.end))?;
    text_element(w, "t:LegacyFreeBusyStatus", "Busy")
}

/// Reads a CreateItem response: the id of the item created.
pub fn parse(answer: &[u8]) -> Result<ItemId<'static>, EwsError> {
    let text = document_text(answer);
    match single(read_messages(&text, read_first_item)?)?.value {
        Some(Ok(item)) => Ok(item.id.into_owned()),
        Some(Err(err)) => Err(err),
        None => Err(EwsError::UnexpectedResponse {
            detail: "CreateItem answered without the created item".into(),
        }),
    }
}

impl EwsClient {
    /// Creates `booking` in `mailbox`'s calendar; the new item's id.
    pub(crate) async fn create_booking(
        &self,
        mailbox: &str,
        booking: &NewBooking<'_>,
    ) -> Result<ItemId<'static>, EwsError> {
        let answer = self.post(request(&self.header(), mailbox, booking)).await?;
        parse(&answer)
    }
}
