//! The live listener: keeps a streaming subscription on the room's calendar open and
//! turns its notifications into "sync now" wake-ups of the sync task, ≈300 ms after the
//! first event of a burst (one change fires several events). It re-issues
//! GetStreamingEvents when the server closes the answer, makes a new subscription (and
//! asks for a full window read) when Exchange says the old one is gone, backs off when
//! Exchange is busy, and when streams stay silent (a proxy that buffers answers, a dead
//! connection) falls back to a pull subscription, and from there to the sync's plain
//! polling, always saying why. Polling by the sync task stays the safety net: the
//! listener only ever makes the console faster.
//!
//! All waiting is on tokio's clock (paused in the tests); instants shown to the admin
//! come from the injected [`Clock`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::{Instant, sleep, sleep_until, timeout};

use super::push_status::{PushCause, PushMode, PushStatus};
use crate::clock::Clock;
use crate::ews::EwsError;
use crate::ews::get_streaming_events::{ConnectionStatus, StreamingEnvelope};
use crate::ews::notification::{Notification, SubscriptionLost};
use crate::ews::subscribe::{PULL_TIMEOUT_MINUTES, Subscription, SubscriptionKind};

/// The Exchange operations the listener uses (the EWS client; a fake in unit tests).
pub trait PushServer: Send + Sync {
    type Stream: EventSource;
    fn subscribe(
        &self,
        kind: &SubscriptionKind,
    ) -> impl Future<Output = Result<Subscription, EwsError>> + Send;
    fn open_stream(
        &self,
        subscription_id: &str,
        timeout_minutes: u32,
    ) -> impl Future<Output = Result<Self::Stream, EwsError>> + Send;
    fn get_events(
        &self,
        subscription_id: &str,
        watermark: &str,
    ) -> impl Future<Output = Result<Notification, EwsError>> + Send;
    fn unsubscribe(&self, subscription_id: &str) -> impl Future<Output = ()> + Send;
}

/// An open GetStreamingEvents answer.
pub trait EventSource: Send {
    /// The next envelope; None when the answer ended. Must be cancel-safe.
    fn next(&mut self) -> impl Future<Output = Option<Result<StreamingEnvelope, EwsError>>> + Send;
}

/// What the listener tells the rest of the console.
pub trait PushOutput: Send {
    /// Something changed: run a sync pass now.
    fn changed(&mut self);
    /// Events may have been missed (a new subscription): read the whole window, now.
    fn resync(&mut self);
    /// The push state changed or was confirmed.
    fn status(&mut self, status: &PushStatus);
}

/// The listener's timings.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// GetStreamingEvents' ConnectionTimeout, in minutes (1 to 30).
    pub connection_minutes: u32,
    /// A stream with nothing at all for this long is dropped (Exchange sends a
    /// keep-alive well within it).
    pub silence: Duration,
    /// Events within this time of the first one make one wake-up.
    pub debounce: Duration,
    /// Silent streams in a row before falling back to pull.
    pub silent_streams_before_pull: u32,
    /// How often a pull subscription is asked for events.
    pub pull_interval: Duration,
    /// How long to stay on pull before trying streaming again.
    pub retry_streaming_after: Duration,
    /// The first wait after a failure; it doubles up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// The time limit of an Unsubscribe for a stream that was given up.
    pub unsubscribe_timeout: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            connection_minutes: 30,
            silence: Duration::from_secs(90),
            debounce: Duration::from_millis(300),
            silent_streams_before_pull: 3,
            pull_interval: Duration::from_secs(10),
            retry_streaming_after: Duration::from_secs(3600),
            min_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(300),
            unsubscribe_timeout: Duration::from_secs(10),
        }
    }
}

/// What to do after a subscription ended.
#[derive(Debug)]
enum Next {
    /// Make a new subscription of the same kind now.
    Resubscribe,
    /// Streams keep going silent: use pull, for this reason.
    FallBackToPull(String),
    /// Pull has run its time: try streaming again.
    RetryStreaming,
    /// Push is paused for this long (the sync's polling carries on), for this reason.
    Wait(Duration, PushCause, String),
}

/// How one GetStreamingEvents answer ended.
#[derive(Debug)]
enum StreamEnd {
    /// `ConnectionStatus` Closed, or the answer ended after delivering something.
    Closed,
    /// Nothing arrived for `LiveConfig::silence`.
    Silent,
    Lost(SubscriptionLost),
    Failed(EwsError),
}

