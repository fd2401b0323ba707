//! The platform's root certificates (hundreds of files in /etc/ssl/certs) are read only
//! when a server's chain needs them: a sync against a server the trusted CA file vouches
//! for never reads them; a server the file does not vouch for is checked against them
//! and refused when they do not know its issuer either.

use crate::common::graph_server;
use crate::common::process::ran_alone;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use graph_server::*;
use room_console::clock::FixedClock;
use room_console::graph::{ClientSecret, GraphConfig, GraphError};
use room_console::sources::ews_mapping::MappingRules;
use room_console::sources::graph::{GraphSetup, GraphSource};
use room_console::sync::source::CalendarSource;
use room_console::tls_verifier::platform_roots_read;
use url::Url;

const ROOM: &str = "confrm2@contoso.com";

fn config(server: &GraphServer, trusted_ca: Option<String>) -> GraphConfig {
    let mut config = GraphConfig::new(TENANT, CLIENT_ID, ClientSecret::new(SECRET));
    config.graph_url = Url::parse(&server.graph_url()).unwrap();
    config.authority_url = Url::parse(&server.authority_url()).unwrap();
    config.trusted_ca_pem = trusted_ca.map(String::into_bytes);
    config.timeout = Duration::from_secs(30);
    config
}

fn source(config: GraphConfig) -> GraphSource {
    GraphSource::new(
        GraphSetup {
            config,
            mailbox: ROOM.into(),
        },
        MappingRules {
            tz: chrono_tz::Tz::UTC,
            hide_private: true,
            simple_url_hosts: vec![],
        },
        Arc::new(FixedClock::new(
            Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap(),
        )),
    )
    .unwrap()
}

// The platform roots are read at most once per process: the test runs in a process of its
// own, where no other test of the area has read them first.
#[tokio::test]
async fn platform_roots_are_read_only_for_a_chain_the_trusted_ca_does_not_vouch_for() {
    if ran_alone(
        module_path!(),
        "platform_roots_are_read_only_for_a_chain_the_trusted_ca_does_not_vouch_for",
    ) {
        return;
    }
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let server = GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET),
        [(
            ROOM,
            vec![TestEvent::new(
                "AAMk-1",
                "Board review",
                start,
                start + chrono::Duration::hours(1),
            )],
        )],
        10,
    )
    .await
    .unwrap();

    let trusted = source(config(&server, Some(server.ca_pem())));
    let check = trusted
        .check_changes(None)
        .await
        .expect("a first delta round");
    assert!(check.changed);
    assert!(
        !platform_roots_read(),
        "a server the trusted CA file vouches for needs no platform roots"
    );

    let untrusted = config(&server, None);
    let client = room_console::graph::GraphClient::new(untrusted).unwrap();
    let refused = client.sign_in().await.expect_err("an unknown issuer");
    assert!(matches!(refused, GraphError::Tls { .. }), "{refused:?}");
    assert!(
        platform_roots_read(),
        "a chain the trusted CA file cannot vouch for is checked against the platform roots"
    );
}
