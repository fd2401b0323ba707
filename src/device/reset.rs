//! Factory reset: erases everything the console learnt (settings, secrets, agenda cache
//! with its sync state, the PIN lockout, any pending provisioning file) and keeps the
//! software, so the console comes back in the first-boot wizard.
//!
//! It never leaves half a device. A marker file is written and flushed to disk first;
//! every start of the program looks for it before anything else ([`finish_interrupted`])
//! and, when present, does the whole reset again. Each step is idempotent (a file that is
//! already gone is fine), and the marker goes last. So a power cut at any point ends, at
//! the next start, in an erased console with no secret left.
//!
//! Files holding passwords (the secrets file, provisioning files) are overwritten with
//! zeros and flushed before they are removed, so the plain text does not stay in the
//! freed blocks of the file system.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::device::paths::DataDir;
use crate::device::pin::PIN_LOCKOUT_FILE_NAME;
use crate::settings::files::{OWNER_ONLY, write_atomically};
use crate::settings::provision::DROP_FOLDER_NAME;
use crate::settings::{SECRETS_FILE_NAME, SETTINGS_FILE_NAME};

/// The marker that says "a factory reset was started and must be finished".
pub const RESET_MARKER_NAME: &str = "factory-reset.pending";

/// SQLite's companion files of the agenda database (write-ahead log, shared memory,
/// rollback journal).
const DATABASE_COMPANION_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// The steps of a reset, in order. The marker is written before the first and removed
/// after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetStep {
    /// The marker is on disk: from here on the reset will be finished at the next start.
    MarkerWritten,
    /// The secrets file (and any half-written copy of it) overwritten and removed.
    SecretsErased,
    /// The provisioning drop folder (files may hold passwords) overwritten and removed.
    ProvisioningErased,
    /// The settings file removed: the console is unconfigured from here on.
    SettingsErased,
    /// The agenda database with its WAL/SHM files (and the sync state inside) removed.
    AgendaErased,
    /// The PIN lockout state removed.
    PinLockoutErased,
    /// The marker removed: the reset is complete.
    MarkerRemoved,
}

impl ResetStep {
    /// Every step, in the order they run.
    pub const ALL: [ResetStep; 7] = [
        ResetStep::MarkerWritten,
        ResetStep::SecretsErased,
        ResetStep::ProvisioningErased,
        ResetStep::SettingsErased,
        ResetStep::AgendaErased,
        ResetStep::PinLockoutErased,
        ResetStep::MarkerRemoved,
    ];
}

/// Why a factory reset could not be completed.
#[derive(Debug, thiserror::Error)]
#[error(
    "the factory reset could not erase {}: {source}. It will be tried again at the next \
     start; if it keeps failing, check that the disk is writable (is it full or mounted \
     read-only?)",
    path.display()
)]
pub struct ResetError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// One thing a reset erases, for the confirmation an admin reads first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Erasable {
    /// What it is, in an admin's words.
    pub what: &'static str,
    /// Where it is.
    pub path: PathBuf,
    /// Whether it is there now.
    pub present: bool,
}

/// What a reset of `data_dir` erases, present or not.
pub(crate) fn what_is_erased(data_dir: &DataDir) -> Vec<Erasable> {
    let dir = data_dir.path();
    let item = |what, path: PathBuf| Erasable {
        what,
        present: fs::symlink_metadata(&path).is_ok(),
        path,
    };
    vec![
        item(
            "the settings (room, calendar source, device)",
            dir.join(SETTINGS_FILE_NAME),
        ),
        item(
            "the secrets (passwords, client secret, admin PIN)",
            dir.join(SECRETS_FILE_NAME),
        ),
        item("the agenda cache and the sync state", data_dir.agenda_db()),
        item("the PIN lockout", dir.join(PIN_LOCKOUT_FILE_NAME)),
        item("any pending provisioning file", dir.join(DROP_FOLDER_NAME)),
    ]
}

