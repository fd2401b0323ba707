//! Finish: writes what the wizard produced, secrets first and settings last, as the
//! provisioning file does. `settings.json` is what makes the console "configured", so a
//! crash between the two writes leaves a console that boots into the wizard again, never
//! settings without the passwords they need.

use std::path::Path;

use crate::settings::{Secrets, Settings};

/// Saves `secrets` then `settings` in `data_dir`; the error says what could not be written.
pub fn save_finished(
    data_dir: &Path,
    settings: &Settings,
    secrets: &Secrets,
) -> Result<(), String> {
    secrets
        .save(data_dir)
        .map_err(|e| format!("The passwords could not be saved: {e}"))?;
    settings
        .save(data_dir)
        .map_err(|e| format!("The settings could not be saved: {e}"))
}
