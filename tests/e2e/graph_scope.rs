//! The scope of the Graph sign-in, end to end: a `GraphUrl` that is not one of
//! Microsoft's clouds (here the in-repo test host, as a proxy would be) signs in for the
//! global Graph, and an explicit `<GraphScope>` is what the sign-in asks for. The test
//! tenant, like Entra ID, refuses a scope whose resource it does not know (AADSTS500011).

use crate::common::cli_console;
use crate::common::graph_server;

use chrono::{TimeZone, Utc};
use cli_console::Console;
use graph_server::*;

const ROOM: &str = "confrm2@contoso.com";
const NOW: &str = "2026-11-23T07:00:00Z";
const DAY: &str = "2026-11-23";

async fn start(app: App) -> GraphServer {
    let meeting = TestEvent::new(
        "AAMk-board",
        "Board review",
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 23, 11, 0, 0).unwrap(),
    );
    GraphServer::start(app, [(ROOM, vec![meeting])], 2)
        .await
        .unwrap()
}

/// A console for the app on `server`, with `scope` as its `<GraphScope>` element (or
/// none).
fn provisioned(server: &GraphServer, scope: Option<&str>) -> Console {
    let console = Console::new();
    let scope = scope.map_or(String::new(), |s| format!("<GraphScope>{s}</GraphScope>"));
    console.provision_graph(
        ROOM,
        (TENANT, CLIENT_ID, SECRET),
        (&server.graph_url(), &server.authority_url()),
        &scope,
        &server.ca_pem(),
    );
    console
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graph_url_that_is_no_microsoft_cloud_signs_in_for_the_global_graph() {
    let server = start(App::new(TENANT, CLIENT_ID, SECRET)).await;
    assert!(
        server.graph_url().starts_with("https://127.0.0.1:"),
        "the test host stands for a proxy: {}",
        server.graph_url()
    );
    let console = provisioned(&server, None);
    console.sync_ok_at(NOW);
    assert_eq!(console.agenda_of(DAY).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_explicit_graph_scope_is_what_the_sign_in_asks_for() {
    let us_graph = "https://graph.microsoft.us";
    let server = start(App::new(TENANT, CLIENT_ID, SECRET).with_resource(us_graph)).await;
    let console = provisioned(&server, Some(&format!("{us_graph}/.default")));
    console.sync_ok_at(NOW);
    assert_eq!(console.agenda_of(DAY).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_the_tenant_does_not_know_is_refused_with_entra_ids_words() {
    let server = start(App::new(TENANT, CLIENT_ID, SECRET)).await;
    let console = provisioned(&server, Some("api://graph-proxy.contoso.com/.default"));
    let said = console.sync_fails_at(NOW);
    assert!(said.contains("AADSTS500011"), "{said}");
    assert!(said.contains("api://graph-proxy.contoso.com"), "{said}");
}
