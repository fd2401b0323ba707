//! Why an update did not go ahead, in words an IT admin can act on: what is wrong, then
//! the fix.

use thiserror::Error;

/// A failed update step.
#[derive(Debug, Error)]
pub enum UpdateError {
    /// No RAUC on the D-Bus (a desktop, or a device image without it): nothing changes.
    #[error(
        "updates are not available on this system: the RAUC update service is not on the \
         D-Bus ({detail}). On a console, check that rauc-service is installed and running \
         (systemctl status rauc)"
    )]
    NotAvailable { detail: String },
    /// RAUC refused or failed the installation; `what` and `fix` come from its LastError.
    #[error("the update was not installed: {what}. Fix: {fix}")]
    Refused { what: String, fix: String },
    /// The bundle could not be fetched.
    #[error("cannot download the update from {url}: {detail}")]
    Download { url: String, detail: String },
    /// The bundle is not the one the admin named.
    #[error(
        "the update file is not the expected one: its SHA-256 is {actual}, not {expected}. \
         Fix: download it again, or check the checksum you were given"
    )]
    Checksum { expected: String, actual: String },
    /// Not enough room for the download.
    #[error(
        "not enough free space for the update: it needs {needed_mb} MB in {dir}, {free_mb} MB \
         are free. Fix: free space there, or install from a USB stick with \
         `room-console update /media/…/bundle.raucb`"
    )]
    NoSpace {
        dir: String,
        needed_mb: u64,
        free_mb: u64,
    },
    /// A local problem (a file, the D-Bus connection breaking mid-way).
    #[error("{0}")]
    Local(String),
}
