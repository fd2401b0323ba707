//! How an EWS failure becomes the sync's [`SourceError`]: its kind (sign-in,
//! permission, throttling, offline …) and the admin's explanation and fix.

use crate::ews::{ErrorContext, EwsError};
use crate::sync::source::{FailureKind, SourceError};

/// Sorts an EWS failure into what the admin needs to know, with the EWS module's own
/// explanation and fix.
pub fn source_error(err: &EwsError, context: &ErrorContext) -> SourceError {
    let kind = match err {
        EwsError::Unauthorized { .. } | EwsError::Ntlm { .. } => FailureKind::SignInFailed,
        EwsError::ImpersonateUserDenied
        | EwsError::AccessDenied
        | EwsError::NonExistentMailbox
        | EwsError::Forbidden => FailureKind::PermissionDenied,
        EwsError::ServerBusy { .. }
        | EwsError::TooManyObjectsOpened
        | EwsError::ServiceUnavailable { .. } => FailureKind::Throttled {
            retry_after: err.retry_after(),
        },
        EwsError::Tls { .. }
        | EwsError::Connect { .. }
        | EwsError::Timeout
        | EwsError::Network { .. } => FailureKind::Offline,
        EwsError::InsecureUrl { .. } | EwsError::InvalidConfig { .. } => FailureKind::Misconfigured,
        _ => FailureKind::ServerError,
    };
    SourceError::explained(kind, err, context)
}
