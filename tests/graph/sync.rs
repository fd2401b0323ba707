//! The Graph source through the real sync engine against the in-repo Graph server:
//! paging, delta (idle polls, changes, an expired token), fetch concurrency, and the
//! fault matrix of issue #8 for Graph: every fault keeps the cached agenda, names its
//! admin-facing fix, waits as asked on the injected clock and recovers by itself.

use crate::common::full_day;
use crate::common::graph_server;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use graph_server::*;
use room_console::clock::FixedClock;
use room_console::graph::{ClientSecret, GraphConfig};
use room_console::sources::ews_mapping::MappingRules;
use room_console::sources::graph::{GraphSetup, GraphSource};
use room_console::store::Store;
use room_console::sync::backoff::Backoff;
use room_console::sync::engine::{PassResult, SyncEngine};
use room_console::sync::source::FailureKind;
use url::Url;

const ROOM: &str = "confrm2@contoso.com";

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap()
}

fn tz() -> Tz {
    "Europe/Stockholm".parse().unwrap()
}

struct Rig {
    server: GraphServer,
    clock: FixedClock,
    engine: SyncEngine<GraphSource>,
}

async fn rig(secret: &str) -> Rig {
    // The Timeout fault waits as long as the client does: a short limit.
    rig_with(secret, full_day::graph_events(), 2, Duration::from_secs(2)).await
}

/// A rig whose room holds `events`, `page_size` events a page; requests time out after
/// `timeout`.
async fn rig_with(
    secret: &str,
    events: Vec<TestEvent>,
    page_size: usize,
    timeout: Duration,
) -> Rig {
    let server = GraphServer::start(
        App::new(TENANT, CLIENT_ID, SECRET),
        [(ROOM, events)],
        page_size,
    )
    .await
    .unwrap();
    let mut config = GraphConfig::new(TENANT, CLIENT_ID, ClientSecret::new(secret));
    config.graph_url = Url::parse(&server.graph_url()).unwrap();
    config.authority_url = Url::parse(&server.authority_url()).unwrap();
    config.trusted_ca_pem = Some(server.ca_pem().into_bytes());
    config.timeout = timeout;
    let clock = FixedClock::new(at(23, 7, 0));
    let source = GraphSource::new(
        GraphSetup {
            config,
            mailbox: ROOM.into(),
        },
        MappingRules {
            tz: tz(),
            hide_private: true,
            simple_url_hosts: vec!["meet.contoso.com".into()],
        },
        Arc::new(clock.clone()),
    )
    .unwrap();
    let engine = SyncEngine::new(
        source,
        Store::open_in_memory().unwrap(),
        tz(),
        Duration::from_secs(60),
        Backoff::new(7),
    );
    Rig {
        server,
        clock,
        engine,
    }
}

impl Rig {
    async fn pass(&mut self) -> PassResult {
        self.engine.pass(self.clock.now()).await.0
    }

    /// A pass `later` from now, with the server's record of requests cleared first, so
    /// that it holds the pass's requests alone.
    async fn pass_after(&mut self, later: chrono::Duration) -> PassResult {
        self.server.clear_requests();
        self.clock.advance(later);
        self.pass().await
    }

    fn day(&self) -> Vec<room_console::calendar::Meeting> {
        self.engine
            .store()
            .meetings_on_day(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), &tz())
            .unwrap()
    }
}

use room_console::clock::Clock;

fn subjects(meetings: &[room_console::calendar::Meeting]) -> Vec<String> {
    meetings
        .iter()
        .map(|m| m.subject.clone().unwrap_or_else(|| "(private)".into()))
        .collect()
}

/// The result of a pass that fetched `fetched` events and then stored `stored` meetings.
fn refreshed(fetched: usize, stored: usize) -> PassResult {
    PassResult::Refreshed { fetched, stored }
}

