//! The console's end of the control socket: binds owner-only, reads command lines,
//! answers them and hands the commands to the console on a channel.

use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;

use super::error::ControlError;
use super::protocol::{ControlCommand, MAX_LINE_BYTES, OK_REPLY, error_reply};

/// How long a connection may sit idle before the server hangs up.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A bound control socket. The socket file is removed when the server is dropped.
pub struct ControlServer {
    listener: UnixListener,
    path: PathBuf,
}

impl ControlServer {
    /// Binds the socket at `path` (inside a tokio runtime). A missing parent directory
    /// is created owner-only (0700) and the socket is made owner-only (0600). A stale
    /// socket left by a crashed console is replaced; a live one is an error.
    pub fn bind(path: &Path) -> Result<ControlServer, ControlError> {
        let io_error = |e: std::io::Error| ControlError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(io_error)?;
        }
        remove_stale_socket(path)?;
        let listener = UnixListener::bind(path).map_err(io_error)?;
        let server = ControlServer {
            listener,
            path: path.to_path_buf(),
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io_error)?;
        Ok(server)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Accepts connections until `commands`' receiver is dropped. Each command line is
    /// answered `ok` once delivered, or `error <why>`.
    pub async fn serve(self, commands: mpsc::Sender<ControlCommand>) {
        loop {
            tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        tokio::spawn(serve_connection(stream, commands.clone()));
                    }
                    Err(error) => tracing::warn!("control socket: {error}"),
                },
                () = commands.closed() => return,
            }
        }
    }
}

impl Drop for ControlServer {
    fn drop(&mut self) {
        // Best effort: a leftover file is replaced by the next bind anyway.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Removes a socket file nobody answers on; refuses to touch anything else.
fn remove_stale_socket(path: &Path) -> Result<(), ControlError> {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !metadata.file_type().is_socket() {
        return Err(ControlError::NotASocket {
            path: path.to_path_buf(),
        });
    }
    if std::os::unix::net::UnixStream::connect(path).is_ok() {
        return Err(ControlError::AlreadyRunning {
            path: path.to_path_buf(),
        });
    }
    std::fs::remove_file(path).map_err(|e| ControlError::io(path, &e))
}

async fn serve_connection(stream: UnixStream, commands: mpsc::Sender<ControlCommand>) {
    let (read_half, mut write_half) = stream.into_split();
    let mut reader = BufReader::new(read_half);
    loop {
        let mut line = Vec::new();
        let limit = (MAX_LINE_BYTES + 1) as u64;
        let read = tokio::time::timeout(
            IDLE_TIMEOUT,
            (&mut reader).take(limit).read_until(b'\n', &mut line),
        )
        .await;
        let Ok(Ok(length)) = read else { return };
        if length == 0 {
            return;
        }
        let complete = line.last() == Some(&b'\n');
        let (reply, keep_going) = if !complete && length > MAX_LINE_BYTES {
            (
                error_reply(&format!("line longer than {MAX_LINE_BYTES} bytes")),
                false,
            )
        } else {
            match std::str::from_utf8(&line) {
                Err(_) => (error_reply("a command is plain text"), true),
                Ok(text) => answer(text, &commands).await,
            }
        };
        let sent = write_half.write_all(format!("{reply}\n").as_bytes()).await;
        if sent.is_err() || !keep_going || !complete {
            return;
        }
    }
}

/// The reply to one line, and whether the connection stays open.
async fn answer(text: &str, commands: &mpsc::Sender<ControlCommand>) -> (String, bool) {
    match text.parse::<ControlCommand>() {
        Err(message) => (error_reply(&message), true),
        Ok(ControlCommand::Ping) => (OK_REPLY.to_string(), true),
        Ok(command) => match commands.send(command).await {
            Ok(()) => (OK_REPLY.to_string(), true),
            Err(_) => (error_reply("the console is shutting down"), false),
        },
    }
}
