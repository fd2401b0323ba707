//! The provisioning file `RoomConsoleSettings.xml` (in the spirit of Teams Rooms'
//! SkypeSettings.xml): an admin writes the settings once, the console applies them.
//!
//! Applying is all-or-nothing. The whole file is read and checked first (XML, elements,
//! every value, what the calendar source needs, the CA file); only then is anything
//! written. An omitted element keeps the current setting; an empty one clears it.
//!
//! Write order: the secrets file first, then the settings file. `settings.json` is what
//! makes the console "configured", so it is written last: a crash between the two writes
//! leaves the old settings (or an unconfigured console) with the new secrets, never new
//! settings without the passwords they need. If the settings write fails, the old
//! secrets are put back. A dropped file is deleted only after both writes, so after a
//! crash it is simply applied again at the next start.
//!
//! See `assets/RoomConsoleSettings.example.xml` for the format, documented for admins.

mod completeness;
mod drop_folder;
mod error;
mod field;
mod fleet_fields;
mod reader;
mod schema;
mod summary;
mod xml;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub use drop_folder::{DROP_FILE_NAME, DROP_FOLDER_NAME, apply_dropped};
pub use error::ProvisionError;
pub use summary::{ApplySummary, Change};

use crate::settings::files::SettingsError;
use crate::settings::model::Settings;
use crate::settings::secrets::Secrets;

use field::Draft;
use reader::Reading;

/// The largest provisioning file accepted, in bytes.
pub(crate) const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Applies the provisioning file at `path` on top of the settings in `data_dir` (or the
/// defaults on a console not yet configured) and says what changed. On error nothing
/// on disk has changed.
pub fn apply_file(data_dir: &Path, path: &Path) -> Result<ApplySummary, ProvisionError> {
    let plan = Plan::read(data_dir, path)?;
    plan.commit(data_dir)?;
    Ok(plan.summary)
}

/// Applies a provisioning file received as `bytes` (the fleet's `apply-settings`), named
/// `name` in messages, exactly as [`apply_file`] applies one read from disk.
pub(crate) fn apply_bytes(
    data_dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<ApplySummary, ProvisionError> {
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(ProvisionError::TooLarge {
            file: name.to_owned(),
            size: bytes.len() as u64,
        });
    }
    let plan = Plan::from_bytes(data_dir, name, bytes)?;
    plan.commit(data_dir)?;
    Ok(plan.summary)
}

/// Checks the provisioning file at `path` as [`apply_file`] would and says what applying
/// it would change, without writing anything.
pub fn check_file(data_dir: &Path, path: &Path) -> Result<ApplySummary, ProvisionError> {
    Plan::read(data_dir, path).map(|plan| plan.summary)
}

/// A checked file: what the settings and secrets would become.
struct Plan {
    current_secrets: Option<Secrets>,
    new: Draft,
    summary: ApplySummary,
}

impl Plan {
    fn read(data_dir: &Path, path: &Path) -> Result<Plan, ProvisionError> {
        let file = file_name(path);
        let bytes = read_limited(path, &file)?;
        Plan::from_bytes(data_dir, &file, &bytes)
    }

    fn from_bytes(data_dir: &Path, file: &str, bytes: &[u8]) -> Result<Plan, ProvisionError> {
        let root = xml::parse(bytes).map_err(|problem| {
            error::FileProblem {
                line: problem.line,
                element: None,
                message: problem.message,
            }
            .into_error(file)
        })?;
        let reading = Reading::of(&root).map_err(|p| p.into_error(file))?;

        let current_settings = Settings::load(data_dir).map_err(ProvisionError::CurrentSettings)?;
        let current_secrets = Secrets::load(data_dir).map_err(ProvisionError::CurrentSettings)?;
        let current = Draft {
            settings: current_settings.unwrap_or_default(),
            secrets: current_secrets.clone().unwrap_or_default(),
        };
        let mut new = current.clone();
        reading.apply_to(&mut new).map_err(|p| p.into_error(file))?;
        completeness::check(&new, &reading).map_err(|p| p.into_error(file))?;
        let summary = ApplySummary::between(&current, &new);
        Ok(Plan {
            current_secrets,
            new,
            summary,
        })
    }

    /// Writes secrets, then settings; puts the old secrets back if the settings fail.
    fn commit(&self, data_dir: &Path) -> Result<(), ProvisionError> {
        let secrets_changed = self.current_secrets.as_ref() != Some(&self.new.secrets);
        if secrets_changed {
            self.new
                .secrets
                .save(data_dir)
                .map_err(ProvisionError::Save)?;
        }
        if let Err(error) = self.new.settings.save(data_dir) {
            if secrets_changed {
                self.restore_secrets(data_dir, &error);
            }
            return Err(ProvisionError::Save(error));
        }
        Ok(())
    }

    fn restore_secrets(&self, data_dir: &Path, cause: &SettingsError) {
        let restored = match &self.current_secrets {
            Some(old) => old.save(data_dir).map_err(|e| e.to_string()),
            None => std::fs::remove_file(Secrets::path(data_dir)).map_err(|e| e.to_string()),
        };
        if let Err(restore_error) = restored {
            tracing::error!(
                %cause,
                %restore_error,
                "saving the settings failed and the previous secrets could not be put back; \
                 the new passwords are in place with the old settings"
            );
        }
    }
}

/// The name admins see in messages: the file's own name.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads the file, refusing one larger than [`MAX_FILE_SIZE`] without reading it all.
fn read_limited(path: &Path, file: &str) -> Result<Vec<u8>, ProvisionError> {
    let read_error = |source: io::Error| ProvisionError::Read {
        path: path.to_owned(),
        source,
    };
    let handle = File::open(path).map_err(read_error)?;
    let size = handle.metadata().map_err(read_error)?.len();
    let too_large = |size| ProvisionError::TooLarge {
        file: file.to_owned(),
        size,
    };
    if size > MAX_FILE_SIZE {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    handle
        .take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    // The file may have grown since its size was read.
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
