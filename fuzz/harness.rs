//! The fuzzing harness: one function per reader of outside input, each feeding the bytes
//! through the same code the console runs and checking what must hold for any input.
//! Shared by the cargo-fuzz targets (`fuzz/fuzz_targets/`, nightly) and by
//! `tests/reliability/fuzz_regressions.rs`, which replays every kept input on stable in CI.

// Each fuzz target uses one of these functions.
#![allow(dead_code)]

use std::io::Write;

use room_console::ews::{CalendarItem, ErrorContext as EwsContext, EwsError};
use room_console::graph::Event;
use room_console::join::{JoinSources, detect};
use room_console::settings::provision::check_file;
use room_console::sources::ews_mapping;
use room_console::sources::ews_mapping::MappingRules;
use room_console::sources::graph_mapping::meeting_of;
use room_console::words::Explained;

fn rules() -> MappingRules {
    MappingRules {
        tz: chrono_tz::Europe::Stockholm,
        hide_private: true,
        simple_url_hosts: vec!["meet.contoso.com".into()],
    }
}

/// An EWS answer, read as each operation's response. Whatever parses maps to meetings
/// that never end before they start; every error explains itself to the admin.
pub fn ews_response(data: &[u8]) {
    let rules = rules();
    let check_item = |item: &CalendarItem| {
        if let Ok(meeting) = ews_mapping::meeting_of(item, &rules) {
            let (start, end) = meeting.time.instants(&rules.tz);
            assert!(start <= end, "a meeting never ends before it starts");
        }
    };
    let check_error = |error: &EwsError| {
        assert!(!error.explanation(&EwsContext::default()).is_empty());
    };
    match room_console::ews::find_item::parse(data) {
        Ok(view) => view.value.items.iter().for_each(check_item),
        Err(error) => check_error(&error),
    }
    match room_console::ews::get_item::parse(data) {
        Ok(items) => items.value.iter().for_each(|item| match item {
            Ok(item) => check_item(item),
            Err(error) => check_error(error),
        }),
        Err(error) => check_error(&error),
    }
    if let Err(error) = room_console::ews::sync_folder_items::parse(data) {
        check_error(&error);
    }
    if let Err(error) = room_console::ews::autodiscover::parse(data) {
        check_error(&error);
    }
}

/// The provisioning-file reader: any bytes give a summary or an error that names the
/// file, never a panic; and nothing is written to the data dir by a check.
pub fn provisioning(data: &[u8]) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let data_dir = dir.path().join("data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let path = dir.path().join("RoomConsoleSettings.xml");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(data))
        .expect("fuzz input written");
    if let Err(err) = check_file(&data_dir, &path) {
        let text = err.to_string();
        assert!(
            text.contains("RoomConsoleSettings.xml"),
            "an error names the file: {text}"
        );
    }
    let written = std::fs::read_dir(&data_dir).expect("data dir").count();
    assert_eq!(written, 0, "checking a file writes nothing");
}

/// Graph's JSON: a page of events and an error body. Any event that parses maps to a
/// meeting or a reason, never a panic; a mapped meeting never ends before it starts.
pub fn graph_json(data: &[u8]) {
    let rules = rules();
    if let Ok(page) = serde_json::from_slice::<Page>(data) {
        for event in &page.value {
            if let Ok(meeting) = meeting_of(event, &rules) {
                let (start, end) = meeting.time.instants(&rules.tz);
                assert!(start <= end, "a meeting never ends before it starts");
            }
        }
    }
    for status in [400, 401, 403, 404, 429, 503] {
        let error = room_console::graph::error::graph_error(status, data, None, true);
        let ctx = room_console::graph::ErrorContext::default();
        assert!(!error.explanation(&ctx).is_empty());
        let _ = room_console::graph::error::token_error(status, data, None);
    }
}

/// A page as `calendarView` answers it.
#[derive(serde::Deserialize)]
struct Page {
    value: Vec<Event>,
}

/// The join-link detector, on the input as an HTML body and as a text body: a link found
/// is an https URL of a known provider (or `other`).
pub fn join_link(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let hosts = vec!["meet.contoso.com".to_string()];
    for body_is_html in [true, false] {
        let sources = JoinSources {
            structured: Vec::new(),
            body: Some(text),
            body_is_html,
            simple_url_hosts: &hosts,
        };
        if let Ok(link) = detect(&sources) {
            let url = url::Url::parse(&link.url).expect("a detected link is a URL");
            assert_eq!(url.scheme(), "https", "a detected link is https: {url}");
        }
    }
}
