//! Writes a GetStreamingEvents answer as Exchange does: HTTP 200, chunked, one whole
//! SOAP envelope per chunk — a keep-alive (`ConnectionStatus` OK) at once and then
//! every `keep_alive`, the subscription's events as they happen, and
//! `ConnectionStatus` Closed when the ConnectionTimeout ends or a test closes the
//! streams. A lost subscription ends the answer with its error. Behind a buffering
//! proxy nothing reaches the client until the answer has ended.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::{Instant, sleep_until};

use super::http::HttpResponse;
use super::ops::subscriptions::{StreamPlan, events_xml};
use super::soap::write::{error_message, response_envelope, success_message, text};
use super::state::{ServerState, lock};

/// Writes the answer; returns the body bytes sent.
pub async fn serve_stream<S: AsyncWrite + Unpin>(
    stream: &mut S,
    plan: StreamPlan,
    state: Arc<Mutex<ServerState>>,
) -> io::Result<usize> {
    let head = HttpResponse::new(200, Some("text/xml; charset=utf-8"), Vec::new());
    let mut head = super::http_wire::response_head(200, &head.headers);
    head.push_str("Transfer-Encoding: chunked\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.flush().await?;

    let (wake, generation, keep_alive, buffering) = {
        let state = lock(&state);
        let subscriptions = &state.subscriptions;
        (
            subscriptions.wake.clone(),
            subscriptions.close_generation,
            subscriptions.keep_alive,
            subscriptions.buffering_proxy,
        )
    };
    let ends_at = Instant::now() + Duration::from_secs(u64::from(plan.minutes) * 60);
    let mut writer = ChunkWriter {
        buffering,
        buffered: Vec::new(),
        sent: 0,
    };
    writer
        .envelope(stream, &state, &plan, &status_message("OK"))
        .await?;
    let mut next_keep_alive = Instant::now() + keep_alive;
    loop {
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let (message, done) = {
            let mut state = lock(&state);
            let subscriptions = &mut state.subscriptions;
            if subscriptions.close_generation != generation {
                (Some(status_message("Closed")), true)
            } else {
                match subscriptions.take(&plan.subscription_id) {
                    Err(code) => (Some(lost_message(code, &plan.subscription_id)), true),
                    Ok(events) if events.is_empty() => (None, false),
                    Ok(events) => {
                        let xml = events_xml(subscriptions, &plan.subscription_id, &events);
                        let notification = format!(
                            "<m:Notifications><m:Notification><t:SubscriptionId>{}</t:SubscriptionId>{xml}</m:Notification></m:Notifications>",
                            text(&plan.subscription_id)
                        );
                        (
                            Some(success_message("GetStreamingEvents", &notification)),
                            false,
                        )
                    }
                }
            }
        };
        if let Some(message) = message {
            writer.envelope(stream, &state, &plan, &message).await?;
        }
        if done {
            break;
        }
        tokio::select! {
            _ = &mut notified => {}
            _ = sleep_until(next_keep_alive) => {
                writer.envelope(stream, &state, &plan, &status_message("OK")).await?;
                next_keep_alive += keep_alive;
            }
            _ = sleep_until(ends_at) => {
                writer.envelope(stream, &state, &plan, &status_message("Closed")).await?;
                break;
            }
        }
    }
    writer.finish(stream).await
}

fn status_message(status: &str) -> String {
    success_message(
        "GetStreamingEvents",
        &format!("<m:ConnectionStatus>{status}</m:ConnectionStatus>"),
    )
}

fn lost_message(code: &str, id: &str) -> String {
    error_message(
        "GetStreamingEvents",
        code,
        "The subscription can no longer be used.",
        &format!(
            "<m:ErrorSubscriptionIds><t:SubscriptionId>{}</t:SubscriptionId></m:ErrorSubscriptionIds>",
            text(id)
        ),
    )
}

/// Sends each envelope as a chunk, or holds them all (a buffering proxy).
struct ChunkWriter {
    buffering: bool,
    buffered: Vec<u8>,
    sent: usize,
}

impl ChunkWriter {
    async fn envelope<S: AsyncWrite + Unpin>(
        &mut self,
        stream: &mut S,
        state: &Arc<Mutex<ServerState>>,
        plan: &StreamPlan,
        message: &str,
    ) -> io::Result<()> {
        let envelope = response_envelope(plan.version, "GetStreamingEvents", message);
        lock(state).subscriptions.stream_bytes += envelope.len() as u64;
        if self.buffering {
            self.buffered.extend_from_slice(envelope.as_bytes());
            return Ok(());
        }
        self.chunk(stream, envelope.as_bytes()).await
    }

    async fn chunk<S: AsyncWrite + Unpin>(
        &mut self,
        stream: &mut S,
        bytes: &[u8],
    ) -> io::Result<()> {
        stream
            .write_all(format!("{:x}\r\n", bytes.len()).as_bytes())
            .await?;
        stream.write_all(bytes).await?;
        stream.write_all(b"\r\n").await?;
        stream.flush().await?;
        self.sent += bytes.len();
        Ok(())
    }

    async fn finish<S: AsyncWrite + Unpin>(mut self, stream: &mut S) -> io::Result<usize> {
        if !self.buffered.is_empty() {
            let buffered = std::mem::take(&mut self.buffered);
            self.chunk(stream, &buffered).await?;
        }
        stream.write_all(b"0\r\n\r\n").await?;
        stream.flush().await?;
        Ok(self.sent)
    }
}
