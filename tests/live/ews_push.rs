//! EWS push against the in-repo server: Subscribe, GetStreamingEvents read as a stream
//! of envelopes, GetEvents, Unsubscribe, as the room (impersonated) with the affinity
//! headers and the backend cookie; Basic and NTLM (the stream on its own signed-in
//! connection); a closed stream, lost subscriptions and a buffering proxy. Every wait
//! is on an event of the stream, bounded by a generous timeout.

use crate::common::ews_server;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use ews_server::*;
use room_console::ews::get_streaming_events::{ConnectionStatus, StreamingEnvelope};
use room_console::ews::notification::SubscriptionLost;
use room_console::ews::subscribe::{Subscription, SubscriptionKind};
use room_console::ews::{EventStream, EwsAuth, EwsConfig, Password, SubscriptionClient};

const ROOM: &str = "confrm2@contoso.com";
const SERVICE: (&str, &str) = ("CONTOSO\\mailboxservice", "S3rvice!pw");
/// Long enough for any loaded machine; the waits end as soon as the event arrives.
const GENEROUS: Duration = Duration::from_secs(30);

async fn server(mode: AuthMode) -> EwsServer {
    let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    EwsServer::start(
        ServerConfig::new(ExchangeVersion::Exchange2019, mode)
            .with_account(Account::new(SERVICE.0, SERVICE.1).impersonating(&[ROOM]))
            .with_mailbox(
                Mailbox::new(ROOM, "Conference Room 2").with_items([CalendarItem::new(
                    "Standup",
                    start,
                    start + chrono::Duration::minutes(15),
                )]),
            ),
    )
    .await
    .unwrap()
}

fn client(server: &EwsServer, ntlm: bool) -> SubscriptionClient {
    let (user, password) = (SERVICE.0.to_string(), Password::new(SERVICE.1));
    let auth = if ntlm {
        EwsAuth::Ntlm { user, password }
    } else {
        EwsAuth::Basic { user, password }
    };
    let mut config = EwsConfig::new(server.url().parse().unwrap(), auth);
    config.impersonate = Some(ROOM.into());
    config.trusted_ca_pem = Some(server.ca_pem().into_bytes());
    SubscriptionClient::new(config, ROOM).unwrap()
}

/// A streaming subscription of `client`, and its events asked for `minutes`.
async fn streaming(client: &SubscriptionClient, minutes: u32) -> (Subscription, EventStream) {
    let subscription = client
        .subscribe(&SubscriptionKind::Streaming)
        .await
        .unwrap();
    let stream = events(client, &subscription, minutes).await;
    (subscription, stream)
}

/// The events of `subscription`, asked for `minutes`.
async fn events(
    client: &SubscriptionClient,
    subscription: &Subscription,
    minutes: u32,
) -> EventStream {
    client
        .get_streaming_events(&subscription.id, minutes)
        .await
        .unwrap()
}

/// Asserts that `stream` opens with a keep-alive.
async fn assert_opens(stream: &mut EventStream) {
    assert_eq!(
        next(stream).await.connection_status,
        Some(ConnectionStatus::Open),
        "a keep-alive first"
    );
}

async fn next(stream: &mut EventStream) -> StreamingEnvelope {
    tokio::time::timeout(GENEROUS, stream.next())
        .await
        .expect("an envelope in time")
        .expect("the stream is open")
        .expect("a readable envelope")
}

/// Reads envelopes until one has changes.
async fn next_change(stream: &mut EventStream) -> StreamingEnvelope {
    loop {
        let envelope = next(stream).await;
        if envelope.has_changes() {
            return envelope;
        }
    }
}

