//! Why an update did not go ahead, in words an IT admin can act on: what is wrong, then
//! the fix. The words are phrases (`words::Phrase`): the command line and the logs print
//! their English, the admin screen shows them in its language.

use crate::words::{Phrase, Wording};

/// A failed update step.
#[derive(Debug)]
pub enum UpdateError {
    /// No RAUC on the D-Bus (a desktop, or a device image without it): nothing changes.
    NotAvailable { detail: String },
    /// RAUC refused or failed the installation: what and the fix, from its LastError
    /// (`update::words::explain`).
    Refused { words: Wording },
    /// The bundle could not be fetched.
    Download { url: String, detail: String },
    /// The bundle is not the one the admin named.
    Checksum { expected: String, actual: String },
    /// Not enough room for the download.
    NoSpace {
        dir: String,
        needed_mb: u64,
        free_mb: u64,
    },
    /// A local problem (a file, the D-Bus connection breaking mid-way), shown as it is.
    Local(String),
}

impl UpdateError {
    /// What is wrong and the fix, as phrases.
    pub fn wording(&self) -> Wording {
        match self {
            UpdateError::NotAvailable { detail } => {
                Wording::phrase(Phrase::UpdateNotAvailable, [detail])
                    .then(Phrase::UpdateNotAvailableFix.into())
            }
            UpdateError::Refused { words } => words.clone(),
            UpdateError::Download { url, detail } => {
                Wording::phrase(Phrase::UpdateDownloadFailed, [url, detail])
            }
            UpdateError::Checksum { expected, actual } => {
                Wording::phrase(Phrase::UpdateWrongChecksum, [actual, expected])
                    .then(Phrase::UpdateWrongChecksumFix.into())
            }
            UpdateError::NoSpace {
                dir,
                needed_mb,
                free_mb,
            } => Wording::phrase(
                Phrase::UpdateNoSpace,
                [needed_mb.to_string(), dir.clone(), free_mb.to_string()],
            )
            .then(Phrase::UpdateNoSpaceFix.into()),
            UpdateError::Local(text) => Wording::verbatim(text.as_str()),
        }
    }
}

impl std::fmt::Display for UpdateError {
    /// The wording in English.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.wording().english())
    }
}

impl std::error::Error for UpdateError {}
