//! Control-socket errors, worded for whoever typed the command.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("no running console found at {} (is room-console running?)", path.display())]
    NotRunning { path: PathBuf },
    #[error(
        "may not use the control socket {}: run the command as the user room-console runs as",
        path.display()
    )]
    PermissionDenied { path: PathBuf },
    #[error("another room-console is already running: its control socket {} answers", path.display())]
    AlreadyRunning { path: PathBuf },
    #[error("{} is in the way of the control socket and is not a socket: move it away", path.display())]
    NotASocket { path: PathBuf },
    #[error("the console at {} did not answer in time", path.display())]
    Timeout { path: PathBuf },
    #[error("the console refused the command: {0}")]
    Rejected(String),
    #[error("the console gave an unexpected answer: {0:?}")]
    BadReply(String),
    #[error("{0:?} is not a command: a command is one line of text")]
    InvalidCommand(String),
    #[error("control socket {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
}

impl ControlError {
    /// Maps an I/O error on the socket at `path`.
    pub fn io(path: &std::path::Path, error: &std::io::Error) -> ControlError {
        use std::io::ErrorKind;
        let path = path.to_path_buf();
        match error.kind() {
            ErrorKind::NotFound | ErrorKind::ConnectionRefused => ControlError::NotRunning { path },
            ErrorKind::PermissionDenied => ControlError::PermissionDenied { path },
            ErrorKind::WouldBlock | ErrorKind::TimedOut => ControlError::Timeout { path },
            _ => ControlError::Io {
                path,
                message: error.to_string(),
            },
        }
    }
}
