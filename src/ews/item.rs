//! Calendar items as EWS returns them (FindItem and GetItem share the shape): item ids
//! (and how a request names one), mailboxes, and the calendar fields the console reads.
//!
//! The text fields borrow from the response they were read from (`'a`) and are owned
//! only where reading changed the text (references resolved, line ends or forbidden
//! characters fixed), so reading a batch allocates next to nothing per item;
//! `into_owned` detaches an item from its response.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::envelope::XmlWriter;
use super::error::EwsError;
use super::marker;
use super::xml::{Read, Tag, XmlReader, parse_bool, trim, trimmed};

/// The MAPI property set of Lync/Skype online meeting properties (PSETID_Meeting).
pub(crate) const LYNC_PROPERTY_SET: &str = "00020329-0000-0000-C000-000000000046";
/// The Lync property holding the meeting's join URL.
pub(crate) const ONLINE_MEETING_EXTERNAL_LINK: &str = "OnlineMeetingExternalLink";

/// Writes `<name Id="…" ChangeKey="…"/>` (`t:ItemId`, `t:ReferenceItemId`), the
/// ChangeKey only when the item has one: straight into the request, as quick-xml's element
/// writer writes it (values escaped, nothing between elements), for a GetItem batch
/// names hundreds.
pub(crate) fn item_id_element(w: &mut XmlWriter, name: &str, item: &ItemId<'_>) -> io::Result<()> {
    let out = w.get_mut();
    out.push(b'<');
    out.extend_from_slice(name.as_bytes());
    push_attribute(out, "Id", &item.id);
    if let Some(key) = &item.change_key {
        push_attribute(out, "ChangeKey", key);
    }
    out.extend_from_slice(b"/>");
    Ok(())
}

/// Appends ` key="value"`, the value escaped.
fn push_attribute(out: &mut Vec<u8>, key: &str, value: &str) {
    out.push(b' ');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"=\"");
    out.extend_from_slice(quick_xml::escape::escape(value).as_bytes());
    out.push(b'"');
}

/// An EWS item id with the change key that identifies its version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ItemId<'a> {
    pub id: Cow<'a, str>,
    /// Absent on deletions reported by SyncFolderItems.
    pub change_key: Option<Cow<'a, str>>,
}

impl<'a> ItemId<'a> {
    pub fn new(id: impl Into<Cow<'a, str>>, change_key: Option<String>) -> ItemId<'a> {
        ItemId {
            id: id.into(),
            change_key: change_key.map(Cow::Owned),
        }
    }

    /// Reads a `t:ItemId` tag; Exchange samples carry stray spaces around ids.
    pub(crate) fn from_tag(tag: &Tag<'a>) -> Option<ItemId<'a>> {
        let [id, change_key] = tag.attrs(["Id", "ChangeKey"]);
        let id = trimmed(id?);
        if id.is_empty() {
            return None;
        }
        Some(ItemId {
            id,
            change_key: change_key.map(trimmed).filter(|k| !k.is_empty()),
        })
    }

    /// The same id, no longer borrowing from a response.
    pub fn into_owned(self) -> ItemId<'static> {
        ItemId {
            id: Cow::Owned(self.id.into_owned()),
            change_key: self.change_key.map(|k| Cow::Owned(k.into_owned())),
        }
    }
}

/// Detaches an optional text from its response.
fn owned(text: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
    text.map(|t| Cow::Owned(t.into_owned()))
}

/// A person or resource as EWS names it (`t:Mailbox`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mailbox<'a> {
    pub name: Option<Cow<'a, str>>,
    pub email: Option<Cow<'a, str>>,
    /// `SMTP`, or `EX` for a legacy Exchange address.
    pub routing_type: Option<Cow<'a, str>>,
}

