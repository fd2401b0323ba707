//! One meeting on the room's calendar.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::join::{JoinLink, NoJoinReason};

/// How the room is shown for the time of a meeting (EWS LegacyFreeBusyStatus, Graph showAs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeBusy {
    Free,
    Tentative,
    Busy,
    OutOfOffice,
    WorkingElsewhere,
    NoData,
}

impl FreeBusy {
    /// Every status, for parsing.
    pub const ALL: [FreeBusy; 6] = [
        FreeBusy::Free,
        FreeBusy::Tentative,
        FreeBusy::Busy,
        FreeBusy::OutOfOffice,
        FreeBusy::WorkingElsewhere,
        FreeBusy::NoData,
    ];

    /// The stable id used in `agenda --json` and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            FreeBusy::Free => "free",
            FreeBusy::Tentative => "tentative",
            FreeBusy::Busy => "busy",
            FreeBusy::OutOfOffice => "out_of_office",
            FreeBusy::WorkingElsewhere => "working_elsewhere",
            FreeBusy::NoData => "no_data",
        }
    }

    /// Parses a stable id back into a status.
    pub(crate) fn from_id(id: &str) -> Option<FreeBusy> {
        FreeBusy::ALL.into_iter().find(|f| f.as_str() == id)
    }

    /// Whether a meeting with this status makes the room "in use".
    pub(crate) fn occupies_room(self) -> bool {
        !matches!(self, FreeBusy::Free | FreeBusy::WorkingElsewhere)
    }
}

/// A person as the calendar names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Where a meeting sits in a recurring series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occurrence {
    /// A meeting that is not part of a series.
    Single,
    /// An unmodified occurrence of a series.
    Occurrence,
    /// An occurrence that was moved or otherwise changed.
    Exception,
}

impl Occurrence {
    /// The stable id used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Occurrence::Single => "single",
            Occurrence::Occurrence => "occurrence",
            Occurrence::Exception => "exception",
        }
    }

    /// Parses a stable id back into an occurrence kind.
    pub(crate) fn from_id(id: &str) -> Option<Occurrence> {
        [
            Occurrence::Single,
            Occurrence::Occurrence,
            Occurrence::Exception,
        ]
        .into_iter()
        .find(|o| o.as_str() == id)
    }
}

/// When a meeting takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeetingTime {
    /// A meeting between two instants.
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// An all-day meeting on local dates: `first` to `last` inclusive, in whatever time
    /// zone the room is in.
    AllDay { first: NaiveDate, last: NaiveDate },
}

impl MeetingTime {
    /// The instants the meeting covers in the time zone `tz`. An all-day meeting covers
    /// local midnight of its first day to local midnight after its last day.
    pub fn instants<Tz: TimeZone>(&self, tz: &Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        match *self {
            MeetingTime::Timed { start, end } => (start, end),
            MeetingTime::AllDay { first, last } => (
                crate::clock::local_midnight(tz, first),
                crate::clock::local_midnight(tz, last.succ_opt().unwrap_or(last)),
            ),
        }
    }

    /// Whether this is an all-day meeting.
    pub fn is_all_day(&self) -> bool {
        matches!(self, MeetingTime::AllDay { .. })
    }
}

/// A meeting on the room's calendar, as the console stores and shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// The backend's item id (EWS ItemId, Graph event id).
    pub id: String,
    /// The backend's change key: a new one means the item changed.
    pub change_key: Option<String>,
    /// The identity of the series the meeting belongs to (iCalendar UID, Graph seriesMasterId).
    pub series_id: Option<String>,
    pub occurrence: Occurrence,
    /// None when the meeting is private and private meetings are hidden.
    pub subject: Option<String>,
    pub organizer: Person,
    pub location: Option<String>,
    pub time: MeetingTime,
    /// The time zone the organizer scheduled the meeting in (IANA or Windows name).
    pub time_zone: Option<String>,
    pub private: bool,
    pub cancelled: bool,
    pub free_busy: FreeBusy,
    pub join: Option<JoinLink>,
    /// Why there is no join link; None when there is one.
    pub no_join_reason: Option<NoJoinReason>,
    /// Booked at this console (the item carries the console's booking marker).
    #[serde(default)]
    pub booked_here: bool,
}

impl Meeting {
    /// Whether the meeting makes the room in use while it runs.
    ///
    /// Cancelled meetings never do. A timed meeting does when its free/busy status
    /// occupies the room (busy, tentative, out of office, or unknown). An all-day meeting
    /// does only when it is firmly busy or out of office: Outlook marks all-day items free
    /// by default, and holidays or tentative all-day holds would otherwise show the room
    /// as taken all day to people at the door, while a room closed for works is busy.
    pub(crate) fn occupies_room(&self) -> bool {
        if self.cancelled {
            return false;
        }
        match self.time {
            MeetingTime::Timed { .. } => self.free_busy.occupies_room(),
            MeetingTime::AllDay { .. } => {
                matches!(self.free_busy, FreeBusy::Busy | FreeBusy::OutOfOffice)
            }
        }
    }

    /// The subject a person may see on the console: private meetings never show theirs.
    pub(crate) fn visible_subject(&self) -> Option<&str> {
        if self.private {
            None
        } else {
            self.subject.as_deref()
        }
    }
}
