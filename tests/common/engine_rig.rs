//! The real sync engine with the EWS source, in this process, against the in-repo EWS
//! server, on an injected clock: for the fault matrix and the soak.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use room_console::clock::{Clock, FixedClock};
use room_console::ews::{EwsAuth, EwsConfig, Password};
use room_console::sources::ews::{EwsSetup, EwsSource};
use room_console::sources::ews_mapping::MappingRules;
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::{PassResult, SyncEngine};

use crate::common::ews_server::*;

pub const ROOM: &str = "confrm2@contoso.com";
pub const ACCOUNT: &str = "CONTOSO\\confrm2";
pub const PASSWORD: &str = "R00m!pw";

pub fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

pub fn tz() -> Tz {
    "Europe/Stockholm".parse().unwrap()
}

/// `count` half-hour meetings from 07:00 UTC on 23 November.
pub fn mailbox(count: i64) -> Mailbox {
    let start = at(23, 7, 0);
    Mailbox::new(ROOM, "Conference Room 2").with_items((0..count).map(|n| {
        let s = start + chrono::Duration::minutes(30 * n);
        CalendarItem::new(
            &format!("Meeting {n}"),
            s,
            s + chrono::Duration::minutes(25),
        )
        .organizer("Ana", "ana@contoso.com")
        .text_body("Agenda")
    }))
}

pub struct Rig {
    pub server: EwsServer,
    pub clock: FixedClock,
    pub engine: SyncEngine<EwsSource>,
}

/// An Exchange 2019 server where the room account signs in with Basic to its own mailbox.
pub fn server_config(mailbox: Mailbox) -> ServerConfig {
    ServerConfig::new(ExchangeVersion::Exchange2019, AuthMode::Basic)
        .with_account(Account::new(ACCOUNT, PASSWORD).with_own_mailbox(ROOM))
        .with_mailbox(mailbox)
}

/// A room account signing in with Basic over TLS; requests time out after `timeout`.
pub async fn rig(mailbox: Mailbox, timeout: Duration) -> Rig {
    let server = EwsServer::start(server_config(mailbox)).await.unwrap();
    let clock = FixedClock::new(at(23, 7, 0));
    let engine = engine_for(&server, PASSWORD, timeout, &clock);
    Rig {
        server,
        clock,
        engine,
    }
}

/// An engine signing in to `server` with `password`, waiting on `clock`.
pub fn engine_for(
    server: &EwsServer,
    password: &str,
    timeout: Duration,
    clock: &FixedClock,
) -> SyncEngine<EwsSource> {
    engine_at(&server.url(), &server.ca_pem(), password, timeout, clock)
}

/// An engine signing in with `password` to the EWS server at `url` whose certificate
/// `ca_pem` issued (a server in this process or in another); the short waits Exchange
/// asks for in a pass are waited on `clock`.
pub fn engine_at(
    url: &str,
    ca_pem: &str,
    password: &str,
    timeout: Duration,
    clock: &FixedClock,
) -> SyncEngine<EwsSource> {
    let mut config = EwsConfig::new(
        url::Url::parse(url).unwrap(),
        EwsAuth::Basic {
            user: ACCOUNT.into(),
            password: Password::new(password),
        },
    );
    config.trusted_ca_pem = Some(ca_pem.as_bytes().to_vec());
    config.timeout = timeout;
    let source = EwsSource::new(
        EwsSetup {
            config,
            mailbox: ROOM.into(),
            account: ACCOUNT.into(),
            discovery: None,
        },
        MappingRules {
            tz: tz(),
            hide_private: true,
            simple_url_hosts: vec![],
        },
    )
    .unwrap()
    .with_clock(std::sync::Arc::new(clock.clone()));
    SyncEngine::new(
        source,
        Store::open_in_memory().unwrap(),
        tz(),
        Duration::from_secs(60),
        Backoff::new(7),
    )
}

impl Rig {
    /// One pass at the clock's now; what it did and the wait it asks for.
    pub async fn pass(&mut self) -> (PassResult, Duration) {
        self.engine.pass(self.clock.now()).await
    }

    /// The subjects cached for 23 November.
    pub fn day(&self) -> Vec<String> {
        self.engine
            .store()
            .meetings_on_day(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), &tz())
            .unwrap()
            .into_iter()
            .map(|m| m.subject.unwrap_or_default())
            .collect()
    }
}
