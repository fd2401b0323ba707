//! The room's full day, 23 November 2026: every kind of meeting the agenda shows (a
//! series, Teams and Lync links, a private, a cancelled and an all-day meeting, an
//! invitation whose body the mailbox stripped, one far outside the sync window), as each
//! in-repo server holds it, and what the agenda must show of it whichever server it
//! came from.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;

use super::cli_console::by_subject;
use super::ews_server::{CalendarItem, FreeBusyStatus, Mailbox, Sensitivity};
use super::graph_server::{ShowAs, TestEvent};

const TEAMS: &str =
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0?context=%7b%7d";
const LYNC: &str = "https://meet.contoso.com/jonas/K7QX2P4M";

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

/// The day as the room's mailbox `room` on EWS holds it: the series has one occurrence
/// moved and one deleted, and the all-day meeting's body has no link.
pub fn ews_mailbox(room: &str) -> Mailbox {
    Mailbox::new(room, "Conference Room 2").with_items([
        CalendarItem::new("Weekly sync", at(23, 8, 0), at(23, 8, 30))
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .html_body(&format!("<html><body><p>Agenda</p><a href=\"{TEAMS}\">Click here to join the meeting</a></body></html>"))
            .recurring(Duration::days(1), 4)
            .modify_occurrence(2, Duration::hours(2), Some("Weekly sync (moved)"))
            .delete_occurrence(3),
        CalendarItem::new("Board review", at(23, 10, 0), at(23, 11, 0))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .location("Conference Room 2")
            .join_online_meeting_url(LYNC)
            .html_body(&format!("<html><body><a href=\"{LYNC}\">Join Lync Meeting</a></body></html>")),
        CalendarItem::new("Salary talk", at(23, 12, 0), at(23, 12, 30))
            .organizer("Min-jun Kim", "minjun@contoso.com")
            .sensitivity(Sensitivity::Private)
            .text_body("Private details"),
        CalendarItem::new("Vendor demo", at(23, 13, 0), at(23, 14, 0))
            .organizer("Sara Holm", "sara@contoso.com")
            .cancelled()
            .text_body("Cancelled: see you next week"),
        CalendarItem::new("Retro", at(23, 15, 0), at(23, 15, 30))
            .organizer("Lars Ek", "lars@contoso.com")
            .html_body("<html><body></body></html>"),
        CalendarItem::new("Company day", at(22, 23, 0), at(23, 23, 0))
            .organizer("Facilities", "facilities@contoso.com")
            .all_day()
            .free_busy(FreeBusyStatus::Free)
            .text_body("No link here"),
        CalendarItem::new("Far future", at(23, 8, 0) + Duration::days(125), at(23, 9, 0) + Duration::days(125)),
    ])
}

/// The day as Graph holds it: seven events on 23 November (a series master and one
/// occurrence; a page size of 2 makes four listing pages), and one far outside.
pub fn graph_events() -> Vec<TestEvent> {
    vec![
        TestEvent::new("AAMk-master", "Weekly sync", at(23, 8, 0), at(23, 8, 30)).series_master(),
        TestEvent::new("AAMk-occ1", "Weekly sync", at(23, 8, 0), at(23, 8, 30))
            .occurrence_of("AAMk-master", false)
            .organizer("Ana Lindqvist", "ana@contoso.com")
            .teams(TEAMS),
        TestEvent::new("AAMk-board", "Board review", at(23, 10, 0), at(23, 11, 0))
            .organizer("Jonas Berg", "jonas@contoso.com")
            .location("Conference Room 2")
            .body(&format!(
                "<html><body><a href=\"{LYNC}\">Join Lync Meeting</a></body></html>"
            )),
        TestEvent::new("AAMk-salary", "Salary talk", at(23, 12, 0), at(23, 12, 30)).private(),
        TestEvent::new("AAMk-vendor", "Vendor demo", at(23, 13, 0), at(23, 14, 0)).cancelled(),
        TestEvent::new("AAMk-retro", "Retro", at(23, 15, 0), at(23, 15, 30)),
        TestEvent::new("AAMk-day", "Company day", at(22, 23, 0), at(23, 23, 0))
            .all_day()
            .show_as(ShowAs::Free),
        TestEvent::new(
            "AAMk-far",
            "Far future",
            at(23, 8, 0) + Duration::days(125),
            at(23, 9, 0) + Duration::days(125),
        ),
    ]
}

/// The day's six meetings as `agenda --json` shows them, in Stockholm time.
pub fn assert_agenda(agenda: &[Value]) {
    let weekly = by_subject(agenda, "Weekly sync");
    assert_eq!(
        weekly["start"], "2026-11-23T09:00:00+01:00",
        "Stockholm time"
    );
    assert_eq!(weekly["join"]["provider"], "teams");
    let lync = by_subject(agenda, "Board review");
    assert_eq!(lync["join"]["provider"], "sfb");
    assert_eq!(lync["join"]["url"], LYNC);
    assert_eq!(lync["organizer"]["email"], "jonas@contoso.com");
    let private = agenda
        .iter()
        .find(|m| m["private"] == true)
        .expect("private meeting");
    assert_eq!(private["subject"], Value::Null);
    assert_eq!(by_subject(agenda, "Vendor demo")["cancelled"], true);
    assert_eq!(
        by_subject(agenda, "Retro")["no_join_reason"],
        "body_removed"
    );
    let all_day = by_subject(agenda, "Company day");
    assert_eq!(all_day["all_day"], true);
    assert_eq!(all_day["start"], "2026-11-23T00:00:00+01:00");
    assert_eq!(agenda.len(), 6, "{agenda:#?}");
}