#[tokio::test]
async fn first_pass_reads_the_window_through_every_page() {
    let mut rig = rig(SECRET).await;
    let result = rig.pass().await;
    assert_eq!(result, refreshed(6, 6));
    let day = rig.day();
    assert_eq!(day.len(), 6, "{:#?}", subjects(&day));
    let weekly = day.iter().find(|m| m.id == "AAMk-occ1").unwrap();
    assert_eq!(weekly.series_id.as_deref(), Some("AAMk-master"));
    assert_eq!(weekly.join.as_ref().unwrap().provider.as_str(), "teams");
    let board = day.iter().find(|m| m.id == "AAMk-board").unwrap();
    assert_eq!(
        board.join.as_ref().unwrap().url,
        "https://meet.contoso.com/jonas/K7QX2P4M"
    );
    assert_eq!(board.organizer.email.as_deref(), Some("jonas@contoso.com"));
    assert_eq!(board.location.as_deref(), Some("Conference Room 2"));
    let salary = day.iter().find(|m| m.id == "AAMk-salary").unwrap();
    assert!(salary.private && salary.subject.is_none());
    assert!(
        day.iter()
            .find(|m| m.id == "AAMk-vendor")
            .unwrap()
            .cancelled
    );
    let company = day.iter().find(|m| m.id == "AAMk-day").unwrap();
    assert!(company.time.is_all_day());

    // The first delta round's pages carry the whole window: no listing, no event by id.
    let requests = rig.server.requests();
    let graph: Vec<_> = requests
        .iter()
        .filter(|r| !r.path.contains("oauth2"))
        .collect();
    assert_eq!(graph.len(), 3, "6 events, 2 a page: three delta pages");
    assert!(
        graph
            .iter()
            .all(|r| r.path.ends_with("/calendarView/delta")),
        "{graph:#?}"
    );
    assert!(
        graph
            .iter()
            .all(|r| r.prefer.iter().any(|p| p == "outlook.timezone=\"UTC\""))
    );
    assert!(
        requests
            .iter()
            .all(|r| r.path.contains("oauth2") || r.authorization.is_some())
    );
    assert_eq!(
        rig.server.tokens_issued(),
        1,
        "one token for the whole pass"
    );
    assert!(
        rig.server.max_in_flight() <= 4,
        "{}",
        rig.server.max_in_flight()
    );
}

#[tokio::test]
async fn idle_polls_cost_a_delta_round_and_changes_come_with_it() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    assert_eq!(
        rig.pass_after(chrono::Duration::minutes(1)).await,
        PassResult::Unchanged
    );
    let idle = rig.server.requests();
    assert_eq!(idle.len(), 1, "{idle:#?}");
    assert!(idle[0].path.ends_with("/calendarView/delta"));
    assert!(idle[0].query_value("$deltatoken").is_some());

    rig.server.modify(ROOM, "AAMk-retro", |e| {
        e.subject = "Retro (new room)".into()
    });
    rig.server.remove(ROOM, "AAMk-vendor");
    assert_eq!(
        rig.pass_after(chrono::Duration::minutes(1)).await,
        refreshed(1, 5)
    );
    // The delta page carried the changed event whole and the removal: nothing else read.
    let changes = rig.server.requests();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert!(changes[0].path.ends_with("/calendarView/delta"));
    let day = rig.day();
    assert!(subjects(&day).contains(&"Retro (new room)".to_string()));
    assert!(!day.iter().any(|m| m.id == "AAMk-vendor"));
}

#[tokio::test]
async fn an_expired_delta_token_means_a_full_read() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    rig.server.inject(Fault::DeltaTokenExpired, Times::Once);
    rig.clock.advance(chrono::Duration::minutes(1));
    assert!(matches!(rig.pass().await, PassResult::Refreshed { .. }));
    rig.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(
        rig.pass().await,
        PassResult::Unchanged,
        "a new delta link was kept"
    );
}