impl<'a> Mailbox<'a> {
    /// The same mailbox, no longer borrowing from a response.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            name: owned(self.name),
            email: owned(self.email),
            routing_type: owned(self.routing_type),
        }
    }

    fn read(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Mailbox<'a>> {
        let mut mailbox = Mailbox::default();
        while let Some(child) = reader.next_child(tag)? {
            let field = match child.name() {
                "Name" => &mut mailbox.name,
                "EmailAddress" => &mut mailbox.email,
                "RoutingType" => &mut mailbox.routing_type,
                _ => {
                    reader.skip(&child)?;
                    continue;
                }
            };
            *field = reader.trimmed_text(&child)?;
        }
        Ok(mailbox)
    }

    /// The `Mailbox` inside an `Organizer` or `Attendee`.
    fn read_inside(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Option<Mailbox<'a>>> {
        let mut mailbox = None;
        while let Some(child) = reader.next_child(tag)? {
            if child.name() == "Mailbox" && mailbox.is_none() {
                mailbox = Some(Mailbox::read(reader, &child)?);
            } else {
                reader.skip(&child)?;
            }
        }
        Ok(mailbox)
    }

    /// The mailboxes of an attendee list.
    fn read_attendees(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Vec<Mailbox<'a>>> {
        let mut attendees = Vec::new();
        while let Some(child) = reader.next_child(tag)? {
            if child.name() == "Attendee" {
                attendees.extend(Mailbox::read_inside(reader, &child)?);
            } else {
                reader.skip(&child)?;
            }
        }
        Ok(attendees)
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
pub struct Body<'a> {
    pub kind: BodyKind,
    pub content: Cow<'a, str>,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarItem<'a> {
    pub id: ItemId<'a>,
    pub subject: Option<Cow<'a, str>>,
    pub body: Option<Body<'a>>,
    pub organizer: Option<Mailbox<'a>>,
    pub required_attendees: Vec<Mailbox<'a>>,
    pub optional_attendees: Vec<Mailbox<'a>>,
    pub location: Option<Cow<'a, str>>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub is_all_day: bool,
    /// `StartTimeZoneId` (2013+), else the `Id` of `StartTimeZone` (2010), else `TimeZone`
    /// (2007): a Windows time zone name.
    pub start_time_zone: Option<Cow<'a, str>>,
    pub sensitivity: Option<Sensitivity>,
    pub is_cancelled: bool,
    pub free_busy: Option<LegacyFreeBusy>,
    /// The iCalendar UID shared by all occurrences of a series.
    pub uid: Option<Cow<'a, str>>,
    pub item_type: Option<CalendarItemType>,
    /// For an occurrence or exception: the start it has in the series' pattern.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub original_start: Option<DateTime<Utc>>,
    /// `JoinOnlineMeetingUrl` (Exchange 2013+).
    pub join_online_meeting_url: Option<Cow<'a, str>>,
    /// The Lync extended property `OnlineMeetingExternalLink`.
    pub online_meeting_external_link: Option<Cow<'a, str>>,
    /// The console's booking id (`marker`): set on items booked at the console.
    pub console_booking_id: Option<Cow<'a, str>>,
}

/// The fewest bytes an item takes in a response (`<t:CalendarItem><t:ItemId Id="x"/>`
/// and its end tag), which bounds how many items the rest of a response can hold.
const MIN_ITEM_BYTES: usize = 48;

/// The items of an `Items` element, each read or, when unusable, the reason why.
/// `expected` is how many the server announced (a CalendarView's `TotalItemsInView`):
/// room is made for that many at once, but never for more than the rest of the
/// response could hold.
pub(crate) fn read_items<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    expected: usize,
) -> Read<Vec<Result<CalendarItem<'a>, EwsError>>> {
    let room = expected.min(reader.bytes_left() / MIN_ITEM_BYTES);
    let mut items = Vec::with_capacity(room);
    while let Some(child) = reader.next_child(tag)? {
        items.push(CalendarItem::read(reader, &child)?);
    }
    Ok(items)
}

