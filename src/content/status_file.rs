//! A status file as a content input: any file whose content is `connected` /
//! `disconnected` (or `1` / `0`), such as a GPIO value or a vendor sysfs node. Also what
//! tests use to plug and unplug a pretend laptop.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::reading::{InputError, InputInfo, InputKind, SignalReading};
use super::source::{Changed, InputSource, poll_after};

/// How often a status file is re-read: files give no events, and half a second keeps
/// the pop-up prompt next to the one-second debounce.
pub(crate) const STATUS_FILE_POLL: Duration = Duration::from_millis(500);

const FILE_PERMISSION_HINT: &str = "give the service user read access to it";

/// Reads a status file.
#[derive(Debug)]
pub struct StatusFileSource {
    id: String,
    path: PathBuf,
    poll: Duration,
}

impl StatusFileSource {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        StatusFileSource {
            id: format!("file:{}", path.display()),
            path,
            poll: STATUS_FILE_POLL,
        }
    }

    /// The file it reads.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Parses a status file's content: `connected`/`1` → plugged in, `disconnected`/`0` →
/// not; surrounding whitespace (a trailing newline) and letter case do not matter.
/// `None` for anything else.
pub(crate) fn parse_status(content: &str) -> Option<bool> {
    match content.trim().to_ascii_lowercase().as_str() {
        "connected" | "1" => Some(true),
        "disconnected" | "0" => Some(false),
        _ => None,
    }
}

/// Reads a small status file and parses it.
pub(crate) fn read_status_file(path: &Path, hint: &'static str) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError::from_io(path.to_path_buf(), &e, hint))
}

impl InputSource for StatusFileSource {
    fn id(&self) -> &str {
        &self.id
    }

    fn describe(&self) -> InputInfo {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string());
        InputInfo::unread(
            &self.id,
            name,
            InputKind::StatusFile,
            Some(self.path.clone()),
        )
    }

    fn read(&mut self) -> Result<SignalReading, InputError> {
        let content = read_status_file(&self.path, FILE_PERMISSION_HINT)?;
        match parse_status(&content) {
            Some(true) => Ok(SignalReading::CONNECTED),
            Some(false) => Ok(SignalReading::Absent),
            None => Err(InputError::BadStatus {
                path: self.path.clone(),
                content: content.trim().chars().take(40).collect(),
            }),
        }
    }

    fn changed(&mut self) -> Changed<'_> {
        poll_after(self.poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_words_digits_and_trailing_newline() {
        assert_eq!(parse_status("connected\n"), Some(true));
        assert_eq!(parse_status("Disconnected"), Some(false));
        assert_eq!(parse_status("1\n"), Some(true));
        assert_eq!(parse_status(" 0 "), Some(false));
        assert_eq!(parse_status("unknown"), None);
        assert_eq!(parse_status(""), None);
    }
}
