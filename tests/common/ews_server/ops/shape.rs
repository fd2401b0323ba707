//! The item shape a request asks for (BaseShape, BodyType, AdditionalProperties) and the
//! rendering of a calendar item with exactly those properties, in schema order.

use crate::common::ews_server::config::ExchangeVersion;
use crate::common::ews_server::item::BodyKind;
use crate::common::ews_server::mailbox::{ItemKind, ResolvedItem};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{date_time, schema_validation_fault, text};

use super::OpAnswer;

/// The properties of a calendar item this server knows how to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    ItemClass,
    Subject,
    Sensitivity,
    Body,
    HasAttachments,
    Uid,
    Start,
    End,
    IsAllDayEvent,
    LegacyFreeBusyStatus,
    Location,
    IsMeeting,
    IsCancelled,
    IsRecurring,
    CalendarItemType,
    Organizer,
    TimeZone,
    StartTimeZoneId,
    EndTimeZoneId,
    JoinOnlineMeetingUrl,
}

impl Field {
    fn from_uri(uri: &str) -> Option<Field> {
        Some(match uri {
            "item:ItemClass" => Field::ItemClass,
            "item:Subject" => Field::Subject,
            "item:Sensitivity" => Field::Sensitivity,
            "item:Body" => Field::Body,
            "item:HasAttachments" => Field::HasAttachments,
            "calendar:UID" => Field::Uid,
            "calendar:Start" => Field::Start,
            "calendar:End" => Field::End,
            "calendar:IsAllDayEvent" => Field::IsAllDayEvent,
            "calendar:LegacyFreeBusyStatus" => Field::LegacyFreeBusyStatus,
            "calendar:Location" => Field::Location,
            "calendar:IsMeeting" => Field::IsMeeting,
            "calendar:IsCancelled" => Field::IsCancelled,
            "calendar:IsRecurring" => Field::IsRecurring,
            "calendar:CalendarItemType" => Field::CalendarItemType,
            "calendar:Organizer" => Field::Organizer,
            "calendar:TimeZone" => Field::TimeZone,
            "calendar:StartTimeZoneId" => Field::StartTimeZoneId,
            "calendar:EndTimeZoneId" => Field::EndTimeZoneId,
            "calendar:JoinOnlineMeetingUrl" => Field::JoinOnlineMeetingUrl,
            _ => return None,
        })
    }

    fn needs_2013_schema(self) -> bool {
        matches!(
            self,
            Field::StartTimeZoneId | Field::EndTimeZoneId | Field::JoinOnlineMeetingUrl
        )
    }
}

const DEFAULT_FIELDS: &[Field] = &[
    Field::Subject,
    Field::HasAttachments,
    Field::Start,
    Field::End,
    Field::LegacyFreeBusyStatus,
    Field::Location,
    Field::CalendarItemType,
    Field::Organizer,
];

const ALL_FIELDS: &[Field] = &[
    Field::ItemClass,
    Field::Subject,
    Field::Sensitivity,
    Field::Body,
    Field::HasAttachments,
    Field::Uid,
    Field::Start,
    Field::End,
    Field::IsAllDayEvent,
    Field::LegacyFreeBusyStatus,
    Field::Location,
    Field::IsMeeting,
    Field::IsCancelled,
    Field::IsRecurring,
    Field::CalendarItemType,
    Field::Organizer,
    Field::TimeZone,
    Field::StartTimeZoneId,
    Field::EndTimeZoneId,
    Field::JoinOnlineMeetingUrl,
];

/// `t:ItemShape/t:BodyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyTypeWanted {
    Best,
    Html,
    Text,
}

/// An `ExtendedFieldURI` the client asked for, echoed back as it was written.
#[derive(Debug, Clone)]
pub struct ExtendedField {
    pub attributes: Vec<(String, String)>,
}

