//! End to end without an EWS URL in the provisioning file: `provision` → `sync --once` →
//! `agenda --json`, the URL found by SOAP Autodiscover through a RedirectUrl and a
//! RedirectAddress hop, remembered for the next syncs, discovered again once EWS moves;
//! a redirection circle is refused with a clear error. And NTLM signs in a connection
//! once, not every request.

use crate::common::cli_console;
use crate::common::ews_server;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, TimeZone, Utc};
use cli_console::Console;
use ews_server::*;
use room_console::ews::{EwsAuth, EwsConfig, Password};
use room_console::sources::ews::{EwsSetup, EwsSource};
use room_console::sources::ews_mapping::MappingRules;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::{PassResult, SyncEngine};
use url::Url;

const ROOM: &str = "confrm2@contoso.com";
/// The address Autodiscover redirects the room to (as after a migration).
const ROOM_ALIAS: &str = "confrm2@ex.contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
}

fn room_mailbox() -> Mailbox {
    Mailbox::new(ROOM, "Conference Room 2").with_items([
        weekly_sync(),
        board_review().join_online_meeting_url("https://meet.contoso.com/jonas/K7QX2P4M"),
    ])
}

fn server_config(auth: AuthMode) -> ServerConfig {
    ServerConfig::new(ExchangeVersion::Exchange2019, auth)
        .with_account(Account::new("CONTOSO\\mailboxservice", "S3rvice!pw").impersonating(&[ROOM]))
        .with_mailbox(room_mailbox())
        .with_mailbox(Mailbox::new(ROOM_ALIAS, "Conference Room 2"))
}

/// A console provisioned for impersonation with `auth`; `ews_url` None leaves EwsUrl out
/// and names the server's Autodiscover endpoint instead.
fn provisioned(server: &EwsServer, auth: &str, ews_url: Option<String>) -> Console {
    let console = Console::new();
    let endpoint = match ews_url {
        Some(url) => format!("<EwsUrl>{url}</EwsUrl>"),
        None => format!(
            "<AutodiscoverUrl>{}</AutodiscoverUrl>",
            server.autodiscover_url()
        ),
    };
    let service_account = ("CONTOSO\\mailboxservice", "S3rvice!pw");
    console.provision_ews(
        ROOM,
        "ews-impersonation",
        auth,
        service_account,
        &endpoint,
        &server.ca_pem(),
    );
    console
}

