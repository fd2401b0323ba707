//! Graph's JSON as the console reads it: an `event` (the properties the console selects,
//! or a delta page's whole event or `@removed` entry), the id-and-changeKey listing shape, and collection pages with `@odata.nextLink` /
//! `@odata.deltaLink`. Unknown enum values and nulls are tolerated: Graph adds values.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

/// A page of a collection.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    pub delta_link: Option<String>,
}

/// An event's identity and version, as `$select=id,changeKey` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventVersion {
    pub id: String,
    pub change_key: Option<String>,
}

/// A time in a named zone: `{"dateTime":"2026-11-23T08:00:00.0000000","timeZone":"UTC"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateTimeTimeZone {
    pub date_time: String,
    pub time_zone: Option<String>,
}

impl DateTimeTimeZone {
    /// The wall-clock time as written, without its zone.
    pub fn naive(&self) -> Option<NaiveDateTime> {
        let text = self.date_time.trim().trim_end_matches('Z');
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
            .ok()
    }

    /// The instant: `UTC` (what `Prefer: outlook.timezone="UTC"` asks for) or an IANA
    /// zone; None for a zone the console does not know (a Windows name).
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        let naive = self.naive()?;
        match self.time_zone.as_deref().map(str::trim) {
            None | Some("") | Some("UTC") | Some("Etc/UTC") | Some("tzone://Microsoft/Utc") => {
                Some(Utc.from_utc_datetime(&naive))
            }
            Some(name) => {
                let tz: chrono_tz::Tz = name.parse().ok()?;
                tz.from_local_datetime(&naive)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailAddress {
    pub name: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub email_address: Option<EmailAddress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BodyType {
    Html,
    Text,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemBody {
    pub content_type: Option<BodyType>,
    pub content: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnlineMeetingInfo {
    pub join_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sensitivity {
    Normal,
    Personal,
    Private,
    Confidential,
    #[serde(other)]
    Unknown,
}

/// `showAs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ShowAs {
    Free,
    Tentative,
    Busy,
    Oof,
    WorkingElsewhere,
    #[serde(other)]
    Unknown,
}

/// `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    SingleInstance,
    Occurrence,
    Exception,
    SeriesMaster,
    #[serde(other)]
    Unknown,
}

/// An event with the properties the console selects.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: String,
    pub change_key: Option<String>,
    pub subject: Option<String>,
    pub body: Option<ItemBody>,
    pub organizer: Option<Recipient>,
    pub location: Option<Location>,
    pub start: Option<DateTimeTimeZone>,
    pub end: Option<DateTimeTimeZone>,
    pub original_start_time_zone: Option<String>,
    pub is_all_day: Option<bool>,
    pub sensitivity: Option<Sensitivity>,
    pub is_cancelled: Option<bool>,
    pub show_as: Option<ShowAs>,
    #[serde(rename = "type")]
    pub event_type: Option<EventType>,
    pub series_master_id: Option<String>,
    #[serde(rename = "iCalUId")]
    pub ical_uid: Option<String>,
    pub online_meeting: Option<OnlineMeetingInfo>,
    pub online_meeting_url: Option<String>,
    /// Set on a delta entry for an event deleted or moved out of the window.
    #[serde(rename = "@removed")]
    pub removed: Option<Removed>,
    /// Present when the request expanded them (`$expand`, see [`MARKER_EXPAND`]): the
    /// console's marker on its own bookings.
    pub single_value_extended_properties: Option<Vec<ExtendedProperty>>,
}

/// A `singleValueLegacyExtendedProperty`: `{"id": "String {guid} Name …", "value": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct ExtendedProperty {
    pub id: String,
    pub value: Option<String>,
}

/// The console's marker as Graph names a single-value extended property: the same
/// property set and name as the EWS marker (`ews::marker`), so a booking made over one
/// protocol is recognised over the other.
pub const MARKER_ID: &str =
    "String {6a1d5c2e-7b3f-4e8a-9c41-0d2f5b8e7a93} Name RoomConsoleBookingId";

/// The `$expand` that brings the marker with an event (Graph returns extended
/// properties only when asked; `calendarView/delta` cannot be asked).
pub(crate) const MARKER_EXPAND: &str = "singleValueExtendedProperties($filter=id eq 'String {6a1d5c2e-7b3f-4e8a-9c41-0d2f5b8e7a93} Name RoomConsoleBookingId')";

impl Event {
    /// Whether the request that read the event asked for the marker.
    pub(crate) fn marker_read(&self) -> bool {
        self.single_value_extended_properties.is_some()
    }

    /// The booking id of the console's marker, on an event the console booked.
    pub(crate) fn console_booking_id(&self) -> Option<&str> {
        self.single_value_extended_properties
            .as_deref()?
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(MARKER_ID))?
            .value
            .as_deref()
    }
}

/// A delta entry's `@removed`: `{"reason": "deleted"}` (or `"changed"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Removed {
    pub reason: Option<String>,
}

/// The `$select` for a full event.
pub(crate) const EVENT_SELECT: &str = "id,changeKey,subject,body,organizer,location,start,end,originalStartTimeZone,isAllDay,sensitivity,isCancelled,showAs,type,seriesMasterId,iCalUId,onlineMeeting,onlineMeetingUrl";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_utc_and_iana_zones() {
        let utc = DateTimeTimeZone {
            date_time: "2026-11-23T08:00:00.0000000".into(),
            time_zone: Some("UTC".into()),
        };
        assert_eq!(
            utc.instant(),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap())
        );
        let stockholm = DateTimeTimeZone {
            date_time: "2026-11-23T09:00:00".into(),
            time_zone: Some("Europe/Stockholm".into()),
        };
        assert_eq!(
            stockholm.instant(),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap())
        );
        let windows = DateTimeTimeZone {
            date_time: "2026-11-23T09:00:00".into(),
            time_zone: Some("W. Europe Standard Time".into()),
        };
        assert_eq!(windows.instant(), None);
    }

    #[test]
    fn the_marker_is_the_ews_marker_and_is_read_from_expanded_properties() {
        use crate::ews::marker::{BOOKING_ID, PROPERTY_SET};
        assert_eq!(
            MARKER_ID,
            format!("String {{{PROPERTY_SET}}} Name {BOOKING_ID}")
        );
        assert!(MARKER_EXPAND.contains(MARKER_ID));
        let event: Event = serde_json::from_str(
            r#"{"id":"AAMk","singleValueExtendedProperties":[{"id":"String {6a1d5c2e-7b3f-4e8a-9c41-0d2f5b8e7a93} Name RoomConsoleBookingId","value":"b-1"}]}"#,
        )
        .unwrap();
        assert_eq!(event.console_booking_id(), Some("b-1"));
        let plain: Event = serde_json::from_str(r#"{"id":"AAMk"}"#).unwrap();
        assert!(!plain.marker_read());
        assert_eq!(plain.console_booking_id(), None);
    }

    #[test]
    fn unknown_enum_values_do_not_fail_the_event() {
        let event: Event = serde_json::from_str(
            r#"{"id":"AAMk","showAs":"somethingNew","type":"futureKind","sensitivity":"secret","onlineMeeting":null,"isAllDay":null}"#,
        )
        .unwrap();
        assert_eq!(event.show_as, Some(ShowAs::Unknown));
        assert_eq!(event.event_type, Some(EventType::Unknown));
        assert_eq!(event.online_meeting, None);
    }
}
