//! The Graph JSON reader and event mapping against fixtures in the shapes Microsoft's
//! Graph documentation shows (event, calendarView page, delta page).

use chrono::{NaiveDate, TimeZone, Utc};
use room_console::calendar::{FreeBusy, MeetingTime, Occurrence};
use room_console::graph::EventVersion;
use room_console::graph::event::{Event, EventType, Page, ShowAs};
use room_console::join::{NoJoinReason, Provider};
use room_console::sources::ews_mapping::MappingRules;
use room_console::sources::graph_mapping::{Unusable, meeting_of};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/common/fixtures/graph")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn event(name: &str) -> Event {
    serde_json::from_str(&fixture(name)).unwrap()
}

fn rules(hide_private: bool) -> MappingRules {
    MappingRules {
        tz: "Europe/Stockholm".parse().unwrap(),
        hide_private,
        simple_url_hosts: vec!["meet.contoso.com".into()],
    }
}

#[test]
fn a_teams_occurrence_takes_its_join_url_from_online_meeting() {
    let e = event("event_teams_occurrence.json");
    assert_eq!(e.event_type, Some(EventType::Occurrence));
    assert_eq!(e.show_as, Some(ShowAs::Busy));
    let m = meeting_of(&e, &rules(true)).unwrap();
    assert_eq!(m.id, "AAMkAGI1AAAt9AHjAAA=");
    assert_eq!(
        m.change_key.as_deref(),
        Some("ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ==")
    );
    assert_eq!(m.series_id.as_deref(), Some("AAMkAGI1AAAt8AHjAAA="));
    assert_eq!(m.occurrence, Occurrence::Occurrence);
    assert_eq!(
        m.time,
        MeetingTime::Timed {
            start: Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 11, 23, 8, 30, 0).unwrap(),
        }
    );
    assert_eq!(m.time_zone.as_deref(), Some("W. Europe Standard Time"));
    assert_eq!(m.organizer.name.as_deref(), Some("Ana Lindqvist"));
    assert_eq!(m.location.as_deref(), Some("Conference Room 2"));
    assert_eq!(m.free_busy, FreeBusy::Busy);
    assert_eq!(m.join.unwrap().provider, Provider::Teams);
}

#[test]
fn without_online_meeting_the_body_is_searched_and_private_is_stripped() {
    let e = event("event_private_lync_body.json");
    let m = meeting_of(&e, &rules(true)).unwrap();
    assert!(m.private);
    assert_eq!(m.subject, None);
    assert_eq!(m.location, None);
    assert!(m.cancelled);
    assert_eq!(m.free_busy, FreeBusy::Tentative);
    assert_eq!(m.occurrence, Occurrence::Exception);
    let join = m.join.unwrap();
    assert_eq!(join.provider, Provider::Sfb);
    assert_eq!(join.url, "https://meet.contoso.com/jonas/K7QX2P4M");
    let shown = meeting_of(&e, &rules(false)).unwrap();
    assert_eq!(shown.subject.as_deref(), Some("Salary talk"));
}

#[test]
fn an_all_day_event_keeps_its_dates() {
    let m = meeting_of(&event("event_all_day.json"), &rules(true)).unwrap();
    assert_eq!(
        m.time,
        MeetingTime::AllDay {
            first: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        }
    );
    assert_eq!(m.free_busy, FreeBusy::Free);
    assert_eq!(m.location, None, "an empty displayName is no location");
    assert_eq!(m.no_join_reason, Some(NoJoinReason::NoLink));
}

#[test]
fn series_masters_and_events_without_times_are_refused() {
    let mut master = event("event_teams_occurrence.json");
    master.event_type = Some(EventType::SeriesMaster);
    assert_eq!(
        meeting_of(&master, &rules(true)),
        Err(Unusable::SeriesMaster)
    );
    let mut timeless = event("event_teams_occurrence.json");
    timeless.end = None;
    assert_eq!(meeting_of(&timeless, &rules(true)), Err(Unusable::NoTimes));
}

#[test]
fn pages_carry_their_links() {
    let page: Page<EventVersion> =
        serde_json::from_str(&fixture("calendar_view_page.json")).unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(
        page.value[1].change_key.as_deref(),
        Some("ZlnW4RIAV06KYYwlrfNZvQAALfZeRg==")
    );
    assert!(page.next_link.unwrap().contains("%24skip=2"));
    assert_eq!(page.delta_link, None);

    let delta: Page<serde_json::Value> =
        serde_json::from_str(&fixture("delta_last_page.json")).unwrap();
    assert_eq!(delta.value.len(), 2, "changes and removals both count");
    assert_eq!(delta.next_link, None);
    assert!(delta.delta_link.unwrap().contains("$deltatoken="));
}

#[test]
fn delta_pages_read_as_events_and_removals() {
    let delta: Page<Event> = serde_json::from_str(&fixture("delta_last_page.json")).unwrap();
    let [changed, removed] = &delta.value[..] else {
        panic!("two entries: {:#?}", delta.value);
    };
    assert_eq!(changed.removed, None);
    // A partial entry: no times, so the source fetches this one by id.
    assert_eq!(changed.start, None);
    assert_eq!(removed.id, "AAMkAGI1AAAt9AHmAAA=");
    assert_eq!(
        removed.removed.as_ref().and_then(|r| r.reason.as_deref()),
        Some("deleted")
    );
}
