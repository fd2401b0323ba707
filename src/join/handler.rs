//! What pressing Join does: runs the admin's join command (setting `JoinCommand`) with
//! the meeting link as its only argument — never through a shell, so nothing in a link
//! is ever interpreted — and returns at once. A background thread waits for the command
//! so it never lingers as a zombie.

use std::io;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;

use super::JoinLink;

/// Environment variable holding the provider id (`teams`, `zoom` …) for the command.
pub const PROVIDER_ENV: &str = "ROOM_CONSOLE_JOIN_PROVIDER";
/// Environment variable holding the link, the same as the command's argument.
pub const URL_ENV: &str = "ROOM_CONSOLE_JOIN_URL";

/// What happened when Join was pressed.
#[derive(Debug)]
pub enum JoinOutcome {
    /// The join command is running.
    Launched(JoinLaunch),
    /// No join command is set: the screen shows the link and its QR code instead.
    NoCommandConfigured,
    /// The command could not be started; `reason` tells the admin what to fix.
    Failed { reason: String },
}

/// A running join command. Dropping it is fine: the command goes on and is still reaped.
#[derive(Debug)]
pub struct JoinLaunch {
    pid: u32,
    exit: mpsc::Receiver<io::Result<ExitStatus>>,
}

/// Why the end of a join command could not be observed.
#[derive(Debug, thiserror::Error)]
pub enum JoinWaitError {
    #[error("could not wait for the join command to finish: {0}")]
    Wait(#[source] io::Error),
    #[error("the join command's watcher stopped before reporting how the command ended")]
    WatcherGone,
}

impl JoinLaunch {
    /// The process id of the join command.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Blocks until the join command ends (for tests and diagnostics; the UI does not wait).
    pub fn wait(self) -> Result<ExitStatus, JoinWaitError> {
        match self.exit.recv() {
            Ok(status) => status.map_err(JoinWaitError::Wait),
            Err(mpsc::RecvError) => Err(JoinWaitError::WatcherGone),
        }
    }
}

/// Starts `join_command` with `link.url` as its single argument, and the provider and link
/// in [`PROVIDER_ENV`] and [`URL_ENV`]. Returns without waiting for the command.
pub fn launch(join_command: Option<&Path>, link: &JoinLink) -> JoinOutcome {
    let Some(program) = join_command.filter(|path| !path.as_os_str().is_empty()) else {
        return JoinOutcome::NoCommandConfigured;
    };
    if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
        return failed(format!(
            "Refused to join {:?}: only http and https meeting links are opened.",
            link.url
        ));
    }
    if program.is_dir() {
        return failed(format!(
            "The join command {} is a folder, not a program. Set JoinCommand to the full path of the program that opens meeting links.",
            program.display()
        ));
    }

    // The watcher starts first, so a started command always has someone to reap it.
    let (child_sender, child_receiver) = mpsc::channel::<Child>();
    let (exit_sender, exit_receiver) = mpsc::channel();
    let watcher = thread::Builder::new()
        .name("join-command".into())
        .spawn(move || {
            if let Ok(mut child) = child_receiver.recv() {
                let status = child.wait();
                report_exit(child.id(), &status);
                let _ = exit_sender.send(status); // nobody waiting is fine
            }
        });
    if let Err(error) = watcher {
        return failed(format!(
            "Could not start the join command: the console is out of resources ({error}). Restart the console."
        ));
    }

    let started = Command::new(program)
        .arg(&link.url)
        .env(PROVIDER_ENV, link.provider.as_str())
        .env(URL_ENV, &link.url)
        .stdin(Stdio::null())
        .spawn();
    let child = match started {
        Ok(child) => child,
        Err(error) => return failed(describe_start_error(program, &error)),
    };
    let pid = child.id();
    tracing::info!(
        pid,
        provider = link.provider.as_str(),
        "join command started"
    );
    if let Err(mpsc::SendError(mut child)) = child_sender.send(child) {
        // Unreachable while the watcher waits on the channel; never leave a zombie.
        let _ = child.kill();
        let _ = child.wait();
        return failed(
            "The join command's watcher stopped unexpectedly. Restart the console.".into(),
        );
    }
    JoinOutcome::Launched(JoinLaunch {
        pid,
        exit: exit_receiver,
    })
}

fn failed(reason: String) -> JoinOutcome {
    tracing::warn!(%reason, "join command not started");
    JoinOutcome::Failed { reason }
}

fn report_exit(pid: u32, status: &io::Result<ExitStatus>) {
    match status {
        Ok(status) if status.success() => tracing::info!(pid, "join command finished"),
        Ok(status) => tracing::warn!(pid, %status, "join command failed"),
        Err(error) => tracing::warn!(pid, %error, "could not wait for the join command"),
    }
}

/// Linux `ENOEXEC`: the file is neither a binary nor a script with a `#!` line.
const EXEC_FORMAT_ERROR: i32 = 8;

/// An admin-readable reason for a command that would not start, with the fix.
fn describe_start_error(program: &Path, error: &io::Error) -> String {
    let program = program.display();
    match error.kind() {
        io::ErrorKind::NotFound => format!(
            "The join command {program} was not found. Set JoinCommand to the full path of a program installed on the console."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "The join command {program} is not executable. Make it executable (chmod +x {program}) or set JoinCommand to another program."
        ),
        _ if error.raw_os_error() == Some(EXEC_FORMAT_ERROR) => format!(
            "The join command {program} is not a program the console can run. A script needs a first line such as #!/bin/sh."
        ),
        _ => format!("The join command {program} could not be started: {error}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::join::Provider;

    fn teams_link() -> JoinLink {
        JoinLink {
            provider: Provider::Teams,
            url: "https://teams.microsoft.com/l/meetup-join/19%3ameeting_a%40thread.v2/0".into(),
        }
    }

    fn reason(outcome: JoinOutcome) -> String {
        match outcome {
            JoinOutcome::Failed { reason } => reason,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn no_command_means_the_link_is_shown() {
        assert!(matches!(
            launch(None, &teams_link()),
            JoinOutcome::NoCommandConfigured
        ));
        assert!(matches!(
            launch(Some(Path::new("")), &teams_link()),
            JoinOutcome::NoCommandConfigured
        ));
    }

    #[test]
    fn only_web_links_are_handed_to_the_command() {
        let link = JoinLink {
            provider: Provider::Other,
            url: "javascript:alert(1)".into(),
        };
        assert!(
            reason(launch(Some(Path::new("/bin/true")), &link)).contains("only http and https")
        );
    }

    #[test]
    fn a_missing_command_is_reported_with_the_fix() {
        let text = reason(launch(
            Some(Path::new("/nonexistent/room-console-join")),
            &teams_link(),
        ));
        assert!(
            text.contains("/nonexistent/room-console-join was not found"),
            "{text}"
        );
        assert!(text.contains("JoinCommand"), "{text}");
    }

    #[test]
    fn a_folder_is_not_a_command() {
        let folder = tempfile::tempdir().expect("temp dir");
        let text = reason(launch(Some(folder.path()), &teams_link()));
        assert!(text.contains("is a folder, not a program"), "{text}");
    }

    #[test]
    fn start_errors_name_the_fix() {
        let program = Path::new("/opt/join");
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert!(describe_start_error(program, &denied).contains("chmod +x /opt/join"));
        let bad_format = io::Error::from_raw_os_error(EXEC_FORMAT_ERROR);
        assert!(describe_start_error(program, &bad_format).contains("#!/bin/sh"));
    }
}
