//! Listing a window fuller than one CalendarView answer (250 items), against the in-repo
//! EWS server: the listing reads on from the start of the last item it got instead of
//! splitting the window in halves and throwing each full answer away, and every meeting
//! is fetched and stored once, also the long ones every answer lists again. The listing
//! asks for nothing GetItem brings anyway.

use crate::common::engine_rig;
use crate::common::ews_server;

use std::time::Duration;

use engine_rig::*;
use ews_server::*;
use room_console::sync::engine::PassResult;

/// `count` one-minute meetings two minutes apart from 23 November 00:00 UTC.
fn one_minute_meetings(count: i64) -> impl Iterator<Item = CalendarItem> {
    let start = at(23, 0, 0);
    (0..count).map(move |n| {
        let s = start + chrono::Duration::minutes(2 * n);
        CalendarItem::new(&format!("Meeting {n}"), s, s + chrono::Duration::minutes(1))
            .organizer("Ana", "ana@contoso.com")
            .text_body("Agenda")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_window_is_read_on_from_its_last_item() {
    let room = Mailbox::new(ROOM, "Conference Room 2").with_items(one_minute_meetings(1000));
    let mut rig = rig(room, Duration::from_secs(30)).await;
    let (result, _) = rig.pass().await;
    assert_eq!(
        result,
        PassResult::Refreshed {
            fetched: 1000,
            stored: 1000
        }
    );
    assert_eq!(
        rig.server.count("FindItem"),
        5,
        "four full answers of 250, each read on from its last meeting, and the rest"
    );
    assert_eq!(rig.server.count("GetItem"), 20, "each meeting fetched once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_every_answer_lists_again_are_fetched_once() {
    // Two all-week meetings overlap every part of the window: each answer lists them.
    let long = (0..2).map(|n| {
        CalendarItem::new(&format!("Fair {n}"), at(22, 0, 0), at(30, 0, 0))
            .organizer("Ana", "ana@contoso.com")
    });
    let room =
        Mailbox::new(ROOM, "Conference Room 2").with_items(long.chain(one_minute_meetings(600)));
    let mut rig = rig(room, Duration::from_secs(30)).await;
    let (result, _) = rig.pass().await;
    assert_eq!(
        result,
        PassResult::Refreshed {
            fetched: 602,
            stored: 602
        }
    );
    assert_eq!(rig.server.count("GetItem"), 13, "602 meetings, 50 a batch");
    assert!(
        rig.server.count("FindItem") <= 4,
        "{} FindItem requests",
        rig.server.count("FindItem")
    );
}

#[tokio::test]
async fn the_listing_asks_only_for_the_ids_and_starts() {
    let room = Mailbox::new(ROOM, "Conference Room 2").with_items(one_minute_meetings(3));
    let mut rig = rig(room, Duration::from_secs(30)).await;
    let (result, _) = rig.pass().await;
    assert!(
        matches!(result, PassResult::Refreshed { stored: 3, .. }),
        "{result:?}"
    );

    let listings: Vec<String> = rig
        .server
        .requests()
        .into_iter()
        .filter(|r| r.operation == "FindItem")
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(listings.len(), 1);
    let asked: Vec<&str> = listings[0]
        .split("FieldURI=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    // Subjects, ends and kinds come with GetItem; each one listed too was sent twice.
    assert_eq!(asked, ["calendar:Start"]);
}
