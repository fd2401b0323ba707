//! The listener against a scripted server on tokio's paused clock: every timing
//! (debounce, silence, back-off, fall-back) is checked to the millisecond without
//! waiting for it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::*;
use crate::clock::FixedClock;
use crate::ews::details::Details;
use crate::ews::notification::Event;

type Item = Result<StreamingEnvelope, EwsError>;

/// What the fake server was asked, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Call {
    Subscribe(&'static str),
    Open(String),
    GetEvents(String, String),
    Unsubscribe(String),
}

#[derive(Default)]
struct Script {
    calls: Vec<Call>,
    subscribe_errors: VecDeque<EwsError>,
    streams: VecDeque<mpsc::UnboundedReceiver<Item>>,
    events: VecDeque<Result<Notification, EwsError>>,
    subscriptions: u32,
    /// GetStreamingEvents never even answers (a proxy holding the whole answer).
    hang_open: bool,
}

#[derive(Clone, Default)]
struct FakeServer(Arc<Mutex<Script>>);

impl FakeServer {
    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.0.lock().unwrap()
    }

    /// The next stream opened reads what the returned sender sends.
    fn next_stream(&self) -> mpsc::UnboundedSender<Item> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.script().streams.push_back(rx);
        tx
    }

    fn calls(&self) -> Vec<Call> {
        self.script().calls.clone()
    }
}

struct FakeStream(Option<mpsc::UnboundedReceiver<Item>>);

impl EventSource for FakeStream {
    async fn next(&mut self) -> Option<Item> {
        match &mut self.0 {
            Some(rx) => rx.recv().await,
            // A proxy that holds the answer: nothing, ever.
            None => std::future::pending().await,
        }
    }
}

impl PushServer for FakeServer {
    type Stream = FakeStream;

    async fn subscribe(&self, kind: &SubscriptionKind) -> Result<Subscription, EwsError> {
        let mut script = self.script();
        let name = match kind {
            SubscriptionKind::Streaming => "streaming",
            SubscriptionKind::Pull { .. } => "pull",
        };
        script.calls.push(Call::Subscribe(name));
        if let Some(error) = script.subscribe_errors.pop_front() {
            return Err(error);
        }
        script.subscriptions += 1;
        Ok(Subscription {
            id: format!("sub-{}", script.subscriptions),
            watermark: Some("w0".into()),
        })
    }

    async fn open_stream(&self, id: &str, _minutes: u32) -> Result<FakeStream, EwsError> {
        let hang = {
            let mut script = self.script();
            script.calls.push(Call::Open(id.to_owned()));
            script.hang_open
        };
        if hang {
            std::future::pending::<()>().await;
        }
        Ok(FakeStream(self.script().streams.pop_front()))
    }

    async fn get_events(&self, id: &str, watermark: &str) -> Result<Notification, EwsError> {
        let mut script = self.script();
        script
            .calls
            .push(Call::GetEvents(id.to_owned(), watermark.to_owned()));
        script
            .events
            .pop_front()
            .unwrap_or_else(|| Ok(notification(&[("StatusEvent", watermark)])))
    }

    async fn unsubscribe(&self, id: &str) {
        self.script().calls.push(Call::Unsubscribe(id.to_owned()));
    }
}

/// What the listener told the console, with tokio's instant.
#[derive(Debug, Clone, PartialEq)]
enum Told {
    Changed,
    Resync,
    Status(PushMode, Option<String>),
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(Instant, Told)>>>);

impl Recorder {
    fn told(&self) -> Vec<(Instant, Told)> {
        self.0.lock().unwrap().clone()
    }

    fn count(&self, wanted: &Told) -> usize {
        self.told().iter().filter(|(_, t)| t == wanted).count()
    }

    fn last_mode(&self) -> Option<(PushMode, Option<String>)> {
        self.told().iter().rev().find_map(|(_, t)| match t {
            Told::Status(mode, reason) => Some((*mode, reason.clone())),
            _ => None,
        })
    }
}

impl PushOutput for Recorder {
    fn changed(&mut self) {
        self.0.lock().unwrap().push((Instant::now(), Told::Changed));
    }
    fn resync(&mut self) {
        self.0.lock().unwrap().push((Instant::now(), Told::Resync));
    }
    fn status(&mut self, status: &PushStatus) {
        let told = Told::Status(status.mode, status.reason.clone());
        let mut all = self.0.lock().unwrap();
        // Confirmations repeat the mode: keep one entry per change.
        if all
            .iter()
            .rev()
            .find(|(_, t)| matches!(t, Told::Status(..)))
            .map(|(_, t)| t)
            != Some(&told)
        {
            all.push((Instant::now(), told));
        }
    }
}

