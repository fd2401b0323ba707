//! Finish: writes what the wizard produced, secrets first and settings last, as the
//! provisioning file does. `settings.json` is what makes the console "configured", so a
//! crash between the two writes leaves a console that boots into the wizard again, never
//! settings without the passwords they need.
//!
//! What the wizard does not ask about — the fleet connection (`<Fleet>`, its password,
//! `Device/RebootCommand`) — is kept from the saved settings, so "Change setup" does
//! not drop a console out of its fleet.

use std::path::Path;

use crate::settings::{Secrets, Settings};

/// Saves `secrets` then `settings` in `data_dir`; the error says what could not be written.
pub fn save_finished(
    data_dir: &Path,
    settings: &Settings,
    secrets: &Secrets,
) -> Result<(), String> {
    let (mut settings, mut secrets) = (settings.clone(), secrets.clone());
    if let Ok(Some(saved)) = Settings::load(data_dir) {
        settings.fleet = saved.fleet;
        settings.device.reboot_command = saved.device.reboot_command;
    }
    if let Ok(Some(saved)) = Secrets::load(data_dir) {
        secrets.fleet_password = saved.fleet_password;
    }
    secrets
        .save(data_dir)
        .map_err(|e| format!("The passwords could not be saved: {e}"))?;
    settings
        .save(data_dir)
        .map_err(|e| format!("The settings could not be saved: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Secret;

    #[test]
    fn change_setup_keeps_the_fleet_connection() {
        let dir = tempfile::tempdir().expect("dir");
        let mut saved = Settings::demo();
        saved.fleet.broker = Some("mqtts://fleet.contoso.com".parse().expect("url"));
        saved.device.reboot_command = "/sbin/reboot".into();
        saved.save(dir.path()).expect("settings");
        Secrets {
            fleet_password: Some(Secret::new("fleet-pass")),
            ..Secrets::default()
        }
        .save(dir.path())
        .expect("secrets");

        let mut wizard = Settings::demo();
        wizard.room.display_name = "From the wizard".into();
        save_finished(dir.path(), &wizard, &Secrets::default()).expect("saved");

        let settings = Settings::load(dir.path()).expect("load").expect("settings");
        assert_eq!(settings.room.display_name, "From the wizard");
        assert_eq!(settings.fleet, saved.fleet);
        assert_eq!(settings.device.reboot_command, "/sbin/reboot");
        let secrets = Secrets::load(dir.path()).expect("load").expect("secrets");
        assert_eq!(secrets.fleet_password, Some(Secret::new("fleet-pass")));
    }
}
