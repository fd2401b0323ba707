//! An EWS calendar item as the console keeps it: join link detected, free/busy and
//! sensitivity mapped, and private meetings stripped of subject, body-derived link and
//! location when private meetings are hidden (the default).

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;

use crate::calendar::{FreeBusy, Meeting, MeetingTime, Occurrence, Person};
use crate::ews::item::{BodyKind, CalendarItem, CalendarItemType, LegacyFreeBusy, Sensitivity};
use crate::join::{JoinSources, detect};

/// How items are turned into meetings.
#[derive(Debug, Clone)]
pub struct MappingRules {
    /// The device's time zone, for the dates of all-day meetings.
    pub tz: Tz,
    /// Hide subject and location of private meetings (they are never stored).
    pub hide_private: bool,
    /// The admin's on-premises Lync/Skype simple-URL hosts.
    pub simple_url_hosts: Vec<String>,
}

/// Why an item could not become a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    /// Exchange sent an item without Start or End (it was not asked for, or is broken).
    NoTimes,
    /// A recurring master: the calendar view lists its occurrences instead.
    RecurringMaster,
}

fn free_busy(status: Option<LegacyFreeBusy>) -> FreeBusy {
    match status {
        Some(LegacyFreeBusy::Free) => FreeBusy::Free,
        Some(LegacyFreeBusy::Tentative) => FreeBusy::Tentative,
        Some(LegacyFreeBusy::Busy) | None => FreeBusy::Busy,
        Some(LegacyFreeBusy::OutOfOffice) => FreeBusy::OutOfOffice,
        Some(LegacyFreeBusy::WorkingElsewhere) => FreeBusy::WorkingElsewhere,
        Some(LegacyFreeBusy::NoData) => FreeBusy::NoData,
    }
}

fn occurrence(kind: Option<CalendarItemType>) -> Occurrence {
    match kind {
        Some(CalendarItemType::Occurrence) => Occurrence::Occurrence,
        Some(CalendarItemType::Exception) => Occurrence::Exception,
        _ => Occurrence::Single,
    }
}

/// The local dates of an all-day item: Exchange sends local midnights as UTC instants,
/// with an exclusive end.
fn all_day_dates(
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    tz: &Tz,
) -> (NaiveDate, NaiveDate) {
    let first = start.with_timezone(tz).date_naive();
    let last = (end - Duration::seconds(1)).with_timezone(tz).date_naive();
    (first, last.max(first))
}

/// A text of the item, as the meeting keeps it.
fn owned(text: &Option<Cow<'_, str>>) -> Option<String> {
    text.as_deref().map(str::to_owned)
}