#[tokio::test]
async fn a_new_day_starts_a_new_delta_window() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    assert!(matches!(
        rig.pass_after(chrono::Duration::days(1)).await,
        PassResult::Refreshed { .. }
    ));
    let first = &rig.server.requests()[0];
    assert_eq!(
        first.query_value("startDateTime"),
        Some("2026-11-22T23:00:00Z")
    );
}

#[tokio::test]
async fn every_fault_keeps_the_cache_and_names_its_fix() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    let cached = rig.day();
    let faults = [
        (
            Fault::AuthorizationRequestDenied,
            FailureKind::PermissionDenied,
            "grant admin consent for Calendars.Read",
        ),
        (
            Fault::AccessToODataDisabled,
            FailureKind::PermissionDenied,
            "New-ApplicationAccessPolicy",
        ),
        (
            Fault::MailboxNotEnabledForRest,
            FailureKind::PermissionDenied,
            "room mailbox was not found",
        ),
        (
            Fault::Throttled { retry_after: 17 },
            FailureKind::Throttled {
                retry_after: Some(Duration::from_secs(17)),
            },
            "waits",
        ),
        (Fault::ServerError(503), FailureKind::ServerError, ""),
        (Fault::ServerError(500), FailureKind::ServerError, ""),
    ];
    for (fault, kind, fix) in faults {
        rig.server.inject(fault.clone(), Times::UntilCleared);
        rig.clock.advance(chrono::Duration::hours(1));
        let (result, wait) = rig.engine.pass(rig.clock.now()).await;
        let PassResult::Failed(error) = result else {
            panic!("{fault:?} must fail the pass");
        };
        assert_eq!(error.kind, kind, "{fault:?}: {error}");
        assert!(error.to_string().contains(fix), "{fault:?}: {error}");
        if let FailureKind::Throttled { .. } = kind {
            assert_eq!(
                wait,
                Duration::from_secs(17),
                "Retry-After honoured exactly"
            );
        }
        assert_eq!(rig.day(), cached, "{fault:?} must keep the cache");
        rig.server.clear_faults();
    }
    rig.clock.advance(chrono::Duration::hours(1));
    assert!(matches!(
        rig.pass().await,
        PassResult::Refreshed { .. } | PassResult::Unchanged
    ));
}

/// The wait a transport fault must lead to.
#[derive(Debug)]
enum Wait {
    Exactly(Duration),
    /// The exponential back-off's first step: between half the base and the base.
    FirstStep,
}

#[tokio::test]
async fn transport_faults_keep_the_cache_wait_as_asked_and_recover_by_themselves() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    let cached = rig.day();
    assert!(!cached.is_empty());
    let cases = [
        (
            Fault::Timeout,
            FailureKind::Offline,
            "time",
            Wait::FirstStep,
        ),
        (
            Fault::ConnectionReset,
            FailureKind::Offline,
            "",
            Wait::FirstStep,
        ),
        (
            Fault::TruncatedJson,
            FailureKind::ServerError,
            "",
            Wait::FirstStep,
        ),
        (
            Fault::HtmlErrorPage,
            FailureKind::ServerError,
            "http 502: a web page (\"502 bad gateway\")",
            Wait::FirstStep,
        ),
        (
            Fault::Empty200,
            FailureKind::ServerError,
            "",
            Wait::FirstStep,
        ),
        (
            Fault::Huge {
                bytes: 100 * 1024 * 1024,
            },
            FailureKind::ServerError,
            "",
            Wait::FirstStep,
        ),
        (
            Fault::TokenRevoked,
            FailureKind::SignInFailed,
            "clientsecret",
            Wait::Exactly(Duration::from_secs(300)),
        ),
    ];
    for (fault, kind, says, expected_wait) in cases {
        rig.server.inject(fault.clone(), Times::UntilCleared);
        rig.clock.advance(chrono::Duration::hours(1)); // past the hourly full read
        let (result, wait) = rig.engine.pass(rig.clock.now()).await;
        let PassResult::Failed(error) = result else {
            panic!("{fault:?} must fail the pass, got {result:?}");
        };
        assert_eq!(error.kind, kind, "{fault:?}: {error}");
        assert_eq!(rig.day(), cached, "{fault:?} must keep the cache");
        let last = rig.engine.status().last_error.clone().expect("kept");
        let said = format!("{} {}", last.message, last.fix.unwrap_or_default()).to_lowercase();
        assert!(said.contains(says), "{fault:?}: {says:?} not in {said:?}");
        match expected_wait {
            Wait::Exactly(expected) => assert_eq!(wait, expected, "{fault:?}"),
            Wait::FirstStep => assert!(
                (Duration::from_millis(2500)..=Duration::from_secs(5)).contains(&wait),
                "{fault:?}: waited {wait:?}"
            ),
        }
        // Once the fault clears, the pass after the wait succeeds with nobody's help.
        rig.server.clear_faults();
        rig.clock.advance(chrono::Duration::from_std(wait).unwrap());
        assert!(
            matches!(
                rig.pass().await,
                PassResult::Refreshed { .. } | PassResult::Unchanged
            ),
            "{fault:?}: no recovery"
        );
        assert_eq!(rig.day(), cached, "{fault:?}: the agenda after recovery");
    }
}

