//! The drop folder: a provisioning file copied to
//! `<data-dir>/provisioning/RoomConsoleSettings.xml` is applied at start-up.
//!
//! Applied: the file is deleted, so plaintext passwords do not linger (with any earlier
//! rejected file and its error note). Rejected for its content: it is made owner-only
//! (it holds passwords) and renamed `RoomConsoleSettings.xml.rejected`, with
//! `RoomConsoleSettings.xml.error.txt` beside it saying why. Not applied because of the
//! device (settings unreadable, disk full): it stays where it is and is tried again at
//! the next start.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{ApplySummary, ProvisionError, apply_file};
use crate::settings::files::{self, OWNER_ONLY, OWNER_WRITE_ALL_READ};

/// The drop folder's name inside the data directory.
pub const DROP_FOLDER_NAME: &str = "provisioning";
/// The file name the drop folder looks for.
pub const DROP_FILE_NAME: &str = "RoomConsoleSettings.xml";

const REJECTED_SUFFIX: &str = ".rejected";
const ERROR_SUFFIX: &str = ".error.txt";

/// Applies a dropped provisioning file, if there is one; `None` when there is none.
pub fn apply_dropped(data_dir: &Path) -> Option<Result<ApplySummary, ProvisionError>> {
    let folder = data_dir.join(DROP_FOLDER_NAME);
    let dropped = folder.join(DROP_FILE_NAME);
    match fs::symlink_metadata(&dropped) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Ok(meta) if !meta.is_file() => {
            return Some(Err(ProvisionError::Read {
                path: dropped,
                source: io::Error::other("not a regular file (a link or folder is not followed)"),
            }));
        }
        _ => {}
    }
    let result = apply_file(data_dir, &dropped);
    match &result {
        Ok(summary) => {
            tracing::info!("applied {}:\n{summary}", dropped.display());
            forget_applied(&folder, &dropped);
        }
        Err(error) if error.is_file_problem() => {
            tracing::warn!("rejected {}: {error}", dropped.display());
            set_aside(&folder, &dropped, error);
        }
        Err(error) => tracing::warn!(
            "could not apply {} (will retry at next start): {error}",
            dropped.display()
        ),
    }
    Some(result)
}

/// Deletes the applied file and any earlier rejected file and note.
fn forget_applied(folder: &Path, dropped: &Path) {
    for path in [
        dropped.to_owned(),
        beside(folder, REJECTED_SUFFIX),
        beside(folder, ERROR_SUFFIX),
    ] {
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                tracing::warn!(
                    "could not delete {} (it may hold passwords): {e}",
                    path.display()
                );
            }
            _ => {}
        }
    }
}

/// Makes the file owner-only, renames it `.rejected`, and writes the error beside it.
fn set_aside(folder: &Path, dropped: &Path, error: &ProvisionError) {
    let rejected = beside(folder, REJECTED_SUFFIX);
    let note = beside(folder, ERROR_SUFFIX);
    let outcome = files::set_mode(dropped, OWNER_ONLY)
        .and_then(|()| fs::rename(dropped, &rejected))
        .and_then(|()| {
            let text = format!(
                "{error}\n\nThe file was not applied and nothing changed. Fix it and copy it \
                 back as {DROP_FILE_NAME}; it is applied at the next start.\n"
            );
            files::write_atomically(&note, text.as_bytes(), OWNER_WRITE_ALL_READ)
        });
    if let Err(e) = outcome {
        tracing::warn!(
            "could not set the rejected file {} aside: {e}",
            dropped.display()
        );
    }
}

fn beside(folder: &Path, suffix: &str) -> PathBuf {
    folder.join(format!("{DROP_FILE_NAME}{suffix}"))
}
