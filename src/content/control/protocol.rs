//! The control socket's line protocol: one command per line (`content connect`,
//! `content disconnect`, `ping`), each answered `ok` or `error <why>`.

use std::fmt;
use std::str::FromStr;

/// The longest line the server reads; longer lines are refused.
pub(crate) const MAX_LINE_BYTES: usize = 256;

/// The commands the console takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlCommand {
    /// Plug the simulated laptop in.
    ContentConnect,
    /// Unplug the simulated laptop.
    ContentDisconnect,
    /// Is a console listening? (Answered by the server itself.)
    Ping,
}

/// The commands, for error messages.
pub(crate) const KNOWN_COMMANDS: &str = "content connect, content disconnect, ping";

impl FromStr for ControlCommand {
    type Err = String;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let words: Vec<String> = line
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["content", "connect"] => Ok(ControlCommand::ContentConnect),
            ["content", "disconnect"] => Ok(ControlCommand::ContentDisconnect),
            ["ping"] => Ok(ControlCommand::Ping),
            _ => Err(format!(
                "unknown command {:?}; known: {KNOWN_COMMANDS}",
                line.trim()
            )),
        }
    }
}

impl ControlCommand {
    /// What the command does to the simulated input: plug in (`Some(true)`), unplug
    /// (`Some(false)`), or nothing.
    pub fn plugs_simulated_input(self) -> Option<bool> {
        match self {
            ControlCommand::ContentConnect => Some(true),
            ControlCommand::ContentDisconnect => Some(false),
            ControlCommand::Ping => None,
        }
    }
}

impl fmt::Display for ControlCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ControlCommand::ContentConnect => "content connect",
            ControlCommand::ContentDisconnect => "content disconnect",
            ControlCommand::Ping => "ping",
        })
    }
}

/// The reply line for success.
pub(crate) const OK_REPLY: &str = "ok";

/// The reply line for a refusal (no newline inside: the line protocol depends on it).
pub(crate) fn error_reply(message: &str) -> String {
    format!("error {}", message.replace(['\n', '\r'], " "))
}
