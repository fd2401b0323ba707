//! End to end over HTTPS with a private CA: `provision` (graph) → `sync --once` →
//! `agenda --json` against the in-repo Graph server; an idle poll is one delta round;
//! faults keep the cached agenda and say what to fix.

use crate::common::cli_console;
use crate::common::full_day;
use crate::common::graph_server;

use cli_console::{Console, by_subject};
use graph_server::*;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

/// A console provisioned for the Graph app registration on `server`.
fn provisioned(server: &GraphServer) -> Console {
    let console = Console::new();
    console.provision_graph(
        ROOM,
        (TENANT, CLIENT_ID, SECRET),
        (&server.graph_url(), &server.authority_url()),
        "",
        &server.ca_pem(),
    );
    console
}

async fn start() -> GraphServer {
    GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET),
        [(ROOM, full_day::graph_events())],
        2,
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provision_sync_and_agenda_over_https_with_a_private_ca() {
    let server = start().await;
    let console = provisioned(&server);
    console.sync_ok_at(NOW);
    full_day::assert_agenda(&console.agenda_of(DAY));
    let status = console.status();
    assert_eq!(status["sync"]["state"], "ok", "{status}");
    assert!(
        status["server"]
            .as_str()
            .is_some_and(|s| s.contains("Microsoft Graph")),
        "{status}"
    );
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.query_value("$skiptoken").is_some()),
        "paged"
    );
    assert!(
        !requests.iter().any(|r| r.path.contains("/events/")),
        "the delta pages carried every event whole"
    );

    // An idle poll: a token and one delta round from the persisted deltaLink.
    server.clear_requests();
    console.sync_ok_at(NOW);
    let idle: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        idle,
        [
            format!("/{TENANT}/oauth2/v2.0/token"),
            format!("/v1.0/users/{ROOM}/calendarView/delta")
        ]
    );

    // A change comes whole with the delta round, and is all that is read.
    server.modify(ROOM, "AAMk-retro", |e| {
        e.subject = "Retro (new room)".into()
    });
    server.clear_requests();
    console.sync_ok_at(NOW);
    let changed: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        changed,
        [
            format!("/{TENANT}/oauth2/v2.0/token"),
            format!("/v1.0/users/{ROOM}/calendarView/delta")
        ]
    );
    by_subject(&console.agenda_of(DAY), "Retro (new room)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_keep_the_cached_agenda_and_say_what_to_fix() {
    let server = start().await;
    let console = provisioned(&server);
    console.sync_ok_at(NOW);
    let faults = [
        (
            Fault::WrongSecret,
            "sign_in_failed",
            "Certificates & secrets",
        ),
        (Fault::ExpiredSecret, "sign_in_failed", "AADSTS7000222"),
        (Fault::NoConsent, "permission_denied", "admin consent"),
        (
            Fault::AuthorizationRequestDenied,
            "permission_denied",
            "Calendars.Read",
        ),
        (
            Fault::AccessToODataDisabled,
            "permission_denied",
            "New-ApplicationAccessPolicy",
        ),
        (
            Fault::MailboxNotEnabledForRest,
            "permission_denied",
            "not found",
        ),
        (Fault::Throttled { retry_after: 30 }, "throttled", "30 s"),
        (Fault::ServerError(500), "server_error", "HTTP 500"),
    ];
    for (fault, state, words) in faults {
        server.inject(fault.clone(), Times::UntilCleared);
        let out = console.sync_at(NOW);
        assert!(!out.status.success(), "{fault:?} must fail the sync");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{fault:?}: {stderr}");
        full_day::assert_agenda(&console.agenda_of(DAY));
        let status = console.status();
        assert_eq!(status["sync"]["state"], state, "{fault:?}: {status}");
        server.clear_faults();
    }
    console.sync_ok_at(NOW);
    assert_eq!(console.status()["sync"]["state"], "ok");
}