/// Turns an EWS item into a meeting.
pub fn meeting_of(item: &CalendarItem<'_>, rules: &MappingRules) -> Result<Meeting, Unusable> {
    if item.item_type == Some(CalendarItemType::RecurringMaster) {
        return Err(Unusable::RecurringMaster);
    }
    let (Some(start), Some(end)) = (item.start, item.end) else {
        return Err(Unusable::NoTimes);
    };
    let time = if item.is_all_day {
        let (first, last) = all_day_dates(start, end, &rules.tz);
        MeetingTime::AllDay { first, last }
    } else {
        MeetingTime::Timed {
            start,
            end: end.max(start),
        }
    };
    let private = matches!(
        item.sensitivity,
        Some(Sensitivity::Private | Sensitivity::Confidential)
    );
    let structured: Vec<&str> = [
        item.join_online_meeting_url.as_deref(),
        item.online_meeting_external_link.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let detected = detect(&JoinSources {
        structured,
        body: item.body.as_ref().map(|b| &*b.content),
        body_is_html: item.body.as_ref().is_some_and(|b| b.kind == BodyKind::Html),
        simple_url_hosts: &rules.simple_url_hosts,
    });
    let strip = private && rules.hide_private;
    Ok(Meeting {
        id: item.id.id.to_string(),
        change_key: owned(&item.id.change_key),
        series_id: owned(&item.uid),
        occurrence: occurrence(item.item_type),
        subject: if strip { None } else { owned(&item.subject) },
        organizer: item
            .organizer
            .as_ref()
            .map(|m| Person {
                name: owned(&m.name),
                email: owned(&m.email),
            })
            .unwrap_or_default(),
        location: if strip { None } else { owned(&item.location) },
        time,
        time_zone: owned(&item.start_time_zone),
        private,
        cancelled: item.is_cancelled,
        free_busy: free_busy(item.free_busy),
        join: detected.as_ref().ok().cloned(),
        no_join_reason: detected.err(),
        booked_here: item.console_booking_id.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ews::item::{Body, ItemId, Mailbox};
    use crate::join::{NoJoinReason, Provider};
    use chrono::{TimeZone, Utc};

    fn rules() -> MappingRules {
        MappingRules {
            tz: "Europe/Stockholm".parse().unwrap(),
            hide_private: true,
            simple_url_hosts: vec!["meet.contoso.com".into()],
        }
    }

    fn item() -> CalendarItem<'static> {
        CalendarItem {
            id: ItemId::new("AAMk1", Some("DwAAAB".into())),
            subject: Some("Board meeting".into()),
            body: Some(Body {
                kind: BodyKind::Html,
                content: "<html><body><a href=\"https://meet.contoso.com/jane/ABC123\">Join Lync Meeting</a></body></html>".into(),
            }),
            organizer: Some(Mailbox {
                name: Some("Jane Doe".into()),
                email: Some("jane@contoso.com".into()),
                routing_type: Some("SMTP".into()),
            }),
            required_attendees: vec![],
            optional_attendees: vec![],
            location: Some("Boardroom".into()),
            start: Some(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()),
            end: Some(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()),
            is_all_day: false,
            start_time_zone: Some("W. Europe Standard Time".into()),
            sensitivity: Some(Sensitivity::Normal),
            is_cancelled: false,
            free_busy: Some(LegacyFreeBusy::Busy),
            uid: Some("040000008200E00074C5B7101A82E008".into()),
            item_type: Some(CalendarItemType::Single),
            recurrence_id: None,
            original_start: None,
            join_online_meeting_url: None,
            online_meeting_external_link: None,
            console_booking_id: None,
        }
    }

    #[test]
    fn body_link_is_detected_when_no_structured_field() {
        let m = meeting_of(&item(), &rules()).unwrap();
        let join = m.join.unwrap();
        assert_eq!(join.provider, Provider::Sfb);
        assert_eq!(join.url, "https://meet.contoso.com/jane/ABC123");
        assert_eq!(m.organizer.email.as_deref(), Some("jane@contoso.com"));
        assert_eq!(m.change_key.as_deref(), Some("DwAAAB"));
    }

    #[test]
    fn structured_join_url_wins() {
        let mut i = item();
        i.join_online_meeting_url =
            Some("https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0".into());
        let m = meeting_of(&i, &rules()).unwrap();
        assert_eq!(m.join.unwrap().provider, Provider::Teams);
    }

    #[test]
    fn empty_body_means_the_mailbox_deletes_comments() {
        let mut i = item();
        i.body = Some(Body {
            kind: BodyKind::Html,
            content: "<html><body></body></html>".into(),
        });
        let m = meeting_of(&i, &rules()).unwrap();
        assert_eq!(m.join, None);
        assert_eq!(m.no_join_reason, Some(NoJoinReason::BodyRemoved));
    }

    #[test]
    fn private_meetings_are_stored_without_subject_or_location() {
        let mut i = item();
        i.sensitivity = Some(Sensitivity::Private);
        let m = meeting_of(&i, &rules()).unwrap();
        assert!(m.private);
        assert_eq!(m.subject, None);
        assert_eq!(m.location, None);
        let shown = meeting_of(
            &i,
            &MappingRules {
                hide_private: false,
                ..rules()
            },
        )
        .unwrap();
        assert_eq!(shown.subject.as_deref(), Some("Board meeting"));
    }

    #[test]
    fn all_day_items_become_local_dates() {
        let mut i = item();
        i.is_all_day = true;
        // Stockholm midnight 23 Nov to midnight 25 Nov (exclusive), sent as UTC.
        i.start = Some(Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap());
        i.end = Some(Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0).unwrap());
        let m = meeting_of(&i, &rules()).unwrap();
        assert_eq!(
            m.time,
            MeetingTime::AllDay {
                first: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                last: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
            }
        );
    }

    #[test]
    fn items_without_times_and_masters_are_refused() {
        let mut i = item();
        i.start = None;
        assert_eq!(meeting_of(&i, &rules()), Err(Unusable::NoTimes));
        let mut master = item();
        master.item_type = Some(CalendarItemType::RecurringMaster);
        assert_eq!(
            meeting_of(&master, &rules()),
            Err(Unusable::RecurringMaster)
        );
    }

    #[test]
    fn cancelled_and_free_states_are_kept() {
        let mut i = item();
        i.is_cancelled = true;
        i.free_busy = Some(LegacyFreeBusy::Free);
        i.item_type = Some(CalendarItemType::Exception);
        let m = meeting_of(&i, &rules()).unwrap();
        assert!(m.cancelled);
        assert_eq!(m.free_busy, FreeBusy::Free);
        assert_eq!(m.occurrence, Occurrence::Exception);
    }
}
