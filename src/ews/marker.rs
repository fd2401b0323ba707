//! The extended property that marks a calendar item as booked at the console, holding
//! the booking id the console chose before it asked Exchange to create the item: a
//! retry after a crash finds the earlier item by this id instead of booking twice.

use std::io;

use super::envelope::{XmlWriter, element, text_element};

/// The console's own MAPI property set (a GUID no other product uses).
pub(crate) const PROPERTY_SET: &str = "6a1d5c2e-7b3f-4e8a-9c41-0d2f5b8e7a93";
/// The named string property holding the booking id.
pub(crate) const BOOKING_ID: &str = "RoomConsoleBookingId";

/// Writes `<t:ExtendedFieldURI …/>` naming the marker.
pub(crate) fn write_field_uri(w: &mut XmlWriter) -> io::Result<()> {
    w.create_element("t:ExtendedFieldURI")
        .with_attributes([
            ("PropertySetId", PROPERTY_SET),
            ("PropertyName", BOOKING_ID),
            ("PropertyType", "String"),
        ])
        .write_empty()?;
    Ok(())
}

/// Writes the marker with `booking_id` as an item's `<t:ExtendedProperty>`.
pub(crate) fn write_property(w: &mut XmlWriter, booking_id: &str) -> io::Result<()> {
    element(w, "t:ExtendedProperty", |w| {
        write_field_uri(w)?;
        text_element(w, "t:Value", booking_id)
    })
}
