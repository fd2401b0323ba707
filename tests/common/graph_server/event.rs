//! A test event and its JSON, as Graph's documentation shows an `event` resource with
//! `Prefer: outlook.timezone="UTC"`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowAs {
    Free,
    Tentative,
    Busy,
    Oof,
}

#[derive(Debug, Clone)]
pub struct TestEvent {
    pub id: String,
    pub change_key: String,
    pub subject: String,
    pub organizer: (String, String),
    pub location: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub all_day: bool,
    pub sensitivity: &'static str,
    pub cancelled: bool,
    pub show_as: ShowAs,
    /// `singleInstance`, `occurrence`, `exception` or `seriesMaster`.
    pub kind: &'static str,
    pub series_master_id: Option<String>,
    pub join_url: Option<String>,
    pub body_html: String,
    /// The console's marker (a single-value extended property), on its own bookings.
    pub booking_id: Option<String>,
    /// The `transactionId` the event was created with.
    pub transaction_id: Option<String>,
}

/// The console's marker as Graph names the extended property.
pub const MARKER_ID: &str =
    "String {6a1d5c2e-7b3f-4e8a-9c41-0d2f5b8e7a93} Name RoomConsoleBookingId";

impl TestEvent {
    pub fn new(id: &str, subject: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> TestEvent {
        TestEvent {
            id: id.into(),
            change_key: format!("ck-{id}-1"),
            subject: subject.into(),
            organizer: ("Room booker".into(), "booker@contoso.com".into()),
            location: String::new(),
            start,
            end,
            all_day: false,
            sensitivity: "normal",
            cancelled: false,
            show_as: ShowAs::Busy,
            kind: "singleInstance",
            series_master_id: None,
            join_url: None,
            body_html: "<html><body></body></html>".into(),
            booking_id: None,
            transaction_id: None,
        }
    }

    pub fn organizer(mut self, name: &str, address: &str) -> Self {
        self.organizer = (name.into(), address.into());
        self
    }
    pub fn location(mut self, location: &str) -> Self {
        self.location = location.into();
        self
    }
    pub fn body(mut self, html: &str) -> Self {
        self.body_html = html.into();
        self
    }
    pub fn teams(mut self, join_url: &str) -> Self {
        self.join_url = Some(join_url.into());
        self
    }
    pub fn private(mut self) -> Self {
        self.sensitivity = "private";
        self
    }
    pub fn cancelled(mut self) -> Self {
        self.cancelled = true;
        self
    }
    pub fn all_day(mut self) -> Self {
        self.all_day = true;
        self
    }
    pub fn show_as(mut self, show_as: ShowAs) -> Self {
        self.show_as = show_as;
        self
    }
    pub fn occurrence_of(mut self, master: &str, exception: bool) -> Self {
        self.kind = if exception { "exception" } else { "occurrence" };
        self.series_master_id = Some(master.into());
        self
    }
    pub fn series_master(mut self) -> Self {
        self.kind = "seriesMaster";
        self
    }

    /// Whether the event overlaps [from, to).
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.start < to && self.end > from
    }

    /// The event resource, every property the console may select.
    pub fn json(&self) -> Value {
        let time = |t: DateTime<Utc>| json!({"dateTime": t.format("%Y-%m-%dT%H:%M:%S.0000000").to_string(), "timeZone": "UTC"});
        let show_as = match self.show_as {
            ShowAs::Free => "free",
            ShowAs::Tentative => "tentative",
            ShowAs::Busy => "busy",
            ShowAs::Oof => "oof",
        };
        json!({
            "@odata.etag": format!("W/\"{}\"", self.change_key),
            "id": self.id,
            "createdDateTime": "2026-11-01T09:00:00.0000000Z",
            "lastModifiedDateTime": "2026-11-20T09:00:00.0000000Z",
            "changeKey": self.change_key,
            "categories": [],
            "originalStartTimeZone": "W. Europe Standard Time",
            "originalEndTimeZone": "W. Europe Standard Time",
            "iCalUId": format!("040000008200E00074C5B7101A82E008{}", self.id.len()),
            "reminderMinutesBeforeStart": 15,
            "isReminderOn": false,
            "hasAttachments": false,
            "subject": self.subject,
            "bodyPreview": "",
            "importance": "normal",
            "sensitivity": self.sensitivity,
            "isAllDay": self.all_day,
            "isCancelled": self.cancelled,
            "isOrganizer": false,
            "responseRequested": true,
            "seriesMasterId": self.series_master_id,
            "showAs": show_as,
            "type": self.kind,
            "webLink": format!("https://outlook.office365.com/owa/?itemid={}&exvsurl=1&path=/calendar/item", self.id),
            "onlineMeetingUrl": null,
            "isOnlineMeeting": self.join_url.is_some(),
            "onlineMeetingProvider": if self.join_url.is_some() { "teamsForBusiness" } else { "unknown" },
            "responseStatus": {"response": "accepted", "time": "2026-11-20T09:00:00.0000000Z"},
            "body": {"contentType": "html", "content": self.body_html},
            "start": time(self.start),
            "end": time(self.end),
            "location": {"displayName": self.location, "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}},
            "locations": [],
            "recurrence": null,
            "attendees": [],
            "organizer": {"emailAddress": {"name": self.organizer.0, "address": self.organizer.1}},
            "onlineMeeting": self.join_url.as_ref().map(|url| json!({"joinUrl": url})),
        })
    }
}

/// Adds the extended properties an `$expand` asks for, as Graph does: only those its
/// `$filter` names, and none (the property left out) when the event has none of them.
pub fn expand(mut value: Value, event: &TestEvent, expand: Option<&str>) -> Value {
    let Some(expand) = expand else {
        return value;
    };
    if expand.starts_with("singleValueExtendedProperties")
        && expand.contains(MARKER_ID)
        && let Some(booking_id) = &event.booking_id
    {
        value["singleValueExtendedProperties"] = json!([{"id": MARKER_ID, "value": booking_id}]);
    }
    value
}

/// Keeps only the `$select`ed properties (and the OData annotations), as Graph does.
pub fn select(mut value: Value, select: Option<&str>) -> Value {
    let Some(select) = select else {
        return value;
    };
    let wanted: Vec<&str> = select.split(',').map(str::trim).collect();
    if let Some(object) = value.as_object_mut() {
        object.retain(|key, _| key.starts_with('@') || wanted.contains(&key.as_str()));
    }
    value
}