fn notification(events: &[(&str, &str)]) -> Notification {
    Notification {
        subscription_id: "sub-1".into(),
        previous_watermark: None,
        more_events: false,
        events: events
            .iter()
            .map(|(kind, watermark)| Event {
                kind: (*kind).into(),
                watermark: Some((*watermark).into()),
                item_id: Some("item".into()),
            })
            .collect(),
    }
}

fn changed() -> Item {
    Ok(StreamingEnvelope {
        notifications: vec![notification(&[("ModifiedEvent", "w")])],
        connection_status: None,
    })
}

fn keep_alive() -> Item {
    Ok(StreamingEnvelope {
        notifications: Vec::new(),
        connection_status: Some(ConnectionStatus::Open),
    })
}

fn closed() -> Item {
    Ok(StreamingEnvelope {
        notifications: Vec::new(),
        connection_status: Some(ConnectionStatus::Closed),
    })
}

fn exchange_error(code: &str) -> EwsError {
    EwsError::from_code(code, "", &Details::default())
}

fn start(server: &FakeServer) -> (Recorder, tokio::task::JoinHandle<()>) {
    let recorder = Recorder::default();
    let clock = Arc::new(FixedClock::new(chrono::DateTime::UNIX_EPOCH));
    let listener = Listener::new(
        server.clone(),
        recorder.clone(),
        LiveConfig::default(),
        clock,
    );
    (recorder, tokio::spawn(listener.run()))
}

/// Starts the listener and lets it run until it waits on something.
async fn started(server: &FakeServer) -> (Recorder, tokio::task::JoinHandle<()>) {
    let started = start(server);
    settle().await;
    started
}