/// The live listener of one room.
pub struct Listener<S, O> {
    server: S,
    output: O,
    config: LiveConfig,
    clock: Arc<dyn Clock>,
    status: PushStatus,
    silent_streams: u32,
    failures: u32,
}

impl<S: PushServer, O: PushOutput> Listener<S, O> {
    pub fn new(server: S, output: O, config: LiveConfig, clock: Arc<dyn Clock>) -> Self {
        Listener {
            server,
            output,
            config,
            clock,
            status: PushStatus::default(),
            silent_streams: 0,
            failures: 0,
        }
    }

    /// Runs for ever (until the task is dropped).
    pub async fn run(mut self) {
        self.output.status(&self.status);
        let mut pull_reason: Option<String> = None;
        loop {
            let next = match &pull_reason {
                None => self.streaming().await,
                Some(reason) => self.pulling(reason.clone()).await,
            };
            match next {
                Next::Resubscribe => {}
                Next::FallBackToPull(reason) => {
                    tracing::warn!("push falls back to pull: {reason}");
                    pull_reason = Some(reason);
                }
                Next::RetryStreaming => {
                    self.silent_streams = 0;
                    pull_reason = None;
                }
                Next::Wait(wait, cause, reason) => {
                    tracing::warn!(retry_in = ?wait, "push paused: {reason}");
                    self.set_mode(PushMode::Polling, Some((cause, reason)));
                    sleep(wait).await;
                }
            }
        }
    }

    /// One streaming subscription, its answers re-issued until it ends.
    async fn streaming(&mut self) -> Next {
        let subscription = match self.server.subscribe(&SubscriptionKind::Streaming).await {
            Ok(subscription) => subscription,
            Err(error) => return self.failed(&error, "cannot subscribe"),
        };
        // Whatever changed before the subscription existed is read by a full pass.
        self.output.resync();
        loop {
            let opened = timeout(
                self.config.silence,
                self.server
                    .open_stream(&subscription.id, self.config.connection_minutes),
            )
            .await;
            let end = match opened {
                Ok(Ok(mut stream)) => self.read_stream(&mut stream).await,
                Ok(Err(error)) => return self.lost_or_failed(error),
                // A proxy holding even the answer's head.
                Err(_) => StreamEnd::Silent,
            };
            match end {
                StreamEnd::Closed => {
                    tracing::debug!("the server closed the stream; opening it again");
                }
                StreamEnd::Silent => {
                    self.give_up(&subscription.id).await;
                    self.silent_streams += 1;
                    let silence = self.config.silence.as_secs();
                    if self.silent_streams >= self.config.silent_streams_before_pull {
                        return Next::FallBackToPull(format!(
                            "push blocked by a proxy that buffers responses: {} streams in a row brought nothing for {silence} s (not even Exchange's keep-alives); check that the reverse proxy or load balancer in front of Exchange passes chunked answers through unbuffered",
                            self.silent_streams
                        ));
                    }
                    tracing::warn!("nothing on the stream for {silence} s; subscribing again");
                    return Next::Resubscribe;
                }
                StreamEnd::Lost(why) => {
                    tracing::info!(?why, "the subscription is gone; subscribing again");
                    return Next::Resubscribe;
                }
                StreamEnd::Failed(error) => {
                    self.give_up(&subscription.id).await;
                    return self.failed(&error, "the stream broke off");
                }
            }
        }
    }

