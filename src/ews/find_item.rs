//! FindItem with a CalendarView: the meetings of the room's calendar in a time window,
//! recurring series expanded into their occurrences.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, Utc};
use yoke::Yokeable;

use super::envelope::{RequestHeader, XmlWriter, ews_envelope, field_uri, room_calendar_folder};
use super::error::EwsError;
use super::item::{CalendarItem, format_date_time, read_items};
use super::response::{Response, read_messages, single};
use super::xml::{Read, Tag, XmlReader, document_text, parse_bool};

/// Which properties a CalendarView asks for besides the ids and change keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewShape {
    /// The start alone: the sync's listing of its window, which reads on from the last
    /// start of a full answer. The rest comes from GetItem, and each property left out is
    /// about 50 bytes less per meeting to send and read.
    Listing,
    /// Subjects, times and kinds: a view a person reads (the diagnosis lists the next
    /// meetings).
    Plain,
    /// Plain, with each item's free/busy status, cancellation and booking marker
    /// (`marker`) too: the view the console checks for clashes and for its own earlier
    /// booking before and after it books.
    Marked,
}

impl ViewShape {
    fn fields(self) -> &'static [&'static str] {
        match self {
            ViewShape::Listing => &["calendar:Start"],
            ViewShape::Plain | ViewShape::Marked => &[
                "item:Subject",
                "calendar:Start",
                "calendar:End",
                "calendar:IsAllDayEvent",
                "calendar:CalendarItemType",
            ],
        }
    }
}

/// The meetings found in a window, borrowing from the response (see `item`).
#[derive(Debug, Clone, PartialEq, Eq, Yokeable)]
pub struct CalendarView<'a> {
    pub items: Vec<CalendarItem<'a>>,
    /// False when MaxEntriesReturned cut the list short: split the window and ask again.
    pub includes_last_item_in_range: bool,
    pub total_items_in_view: Option<u32>,
}

/// The request for the meetings of `mailbox` between `start` and `end`, at most
/// `max_entries` of them, with the properties `shape` names.
pub fn request(
    header: &RequestHeader,
    shape: ViewShape,
    mailbox: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    max_entries: u32,
) -> Vec<u8> {
    ews_envelope(header, |w| {
        write_find_item(w, shape, mailbox, start, end, max_entries)
    })
}

fn write_find_item(
    w: &mut XmlWriter,
    shape: ViewShape,
    mailbox: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    max_entries: u32,
) -> io::Result<()> {
    w.create_element("m:FindItem")
        .with_attribute(("Traversal", "Shallow"))
        .write_inner_content(|w| {
            w.create_element("m:ItemShape").write_inner_content(|w| {
                w.create_element("t:BaseShape")
                    .write_text_content(quick_xml::events::BytesText::new("IdOnly"))?;
                w.create_element("t:AdditionalProperties")
                    .write_inner_content(|w| {
                        shape.fields().iter().try_for_each(|f| field_uri(w, f))?;
                        if shape == ViewShape::Marked {
                            field_uri(w, "calendar:LegacyFreeBusyStatus")?;
                            field_uri(w, "calendar:IsCancelled")?;
                            super::marker::write_field_uri(w)?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
            w.create_element("m:CalendarView")
                .with_attributes([
                    (
                        "MaxEntriesReturned",
                        max_entries.max(1).to_string().as_str(),
                    ),
                    ("StartDate", format_date_time(start).as_str()),
                    ("EndDate", format_date_time(end).as_str()),
                ])
                .write_empty()?;
            w.create_element("m:ParentFolderIds")
                .write_inner_content(|w| room_calendar_folder(w, mailbox))?;
            Ok(())
        })?;
    Ok(())
}

/// A CalendarView's `RootFolder`: the items and whether the window held more.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RootFolder<'a> {
    items: Vec<Result<CalendarItem<'a>, EwsError>>,
    includes_last_item_in_range: bool,
    total_items_in_view: Option<u32>,
}

/// A response message's child, for `response::read_messages`: the `RootFolder`.
fn read_message_child<'a>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    root: &mut Option<RootFolder<'a>>,
) -> Read<bool> {
    if tag.name() != "RootFolder" {
        return Ok(false);
    }
    *root = Some(read_root_folder(reader, tag)?);
    Ok(true)
}

/// Reads a `RootFolder` element.
fn read_root_folder<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<RootFolder<'a>> {
    let mut folder = RootFolder {
        items: Vec::new(),
        includes_last_item_in_range: tag
            .attr("IncludesLastItemInRange")
            .and_then(|v| parse_bool(&v))
            .unwrap_or(true),
        total_items_in_view: tag
            .attr("TotalItemsInView")
            .and_then(|n| n.trim().parse().ok()),
    };
    let mut seen_items = false;
    while let Some(child) = reader.next_child(tag)? {
        if child.name() == "Items" && !seen_items {
            seen_items = true;
            let expected = folder.total_items_in_view.unwrap_or(0);
            folder.items = read_items(reader, &child, usize::try_from(expected).unwrap_or(0))?;
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(folder)
}

/// Reads a FindItem response. An item that cannot be read fails the whole view: the
/// window would otherwise look emptier than it is. The items borrow from `answer`
/// (owned only when it is not UTF-8).
pub fn parse(answer: &[u8]) -> Result<Response<CalendarView<'_>>, EwsError> {
    match document_text(answer) {
        Cow::Borrowed(text) => read(text),
        Cow::Owned(text) => read(&text).map(|response| Response {
            server_version: response.server_version,
            value: response.value.into_owned(),
        }),
    }
}

fn read(text: &str) -> Result<Response<CalendarView<'_>>, EwsError> {
    let response = single(read_messages(text, read_message_child)?)?;
    let root = response.value.ok_or_else(|| EwsError::UnexpectedResponse {
        detail: "FindItem answered without a RootFolder".into(),
    })?;
    Ok(Response {
        server_version: response.server_version,
        value: CalendarView {
            items: root.items.into_iter().collect::<Result<Vec<_>, _>>()?,
            includes_last_item_in_range: root.includes_last_item_in_range,
            total_items_in_view: root.total_items_in_view,
        },
    })
}

impl CalendarView<'_> {
    /// The same view, no longer borrowing from the response.
    fn into_owned(self) -> CalendarView<'static> {
        CalendarView {
            items: self
                .items
                .into_iter()
                .map(CalendarItem::into_owned)
                .collect(),
            includes_last_item_in_range: self.includes_last_item_in_range,
            total_items_in_view: self.total_items_in_view,
        }
    }
}
