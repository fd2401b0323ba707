//! Restarting the device through the setting `<Device><RebootCommand>` (default
//! `systemctl reboot`): the one way both software updates and the fleet's `reboot`
//! restart it. The command is split at spaces and run without a shell, so nothing in
//! it is ever interpreted.

use std::process::Command;

use crate::settings::{DEFAULT_REBOOT_COMMAND, Settings};

/// The configured reboot command.
pub fn reboot_command(settings: Option<&Settings>) -> String {
    settings
        .map(|s| s.device.reboot_command.trim())
        .filter(|command| !command.is_empty())
        .unwrap_or(DEFAULT_REBOOT_COMMAND)
        .to_owned()
}

/// Why the reboot command did not run, and what the admin can do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebootError {
    pub message: String,
    pub fix: &'static str,
}

impl std::fmt::Display for RebootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}. Fix: {}", self.message, self.fix)
    }
}

/// Runs `command` (program and arguments, split at spaces) and waits for it.
pub fn reboot(command: &str) -> Result<(), RebootError> {
    const FIX: &str = "check <Device><RebootCommand> in the settings and that the console \
                       may run it (the polkit rule in assets/), or restart the console by hand";
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some((program, arguments)) = words.split_first() else {
        return Err(RebootError {
            message: "the reboot command is empty".into(),
            fix: FIX,
        });
    };
    tracing::warn!(command, "restarting the device");
    let output = Command::new(program)
        .args(arguments)
        .output()
        .map_err(|e| RebootError {
            message: format!("cannot run the reboot command `{command}`: {e}"),
            fix: FIX,
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(RebootError {
            message: format!(
                "the reboot command `{command}` failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            fix: FIX,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_runs_without_a_shell_and_its_failure_is_told() {
        let dir = tempfile::tempdir().expect("temp dir");
        let marker = dir.path().join("rebooted");
        reboot(&format!("/usr/bin/touch {}", marker.display())).expect("runs");
        assert!(marker.exists());
        let err = reboot("/bin/false").expect_err("fails");
        assert!(err.message.contains("`/bin/false` failed"), "{err}");
        let err = reboot("exit 3").expect_err("no shell: `exit` is no program");
        assert!(err.message.contains("cannot run"), "{err}");
        assert_eq!(reboot_command(None), "systemctl reboot");
    }
}