    /// Reads one answer until it ends. Push counts as streaming from its first
    /// envelope on.
    async fn read_stream(&mut self, stream: &mut S::Stream) -> StreamEnd {
        let mut delivered = false;
        let mut wake_at: Option<Instant> = None;
        let mut silent_until = Instant::now() + self.config.silence;
        let end = loop {
            let debounce = async {
                match wake_at {
                    Some(at) => sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                envelope = stream.next() => {
                    let envelope = match envelope {
                        None if delivered => break StreamEnd::Closed,
                        None => break StreamEnd::Failed(EwsError::TruncatedBody),
                        Some(Err(error)) => match SubscriptionLost::of(&error) {
                            Some(why) => break StreamEnd::Lost(why),
                            None => break StreamEnd::Failed(error),
                        },
                        Some(Ok(envelope)) => envelope,
                    };
                    if !delivered {
                        delivered = true;
                        self.silent_streams = 0;
                        self.failures = 0;
                        self.set_mode(PushMode::Streaming, None);
                    }
                    silent_until = Instant::now() + self.config.silence;
                    self.confirm();
                    if envelope.has_changes() && wake_at.is_none() {
                        wake_at = Some(Instant::now() + self.config.debounce);
                    }
                    if envelope.connection_status == Some(ConnectionStatus::Closed) {
                        break StreamEnd::Closed;
                    }
                }
                _ = debounce => {
                    wake_at = None;
                    self.output.changed();
                }
                _ = sleep_until(silent_until) => break StreamEnd::Silent,
            }
        };
        if wake_at.is_some() {
            self.output.changed();
        }
        end
    }

    /// A pull subscription, asked every `pull_interval`, until it is time to try
    /// streaming again.
    async fn pulling(&mut self, reason: String) -> Next {
        let kind = SubscriptionKind::Pull {
            watermark: None,
            timeout_minutes: PULL_TIMEOUT_MINUTES,
        };
        let subscription = match self.server.subscribe(&kind).await {
            Ok(subscription) => subscription,
            Err(error) => return self.failed(&error, "cannot make a pull subscription"),
        };
        let Some(mut watermark) = subscription.watermark.clone() else {
            let error = EwsError::UnexpectedResponse {
                detail: "a pull subscription came without a watermark".into(),
            };
            return self.failed(&error, "cannot make a pull subscription");
        };
        self.output.resync();
        self.failures = 0;
        self.set_mode(PushMode::Pull, Some((PushCause::BufferingProxy, reason)));
        let until = Instant::now() + self.config.retry_streaming_after;
        loop {
            if Instant::now() >= until {
                self.give_up(&subscription.id).await;
                return Next::RetryStreaming;
            }
            let notification = match self.server.get_events(&subscription.id, &watermark).await {
                Ok(notification) => notification,
                Err(error) => return self.lost_or_failed(error),
            };
            self.confirm();
            if let Some(last) = notification.last_watermark() {
                watermark = last.to_owned();
            }
            if notification.has_changes() {
                self.output.changed();
            }
            if !notification.more_events {
                sleep(self.config.pull_interval).await;
            }
        }
    }

    /// A lost subscription means a new one at once, and so does an EWS URL that is
    /// gone (the new Subscribe asks Autodiscover again); anything else is a failure.
    fn lost_or_failed(&mut self, error: EwsError) -> Next {
        match SubscriptionLost::of(&error) {
            Some(why) => {
                tracing::info!(?why, "the subscription is gone; subscribing again");
                Next::Resubscribe
            }
            None if error.endpoint_gone() && self.failures == 0 => {
                tracing::info!("the EWS URL does not answer ({error}); subscribing again");
                self.failures = 1;
                Next::Resubscribe
            }
            None => self.failed(&error, "the subscription failed"),
        }
    }

    /// Waits as Exchange asks when it is busy, else backs off, doubling.
    fn failed(&mut self, error: &EwsError, what: &str) -> Next {
        self.failures = self.failures.saturating_add(1);
        let (wait, cause) = match error {
            EwsError::ServerBusy { back_off } => (
                back_off.unwrap_or(self.config.min_backoff),
                PushCause::ServerBusy,
            ),
            _ => {
                let doubling = 1u32 << self.failures.saturating_sub(1).min(16);
                let wait = (self.config.min_backoff * doubling).min(self.config.max_backoff);
                (wait, PushCause::Failed)
            }
        };
        let reason = format!(
            "{what}: {error}; push is tried again in {} s, the calendar is polled meanwhile",
            wait.as_secs().max(1)
        );
        Next::Wait(wait, cause, reason)
    }

    /// Ends a subscription given up on, without waiting long for it.
    async fn give_up(&self, subscription_id: &str) {
        let _ = timeout(
            self.config.unsubscribe_timeout,
            self.server.unsubscribe(subscription_id),
        )
        .await;
    }

    fn confirm(&mut self) {
        self.status.last_confirmed = Some(self.clock.now());
        self.output.status(&self.status);
    }

    fn set_mode(&mut self, mode: PushMode, why: Option<(PushCause, String)>) {
        let (cause, reason) = why.unzip();
        if self.status.mode != mode || self.status.reason != reason {
            tracing::info!(mode = mode.as_str(), reason = reason.as_deref(), "push");
            self.status.mode = mode;
            self.status.reason = reason;
            self.status.cause = cause;
            self.output.status(&self.status);
        }
    }
}

#[cfg(test)]
mod tests;
