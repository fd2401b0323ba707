//! A Graph event as the console keeps it: `onlineMeeting.joinUrl` first, else the body
//! through the same join detection as EWS; `showAs`, `sensitivity`, `type` and
//! `seriesMasterId` mapped; private meetings stripped of subject and location when
//! private meetings are hidden (the default); the console's marker makes a booking its
//! own (`booked_here`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::ews_mapping::MappingRules;
use crate::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use crate::graph::event::{BodyType, DateTimeTimeZone, Event, EventType, Sensitivity, ShowAs};
use crate::join::{JoinSources, detect};

/// Why an event could not become a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// No start or end, or one in a zone the console cannot read.
    NoTimes,
    /// A series master: the calendar view lists its occurrences instead.
    SeriesMaster,
}

fn free_busy(show_as: Option<ShowAs>) -> FreeBusy {
    match show_as {
        Some(ShowAs::Free) => FreeBusy::Free,
        Some(ShowAs::Tentative) => FreeBusy::Tentative,
        Some(ShowAs::Busy) | None => FreeBusy::Busy,
        Some(ShowAs::Oof) => FreeBusy::OutOfOffice,
        Some(ShowAs::WorkingElsewhere) => FreeBusy::WorkingElsewhere,
        Some(ShowAs::Unknown) => FreeBusy::NoData,
    }
}

fn occurrence(kind: Option<EventType>) -> Occurrence {
    match kind {
        Some(EventType::Occurrence) => Occurrence::Occurrence,
        Some(EventType::Exception) => Occurrence::Exception,
        _ => Occurrence::Single,
    }
}

/// The dates of an all-day event. Graph writes them as midnights: taken as they are when
/// both ends are midnights in the zone Graph used; otherwise (midnights of another zone
/// converted to UTC) the instants are read in the device's zone. The end is exclusive.
fn all_day_dates(
    start: &DateTimeTimeZone,
    end: &DateTimeTimeZone,
    instants: (DateTime<Utc>, DateTime<Utc>),
    tz: &Tz,
) -> (NaiveDate, NaiveDate) {
    let midnight = chrono::NaiveTime::MIN;
    if let (Some(s), Some(e)) = (start.naive(), end.naive())
        && s.time() == midnight
        && e.time() == midnight
    {
        let first = s.date();
        let last = e.date().pred_opt().unwrap_or(first).max(first);
        return (first, last);
    }
    let first = instants.0.with_timezone(tz).date_naive();
    let last = (instants.1 - Duration::seconds(1))
        .with_timezone(tz)
        .date_naive();
    (first, last.max(first))
}

/// Turns a Graph event into a meeting.
pub fn meeting_of(event: &Event, rules: &MappingRules) -> Result<Meeting, Unusable> {
    if event.event_type == Some(EventType::SeriesMaster) {
        return Err(Unusable::SeriesMaster);
    }
    let (Some(start_field), Some(end_field)) = (&event.start, &event.end) else {
        return Err(Unusable::NoTimes);
    };
    let (Some(start), Some(end)) = (start_field.instant(), end_field.instant()) else {
        return Err(Unusable::NoTimes);
    };
    let time = if event.is_all_day.unwrap_or(false) {
        let (first, last) = all_day_dates(start_field, end_field, (start, end), &rules.tz);
        MeetingTime::AllDay { first, last }
    } else {
        MeetingTime::Timed {
            start,
            end: end.max(start),
        }
    };
    let private = matches!(
        event.sensitivity,
        Some(Sensitivity::Private | Sensitivity::Confidential)
    );
    let structured: Vec<&str> = [
        event
            .online_meeting
            .as_ref()
            .and_then(|m| m.join_url.as_deref()),
        event.online_meeting_url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let body = event.body.as_ref();
    let detected = detect(&JoinSources {
        structured,
        body: body.and_then(|b| b.content.as_deref()),
        body_is_html: body.is_some_and(|b| b.content_type != Some(BodyType::Text)),
        simple_url_hosts: &rules.simple_url_hosts,
    });
    let strip = private && rules.hide_private;
    Ok(Meeting {
        id: event.id.clone(),
        change_key: event.change_key.clone(),
        series_id: event
            .series_master_id
            .clone()
            .or_else(|| event.ical_uid.clone()),
        occurrence: occurrence(event.event_type),
        subject: if strip { None } else { event.subject.clone() },
        organizer: event
            .organizer
            .as_ref()
            .and_then(|o| o.email_address.as_ref())
            .map(|a| Person {
                name: a.name.clone(),
                email: a.address.clone(),
            })
            .unwrap_or_default(),
        location: if strip {
            None
        } else {
            event
                .location
                .as_ref()
                .and_then(|l| l.display_name.clone())
                .filter(|l| !l.trim().is_empty())
        },
        time,
        time_zone: event.original_start_time_zone.clone(),
        private,
        cancelled: event.is_cancelled.unwrap_or(false),
        free_busy: free_busy(event.show_as),
        join: detected.as_ref().ok().cloned(),
        no_join_reason: detected.err(),
        booked_here: event.console_booking_id().is_some(),
    })
}