/// A response message's child, for `response::read_messages`: of an `Items` element
/// (GetItem, CreateItem, UpdateItem answer one item per message), the first item is
/// read into `first` and any further one checked and passed over; None when it holds
/// none. False for any other child.
pub(crate) fn read_first_item<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    first: &mut Option<Result<CalendarItem<'a>, EwsError>>,
) -> Read<bool> {
    if tag.name() != "Items" {
        return Ok(false);
    }
    *first = None;
    while let Some(child) = reader.next_child(tag)? {
        if first.is_some() {
            reader.skip(&child)?;
        } else {
            *first = Some(CalendarItem::read(reader, &child)?);
        }
    }
    Ok(true)
}

impl<'a> CalendarItem<'a> {
    /// The same item, no longer borrowing from a response.
    pub fn into_owned(self) -> CalendarItem<'static> {
        CalendarItem {
            id: self.id.into_owned(),
            subject: owned(self.subject),
            body: self.body.map(|b| Body {
                kind: b.kind,
                content: Cow::Owned(b.content.into_owned()),
            }),
            organizer: self.organizer.map(Mailbox::into_owned),
            required_attendees: self
                .required_attendees
                .into_iter()
                .map(Mailbox::into_owned)
                .collect(),
            optional_attendees: self
                .optional_attendees
                .into_iter()
                .map(Mailbox::into_owned)
                .collect(),
            location: owned(self.location),
            start: self.start,
            end: self.end,
            is_all_day: self.is_all_day,
            start_time_zone: owned(self.start_time_zone),
            sensitivity: self.sensitivity,
            is_cancelled: self.is_cancelled,
            free_busy: self.free_busy,
            uid: owned(self.uid),
            item_type: self.item_type,
            recurrence_id: self.recurrence_id,
            original_start: self.original_start,
            join_online_meeting_url: owned(self.join_online_meeting_url),
            online_meeting_external_link: owned(self.online_meeting_external_link),
            console_booking_id: owned(self.console_booking_id),
        }
    }

    /// Reads a `t:CalendarItem` (or any item element with an ItemId) to its end. An item
    /// without an id, or with a date that is not one, is an `Err` of its own.
    pub fn read(
        reader: &mut XmlReader<'a>,
        tag: &Tag<'a>,
    ) -> Read<Result<CalendarItem<'a>, EwsError>> {
        let mut item = CalendarItem::default();
        let mut id = None;
        let mut bad_date = None;
        let (mut zone_id, mut zone_object, mut zone_legacy) = (None, None, None);
        while let Some(child) = reader.next_child(tag)? {
            match child.name() {
                "ItemId" => {
                    id = id.or_else(|| ItemId::from_tag(&child));
                    reader.skip(&child)?;
                }
                "Subject" => item.subject = Some(trimmed(reader.text(&child)?)),
                "Body" => {
                    let kind = match child.attr("BodyType").as_deref() {
                        Some("HTML") => BodyKind::Html,
                        _ => BodyKind::Text,
                    };
                    let content = reader.text(&child)?;
                    item.body = Some(Body { kind, content });
                }
                "Organizer" => item.organizer = Mailbox::read_inside(reader, &child)?,
                "RequiredAttendees" => {
                    item.required_attendees = Mailbox::read_attendees(reader, &child)?;
                }
                "OptionalAttendees" => {
                    item.optional_attendees = Mailbox::read_attendees(reader, &child)?;
                }
                "Location" => item.location = reader.trimmed_text(&child)?,
                "Start" => item.start = read_time(reader, &child, &mut bad_date)?,
                "End" => item.end = read_time(reader, &child, &mut bad_date)?,
                "RecurrenceId" => item.recurrence_id = read_time(reader, &child, &mut bad_date)?,
                "OriginalStart" => {
                    item.original_start = read_time(reader, &child, &mut bad_date)?;
                }
                "IsAllDayEvent" => item.is_all_day = read_flag(reader, &child)?,
                "IsCancelled" => item.is_cancelled = read_flag(reader, &child)?,
                "StartTimeZoneId" => zone_id = reader.trimmed_text(&child)?,
                "StartTimeZone" => {
                    zone_object = child.attr("Id");
                    reader.skip(&child)?;
                }
                "TimeZone" => zone_legacy = reader.trimmed_text(&child)?,
                "Sensitivity" => {
                    item.sensitivity = match trim(&reader.text(&child)?) {
                        "Normal" => Some(Sensitivity::Normal),
                        "Personal" => Some(Sensitivity::Personal),
                        "Private" => Some(Sensitivity::Private),
                        "Confidential" => Some(Sensitivity::Confidential),
                        _ => None,
                    }
                }
                "LegacyFreeBusyStatus" => {
                    item.free_busy = match trim(&reader.text(&child)?) {
                        "Free" => Some(LegacyFreeBusy::Free),
                        "Tentative" => Some(LegacyFreeBusy::Tentative),
                        "Busy" => Some(LegacyFreeBusy::Busy),
                        "OOF" => Some(LegacyFreeBusy::OutOfOffice),
                        "WorkingElsewhere" => Some(LegacyFreeBusy::WorkingElsewhere),
                        "NoData" => Some(LegacyFreeBusy::NoData),
                        _ => None,
                    }
                }
                "CalendarItemType" => {
                    item.item_type = match trim(&reader.text(&child)?) {
                        "Single" => Some(CalendarItemType::Single),
                        "Occurrence" => Some(CalendarItemType::Occurrence),
                        "Exception" => Some(CalendarItemType::Exception),
                        "RecurringMaster" => Some(CalendarItemType::RecurringMaster),
                        _ => None,
                    }
                }
                "UID" => item.uid = reader.trimmed_text(&child)?,
                "JoinOnlineMeetingUrl" => {
                    item.join_online_meeting_url = reader.trimmed_text(&child)?
                }
                "ExtendedProperty" => match read_extended_property(reader, &child)? {
                    Some((name, value))
                        if name == ONLINE_MEETING_EXTERNAL_LINK
                            && item.online_meeting_external_link.is_none() =>
                    {
                        item.online_meeting_external_link = Some(value);
                    }
                    Some((name, value)) if name == marker::BOOKING_ID => {
                        item.console_booking_id = Some(value);
                    }
                    _ => {}
                },
                _ => reader.skip(&child)?,
            }
        }
        let Some(id) = id else {
            return Ok(Err(EwsError::UnexpectedResponse {
                detail: format!("a <{}> without an ItemId", tag.name()),
            }));
        };
        if let Some((name, text)) = bad_date {
            return Ok(Err(EwsError::UnexpectedResponse {
                detail: format!("the {name} \"{text}\" of item {} is not a date", id.id),
            }));
        }
        item.id = id;
        item.start_time_zone = zone_id.or(zone_object).or(zone_legacy);
        Ok(Ok(item))
    }
}

