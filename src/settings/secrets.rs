//! The secrets file `<data-dir>/secrets.json`: passwords, the Graph client secret and the
//! admin PIN, kept apart from the settings so that only this file needs mode 0600.
//!
//! It is created with mode 0600 (never briefly readable by others) and rewritten
//! atomically. A file found with looser permissions is tightened on load.

use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::{self, OWNER_ONLY, ParseDetail, SettingsError};
use crate::secret::Secret;

/// The secrets file's name inside the data directory.
pub const SECRETS_FILE_NAME: &str = "secrets.json";

/// Every secret the console holds. `Debug` shows only `••••` for each.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Secrets {
    /// The room account's password (`ews-room-account`, and for signing in to meetings).
    pub room_password: Option<Secret>,
    /// The impersonating service account's password (`ews-impersonation`).
    pub service_account_password: Option<Secret>,
    /// The app registration's client secret (`graph`).
    pub client_secret: Option<Secret>,
    /// The PIN that guards the admin settings.
    pub admin_pin: Option<Secret>,
    /// The fleet broker's password (`Fleet/Password`), when not a client certificate.
    pub fleet_password: Option<Secret>,
}

impl Secrets {
    /// The secrets file of `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(SECRETS_FILE_NAME)
    }

    /// The saved secrets; `Ok(None)` when none were saved yet.
    pub fn load(data_dir: &Path) -> Result<Option<Secrets>, SettingsError> {
        let path = Self::path(data_dir);
        // Parse errors may quote a value: say only where the problem is.
        let secrets = files::load_json(&path, ParseDetail::PositionOnly)?;
        if secrets.is_some() {
            tighten_permissions(&path).map_err(|source| SettingsError::Write {
                path: path.clone(),
                source,
            })?;
        }
        Ok(secrets)
    }

    /// Saves the secrets atomically with mode 0600, creating `data_dir` when missing.
    pub fn save(&self, data_dir: &Path) -> Result<(), SettingsError> {
        files::save_json(&Self::path(data_dir), self, OWNER_ONLY)
    }
}

/// Makes the file owner-only if someone (a restore, a hand copy) loosened it.
fn tighten_permissions(path: &Path) -> io::Result<()> {
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(
            path = %path.display(),
            "the secrets file was readable by other users; making it owner-only"
        );
        files::set_mode(path, OWNER_ONLY)?;
    }
    Ok(())
}