impl ExtendedField {
    /// Lync's `OnlineMeetingExternalLink`, a named string property in PS_PUBLIC_STRINGS.
    fn is_online_meeting_external_link(&self) -> bool {
        let get = |name: &str| {
            self.attributes
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let in_public_strings = get("DistinguishedPropertySetId") == Some("PublicStrings")
            || get("PropertySetId")
                .is_some_and(|id| id.eq_ignore_ascii_case("00020329-0000-0000-C000-000000000046"));
        in_public_strings
            && get("PropertyName")
                .is_some_and(|name| name.eq_ignore_ascii_case("OnlineMeetingExternalLink"))
    }

    /// The room console's booking marker (a named string property of its own set).
    pub fn is_booking_marker(&self) -> bool {
        self.attributes
            .iter()
            .any(|(key, value)| key == "PropertyName" && value == "RoomConsoleBookingId")
    }
}

/// What to write for each item.
#[derive(Debug, Clone)]
pub struct Shape {
    pub fields: Vec<Field>,
    pub body_type: BodyTypeWanted,
    pub extended: Vec<ExtendedField>,
}

/// A FieldURI the server's schema does not have (JoinOnlineMeetingUrl on 2010 SP2).
#[derive(Debug, Clone)]
pub struct UnknownField(pub String);

impl Shape {
    pub fn id_only() -> Self {
        Self {
            fields: Vec::new(),
            body_type: BodyTypeWanted::Best,
            extended: Vec::new(),
        }
    }

    /// The shape `request` asks for in its `ItemShape`, or the schema-validation fault
    /// Exchange answers for a FieldURI it does not know.
    pub fn requested(request: &Element, version: ExchangeVersion) -> Result<Self, OpAnswer> {
        Shape::parse(request.child("ItemShape"), version).map_err(|unknown| {
            OpAnswer::Fault(schema_validation_fault(&format!(
                "The 'FieldURI' attribute is invalid - The value '{}' is invalid according to its datatype.",
                unknown.0
            )))
        })
    }

    /// Reads `ItemShape` (absent: IdOnly).
    pub fn parse(
        item_shape: Option<&Element>,
        version: ExchangeVersion,
    ) -> Result<Self, UnknownField> {
        let mut shape = Self::id_only();
        let Some(item_shape) = item_shape else {
            return Ok(shape);
        };
        match item_shape.child("BaseShape").map(Element::trimmed_text) {
            Some("Default") => shape.fields.extend_from_slice(DEFAULT_FIELDS),
            Some("AllProperties") => shape.fields.extend_from_slice(ALL_FIELDS),
            _ => {}
        }
        shape.body_type = match item_shape.child("BodyType").map(Element::trimmed_text) {
            Some("HTML") => BodyTypeWanted::Html,
            Some("Text") => BodyTypeWanted::Text,
            _ => BodyTypeWanted::Best,
        };
        if let Some(additional) = item_shape.child("AdditionalProperties") {
            for property in &additional.children {
                match property.name.as_str() {
                    "FieldURI" => {
                        let uri = property.attribute("FieldURI").unwrap_or_default();
                        if let Some(field) = Field::from_uri(uri) {
                            if field.needs_2013_schema() && !version.has_2013_calendar_fields() {
                                return Err(UnknownField(uri.to_string()));
                            }
                            shape.fields.push(field);
                        }
                    }
                    "ExtendedFieldURI" => shape.extended.push(ExtendedField {
                        attributes: property.attributes.clone(),
                    }),
                    _ => {}
                }
            }
        }
        if !version.has_2013_calendar_fields() {
            shape.fields.retain(|field| !field.needs_2013_schema());
        }
        shape.fields.sort();
        shape.fields.dedup();
        Ok(shape)
    }

    pub fn wants(&self, field: Field) -> bool {
        self.fields.contains(&field)
    }
}

/// How item text is corrupted for the InvalidCharRefs fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectText {
    Clean,
    /// Appends `&#x1A;&#x0;`, character references XML 1.0 forbids.
    WithInvalidCharRefs,
}

fn element(name: &str, value: &str) -> String {
    format!("<t:{name}>{}</t:{name}>", text(value))
}

fn strip_tags(html: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => plain.push(character),
            _ => {}
        }
    }
    plain.trim().to_string()
}