/// An `xs:dateTime` element; one that is not a date is noted in `bad_date` (the first
/// one only) and read as absent.
fn read_time<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    bad_date: &mut Option<(String, String)>,
) -> Read<Option<DateTime<Utc>>> {
    let text = reader.text(tag)?;
    let text = trim(&text);
    if text.is_empty() {
        return Ok(None);
    }
    let time = parse_date_time(text);
    if time.is_none() && bad_date.is_none() {
        *bad_date = Some((tag.name().to_string(), text.to_string()));
    }
    Ok(time)
}

/// An `xs:boolean` element that is true.
fn read_flag<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<bool> {
    Ok(parse_bool(&reader.text(tag)?) == Some(true))
}

/// The `PropertyName` of an `ExtendedProperty`'s `ExtendedFieldURI` and its `Value`;
/// None when either is missing.
fn read_extended_property<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
) -> Read<Option<(String, Cow<'a, str>)>> {
    let (mut name, mut value) = (None, None);
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "ExtendedFieldURI" => {
                name = child.attr("PropertyName").map(|n| n.into_owned());
                reader.skip(&child)?;
            }
            "Value" => value = reader.trimmed_text(&child)?,
            _ => reader.skip(&child)?,
        }
    }
    Ok(name.zip(value))
}

/// Parses an `xs:dateTime` as Exchange writes it: `2013-08-21T19:30:00Z`, with an offset,
/// or without a zone (then UTC, which is what Exchange means without a TimeZoneContext).
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = trim(text);
    parse_plain_utc(text).or_else(|| parse_any_date_time(text))
}

