//! The sync state the console shows: on the home screen's banner (short, for visitors),
//! on the admin screen and in `room-console status` (with the cause and the fix). Kept in
//! the store so it survives a restart.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::{FailureKind, SourceError};

/// Where the sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// No sync has finished yet.
    FirstSync,
    Ok,
    Offline,
    SignInFailed,
    PermissionDenied,
    Throttled {
        until: DateTime<Utc>,
    },
    ServerError,
    StorageError,
    Misconfigured,
}

impl SyncState {
    /// The state for a failure of `kind` at `now`, retried after `retry_in`.
    pub fn of_failure(
        kind: &FailureKind,
        now: DateTime<Utc>,
        retry_in: std::time::Duration,
    ) -> Self {
        match kind {
            FailureKind::Offline => SyncState::Offline,
            FailureKind::SignInFailed => SyncState::SignInFailed,
            FailureKind::PermissionDenied => SyncState::PermissionDenied,
            FailureKind::Throttled { .. } => SyncState::Throttled {
                until: now + chrono::Duration::from_std(retry_in).unwrap_or_default(),
            },
            FailureKind::ServerError => SyncState::ServerError,
            FailureKind::Storage => SyncState::StorageError,
            FailureKind::Misconfigured => SyncState::Misconfigured,
        }
    }

    /// A few words for the state, as `status` prints it.
    pub fn label(&self) -> String {
        match self {
            SyncState::FirstSync => "first sync…".into(),
            SyncState::Ok => "ok".into(),
            SyncState::Offline => "offline".into(),
            SyncState::SignInFailed => "sign-in failed".into(),
            SyncState::PermissionDenied => "permission denied".into(),
            SyncState::Throttled { until } => format!("throttled until {}", until.to_rfc3339()),
            SyncState::ServerError => "server error".into(),
            SyncState::StorageError => "cannot write the agenda cache".into(),
            SyncState::Misconfigured => "settings incomplete".into(),
        }
    }
}

/// The last error, kept with its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastError {
    pub at: DateTime<Utc>,
    pub message: String,
    pub fix: Option<String>,
}

/// Everything known about the sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncStatus {
    #[serde(flatten)]
    pub state: SyncState,
    pub last_success: Option<DateTime<Utc>>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_error: Option<LastError>,
    /// The server's description (e.g. its Exchange version), when known.
    pub server: Option<String>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            state: SyncState::FirstSync,
            last_success: None,
            last_attempt: None,
            last_error: None,
            server: None,
        }
    }
}

impl SyncStatus {
    /// Records a successful pass at `now`.
    pub fn succeeded(&mut self, now: DateTime<Utc>, server: Option<String>) {
        self.state = SyncState::Ok;
        self.last_success = Some(now);
        self.last_attempt = Some(now);
        if server.is_some() {
            self.server = server;
        }
    }

    /// Records a failed pass at `now`, to be retried after `retry_in`.
    pub fn failed(
        &mut self,
        now: DateTime<Utc>,
        error: &SourceError,
        retry_in: std::time::Duration,
    ) {
        self.state = SyncState::of_failure(&error.kind, now, retry_in);
        self.last_attempt = Some(now);
        self.last_error = Some(LastError {
            at: now,
            message: error.message.clone(),
            fix: error.fix.clone(),
        });
    }

    /// Whether the home screen should tell visitors the agenda may be out of date.
    pub fn is_degraded(&self) -> bool {
        !matches!(self.state, SyncState::Ok | SyncState::FirstSync)
    }
}