fn body(resolved: &ResolvedItem, wanted: BodyTypeWanted) -> String {
    let Some(body) = &resolved.item.body else {
        let kind = if wanted == BodyTypeWanted::Html {
            "HTML"
        } else {
            "Text"
        };
        return format!(r#"<t:Body BodyType="{kind}" IsTruncated="false"/>"#);
    };
    let (kind, content) = match (body.kind, wanted) {
        (BodyKind::Html, BodyTypeWanted::Text) => ("Text", strip_tags(&body.content)),
        (BodyKind::Text, BodyTypeWanted::Html) => (
            "HTML",
            format!(
                "<html>\r\n<body>\r\n{}\r\n</body>\r\n</html>",
                text(&body.content)
            ),
        ),
        (BodyKind::Html, _) => ("HTML", body.content.clone()),
        (BodyKind::Text, _) => ("Text", body.content.clone()),
    };
    format!(
        r#"<t:Body BodyType="{kind}" IsTruncated="false">{}</t:Body>"#,
        text(&content)
    )
}

/// `<t:CalendarItem>` with the shape's properties, in the order types.xsd requires.
pub fn calendar_item(resolved: &ResolvedItem, shape: &Shape, subject_text: SubjectText) -> String {
    let item = &resolved.item;
    let mut xml = format!(
        r#"<t:CalendarItem><t:ItemId Id="{}" ChangeKey="{}"/>"#,
        text(&resolved.id),
        text(&resolved.change_key)
    );
    let mut extended_written = false;
    for field in &shape.fields {
        // ExtendedProperty closes ItemType's elements; CalendarItemType's follow it.
        if *field >= Field::Uid && !extended_written {
            xml.push_str(&extended_properties(resolved, shape));
            extended_written = true;
        }
        let written = match field {
            Field::ItemClass => element("ItemClass", "IPM.Appointment"),
            Field::Subject => match subject_text {
                SubjectText::Clean => element("Subject", &item.subject),
                SubjectText::WithInvalidCharRefs => {
                    format!("<t:Subject>{}&#x1A;&#x0;</t:Subject>", text(&item.subject))
                }
            },
            Field::Sensitivity => element("Sensitivity", item.sensitivity.as_str()),
            Field::Body => body(resolved, shape.body_type),
            Field::HasAttachments => element("HasAttachments", "false"),
            Field::Uid => element("UID", &item.uid),
            Field::Start => element("Start", &date_time(item.start)),
            Field::End => element("End", &date_time(item.end)),
            Field::IsAllDayEvent => element("IsAllDayEvent", &item.is_all_day.to_string()),
            Field::LegacyFreeBusyStatus => element("LegacyFreeBusyStatus", item.free_busy.as_str()),
            Field::Location => element("Location", &item.location),
            Field::IsMeeting => element("IsMeeting", &item.organizer.is_some().to_string()),
            Field::IsCancelled => element("IsCancelled", &item.is_cancelled.to_string()),
            Field::IsRecurring => element(
                "IsRecurring",
                &(resolved.kind != ItemKind::Single).to_string(),
            ),
            Field::CalendarItemType => element("CalendarItemType", resolved.kind.as_str()),
            Field::Organizer => match &item.organizer {
                Some(organizer) => format!(
                    "<t:Organizer><t:Mailbox>{}{}<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox></t:Organizer>",
                    element("Name", &organizer.name),
                    element("EmailAddress", &organizer.email)
                ),
                None => String::new(),
            },
            Field::TimeZone => element("TimeZone", &item.time_zone),
            Field::StartTimeZoneId => element("StartTimeZoneId", &item.time_zone),
            Field::EndTimeZoneId => element("EndTimeZoneId", &item.time_zone),
            Field::JoinOnlineMeetingUrl => match &item.join_online_meeting_url {
                Some(url) => element("JoinOnlineMeetingUrl", url),
                None => String::new(),
            },
        };
        xml.push_str(&written);
    }
    if !extended_written {
        xml.push_str(&extended_properties(resolved, shape));
    }
    xml.push_str("</t:CalendarItem>");
    xml
}

fn extended_properties(resolved: &ResolvedItem, shape: &Shape) -> String {
    shape
        .extended
        .iter()
        .filter_map(|field| {
            let value = if field.is_online_meeting_external_link() {
                resolved.item.online_meeting_external_link.as_ref()?
            } else if field.is_booking_marker() {
                resolved.item.booking_id.as_ref()?
            } else {
                return None;
            };
            let attributes: String = field
                .attributes
                .iter()
                .map(|(key, value)| format!(r#" {key}="{}""#, text(value)))
                .collect();
            Some(format!(
                "<t:ExtendedProperty><t:ExtendedFieldURI{attributes}/>{}</t:ExtendedProperty>",
                element("Value", value)
            ))
        })
        .collect()
}