/// Any `xs:dateTime` form: with an offset, or without a zone (then UTC).
fn parse_any_date_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// The form Exchange writes nearly every time, `2013-08-21T19:30:00Z`, read without the
/// general parser; None for any other form (the general parser decides then), or for a
/// date or time that does not exist.
fn parse_plain_utc(text: &str) -> Option<DateTime<Utc>> {
    let [
        y1,
        y2,
        y3,
        y4,
        b'-',
        mo1,
        mo2,
        b'-',
        d1,
        d2,
        b'T',
        h1,
        h2,
        b':',
        mi1,
        mi2,
        b':',
        s1,
        s2,
        b'Z',
    ] = *text.as_bytes()
    else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(&[y1, y2, y3, y4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&[mo1, mo2])?, number(&[d1, d2])?)?
        .and_hms_opt(number(&[h1, h2])?, number(&[mi1, mi2])?, number(&[s1, s2])?)
        .map(|t| t.and_utc())
}

/// Writes an instant as `xs:dateTime` in UTC.
pub(crate) fn format_date_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `item_id_element` as it was, through quick-xml's element writer: the reference.
    fn item_id_element_before(w: &mut XmlWriter, name: &str, item: &ItemId<'_>) {
        let mut element = w.create_element(name).with_attribute(("Id", &*item.id));
        if let Some(key) = &item.change_key {
            element = element.with_attribute(("ChangeKey", &**key));
        }
        element.write_empty().unwrap();
    }

    #[test]
    fn item_ids_are_written_as_the_element_writer_wrote_them() {
        let ids = ["AAMk=", "a&b<c>\"d'e", " spaced ", "", "é会"];
        for id in ids {
            for key in [None, Some("CK=="), Some("k&\"")] {
                let item = ItemId::new(id, key.map(str::to_string));
                for name in ["t:ItemId", "t:ReferenceItemId"] {
                    let mut before = quick_xml::Writer::new(Vec::new());
                    item_id_element_before(&mut before, name, &item);
                    let mut now = quick_xml::Writer::new(Vec::new());
                    item_id_element(&mut now, name, &item).unwrap();
                    // Twice in a row too: nothing carries over between elements.
                    item_id_element_before(&mut before, name, &item);
                    item_id_element(&mut now, name, &item).unwrap();
                    assert_eq!(now.into_inner(), before.into_inner(), "{id:?} {key:?}");
                }
            }
        }
    }

    #[test]
    fn the_plain_form_reads_as_the_general_parser_reads_it() {
        let texts = [
            "2013-08-21T19:30:00Z",
            "2026-11-23T09:00:00Z",
            "0000-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2023-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-11-31T10:00:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T10:60:00Z",
            "2026-11-23T10:00:60Z",
            "2026-11-23T1a:00:00Z",
            "2026-11-23 10:00:00Z",
            "2026-11-23t10:00:00z",
            "+026-11-23T10:00:00Z",
        ];
        for text in texts {
            assert_eq!(parse_date_time(text), parse_any_date_time(text), "{text}");
            if let Some(fast) = parse_plain_utc(text) {
                assert_eq!(Some(fast), parse_any_date_time(text), "{text}");
            }
        }
        assert!(parse_plain_utc("2026-11-23T09:00:00Z").is_some());
        assert_eq!(parse_plain_utc("2026-11-23T09:00:00+01:00"), None);
        assert_eq!(
            parse_date_time("2026-11-23T09:00:00+01:00"),
            parse_any_date_time("2026-11-23T09:00:00+01:00")
        );
        assert_eq!(
            parse_date_time("2026-11-23T09:00:00.5"),
            parse_any_date_time("2026-11-23T09:00:00.5")
        );
    }
}
