//! Restarting the device through the setting `<Device><RebootCommand>` (default
//! `systemctl reboot`), the same command the fleet's `reboot` runs.

use std::process::Command;

use crate::settings::{DEFAULT_REBOOT_COMMAND, Settings};

/// The configured reboot command.
pub fn reboot_command(settings: Option<&Settings>) -> String {
    settings
        .and_then(|s| s.device.reboot_command.clone())
        .unwrap_or_else(|| DEFAULT_REBOOT_COMMAND.to_owned())
}

/// Runs `command` with `sh -c`; the error says what failed and how to fix it.
pub fn reboot(command: &str) -> Result<(), String> {
    tracing::warn!(command, "restarting the device");
    let status = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .status()
        .map_err(|e| format!("cannot run the reboot command `{command}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the reboot command `{command}` failed ({status}). Fix: check <Device><RebootCommand> \
             in the settings, or restart the console by hand"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_runs_and_its_failure_is_told() {
        let dir = tempfile::tempdir().expect("temp dir");
        let marker = dir.path().join("rebooted");
        reboot(&format!("touch '{}'", marker.display())).expect("runs");
        assert!(marker.exists());
        let err = reboot("exit 3").expect_err("fails");
        assert!(err.contains("`exit 3` failed"), "{err}");
        assert_eq!(reboot_command(None), "systemctl reboot");
    }
}