/// Whether a reset was started and not finished.
pub(crate) fn is_pending(data_dir: &DataDir) -> bool {
    marker(data_dir).exists()
}

/// Resets the console to factory state. `after_step` is told of each step once it is on
/// disk (the crash tests stop the process there).
pub fn factory_reset(
    data_dir: &DataDir,
    after_step: &mut dyn FnMut(ResetStep),
) -> Result<(), ResetError> {
    write_marker(data_dir)?;
    after_step(ResetStep::MarkerWritten);
    erase_all(data_dir, after_step)
}

/// Finishes a reset an earlier run started (a power cut, a crash): call it at every
/// start, before anything else reads the data dir. Returns whether there was one.
pub(crate) fn finish_interrupted(data_dir: &DataDir) -> Result<bool, ResetError> {
    if !is_pending(data_dir) {
        return Ok(false);
    }
    tracing::warn!("a factory reset was interrupted; finishing it now");
    erase_all(data_dir, &mut |_| {})?;
    Ok(true)
}

fn marker(data_dir: &DataDir) -> PathBuf {
    data_dir.path().join(RESET_MARKER_NAME)
}

fn write_marker(data_dir: &DataDir) -> Result<(), ResetError> {
    let path = marker(data_dir);
    let text = b"factory reset started; it is finished at the next start\n";
    write_atomically(&path, text, OWNER_ONLY).map_err(|source| ResetError { path, source })
}

fn erase_all(data_dir: &DataDir, after_step: &mut dyn FnMut(ResetStep)) -> Result<(), ResetError> {
    let dir = data_dir.path();
    for secrets in files_named_like(dir, SECRETS_FILE_NAME)? {
        shred(&secrets)?;
    }
    synced(dir)?;
    after_step(ResetStep::SecretsErased);

    let drop_folder = dir.join(DROP_FOLDER_NAME);
    shred_folder(&drop_folder)?;
    synced(dir)?;
    after_step(ResetStep::ProvisioningErased);

    for settings in files_named_like(dir, SETTINGS_FILE_NAME)? {
        remove(&settings)?;
    }
    synced(dir)?;
    after_step(ResetStep::SettingsErased);

    let database = data_dir.agenda_db();
    remove(&database)?;
    for suffix in DATABASE_COMPANION_SUFFIXES {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        remove(Path::new(&name))?;
    }
    synced(dir)?;
    after_step(ResetStep::AgendaErased);

    remove(&dir.join(PIN_LOCKOUT_FILE_NAME))?;
    synced(dir)?;
    after_step(ResetStep::PinLockoutErased);

    remove(&marker(data_dir))?;
    synced(dir)?;
    after_step(ResetStep::MarkerRemoved);
    tracing::info!(data_dir = %dir.display(), "factory reset complete");
    Ok(())
}

/// `name` itself and the temporary copies an interrupted atomic write leaves beside it
/// (`.<name>.tmp-…`).
fn files_named_like(dir: &Path, name: &str) -> Result<Vec<PathBuf>, ResetError> {
    let temp_prefix = format!(".{name}.tmp-");
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(ResetError {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| ResetError {
            path: dir.to_owned(),
            source,
        })?;
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name == name || file_name.starts_with(&temp_prefix) {
            found.push(entry.path());
        }
    }
    Ok(found)
}

/// Overwrites every file of `folder` with zeros, then removes the folder.
fn shred_folder(folder: &Path) -> Result<(), ResetError> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ResetError {
                path: folder.to_owned(),
                source,
            });
        }
    };
    for entry in entries {
        let path = entry
            .map_err(|source| ResetError {
                path: folder.to_owned(),
                source,
            })?
            .path();
        if path.is_dir() && !path.is_symlink() {
            shred_folder(&path)?;
        } else {
            shred(&path)?;
        }
    }
    fs::remove_dir(folder)
        .or_else(ignore_missing)
        .map_err(|source| ResetError {
            path: folder.to_owned(),
            source,
        })
}

