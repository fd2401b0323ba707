//! How the console learns of calendar changes right now, for `status` and the admin
//! screen: `streaming` (EWS pushes them), `pull` (the console asks Exchange for events
//! every few seconds) or `polling` (only the sync's own polls), with the reason when it
//! is not streaming, and when the server last confirmed the console's picture.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The store key of the persisted [`PushStatus`] (JSON).
pub(crate) const PUSH_STATUS_KEY: &str = "live.push";

/// How changes reach the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushMode {
    Streaming,
    Pull,
    Polling,
}

impl PushMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PushMode::Streaming => "streaming",
            PushMode::Pull => "pull",
            PushMode::Polling => "polling",
        }
    }
}

/// Why push is not streaming, for the admin screen to word in its language (`reason`
/// has the details in English, for `status` and the logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushCause {
    /// The listener is making its first subscription.
    Starting,
    /// Streams bring nothing (a reverse proxy buffers them): pull instead.
    BufferingProxy,
    /// Exchange asked the console to wait.
    ServerBusy,
    /// A subscription or stream failed; retried with back-off.
    Failed,
    /// Microsoft 365 cannot push to a console behind NAT: adaptive polling.
    CannotPush,
}

/// The push state, as published by the live listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushStatus {
    pub mode: PushMode,
    /// Why the mode is not `streaming`, in the admin's words.
    pub reason: Option<String>,
    /// The same, as a kind the admin screen words.
    #[serde(default)]
    pub cause: Option<PushCause>,
    /// The last time the server confirmed the console was up to date (a keep-alive, a
    /// notification, or an answer to GetEvents).
    pub last_confirmed: Option<DateTime<Utc>>,
}

impl Default for PushStatus {
    fn default() -> Self {
        PushStatus {
            mode: PushMode::Polling,
            reason: Some("push is starting: subscribing to the room's calendar".into()),
            cause: Some(PushCause::Starting),
            last_confirmed: None,
        }
    }
}

impl PushStatus {
    /// Whole seconds since the last confirmation at `now`.
    pub(crate) fn confirmed_seconds_ago(&self, now: DateTime<Utc>) -> Option<i64> {
        self.last_confirmed
            .map(|at| (now - at).num_seconds().max(0))
    }

    /// Whether changes arrive by a stream that has brought something: the sync's poll
    /// is then only a safety net and may be rare. Pull, polling and a stream that never
    /// delivered (a buffering proxy) are not.
    pub fn is_healthy_stream(&self) -> bool {
        self.mode == PushMode::Streaming && self.last_confirmed.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_round_trips_through_json() {
        let status = PushStatus {
            mode: PushMode::Pull,
            reason: Some("push blocked by a proxy".into()),
            cause: Some(PushCause::BufferingProxy),
            last_confirmed: Some(DateTime::UNIX_EPOCH),
        };
        let json = serde_json::to_string(&status).unwrap();
        assert!(json.contains(r#""mode":"pull""#), "{json}");
        assert_eq!(serde_json::from_str::<PushStatus>(&json).unwrap(), status);
        let later = DateTime::UNIX_EPOCH + chrono::Duration::seconds(42);
        assert_eq!(status.confirmed_seconds_ago(later), Some(42));
    }

    #[test]
    fn only_a_stream_that_delivered_is_healthy() {
        let mut status = PushStatus {
            mode: PushMode::Streaming,
            reason: None,
            cause: None,
            last_confirmed: None,
        };
        assert!(!status.is_healthy_stream());
        status.last_confirmed = Some(DateTime::UNIX_EPOCH);
        assert!(status.is_healthy_stream());
        status.mode = PushMode::Pull;
        assert!(!status.is_healthy_stream());
    }
}
