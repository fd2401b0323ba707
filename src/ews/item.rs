//! Calendar items as EWS returns them (FindItem and GetItem share the shape): item ids,
//! mailboxes, and the calendar fields the console reads.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::error::EwsError;
use super::response::parse_bool;
use super::xml::Element;

/// An EWS item id with the change key that identifies its version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemId {
    pub id: String,
    /// Absent on deletions reported by SyncFolderItems.
    pub change_key: Option<String>,
}

impl ItemId {
    pub fn new(id: impl Into<String>, change_key: Option<String>) -> ItemId {
        ItemId {
            id: id.into(),
            change_key,
        }
    }

    /// Reads a `t:ItemId` element; Exchange samples carry stray spaces around ids.
    pub fn from_element(element: &Element) -> Option<ItemId> {
        let id = element.attr("Id")?.trim();
        if id.is_empty() {
            return None;
        }
        Some(ItemId {
            id: id.to_string(),
            change_key: element
                .attr("ChangeKey")
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(str::to_string),
        })
    }
}

/// A person or resource as EWS names it (`t:Mailbox`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub email: Option<String>,
    /// `SMTP`, or `EX` for a legacy Exchange address.
    pub routing_type: Option<String>,
}

impl Mailbox {
    fn from_element(element: &Element) -> Mailbox {
        Mailbox {
            name: element.child_text("Name").map(str::to_string),
            email: element.child_text("EmailAddress").map(str::to_string),
            routing_type: element.child_text("RoutingType").map(str::to_string),
        }
    }
}

/// The body's format as Exchange returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Html,
    Text,
}

/// A meeting's body (its invitation text, where join links live).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub kind: BodyKind,
    pub content: String,
}

/// `t:Sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    Normal,
    Personal,
    Private,
    Confidential,
}

/// `t:LegacyFreeBusyStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyFreeBusy {
    Free,
    Tentative,
    Busy,
    OutOfOffice,
    WorkingElsewhere,
    NoData,
}

/// `t:CalendarItemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarItemType {
    Single,
    Occurrence,
    Exception,
    RecurringMaster,
}

/// A calendar item with the fields that were asked for; fields not returned are None,
/// empty, or false.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarItem {
    pub id: ItemId,
    pub subject: Option<String>,
    pub body: Option<Body>,
    pub organizer: Option<Mailbox>,
    pub required_attendees: Vec<Mailbox>,
    pub optional_attendees: Vec<Mailbox>,
    pub location: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub is_all_day: bool,
    /// `StartTimeZoneId` (2013+), else the `Id` of `StartTimeZone` (2010), else `TimeZone`
    /// (2007): a Windows time zone name.
    pub start_time_zone: Option<String>,
    pub sensitivity: Option<Sensitivity>,
    pub is_cancelled: bool,
    pub free_busy: Option<LegacyFreeBusy>,
    /// The iCalendar UID shared by all occurrences of a series.
    pub uid: Option<String>,
    pub item_type: Option<CalendarItemType>,
    /// For an occurrence or exception: the start it has in the series' pattern.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub original_start: Option<DateTime<Utc>>,
    /// `JoinOnlineMeetingUrl` (Exchange 2013+).
    pub join_online_meeting_url: Option<String>,
    /// The Lync extended property `OnlineMeetingExternalLink`.
    pub online_meeting_external_link: Option<String>,
}

