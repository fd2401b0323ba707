//! What pressing Join does: runs the admin's join command (setting `JoinCommand`) with
//! the meeting link as its only argument — never through a shell, so nothing in a link
//! is ever interpreted — and returns at once. A background thread waits for the command
//! so it never lingers as a zombie.
//!
//! "Share to meeting" in the content window runs the share command (setting
//! `ShareCommand`) the same way, with the link and the content input as its two
//! arguments.

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
/// Environment variable holding the content input for the share command
/// (`v4l2:/dev/video0`, `drm:card0-HDMI-A-1` …), the same as its second argument.
pub(crate) const SOURCE_ENV: &str = "ROOM_CONSOLE_CONTENT_SOURCE";

/// Which of the admin's commands is run: the setting that names it and what it does.
#[derive(Debug, Clone, Copy)]
struct CommandRole {
    /// The setting, as admins write it in the provisioning file.
    setting: &'static str,
    /// "join" or "share", for messages and the watcher thread's name.
    noun: &'static str,
    /// What the program must do, for the messages that tell the admin what to set.
    purpose: &'static str,
}

const JOIN: CommandRole = CommandRole {
    setting: "JoinCommand",
    noun: "join",
    purpose: "opens meeting links",
};

const SHARE: CommandRole = CommandRole {
    setting: "ShareCommand",
    noun: "share",
    purpose: "shares content to meetings",
};

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
    run(JOIN, join_command, link, None)
}

/// Starts `share_command` with `link.url` and `source` (the content input's id, e.g.
/// `v4l2:/dev/video0`) as its two arguments, and the provider, link and source in
/// [`PROVIDER_ENV`], [`URL_ENV`] and [`SOURCE_ENV`]. Returns without waiting.
pub fn launch_share(share_command: Option<&Path>, link: &JoinLink, source: &str) -> JoinOutcome {
    run(SHARE, share_command, link, Some(source))
}

fn run(
    role: CommandRole,
    command: Option<&Path>,
    link: &JoinLink,
    source: Option<&str>,
) -> JoinOutcome {
    let Some(program) = command.filter(|path| !path.as_os_str().is_empty()) else {
        return JoinOutcome::NoCommandConfigured;
    };
    if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
        return failed(
            role,
            format!(
                "Refused to {} {:?}: only http and https meeting links are opened.",
                role.noun, link.url
            ),
        );
    }
    if program.is_dir() {
        return failed(
            role,
            format!(
                "The {} command {} is a folder, not a program. Set {} to the full path of the program that {}.",
                role.noun,
                program.display(),
                role.setting,
                role.purpose
            ),
        );
    }

    // The watcher starts first, so a started command always has someone to reap it.
    let (child_sender, child_receiver) = mpsc::channel::<Child>();
    let (exit_sender, exit_receiver) = mpsc::channel();
    let watcher = thread::Builder::new()
        .name(format!("{}-command", role.noun))
        .spawn(move || {
            if let Ok(mut child) = child_receiver.recv() {
                let status = child.wait();
                report_exit(role, child.id(), &status);
                let _ = exit_sender.send(status); // nobody waiting is fine
            }
        });
    if let Err(error) = watcher {
        return failed(
            role,
            format!(
                "Could not start the {} command: the console is out of resources ({error}). Restart the console.",
                role.noun
            ),
        );
    }

    let mut command = Command::new(program);
    command
        .arg(&link.url)
        .env(PROVIDER_ENV, link.provider.as_str())
        .env(URL_ENV, &link.url)
        .stdin(Stdio::null());
    if let Some(source) = source {
        command.arg(source).env(SOURCE_ENV, source);
    }
    let child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return failed(role, describe_start_error(role, program, &error)),
    };
    let pid = child.id();
    tracing::info!(
        pid,
        provider = link.provider.as_str(),
        command = role.noun,
        "command started"
    );
    if let Err(mpsc::SendError(mut child)) = child_sender.send(child) {
        // Unreachable while the watcher waits on the channel; never leave a zombie.
        let _ = child.kill();
        let _ = child.wait();
        return failed(
            role,
            format!(
                "The {} command's watcher stopped unexpectedly. Restart the console.",
                role.noun
            ),
        );
    }
    JoinOutcome::Launched(JoinLaunch {
        pid,
        exit: exit_receiver,
    })
}

fn failed(role: CommandRole, reason: String) -> JoinOutcome {
    tracing::warn!(%reason, command = role.noun, "command not started");
    JoinOutcome::Failed { reason }
}

fn report_exit(role: CommandRole, pid: u32, status: &io::Result<ExitStatus>) {
    let command = role.noun;
    match status {
        Ok(status) if status.success() => tracing::info!(pid, command, "command finished"),
        Ok(status) => tracing::warn!(pid, command, %status, "command failed"),
        Err(error) => tracing::warn!(pid, command, %error, "could not wait for the command"),
    }
}

/// Linux `ENOEXEC`: the file is neither a binary nor a script with a `#!` line.
const EXEC_FORMAT_ERROR: i32 = 8;

/// An admin-readable reason for a command that would not start, with the fix.
fn describe_start_error(role: CommandRole, program: &Path, error: &io::Error) -> String {
    let program = program.display();
    let CommandRole { setting, noun, .. } = role;
    match error.kind() {
        io::ErrorKind::NotFound => format!(
            "The {noun} command {program} was not found. Set {setting} to the full path of a program installed on the console."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "The {noun} command {program} is not executable. Make it executable (chmod +x {program}) or set {setting} to another program."
        ),
        _ if error.raw_os_error() == Some(EXEC_FORMAT_ERROR) => format!(
            "The {noun} command {program} is not a program the console can run. A script needs a first line such as #!/bin/sh."
        ),
        _ => format!("The {noun} command {program} could not be started: {error}."),
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
        assert!(describe_start_error(JOIN, program, &denied).contains("chmod +x /opt/join"));
        let bad_format = io::Error::from_raw_os_error(EXEC_FORMAT_ERROR);
        assert!(describe_start_error(JOIN, program, &bad_format).contains("#!/bin/sh"));
    }

    #[test]
    fn share_messages_name_the_share_setting() {
        let text = reason(launch_share(
            Some(Path::new("/nonexistent/room-console-share")),
            &teams_link(),
            "v4l2:/dev/video0",
        ));
        assert!(
            text.contains("The share command /nonexistent/room-console-share was not found"),
            "{text}"
        );
        assert!(text.contains("ShareCommand"), "{text}");
        assert!(matches!(
            launch_share(None, &teams_link(), "simulated"),
            JoinOutcome::NoCommandConfigured
        ));
    }

    #[test]
    fn the_share_command_gets_the_link_and_the_source() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("args");
        let script = dir.path().join("share");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s|%s|%s' \"$1\" \"$2\" \"$ROOM_CONSOLE_CONTENT_SOURCE\" > '{}'\n",
                out.display()
            ),
        )
        .expect("script");
        let mode = std::os::unix::fs::PermissionsExt::from_mode(0o755);
        std::fs::set_permissions(&script, mode).expect("chmod");
        let JoinOutcome::Launched(launched) =
            launch_share(Some(&script), &teams_link(), "v4l2:/dev/video0")
        else {
            panic!("the share command should start");
        };
        assert!(launched.wait().expect("exit").success());
        let written = std::fs::read_to_string(&out).expect("args written");
        assert_eq!(
            written,
            format!("{}|v4l2:/dev/video0|v4l2:/dev/video0", teams_link().url)
        );
    }
}
