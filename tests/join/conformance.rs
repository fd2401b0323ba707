//! Detection checked against real invitation bodies in `../shared/ews/samples` (Teams
//! bodies captured from Microsoft 365, Graph event messages, an EWS GetItem answer).
//! Skips with a notice when that folder is not next to the project.

use std::fs;
use std::path::{Path, PathBuf};

use room_console::join::{JoinSources, NoJoinReason, Provider, detect};

fn samples() -> Option<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ews/samples");
    if folder.is_dir() {
        Some(folder)
    } else {
        println!("skipped: {} is absent", folder.display());
        None
    }
}

/// The text of the sample `name`, or None (with a notice) when it or the folder is absent.
fn sample(name: &str) -> Option<String> {
    let path = samples()?.join(name);
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return None;
    }
    Some(read(&path))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn teams_html_bodies_join_the_teams_meeting() {
    let Some(folder) = samples() else { return };
    let mut checked = 0;
    for entry in fs::read_dir(&folder).expect("list samples") {
        let path = entry.expect("sample entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !(name.starts_with("teams-") && name.ends_with(".html")) {
            continue;
        }
        let body = read(&path);
        let link = detect(&JoinSources {
            body: Some(&body),
            body_is_html: true,
            ..JoinSources::default()
        })
        .unwrap_or_else(|reason| panic!("{name}: no link ({})", reason.as_str()));
        assert_eq!(link.provider, Provider::Teams, "{name}");
        assert!(
            link.url
                .starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"),
            "{name}: {}",
            link.url
        );
        checked += 1;
    }
    println!("checked {checked} Teams bodies");
}

#[test]
fn graph_event_message_join_url_matches_its_body() {
    let Some(text) = sample("graph-eventmessage-with-teams-event-corso.json") else {
        return;
    };
    let message: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let event = &message["event"];
    let join_url = event["onlineMeeting"]["joinUrl"]
        .as_str()
        .unwrap_or_default();
    let body = event["body"]["content"].as_str();
    let is_html = event["body"]["contentType"].as_str() == Some("html");

    let from_field = detect(&JoinSources {
        structured: vec![join_url],
        body,
        body_is_html: is_html,
        ..JoinSources::default()
    })
    .expect("a join link");
    let from_body = detect(&JoinSources {
        body,
        body_is_html: is_html,
        ..JoinSources::default()
    })
    .expect("a join link in the body");

    assert_eq!(from_field.provider, Provider::Teams);
    assert_eq!(from_field.url, join_url);
    assert_eq!(from_body, from_field);
}

#[test]
fn an_ews_html_body_with_nothing_in_it_counts_as_removed() {
    let Some(document) = sample("getitem-meetingresponse-htmlbody-exchange2016.xml") else {
        return;
    };
    let start = document.find("<t:Body").expect("a t:Body element");
    let content_start = start + document[start..].find('>').expect("end of t:Body tag") + 1;
    let content_end = content_start
        + document[content_start..]
            .find("</t:Body>")
            .expect("a closing t:Body");
    let body = quick_xml::escape::unescape(&document[content_start..content_end])
        .expect("a well-formed body");

    assert_eq!(
        detect(&JoinSources {
            body: Some(&body),
            body_is_html: true,
            ..JoinSources::default()
        }),
        Err(NoJoinReason::BodyRemoved)
    );
}
