//! End to end: `room-console sync` (without `--once`) runs the live task, and a meeting
//! added, moved and deleted on the in-repo Exchange server reaches the cache through
//! the streaming subscription. The sync polls every 60 s; each change here is waited
//! for at most 30 s from when it was made, so only push can bring it in time. `status
//! --json` says `push: streaming`.

use crate::common::cli_console;
use crate::common::ews_server;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use cli_console::{Console, Running, subjects, wait_until};
use ews_server::*;
use serde_json::Value;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
const NOW: &str = "2026-12-07T07:00:00Z";
const DAY: &str = "2026-12-07";
/// Less than the 60 s polling interval: a change seen within it came by push.
const GENEROUS: Duration = Duration::from_secs(30);

fn at(h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

/// A server whose room has one meeting, "Standup", signed in to with `auth`.
async fn room_server(version: ExchangeVersion, auth: AuthMode) -> EwsServer {
    impersonation_server(version, auth, SERVICE, standup_room(ROOM)).await
}

/// `room-console sync` (the live task) against `server`, reached through `endpoint`
/// (an `<EwsUrl>` or `<AutodiscoverUrl>` element), once its first pass is done: the
/// pass created the cache (reading it earlier would race its creation).
fn start_live_sync(server: &EwsServer, auth: &str, endpoint: &str) -> (Console, Running) {
    let console = Console::new();
    console.provision_ews(
        ROOM,
        "ews-impersonation",
        auth,
        SERVICE,
        endpoint,
        &server.ca_pem(),
    );
    let running = console.start_sync(NOW, GENEROUS);
    (console, running)
}

/// A room server of `version` answering `auth`, and the live sync signing in with
/// `sign_in` through its EWS URL, once the first sync cached "Standup" and the stream
/// brought its first envelope (from then on, no change can slip by).
async fn streaming_room(
    version: ExchangeVersion,
    auth: AuthMode,
    sign_in: &str,
) -> (EwsServer, Console, Running) {
    let server = room_server(version, auth).await;
    let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
    let (console, running) = start_live_sync(&server, sign_in, &endpoint);
    console.wait_for_agenda(DAY, GENEROUS, "the first sync", |a| {
        subjects(a) == ["Standup"]
    });
    wait_for_streaming(&console);
    (server, console, running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_the_server_reaches_the_cache_by_push() {
    let (server, console, _running) =
        streaming_room(ExchangeVersion::Exchange2019, AuthMode::Ntlm, "ntlm").await;

    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.add(CalendarItem::new("Design review", at(10, 0), at(11, 0)));
    console.wait_for_agenda(DAY, GENEROUS, "the added meeting", |a| {
        subjects(a) == ["Standup", "Design review"]
    });

    mailbox.modify(&id, |item| {
        item.start = at(13, 0);
        item.end = at(14, 0);
    });
    let agenda = console.wait_for_agenda(DAY, GENEROUS, "the moved meeting", |a| {
        a.iter()
            .any(|m| m["subject"] == "Design review" && m["start"] == "2026-12-07T14:00:00+01:00")
    });
    assert_eq!(agenda.len(), 2);

    mailbox.delete(&id);
    console.wait_for_agenda(DAY, GENEROUS, "the deletion", |a| {
        subjects(a) == ["Standup"]
    });

    let status = console.status();
    assert_eq!(status["push"]["mode"], "streaming", "{status}");
    assert_eq!(status["push"]["reason"], Value::Null);
    assert!(status["push"]["last_confirmed"].is_string(), "{status}");
    assert_eq!(
        server.count("GetStreamingEvents"),
        1,
        "one stream held open all along"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_missed_events_it_subscribes_again_and_changes_still_arrive_by_push() {
    let (server, console, _running) =
        streaming_room(ExchangeVersion::Exchange2016, AuthMode::Basic, "basic").await;
    let subscribes = || server.count("Subscribe");
    assert_eq!(subscribes(), 1);

    // Exchange lost events: the next change comes by a new subscription's stream.
    server.lose_subscriptions("ErrorMissedNotificationEvents");
    wait_until(GENEROUS, "a new subscription", || {
        subscribes() >= 2 && server.subscription_count() == 1
    });
    wait_for_streaming(&console);
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.add(CalendarItem::new("After the loss", at(16, 0), at(17, 0)));
    console.wait_for_agenda(DAY, GENEROUS, "the meeting added after the loss", |a| {
        subjects(a) == ["Standup", "After the loss"]
    });
    assert_eq!(console.status()["sync"]["state"], "ok");
}

/// Waits until the stream has brought its first envelope.
fn wait_for_streaming(console: &Console) {
    wait_until(GENEROUS, "the stream's first envelope", || {
        let status = console.status();
        status["push"]["mode"] == "streaming" && status["push"]["last_confirmed"].is_string()
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_mailbox_moves_push_follows_autodiscover() {
    let server = room_server(ExchangeVersion::Exchange2019, AuthMode::Basic).await;
    let endpoint = format!(
        "<AutodiscoverUrl>{}</AutodiscoverUrl>",
        server.autodiscover_url()
    );
    let (console, _running) = start_live_sync(&server, "basic", &endpoint);
    wait_for_streaming(&console);

    // The mailbox moves: the old URL answers 404 once the open stream ends.
    server.move_ews("/EWS2/Exchange.asmx");
    server.close_streams();
    wait_until(GENEROUS, "push following the move", || {
        server
            .requests()
            .iter()
            .any(|r| r.operation == "GetStreamingEvents" && r.path.starts_with("/EWS2/"))
    });
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.add(CalendarItem::new("After the move", at(16, 0), at(17, 0)));
    console.wait_for_agenda(DAY, GENEROUS, "the meeting added after the move", |a| {
        subjects(a) == ["Standup", "After the move"]
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_recovers_by_itself_from_a_failed_subscribe_and_a_reset_stream() {
    let server = room_server(ExchangeVersion::Exchange2019, AuthMode::Basic).await;
    server.inject_on(
        "Subscribe",
        Fault::Http503 { retry_after: None },
        Times::Once,
    );
    server.inject_on("GetStreamingEvents", Fault::ConnectionReset, Times::Once);
    let endpoint = format!("<EwsUrl>{}</EwsUrl>", server.url());
    let (console, _running) = start_live_sync(&server, "basic", &endpoint);
    // 503 on Subscribe, then a reset stream: each backs off (5 s, then 10 s) and
    // tries again; the agenda stays as it is meanwhile.
    wait_for_streaming(&console);
    let mailbox = server.mailbox(ROOM).unwrap();
    mailbox.add(CalendarItem::new("After the faults", at(16, 0), at(17, 0)));
    console.wait_for_agenda(DAY, GENEROUS, "the meeting added after the faults", |a| {
        subjects(a) == ["Standup", "After the faults"]
    });
    let subscribes = server.count("Subscribe");
    assert_eq!(
        subscribes, 3,
        "the 503, the reset stream's, the one that works"
    );
}
