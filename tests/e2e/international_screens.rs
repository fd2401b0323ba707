//! Meetings named in every script, end to end: the in-repo EWS server → `sync --once` →
//! the cache → `agenda --json` (each subject and organizer byte for byte) and
//! `room-console screenshot` of the home screen on the English, Swedish and Korean
//! screens at 1280x800, kept in `<target>/screenshots/` to be looked at.

use crate::common::cli_console;
use crate::common::ews_server;
use crate::common::international;

use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use international::MEETINGS;

const ROOM: &str = "confrm2@contoso.com";
/// 08:10 in Stockholm: the first meeting of the day is on, the list starts with it.
const NOW: &str = "2026-11-23T07:10:00Z";
const DAY: &str = "2026-11-23";

/// The corpus as a day of half-hour meetings from 08:00 Stockholm time (07:00 UTC).
fn international_day() -> Mailbox {
    let first: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
    Mailbox::new(ROOM, "Conference Room 2").with_items(MEETINGS.iter().enumerate().map(
        |(i, (subject, organizer))| {
            let start = first + Duration::minutes(30 * i as i64);
            CalendarItem::new(subject, start, start + Duration::minutes(30))
                .organizer(organizer, &format!("person{i}@contoso.com"))
                .html_body("<html><body><p>Agenda</p></body></html>")
        },
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_in_every_script_reach_the_screen_on_every_language() {
    let server = own_mailbox_server(("CONTOSO\\confrm2", "R00m!pw"), international_day()).await;
    let console = Console::new();
    console.provision_own_mailbox(ROOM, ("CONTOSO\\confrm2", "R00m!pw"), &server);
    console.sync_ok_at(NOW);

    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), MEETINGS.len());
    for (subject, organizer) in MEETINGS {
        assert_eq!(
            by_subject(&agenda, subject)["organizer"]["name"],
            *organizer
        );
    }

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for language in ["en", "sv", "ko"] {
        let png = shots.join(format!("home-international-{language}.png"));
        let out = console.run(&[
            "screenshot",
            "--now",
            NOW,
            "--size",
            "1280x800",
            "--language",
            language,
            "--out",
            png.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "screenshot --language {language}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    }
}