/// The subjects cached for 23 November, in order.
fn subjects(console: &Console) -> Vec<String> {
    console
        .agenda_of("2026-11-23")
        .iter()
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// (host, mailbox asked about) of each Autodiscover request.
fn autodiscover_requests(server: &EwsServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .filter(|r| r.operation == "GetUserSettingsRequestMessage" && r.status == 200)
        .map(|r| {
            let host = r.header("host").unwrap_or_default();
            let host = host.rsplit_once(':').map_or(host, |(name, _)| name);
            let body = r.body_text();
            let mailbox = body
                .split_once("<a:Mailbox>")
                .and_then(|(_, rest)| rest.split_once("</a:Mailbox>"))
                .map(|(address, _)| address.to_string())
                .unwrap_or_default();
            (host.to_string(), mailbox)
        })
        .collect()
}

/// The paths of the EWS operations (not Autodiscover) the console sent, with the status.
fn ews_paths(server: &EwsServer) -> Vec<(String, u16)> {
    server
        .requests()
        .iter()
        .filter(|r| !r.path.starts_with("/autodiscover"))
        .map(|r| (r.path.clone(), r.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autodiscover_follows_redirections_remembers_the_url_and_finds_it_again_when_ews_moves() {
    let server = EwsServer::start(server_config(AuthMode::Basic))
        .await
        .unwrap();
    // 127.0.0.1 sends the console to "another server" (localhost), which knows the room
    // under another address.
    server.redirect_autodiscover(
        ROOM,
        Some("127.0.0.1"),
        RedirectTarget::Url(server.localhost_autodiscover_url()),
    );
    server.redirect_autodiscover(
        ROOM,
        Some("localhost"),
        RedirectTarget::Address(ROOM_ALIAS.into()),
    );
    let console = provisioned(&server, "basic", None);

    console.sync_ok_at(NOW);
    assert_eq!(subjects(&console), ["Weekly sync", "Board review"]);
    assert_eq!(
        autodiscover_requests(&server),
        [
            ("127.0.0.1".to_string(), ROOM.to_string()),
            ("localhost".to_string(), ROOM.to_string()),
            ("localhost".to_string(), ROOM_ALIAS.to_string()),
        ]
    );
    assert!(
        ews_paths(&server)
            .iter()
            .all(|(path, status)| path == "/EWS/Exchange.asmx" && *status == 200)
    );

    // The next sync goes straight to EWS.
    server.clear_requests();
    console.sync_ok_at(NOW);
    assert_eq!(autodiscover_requests(&server), []);
    assert_eq!(
        ews_paths(&server),
        [("/EWS/Exchange.asmx".to_string(), 200)],
        "one SyncFolderItems"
    );

    // EWS moves: the remembered URL answers 404, Autodiscover gives the new one.
    server.move_ews("/EWS2/Exchange.asmx");
    server
        .mailbox(ROOM)
        .unwrap()
        .add(CalendarItem::new("Retro", at(15, 0), at(15, 30)).text_body("Notes"));
    server.clear_requests();
    console.sync_ok_at(NOW);
    assert_eq!(autodiscover_requests(&server).len(), 3);
    let paths = ews_paths(&server);
    assert_eq!(paths[0], ("/EWS/Exchange.asmx".to_string(), 404));
    assert!(
        paths[1..]
            .iter()
            .all(|(path, status)| path == "/EWS2/Exchange.asmx" && *status == 200),
        "{paths:?}"
    );
    assert_eq!(subjects(&console), ["Weekly sync", "Board review", "Retro"]);

    // And the new URL is the one remembered.
    server.clear_requests();
    console.sync_ok_at(NOW);
    assert_eq!(autodiscover_requests(&server), []);
    assert_eq!(
        ews_paths(&server),
        [("/EWS2/Exchange.asmx".to_string(), 200)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_autodiscover_redirection_circle_is_refused_with_a_clear_error() {
    let server = EwsServer::start(
        server_config(AuthMode::Basic)
            .with_autodiscover_redirect(ROOM, None, RedirectTarget::Address(ROOM_ALIAS.into()))
            .with_autodiscover_redirect(ROOM_ALIAS, None, RedirectTarget::Address(ROOM.into())),
    )
    .await
    .unwrap();
    let console = provisioned(&server, "basic", None);

    let stderr = console.sync_fails_at(NOW);
    assert!(
        stderr.contains("Autodiscover redirects in a circle")
            && stderr.contains(ROOM_ALIAS)
            && stderr.contains("EwsUrl"),
        "{stderr}"
    );
    assert_eq!(autodiscover_requests(&server).len(), 2, "asked once each");
    assert_eq!(ews_paths(&server), []);
}

/// Whether a request carries an NTLM negotiate message (the start of a handshake).
fn is_ntlm_negotiate(request: &RecordedRequest) -> bool {
    request
        .header("authorization")
        .and_then(|value| value.split_once(' '))
        .and_then(|(_, token)| BASE64.decode(token.trim()).ok())
        .is_some_and(|token| ews_server::auth::ntlm::message_type(&token) == Some(1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntlm_signs_in_once_per_connection_not_per_request() {
    let server = EwsServer::start(server_config(AuthMode::Ntlm))
        .await
        .unwrap();
    let console = provisioned(&server, "ntlm", Some(server.url()));

    for (round, changed) in [true, false, true].into_iter().enumerate() {
        if changed {
            let hour = 16 + round as u32;
            server.mailbox(ROOM).unwrap().add(
                CalendarItem::new(&format!("Added {round}"), at(hour, 0), at(hour, 30))
                    .text_body("x"),
            );
        }
        server.clear_requests();
        console.sync_ok_at(NOW);
        let requests = server.requests();
        let operations = requests.iter().filter(|r| r.status == 200).count();
        let handshakes = requests.iter().filter(|r| is_ntlm_negotiate(r)).count();
        assert_eq!(
            handshakes, 1,
            "one handshake per sync (one process, one connection)"
        );
        assert!(
            requests
                .iter()
                .all(|r| r.connection == requests[0].connection),
            "one kept-alive connection"
        );
        if changed {
            assert!(
                operations >= 3,
                "SyncFolderItems, FindItem, GetItem: {operations}"
            );
        }
        // The requests after the handshake carry no Authorization at all.
        let authenticated = requests
            .iter()
            .position(|r| r.status == 200)
            .expect("an answered request");
        assert!(
            requests[authenticated + 1..]
                .iter()
                .all(|r| r.header("authorization").is_none() && r.status == 200)
        );
    }
    assert_eq!(
        subjects(&console),
        ["Weekly sync", "Board review", "Added 0", "Added 2"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ntlm_signs_in_once_over_several_syncs_of_one_process() {
    let server = EwsServer::start(server_config(AuthMode::Ntlm))
        .await
        .unwrap();
    let mut config = EwsConfig::new(
        Url::parse(&server.url()).unwrap(),
        EwsAuth::Ntlm {
            user: "CONTOSO\\mailboxservice".into(),
            password: Password::new("S3rvice!pw"),
        },
    );
    config.impersonate = Some(ROOM.into());
    config.trusted_ca_pem = Some(server.ca_pem().into_bytes());
    let setup = EwsSetup {
        config,
        mailbox: ROOM.into(),
        account: "CONTOSO\\mailboxservice".into(),
        discovery: None,
    };
    let tz = chrono_tz::Europe::Stockholm;
    let rules = MappingRules {
        tz,
        hide_private: true,
        simple_url_hosts: Vec::new(),
    };
    let mut engine = SyncEngine::new(
        EwsSource::new(setup, rules).unwrap(),
        Store::open_in_memory().unwrap(),
        tz,
        std::time::Duration::from_secs(60),
        Backoff::new(7),
    );
    for minute in 0..4 {
        if minute == 2 {
            server
                .mailbox(ROOM)
                .unwrap()
                .add(CalendarItem::new("Added", at(16, 0), at(16, 30)).text_body("x"));
        }
        let (result, _) = engine.pass(at(7, minute)).await;
        assert!(!matches!(result, PassResult::Failed(_)), "{result:?}");
    }
    let requests = server.requests();
    let handshakes = requests.iter().filter(|r| is_ntlm_negotiate(r)).count();
    assert_eq!(handshakes, 1, "{} requests", requests.len());
    assert!(requests.len() >= 8, "four syncs: {}", requests.len());
    assert!(
        requests
            .iter()
            .all(|r| r.connection == requests[0].connection)
    );
    assert_eq!(engine.store().meeting_count().unwrap(), 3);
}
