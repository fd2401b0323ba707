//! Why a provisioning file was not applied, in words for the admin who wrote it.

use std::io;
use std::path::PathBuf;

use crate::settings::files::SettingsError;

/// Why a provisioning file was not applied. Nothing on disk changed when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("cannot read the provisioning file {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{file} is {size} bytes; a provisioning file may be at most 1 MiB")]
    TooLarge { file: String, size: u64 },
    /// The file's content is wrong: not XML, an unknown element, a bad value, or a
    /// setting the chosen calendar source needs is missing.
    #[error("{file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Invalid {
        /// The file's name, as admins see it in the message.
        file: String,
        /// The line the problem is on, when it is on one.
        line: Option<usize>,
        /// The element's path, such as `RoomConsoleSettings/Calendar/EwsUrl`.
        element: Option<String>,
        /// What is wrong, starting with the element: `<EwsUrl> must …`.
        message: String,
    },
    /// The console's current settings could not be read, so there is nothing safe to
    /// apply the file on top of.
    #[error("the provisioning file was not applied: {0}")]
    CurrentSettings(SettingsError),
    /// Writing the new settings failed; the old settings and secrets are still in place.
    #[error("the provisioning file was not applied: {0}")]
    Save(SettingsError),
}

impl ProvisionError {
    /// Whether the file itself is at fault (and should be set aside), rather than the
    /// device (a read or write error that may go away).
    pub fn is_file_problem(&self) -> bool {
        matches!(
            self,
            ProvisionError::TooLarge { .. } | ProvisionError::Invalid { .. }
        )
    }
}

/// A problem found in the file, before the file's name is attached.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct FileProblem {
    pub line: Option<usize>,
    pub element: Option<String>,
    pub message: String,
}

impl FileProblem {
    pub(super) fn into_error(self, file: &str) -> ProvisionError {
        ProvisionError::Invalid {
            file: file.to_owned(),
            line: self.line,
            element: self.element,
            message: self.message,
        }
    }
}