impl CalendarItem {
    /// Reads a `t:CalendarItem` (or any item element with an ItemId).
    pub fn from_element(element: &Element) -> Result<CalendarItem, EwsError> {
        let id = element
            .child("ItemId")
            .and_then(ItemId::from_element)
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: format!("a <{}> without an ItemId", element.name),
            })?;
        let text = |name: &str| element.child_text(name).map(str::to_string);
        let flag = |name: &str| element.child_text(name).and_then(parse_bool) == Some(true);
        let time = |name: &str| -> Result<Option<DateTime<Utc>>, EwsError> {
            element
                .child_text(name)
                .map(|t| {
                    parse_date_time(t).ok_or_else(|| EwsError::UnexpectedResponse {
                        detail: format!("the {name} \"{t}\" of item {} is not a date", id.id),
                    })
                })
                .transpose()
        };
        let attendees = |name: &str| {
            element
                .child(name)
                .map(|list| {
                    list.children_named("Attendee")
                        .filter_map(|a| a.child("Mailbox"))
                        .map(Mailbox::from_element)
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(CalendarItem {
            subject: element.child("Subject").map(|s| s.text.trim().to_string()),
            body: element.child("Body").map(|b| Body {
                kind: match b.attr("BodyType") {
                    Some("HTML") => BodyKind::Html,
                    _ => BodyKind::Text,
                },
                content: b.text.clone(),
            }),
            organizer: element
                .path(&["Organizer", "Mailbox"])
                .map(Mailbox::from_element),
            required_attendees: attendees("RequiredAttendees"),
            optional_attendees: attendees("OptionalAttendees"),
            location: text("Location"),
            start: time("Start")?,
            end: time("End")?,
            is_all_day: flag("IsAllDayEvent"),
            start_time_zone: text("StartTimeZoneId")
                .or_else(|| {
                    element
                        .child("StartTimeZone")
                        .and_then(|z| z.attr("Id"))
                        .map(str::to_string)
                })
                .or_else(|| text("TimeZone")),
            sensitivity: element.child_text("Sensitivity").and_then(|s| match s {
                "Normal" => Some(Sensitivity::Normal),
                "Personal" => Some(Sensitivity::Personal),
                "Private" => Some(Sensitivity::Private),
                "Confidential" => Some(Sensitivity::Confidential),
                _ => None,
            }),
            is_cancelled: flag("IsCancelled"),
            free_busy: element
                .child_text("LegacyFreeBusyStatus")
                .and_then(|s| match s {
                    "Free" => Some(LegacyFreeBusy::Free),
                    "Tentative" => Some(LegacyFreeBusy::Tentative),
                    "Busy" => Some(LegacyFreeBusy::Busy),
                    "OOF" => Some(LegacyFreeBusy::OutOfOffice),
                    "WorkingElsewhere" => Some(LegacyFreeBusy::WorkingElsewhere),
                    "NoData" => Some(LegacyFreeBusy::NoData),
                    _ => None,
                }),
            uid: text("UID"),
            item_type: element
                .child_text("CalendarItemType")
                .and_then(|s| match s {
                    "Single" => Some(CalendarItemType::Single),
                    "Occurrence" => Some(CalendarItemType::Occurrence),
                    "Exception" => Some(CalendarItemType::Exception),
                    "RecurringMaster" => Some(CalendarItemType::RecurringMaster),
                    _ => None,
                }),
            recurrence_id: time("RecurrenceId")?,
            original_start: time("OriginalStart")?,
            join_online_meeting_url: text("JoinOnlineMeetingUrl"),
            online_meeting_external_link: extended_property(
                element,
                super::get_item::ONLINE_MEETING_EXTERNAL_LINK,
            ),
            id,
        })
    }
}

/// The value of an `ExtendedProperty` whose `ExtendedFieldURI` has this `PropertyName`.
fn extended_property(element: &Element, property_name: &str) -> Option<String> {
    element
        .children_named("ExtendedProperty")
        .find(|p| {
            p.child("ExtendedFieldURI")
                .and_then(|uri| uri.attr("PropertyName"))
                == Some(property_name)
        })
        .and_then(|p| p.child_text("Value"))
        .map(str::to_string)
}

/// Parses an `xs:dateTime` as Exchange writes it: `2013-08-21T19:30:00Z`, with an offset,
/// or without a zone (then UTC, which is what Exchange means without a TimeZoneContext).
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// Writes an instant as `xs:dateTime` in UTC.
pub fn format_date_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