/// Lets the listener run until it waits on something (time does not move).
async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_events_makes_one_wake_up_300_ms_after_the_first() {
    let server = FakeServer::default();
    let stream = server.next_stream();
    let (recorder, task) = started(&server).await;
    assert_eq!(
        recorder.last_mode().unwrap().0,
        PushMode::Polling,
        "not before it streams"
    );
    stream.send(keep_alive()).unwrap();
    settle().await;
    assert_eq!(recorder.last_mode(), Some((PushMode::Streaming, None)));
    assert_eq!(
        recorder.count(&Told::Resync),
        1,
        "a new subscription reads the window"
    );
    let first = Instant::now();
    stream.send(changed()).unwrap();
    settle().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.send(changed()).unwrap();
    stream.send(changed()).unwrap();
    settle().await;
    assert_eq!(recorder.count(&Told::Changed), 0, "debounced");
    tokio::time::sleep(Duration::from_millis(250)).await;
    let wakes: Vec<Instant> = recorder
        .told()
        .into_iter()
        .filter(|(_, t)| *t == Told::Changed)
        .map(|(at, _)| at)
        .collect();
    assert_eq!(wakes.len(), 1);
    assert_eq!(wakes[0] - first, Duration::from_millis(300));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_closed_stream_is_opened_again_at_once_on_the_same_subscription() {
    let server = FakeServer::default();
    let first = server.next_stream();
    let second = server.next_stream();
    let (recorder, task) = started(&server).await;
    first.send(keep_alive()).unwrap();
    first.send(closed()).unwrap();
    settle().await;
    second.send(changed()).unwrap();
    settle().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    settle().await;
    assert_eq!(
        server.calls(),
        vec![
            Call::Subscribe("streaming"),
            Call::Open("sub-1".into()),
            Call::Open("sub-1".into()),
        ]
    );
    assert_eq!(recorder.count(&Told::Changed), 1);
    assert_eq!(recorder.last_mode(), Some((PushMode::Streaming, None)));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn keep_alives_hold_the_stream_and_90_s_of_silence_resubscribes() {
    let server = FakeServer::default();
    let stream = server.next_stream();
    let (_recorder, task) = started(&server).await;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_secs(60)).await;
        stream.send(keep_alive()).unwrap();
        settle().await;
    }
    assert_eq!(server.calls().len(), 2, "{:?}", server.calls());
    // Then nothing: after 89 s still the same stream, at 90 s a new subscription.
    tokio::time::sleep(Duration::from_secs(89)).await;
    assert_eq!(server.calls().len(), 2);
    tokio::time::sleep(Duration::from_secs(1)).await;
    settle().await;
    assert_eq!(
        server.calls()[2..],
        [
            Call::Unsubscribe("sub-1".into()),
            Call::Subscribe("streaming"),
            Call::Open("sub-2".into()),
        ]
    );
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_buffering_proxy_makes_it_fall_back_to_pull_with_the_reason() {
    let server = FakeServer::default();
    // No stream ever brings anything (FakeStream(None)).
    {
        let mut script = server.script();
        script
            .events
            .push_back(Ok(notification(&[("StatusEvent", "w1")])));
        script.events.push_back(Ok(notification(&[
            ("CreatedEvent", "w2"),
            ("ModifiedEvent", "w3"),
        ])));
    }
    let (recorder, task) = start(&server);
    tokio::time::sleep(Duration::from_secs(3 * 90)).await;
    settle().await;
    let (mode, reason) = recorder.last_mode().unwrap();
    assert_eq!(mode, PushMode::Pull);
    let reason = reason.unwrap();
    assert!(reason.contains("proxy that buffers responses"), "{reason}");
    let subscribes: Vec<Call> = server
        .calls()
        .into_iter()
        .filter(|c| matches!(c, Call::Subscribe(_)))
        .collect();
    assert_eq!(
        subscribes,
        [
            Call::Subscribe("streaming"),
            Call::Subscribe("streaming"),
            Call::Subscribe("streaming"),
            Call::Subscribe("pull"),
        ]
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    settle().await;
    let pulls: Vec<Call> = server
        .calls()
        .into_iter()
        .filter(|c| matches!(c, Call::GetEvents(..)))
        .collect();
    assert_eq!(
        pulls,
        [
            Call::GetEvents("sub-4".into(), "w0".into()),
            Call::GetEvents("sub-4".into(), "w1".into()),
        ]
    );
    assert_eq!(
        recorder.count(&Told::Changed),
        1,
        "the second answer had changes"
    );
    // After an hour on pull, streaming is tried again.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    settle().await;
    assert!(server.calls().contains(&Call::Unsubscribe("sub-4".into())));
    assert_eq!(server.calls().last(), Some(&Call::Open("sub-5".into())));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn a_lost_subscription_is_made_again_and_the_window_read_whole() {
    for code in [
        "ErrorSubscriptionNotFound",
        "ErrorExpiredSubscription",
        "ErrorInvalidSubscription",
        "ErrorMissedNotificationEvents",
    ] {
        let server = FakeServer::default();
        let first = server.next_stream();
        let _second = server.next_stream();
        let (recorder, task) = started(&server).await;
        first.send(Err(exchange_error(code))).unwrap();
        settle().await;
        assert_eq!(
            server.calls(),
            [
                Call::Subscribe("streaming"),
                Call::Open("sub-1".into()),
                Call::Subscribe("streaming"),
                Call::Open("sub-2".into()),
            ],
            "{code}"
        );
        assert_eq!(recorder.count(&Told::Resync), 2, "{code}");
        task.abort();
    }
}

#[tokio::test(start_paused = true)]
async fn a_busy_server_is_left_alone_as_long_as_it_asks() {
    let server = FakeServer::default();
    server
        .script()
        .subscribe_errors
        .push_back(EwsError::ServerBusy {
            back_off: Some(Duration::from_millis(7_500)),
        });
    let stream = server.next_stream();
    stream.send(keep_alive()).unwrap();
    let (recorder, task) = started(&server).await;
    let (mode, reason) = recorder.last_mode().unwrap();
    assert_eq!(mode, PushMode::Polling);
    assert!(reason.unwrap().contains("ErrorServerBusy"));
    tokio::time::sleep(Duration::from_millis(7_499)).await;
    assert_eq!(server.calls().len(), 1);
    tokio::time::sleep(Duration::from_millis(1)).await;
    settle().await;
    assert_eq!(server.calls().len(), 3, "{:?}", server.calls());
    assert_eq!(recorder.last_mode(), Some((PushMode::Streaming, None)));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn other_failures_back_off_doubling_and_polling_carries_on() {
    let server = FakeServer::default();
    for _ in 0..3 {
        server
            .script()
            .subscribe_errors
            .push_back(EwsError::Connect {
                detail: "connection refused".into(),
            });
    }
    let stream = server.next_stream();
    stream.send(keep_alive()).unwrap();
    let (recorder, task) = started(&server).await;
    let subscribes = |server: &FakeServer| server.calls().len();
    assert_eq!(subscribes(&server), 1);
    for (wait, expected) in [(5, 2), (10, 3), (20, 5)] {
        tokio::time::sleep(Duration::from_secs(wait)).await;
        settle().await;
        assert_eq!(subscribes(&server), expected, "after {wait} s");
    }
    assert_eq!(recorder.last_mode(), Some((PushMode::Streaming, None)));
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn an_answer_whose_head_never_comes_counts_as_a_silent_stream() {
    let server = FakeServer::default();
    server.script().hang_open = true;
    let (recorder, task) = start(&server);
    tokio::time::sleep(Duration::from_secs(90)).await;
    settle().await;
    assert_eq!(
        server.calls()[..4],
        [
            Call::Subscribe("streaming"),
            Call::Open("sub-1".into()),
            Call::Unsubscribe("sub-1".into()),
            Call::Subscribe("streaming"),
        ]
    );
    tokio::time::sleep(Duration::from_secs(2 * 90)).await;
    settle().await;
    assert_eq!(recorder.last_mode().unwrap().0, PushMode::Pull);
    task.abort();
}
