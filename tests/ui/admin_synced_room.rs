//! The admin screen of a console synced against the in-repo EWS server shows the real
//! diagnostics (server version, last sync, cached meetings) and the mailbox health hint
//! for an invitation whose body the mailbox stripped. Set ROOM_CONSOLE_KEEP_SCREENSHOTS
//! to a folder to keep the rendered PNG for a look.

use crate::common::cli_console::Console;
use crate::common::ews_server;

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use ews_server::*;

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("mailboxservice@contoso.com", "S3rvice!pw");
const NOW: &str = "2026-11-23T09:15:00Z";

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_screen_of_a_synced_room_shows_real_diagnostics() {
    let server = impersonation_server(
        ExchangeVersion::Exchange2019,
        AuthMode::Basic,
        SERVICE,
        Mailbox::new(ROOM, "Conference Room 2").with_items([
            board_review()
                .html_body("<html><body><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0\">Join</a></body></html>"),
            CalendarItem::new("Retro", at(15, 0), at(15, 30))
                .organizer("Lars Ek", "lars@contoso.com")
                .html_body("<html><body></body></html>"),
        ]),
    )
    .await;
    let console = Console::new();
    console.provision_impersonating(ROOM, "basic", SERVICE, &server);
    console.provision(
        "<RoomConsoleSettings><Device><AdminPin>2468</AdminPin></Device></RoomConsoleSettings>",
    );
    console.sync_ok_at(NOW);
    let png = console.beside("admin.png");
    console.run_ok(&[
        "screenshot",
        "--screen",
        "admin",
        "--now",
        NOW,
        "--out",
        png.to_str().expect("path"),
    ]);
    let status = console.run_ok(&["status"]);
    let json = console.run_ok(&["status", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("status --json");
    let network = json["network"].as_array().expect("network is a list");
    assert!(
        network.iter().all(|interface| interface["name"].is_string()
            && interface["addresses"].is_array()
            && interface["addresses"] != serde_json::json!(["127.0.0.1"])),
        "{network:?}"
    );
    assert!(json["hostname"].is_string(), "{json}");
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("Meetings cached: 2"), "{status}");
    assert!(status.contains("Sync:            ok"), "{status}");
    assert!(
        status.contains("Server:          Exchange Server 2019"),
        "{status}"
    );
    assert!(status.contains("Host name:       "), "{status}");
    assert!(status.contains("Network:         "), "{status}");
    assert!(std::fs::metadata(&png).expect("screenshot").len() > 10_000);
    if let Some(keep) = std::env::var_os("ROOM_CONSOLE_KEEP_SCREENSHOTS") {
        std::fs::copy(&png, Path::new(&keep).join("admin-synced.png")).expect("keep");
    }
}
