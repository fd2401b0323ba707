//! The calendar source the sync task reads: EWS, Graph or the demo, behind one trait, with
//! errors already sorted into what the admin needs to know.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::calendar::Meeting;
use crate::words::{Explained, Wording};

/// What kind of failure a source met: decides the status shown and the retry policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The server could not be reached (DNS, connect, TLS handshake, timeout, reset).
    Offline,
    /// The credentials were refused (401, wrong or expired password or secret).
    SignInFailed,
    /// Signed in, but not allowed to read the room's calendar (impersonation, scope).
    PermissionDenied,
    /// The server asked us to wait (ErrorServerBusy, 429, 503 with Retry-After).
    Throttled { retry_after: Option<Duration> },
    /// The server failed or answered something unreadable (5xx, HTML page, truncated XML).
    ServerError,
    /// The console's own storage failed (disk full, damaged file): the cache is kept.
    Storage,
    /// The settings cannot work (no URL, missing secret…): retrying will not help.
    Misconfigured,
}

/// A failure, in the admin's words: what happened and how to fix it, as phrases with
/// their arguments (English with `to_string`, the screen's language on the screens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub kind: FailureKind,
    /// What happened, e.g. "mailboxservice@contoso.com may not impersonate confrm2@contoso.com".
    pub message: Wording,
    /// How the admin fixes it, when there is a known fix.
    pub fix: Option<Wording>,
}

impl SourceError {
    /// A failure of `kind`; a `String` message is shown verbatim (untranslated).
    pub fn new(kind: FailureKind, message: impl Into<Wording>) -> Self {
        SourceError {
            kind,
            message: message.into(),
            fix: None,
        }
    }

    /// A failure of `kind` in the words of `err` itself: what happened and its fix.
    pub(crate) fn explained<E: Explained>(
        kind: FailureKind,
        err: &E,
        context: &E::Context,
    ) -> Self {
        SourceError {
            kind,
            message: err.wording(context),
            fix: err.fix_wording(context),
        }
    }

    pub(crate) fn with_fix(mut self, fix: impl Into<Wording>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " Fix: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

/// What the cheap change check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeCheck {
    /// Whether anything changed since the state passed in (always true without a state).
    pub changed: bool,
    /// The state to pass next time (EWS SyncState, Graph deltaLink), kept whole.
    pub state: Option<String>,
    /// What the check's answers already said about the window, when they carried it
    /// (Graph delta pages carry whole events): the pass then skips the listing.
    pub carried: Option<Carried>,
}

/// The window as a change check's answers told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// Every meeting overlapping [from, to) (a first round over the window).
    Window {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        items: Vec<ItemVersion>,
    },
    /// What changed since the state passed in: meetings added or modified, and the ids
    /// of meetings deleted or moved out of the window.
    Changes {
        changed: Vec<ItemVersion>,
        removed: Vec<String>,
    },
}

/// One meeting's identity and version, as a window listing returns it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemVersion {
    pub id: String,
    pub change_key: Option<String>,
}

/// A calendar backend, as the sync task uses it.
pub trait CalendarSource: Send + Sync {
    /// The cheap check: did anything change since `state`? (EWS SyncFolderItems with
    /// IdOnly; a state the server rejects means "changed", with a fresh state.)
    fn check_changes(
        &self,
        state: Option<&str>,
    ) -> impl Future<Output = Result<ChangeCheck, SourceError>> + Send;

    /// The ids and change keys of every meeting overlapping the window.
    fn list_window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<ItemVersion>, SourceError>> + Send;

    /// The full meetings for `ids` (join links and private handling already applied).
    fn fetch(
        &self,
        ids: &[ItemVersion],
    ) -> impl Future<Output = Result<Vec<Meeting>, SourceError>> + Send;

    /// A short description of the server for status (e.g. "Exchange 2019 CU14 (15.2.1544.4)").
    fn server_description(&self) -> Option<String> {
        None
    }
}