/// Overwrites a regular file with zeros (flushed to disk), then removes it. A link is
/// removed without touching what it points to.
fn shred(path: &Path) -> Result<(), ResetError> {
    let overwrite = || -> io::Result<()> {
        let meta = match fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if meta.is_file() {
            let mut file = OpenOptions::new().write(true).open(path)?;
            let zeros = vec![0u8; 64 * 1024];
            let mut left = meta.len();
            while left > 0 {
                let chunk = left.min(zeros.len() as u64) as usize;
                file.write_all(&zeros[..chunk])?;
                left -= chunk as u64;
            }
            file.sync_all()?;
        }
        Ok(())
    };
    overwrite().map_err(|source| ResetError {
        path: path.to_owned(),
        source,
    })?;
    remove(path)
}

fn remove(path: &Path) -> Result<(), ResetError> {
    fs::remove_file(path)
        .or_else(ignore_missing)
        .map_err(|source| ResetError {
            path: path.to_owned(),
            source,
        })
}

fn ignore_missing(e: io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

/// Flushes the directory so removals and creations in it survive a power cut.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn synced(dir: &Path) -> Result<(), ResetError> {
    match sync_dir(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(ResetError {
            path: dir.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn populated() -> (tempfile::TempDir, DataDir) {
        let temp = tempfile::tempdir().expect("temp dir");
        let dir = temp.path();
        fs::write(dir.join(SETTINGS_FILE_NAME), b"{}").expect("settings");
        fs::write(dir.join(SECRETS_FILE_NAME), b"{\"admin_pin\":\"2468\"}").expect("secrets");
        fs::write(dir.join(format!(".{SECRETS_FILE_NAME}.tmp-1-0")), b"pw").expect("temp");
        fs::write(dir.join("agenda.sqlite3"), b"db").expect("db");
        fs::write(dir.join("agenda.sqlite3-wal"), b"wal").expect("wal");
        fs::write(dir.join("agenda.sqlite3-shm"), b"shm").expect("shm");
        fs::write(dir.join(PIN_LOCKOUT_FILE_NAME), b"{}").expect("lockout");
        fs::create_dir(dir.join(DROP_FOLDER_NAME)).expect("drop folder");
        fs::write(
            dir.join(DROP_FOLDER_NAME).join("RoomConsoleSettings.xml"),
            b"pw",
        )
        .expect("drop file");
        fs::write(dir.join("keep.me"), b"software state").expect("unrelated");
        let data_dir = DataDir::at(dir);
        (temp, data_dir)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn reset_erases_everything_it_lists_and_nothing_else() {
        let (temp, data_dir) = populated();
        assert!(what_is_erased(&data_dir).iter().all(|e| e.present));
        let mut steps = Vec::new();
        factory_reset(&data_dir, &mut |step| steps.push(step)).expect("reset");
        assert_eq!(steps, ResetStep::ALL);
        assert_eq!(names(temp.path()), vec!["keep.me"]);
        assert!(what_is_erased(&data_dir).iter().all(|e| !e.present));
    }

    #[test]
    fn a_pending_marker_is_finished_and_nothing_happens_without_one() {
        let (temp, data_dir) = populated();
        assert!(!finish_interrupted(&data_dir).expect("no reset pending"));
        assert_eq!(names(temp.path()).len(), 9);
        write_marker(&data_dir).expect("marker");
        assert!(is_pending(&data_dir));
        assert!(finish_interrupted(&data_dir).expect("finished"));
        assert_eq!(names(temp.path()), vec!["keep.me"]);
        assert!(!is_pending(&data_dir));
    }

    #[test]
    fn reset_of_an_empty_or_missing_data_dir_succeeds() {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = DataDir::at(temp.path());
        factory_reset(&data_dir, &mut |_| {}).expect("empty dir");
        assert!(names(temp.path()).is_empty());
    }
}
