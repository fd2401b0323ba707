//! The command-line end of the control socket: send one command, read the answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use super::error::ControlError;
use super::protocol::{MAX_LINE_BYTES, OK_REPLY};

/// How long to wait for the console to answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends `command` (e.g. `"content connect"`) to the console listening at `path` and
/// returns its `ok` answer; a refusal is [`ControlError::Rejected`] with the reason.
pub fn send_command(path: &Path, command: &str) -> Result<String, ControlError> {
    if command.contains(['\n', '\r']) || command.len() > MAX_LINE_BYTES {
        return Err(ControlError::InvalidCommand(command.to_string()));
    }
    let io = |e: std::io::Error| ControlError::io(path, &e);
    let mut stream = UnixStream::connect(path).map_err(io)?;
    stream.set_read_timeout(Some(ANSWER_TIMEOUT)).map_err(io)?;
    stream.set_write_timeout(Some(ANSWER_TIMEOUT)).map_err(io)?;
    stream
        .write_all(format!("{command}\n").as_bytes())
        .map_err(io)?;
    let mut reply = String::new();
    BufReader::new(stream)
        .take((MAX_LINE_BYTES * 4) as u64)
        .read_line(&mut reply)
        .map_err(io)?;
    let reply = reply.trim_end_matches(['\n', '\r']);
    if reply == OK_REPLY || reply.starts_with("ok ") {
        Ok(reply.to_string())
    } else if let Some(reason) = reply.strip_prefix("error ") {
        Err(ControlError::Rejected(reason.to_string()))
    } else {
        Err(ControlError::BadReply(reply.to_string()))
    }
}
