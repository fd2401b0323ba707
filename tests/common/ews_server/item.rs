//! The calendar items a test mailbox holds: what a test writes to describe a meeting,
//! single or recurring, with the properties Exchange would report for it.

use chrono::{DateTime, Duration, Utc};

/// `t:Sensitivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    Normal,
    Personal,
    Private,
    Confidential,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Normal => "Normal",
            Sensitivity::Personal => "Personal",
            Sensitivity::Private => "Private",
            Sensitivity::Confidential => "Confidential",
        }
    }
}

/// `t:LegacyFreeBusyStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeBusyStatus {
    Free,
    Tentative,
    Busy,
    OutOfOffice,
    WorkingElsewhere,
    NoData,
}

impl FreeBusyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FreeBusyStatus::Free => "Free",
            FreeBusyStatus::Tentative => "Tentative",
            FreeBusyStatus::Busy => "Busy",
            FreeBusyStatus::OutOfOffice => "OOF",
            FreeBusyStatus::WorkingElsewhere => "WorkingElsewhere",
            FreeBusyStatus::NoData => "NoData",
        }
    }
}

/// `t:Body/@BodyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Html,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemBody {
    pub kind: BodyKind,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organizer {
    pub name: String,
    pub email: String,
}

/// One instance of a recurring series, pre-expanded as Exchange's CalendarView shows it.
/// An occurrence moved or retitled is reported as an `Exception`; a deleted one is simply
/// absent from [`CalendarItem::occurrences`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// 1-based position in the series (`OccurrenceItemId/@InstanceIndex`); stable when
    /// other occurrences are deleted.
    pub index: u32,
    pub original_start: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub subject: Option<String>,
    pub location: Option<String>,
}

impl Occurrence {
    pub fn is_exception(&self) -> bool {
        self.start != self.original_start || self.subject.is_some() || self.location.is_some()
    }
}

/// A calendar item: a single meeting, or a recurring master when `occurrences` is not empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarItem {
    pub subject: String,
    /// `None` is an empty body (`<t:Body BodyType="Text" IsTruncated="false"/>`).
    pub body: Option<ItemBody>,
    pub organizer: Option<Organizer>,
    pub location: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub is_all_day: bool,
    /// Windows time zone id, `W. Europe Standard Time`.
    pub time_zone: String,
    pub sensitivity: Sensitivity,
    pub is_cancelled: bool,
    pub free_busy: FreeBusyStatus,
    /// iCalendar UID; the server makes one up when left empty.
    pub uid: String,
    pub join_online_meeting_url: Option<String>,
    /// The Lync `OnlineMeetingExternalLink` named property (PS_PUBLIC_STRINGS).
    pub online_meeting_external_link: Option<String>,
    pub occurrences: Vec<Occurrence>,
    /// The room console's booking marker (`RoomConsoleBookingId`), set by CreateItem.
    pub booking_id: Option<String>,
}

impl CalendarItem {
    pub fn new(subject: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            subject: subject.to_string(),
            body: None,
            organizer: None,
            location: String::new(),
            start,
            end,
            is_all_day: false,
            time_zone: "UTC".to_string(),
            sensitivity: Sensitivity::Normal,
            is_cancelled: false,
            free_busy: FreeBusyStatus::Busy,
            uid: String::new(),
            join_online_meeting_url: None,
            online_meeting_external_link: None,
            occurrences: Vec::new(),
            booking_id: None,
        }
    }

    pub fn organizer(mut self, name: &str, email: &str) -> Self {
        self.organizer = Some(Organizer {
            name: name.to_string(),
            email: email.to_string(),
        });
        self
    }

    pub fn location(mut self, location: &str) -> Self {
        self.location = location.to_string();
        self
    }

    pub fn html_body(mut self, html: &str) -> Self {
        self.body = Some(ItemBody {
            kind: BodyKind::Html,
            content: html.to_string(),
        });
        self
    }

    pub fn text_body(mut self, text: &str) -> Self {
        self.body = Some(ItemBody {
            kind: BodyKind::Text,
            content: text.to_string(),
        });
        self
    }

    pub fn all_day(mut self) -> Self {
        self.is_all_day = true;
        self
    }

    pub fn time_zone(mut self, windows_id: &str) -> Self {
        self.time_zone = windows_id.to_string();
        self
    }

    pub fn sensitivity(mut self, sensitivity: Sensitivity) -> Self {
        self.sensitivity = sensitivity;
        self
    }

    pub fn cancelled(mut self) -> Self {
        self.is_cancelled = true;
        self
    }

    pub fn free_busy(mut self, status: FreeBusyStatus) -> Self {
        self.free_busy = status;
        self
    }

    pub fn uid(mut self, uid: &str) -> Self {
        self.uid = uid.to_string();
        self
    }

    pub fn join_online_meeting_url(mut self, url: &str) -> Self {
        self.join_online_meeting_url = Some(url.to_string());
        self
    }

    pub fn online_meeting_external_link(mut self, url: &str) -> Self {
        self.online_meeting_external_link = Some(url.to_string());
        self
    }

    /// Makes this a recurring master with `count` occurrences, `every` apart, the first at
    /// `start`.
    pub fn recurring(mut self, every: Duration, count: u32) -> Self {
        let length = self.end - self.start;
        self.occurrences = (0..count)
            .map(|n| {
                let start = self.start + every * n as i32;
                Occurrence {
                    index: n + 1,
                    original_start: start,
                    start,
                    end: start + length,
                    subject: None,
                    location: None,
                }
            })
            .collect();
        self
    }

    /// Moves occurrence `index` (1-based) by `shift` and optionally retitles it: an Exception.
    pub fn modify_occurrence(mut self, index: u32, shift: Duration, subject: Option<&str>) -> Self {
        if let Some(occurrence) = self.occurrences.iter_mut().find(|o| o.index == index) {
            occurrence.start += shift;
            occurrence.end += shift;
            occurrence.subject = subject.map(str::to_string);
        }
        self
    }

    /// Deletes occurrence `index` (1-based) from the series.
    pub fn delete_occurrence(mut self, index: u32) -> Self {
        self.occurrences.retain(|o| o.index != index);
        self
    }

    pub fn is_recurring_master(&self) -> bool {
        !self.occurrences.is_empty()
    }
}