#[tokio::test]
async fn sign_in_faults_name_the_secret_fix() {
    for (fault, code) in [
        (Fault::WrongSecret, "AADSTS7000215"),
        (Fault::ExpiredSecret, "AADSTS7000222"),
        (Fault::NoConsent, "Calendars.Read"),
    ] {
        let mut rig = rig(SECRET).await;
        rig.server.inject(fault.clone(), Times::UntilCleared);
        let PassResult::Failed(error) = rig.pass().await else {
            panic!("{fault:?} must fail");
        };
        assert!(error.to_string().contains(code), "{error}");
        if fault == Fault::NoConsent {
            assert_eq!(error.kind, FailureKind::PermissionDenied);
            assert!(error.to_string().contains("admin consent"), "{error}");
        } else {
            assert_eq!(error.kind, FailureKind::SignInFailed);
            assert!(
                error.to_string().contains("Certificates & secrets"),
                "{error}"
            );
            assert!(error.to_string().contains("ClientSecret"), "{error}");
        }
    }
    let mut wrong = rig("not-the-secret").await;
    let PassResult::Failed(error) = wrong.pass().await else {
        panic!("a wrong secret must fail");
    };
    assert_eq!(error.kind, FailureKind::SignInFailed);
}

#[tokio::test]
async fn the_hourly_full_read_is_its_listing_pages_at_most_three_at_a_time() {
    let mut rig = rig(SECRET).await;
    rig.pass().await;
    for n in 0..40 {
        rig.server.add(
            ROOM,
            TestEvent::new(
                &format!("AAMk-bulk{n}"),
                "Drop-in",
                at(24, 8, 0),
                at(24, 9, 0),
            ),
        );
    }
    assert_eq!(
        rig.pass_after(chrono::Duration::hours(1)).await,
        refreshed(40, 46)
    );
    let requests = rig.server.requests();
    let listings: Vec<_> = requests
        .iter()
        .filter(|r| r.path.ends_with("/calendarView"))
        .collect();
    assert_eq!(listings.len(), 23, "46 events, 2 a page");
    let select = listings[0].query_value("$select").unwrap();
    assert!(
        select.contains("body") && select.contains("subject"),
        "{select}"
    );
    assert!(
        !requests.iter().any(|r| r.path.contains("/events/")),
        "the pages carried every event whole"
    );
    let max = rig.server.max_in_flight();
    assert!((1..=3).contains(&max), "{max} requests in flight");
}