async fn streams_a_change_as_it_happens(ntlm: bool) {
    let server = server(if ntlm {
        AuthMode::Ntlm
    } else {
        AuthMode::Basic
    })
    .await;
    let client = client(&server, ntlm);
    let subscription = client
        .subscribe(&SubscriptionKind::Streaming)
        .await
        .unwrap();
    assert!(
        client.backend_cookie().is_some(),
        "Subscribe set the cookie"
    );
    let mut stream = events(&client, &subscription, 30).await;
    assert_opens(&mut stream).await;
    let mailbox = server.mailbox(ROOM).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0).unwrap();
    let id = mailbox.add(CalendarItem::new(
        "Design review",
        start,
        start + chrono::Duration::hours(1),
    ));
    let envelope = next_change(&mut stream).await;
    let event = &envelope.notifications[0].events[0];
    assert_eq!(event.kind, "CreatedEvent");
    assert_eq!(event.item_id.as_deref(), Some(id.as_str()));
    assert_eq!(envelope.notifications[0].subscription_id, subscription.id);

    mailbox.modify(&id, |item| item.start += chrono::Duration::minutes(30));
    let event = next_change(&mut stream).await.notifications[0].events[0].clone();
    assert_eq!(event.kind, "ModifiedEvent");
    mailbox.delete(&id);
    let event = next_change(&mut stream).await.notifications[0].events[0].clone();
    assert_eq!(event.kind, "DeletedEvent");

    let stream_request = server.last("GetStreamingEvents").unwrap();
    assert_eq!(stream_request.impersonated.as_deref(), Some(ROOM));
    assert_eq!(stream_request.anchor_mailbox.as_deref(), Some(ROOM));
    assert_eq!(
        stream_request.header("x-preferserveraffinity"),
        Some("true")
    );
    let cookie = stream_request.header("cookie").unwrap_or_default();
    assert!(
        cookie.starts_with("X-BackEndOverrideCookie=EXMBX01.contoso.com~"),
        "{cookie}"
    );
    if ntlm {
        let subscribe = server.last("Subscribe").unwrap();
        assert_eq!(
            subscribe.connection, stream_request.connection,
            "the subscription's own signed-in connection"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_a_change_as_it_happens_with_basic() {
    streams_a_change_as_it_happens(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_a_change_as_it_happens_with_ntlm() {
    streams_a_change_as_it_happens(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stream_ends_and_opens_again_on_the_same_subscription() {
    let server = server(AuthMode::Basic).await;
    let client = client(&server, false);
    let (subscription, mut stream) = streaming(&client, 1).await;
    next(&mut stream).await;
    server.close_streams();
    let last = next(&mut stream).await;
    assert_eq!(last.connection_status, Some(ConnectionStatus::Closed));
    assert!(
        tokio::time::timeout(GENEROUS, stream.next())
            .await
            .unwrap()
            .is_none()
    );
    let mut again = events(&client, &subscription, 1).await;
    assert_opens(&mut again).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_subscriptions_come_back_as_their_errors() {
    for code in [
        "ErrorSubscriptionNotFound",
        "ErrorExpiredSubscription",
        "ErrorInvalidSubscription",
        "ErrorMissedNotificationEvents",
    ] {
        let server = server(AuthMode::Basic).await;
        let client = client(&server, false);
        let (subscription, mut stream) = streaming(&client, 30).await;
        next(&mut stream).await;
        // On the open stream…
        server.lose_subscriptions(code);
        let error = tokio::time::timeout(GENEROUS, stream.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap_err();
        assert!(SubscriptionLost::of(&error).is_some(), "{code}: {error}");
        // …and when the stream is asked for again.
        let error = match client.get_streaming_events(&subscription.id, 30).await {
            Ok(mut stream) => stream.next().await.unwrap().unwrap_err(),
            Err(error) => error,
        };
        assert_eq!(error.code(), code);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_the_backend_cookie_does_not_find_the_subscription() {
    let server = server(AuthMode::Basic).await;
    let client = client(&server, false);
    let subscription = client
        .subscribe(&SubscriptionKind::Streaming)
        .await
        .unwrap();
    // A second client never saw the cookie: another mailbox server answers.
    let stranger = self::client(&server, false);
    let error = match stranger.get_streaming_events(&subscription.id, 30).await {
        Ok(mut stream) => stream.next().await.unwrap().unwrap_err(),
        Err(error) => error,
    };
    assert_eq!(error.code(), "ErrorSubscriptionNotFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_subscriptions_give_events_from_their_watermark() {
    let server = server(AuthMode::Ntlm).await;
    let client = client(&server, true);
    let kind = SubscriptionKind::Pull {
        watermark: None,
        timeout_minutes: 30,
    };
    let subscription = client.subscribe(&kind).await.unwrap();
    let watermark = subscription.watermark.unwrap();
    let nothing = client
        .get_events(&subscription.id, &watermark)
        .await
        .unwrap();
    assert!(!nothing.has_changes());
    let watermark = nothing.last_watermark().unwrap().to_string();
    let mailbox = server.mailbox(ROOM).unwrap();
    let id = mailbox.id_of("Standup").unwrap();
    mailbox.modify(&id, |item| item.subject = "Standup (moved)".into());
    let events = client
        .get_events(&subscription.id, &watermark)
        .await
        .unwrap();
    assert!(events.has_changes());
    assert_eq!(events.events[0].kind, "ModifiedEvent");
    assert_eq!(
        events.previous_watermark.as_deref(),
        Some(watermark.as_str())
    );
    let after = events.last_watermark().unwrap().to_string();
    assert_ne!(after, watermark);
    // An old watermark is refused.
    assert!(
        client
            .get_events(&subscription.id, &watermark)
            .await
            .is_err()
    );
    client.unsubscribe(&subscription.id).await.unwrap();
    assert_eq!(server.subscription_count(), 0);
    let error = client
        .get_events(&subscription.id, &after)
        .await
        .unwrap_err();
    assert_eq!(
        SubscriptionLost::of(&error),
        Some(SubscriptionLost::NotFound)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buffering_proxy_lets_nothing_through_until_the_answer_ends() {
    let server = server(AuthMode::Basic).await;
    server.set_buffering_proxy(true);
    let client = client(&server, false);
    let (_subscription, mut stream) = streaming(&client, 30).await;
    let mailbox = server.mailbox(ROOM).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 12, 7, 11, 0, 0).unwrap();
    mailbox.add(CalendarItem::new(
        "Held back",
        start,
        start + chrono::Duration::hours(1),
    ));
    // The change was made; the proxy holds it (and the keep-alive) back.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), stream.next())
            .await
            .is_err(),
        "nothing passes a buffering proxy"
    );
    server.close_streams();
    let mut envelopes = Vec::new();
    while let Some(envelope) = tokio::time::timeout(GENEROUS, stream.next()).await.unwrap() {
        envelopes.push(envelope.unwrap());
    }
    assert_eq!(
        envelopes.len(),
        3,
        "keep-alive, the change, Closed: all at the end"
    );
    assert!(envelopes[1].has_changes());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_server_says_how_long_to_wait() {
    let server = server(AuthMode::Basic).await;
    server.inject_on(
        "Subscribe",
        Fault::ServerBusy { back_off_ms: 2500 },
        Times::Once,
    );
    let client = client(&server, false);
    let error = client
        .subscribe(&SubscriptionKind::Streaming)
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_millis(2500)));
    client
        .subscribe(&SubscriptionKind::Streaming)
        .await
        .unwrap();
}
