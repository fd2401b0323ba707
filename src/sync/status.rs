//! The sync state the console shows: on the home screen's banner (short, for visitors),
//! on the admin screen and in `room-console status` (with the cause and the fix). Kept in
//! the store so it survives a restart.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::{FailureKind, SourceError};
use crate::words::Wording;

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
    pub(crate) fn of_failure(
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

/// The last error, kept with its fix as phrases and their arguments, so the screens show
/// it in their language and a changed phrase changes what a stored error says.
///
/// In JSON (the stored status, `status --json`, the fleet's health) `message` and `fix`
/// are the English, for readers outside the console and for an older build after a
/// rollback; `words` holds the phrases, and is what this build reads back. A status an
/// older build stored has no `words`: its English is then shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "StoredError", from = "StoredError")]
pub struct LastError {
    pub at: DateTime<Utc>,
    pub message: Wording,
    pub fix: Option<Wording>,
}

/// [`LastError`] as JSON.
#[derive(Serialize, Deserialize)]
struct StoredError {
    at: DateTime<Utc>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    fix: Option<String>,
    /// Absent before phrases were stored; unreadable (a phrase of a newer build) counts
    /// as absent.
    #[serde(default, deserialize_with = "words_if_readable")]
    words: Option<StoredWords>,
}

#[derive(Serialize, Deserialize)]
struct StoredWords {
    message: Wording,
    fix: Option<Wording>,
}

fn words_if_readable<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<StoredWords>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

impl From<LastError> for StoredError {
    fn from(error: LastError) -> StoredError {
        StoredError {
            at: error.at,
            message: error.message.english(),
            fix: error.fix.as_ref().map(Wording::english),
            words: Some(StoredWords {
                message: error.message,
                fix: error.fix,
            }),
        }
    }
}

impl From<StoredError> for LastError {
    fn from(stored: StoredError) -> LastError {
        let (message, fix) = match stored.words {
            Some(words) => (words.message, words.fix),
            None => (
                Wording::verbatim(stored.message),
                stored.fix.map(Wording::verbatim),
            ),
        };
        LastError {
            at: stored.at,
            message,
            fix,
        }
    }
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
    pub(crate) fn is_degraded(&self) -> bool {
        !matches!(self.state, SyncState::Ok | SyncState::FirstSync)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::Phrase;

    #[test]
    fn the_last_error_is_stored_as_phrases_with_its_english_beside_them() {
        let error = LastError {
            at: "2026-12-05T09:55:00Z".parse().expect("instant"),
            message: Wording::phrase(Phrase::EwsSignInFailed, ["svc@contoso.com"]),
            fix: Some(Wording::phrase(Phrase::GraphTlsFix, Vec::<String>::new())),
        };
        let json = serde_json::to_value(&error).expect("serializes");
        assert_eq!(json["message"], error.message.english());
        assert_eq!(
            json["words"]["message"][0],
            serde_json::json!({"phrase": "EwsSignInFailed", "args": ["svc@contoso.com"]})
        );
        // Read back from the words, not the English.
        let mut edited = json.clone();
        edited["message"] = "stale English".into();
        let read: LastError = serde_json::from_value(edited).expect("reads");
        assert_eq!(read, error);
    }

    #[test]
    fn a_status_stored_by_an_older_build_shows_its_english_as_it_is() {
        let old = r#"{"state":"offline","last_success":null,"last_attempt":null,
            "last_error":{"at":"2026-12-03T08:00:00Z","message":"Cannot connect to x.","fix":"Check it."},
            "server":null}"#;
        let status: SyncStatus = serde_json::from_str(old).expect("an old status reads");
        let error = status.last_error.expect("kept");
        assert_eq!(error.message, Wording::verbatim("Cannot connect to x."));
        assert_eq!(error.fix, Some(Wording::verbatim("Check it.")));
    }

    #[test]
    fn words_of_a_newer_build_fall_back_to_their_english() {
        let newer = serde_json::json!({
            "at": "2026-12-03T08:00:00Z",
            "message": "Something new happened.",
            "fix": null,
            "words": {"message": [{"phrase": "SomethingNew", "args": []}], "fix": null},
        });
        let error: LastError = serde_json::from_value(newer).expect("reads");
        assert_eq!(error.message, Wording::verbatim("Something new happened."));
    }
}