/// `count` meetings from 23 November 00:00 UTC, two minutes apart, a week of them.
fn busy_room(count: usize) -> Vec<TestEvent> {
    (0..count)
        .map(|n| {
            let start = at(23, 0, 0) + chrono::Duration::minutes(2 * n as i64);
            TestEvent::new(
                &format!("AAMk-m{n:05}"),
                &format!("Meeting {n}"),
                start,
                start + chrono::Duration::minutes(1),
            )
            .body("<html><body><p>Agenda</p><a href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9v%40thread.v2/0\">Join</a></body></html>")
        })
        .collect()
}

/// The Graph requests (not sign-in) the server saw since the last clear.
fn graph_requests(server: &GraphServer) -> Vec<Recorded> {
    server
        .requests()
        .into_iter()
        .filter(|r| !r.path.contains("oauth2"))
        .collect()
}

#[tokio::test]
async fn a_5000_meeting_room_costs_its_pages_and_an_idle_pass_one_request() {
    let mut rig = rig_with(SECRET, busy_room(5000), 100, Duration::from_secs(60)).await;
    assert_eq!(rig.pass().await, refreshed(5000, 5000));
    let full = graph_requests(&rig.server);
    assert_eq!(
        full.len(),
        50,
        "5,000 events, 100 a page: the delta pages only"
    );
    assert!(full.iter().all(|r| r.path.ends_with("/calendarView/delta")));

    assert_eq!(
        rig.pass_after(chrono::Duration::minutes(1)).await,
        PassResult::Unchanged
    );
    assert_eq!(graph_requests(&rig.server).len(), 1, "an idle pass");

    rig.server
        .modify(ROOM, "AAMk-m00007", |e| e.subject = "Moved".into());
    rig.server
        .modify(ROOM, "AAMk-m04000", |e| e.subject = "Renamed".into());
    rig.server.remove(ROOM, "AAMk-m00100");
    assert_eq!(
        rig.pass_after(chrono::Duration::minutes(1)).await,
        refreshed(2, 4999)
    );
    assert_eq!(
        graph_requests(&rig.server).len(),
        1,
        "an incremental pass reads only the changes"
    );
    assert_eq!(rig.engine.store().meeting_count().unwrap(), 4999);
    let day = rig.day();
    assert!(subjects(&day).contains(&"Moved".to_string()));
    assert!(!day.iter().any(|m| m.id == "AAMk-m00100"));
    assert!(day.iter().all(|m| m.join.is_some()));
}

#[tokio::test]
async fn a_short_throttle_mid_pass_is_waited_out_and_the_pass_goes_on() {
    let mut rig = rig_with(SECRET, busy_room(5000), 100, Duration::from_secs(60)).await;
    rig.server
        .inject(Fault::Throttled { retry_after: 1 }, Times::OnceAfter(20));
    let before = rig.clock.now();
    let (result, _) = rig.engine.pass(before).await;
    assert_eq!(result, refreshed(5000, 5000));
    let requests = graph_requests(&rig.server);
    assert_eq!(requests.iter().filter(|r| r.status == 429).count(), 1);
    assert_eq!(requests.len(), 51, "the throttled page asked again, once");
    assert_eq!(
        rig.clock.now() - before,
        chrono::Duration::seconds(1),
        "the wait Graph asked for, on the injected clock"
    );
    assert!(rig.server.max_in_flight() <= 3);

    // A long wait is not waited out within a pass: the pass fails and says how long.
    rig.server
        .inject(Fault::Throttled { retry_after: 120 }, Times::Once);
    rig.clock.advance(chrono::Duration::hours(1));
    let before = rig.clock.now();
    let (result, wait) = rig.engine.pass(before).await;
    assert!(matches!(result, PassResult::Failed(_)), "{result:?}");
    assert_eq!(wait, Duration::from_secs(120));
    assert_eq!(rig.clock.now(), before);
    assert_eq!(rig.engine.store().meeting_count().unwrap(), 5000);
}
