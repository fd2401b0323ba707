//! Reading and atomically writing the JSON files in the data directory.
//!
//! A write goes to a temporary file in the same directory (created with its final mode,
//! so a secrets file is never readable by others, not even for an instant), is flushed to
//! disk, renamed over the old file, and the directory is flushed so the rename survives a
//! power cut. A reader therefore sees either the old file or the new one, never half.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a settings or secrets file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "{} is damaged ({detail}); fix it, or delete it and run the setup again",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("cannot write {}: {source} (is the disk full or read-only?)", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Unix permission bits for a file that holds passwords: owner read/write only.
pub(crate) const OWNER_ONLY: u32 = 0o600;
/// Unix permission bits for an ordinary settings file.
pub(crate) const OWNER_WRITE_ALL_READ: u32 = 0o644;

/// How much of a parse error to repeat in a [`SettingsError::Corrupt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseDetail {
    /// serde_json's whole message, which may quote values from the file.
    Full,
    /// Only where the problem is: for files holding secrets.
    PositionOnly,
}

/// Reads and parses a JSON file; `Ok(None)` when it does not exist.
pub(crate) fn load_json<T: DeserializeOwned>(
    path: &Path,
    detail: ParseDetail,
) -> Result<Option<T>, SettingsError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(SettingsError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| SettingsError::Corrupt {
            path: path.to_owned(),
            detail: match detail {
                ParseDetail::Full => e.to_string(),
                ParseDetail::PositionOnly => {
                    format!("unreadable at line {} column {}", e.line(), e.column())
                }
            },
        })
}

/// Serializes `value` as pretty JSON and writes it atomically to `path` with `mode`.
pub(crate) fn save_json<T: Serialize>(
    path: &Path,
    value: &T,
    mode: u32,
) -> Result<(), SettingsError> {
    let mut json = serde_json::to_vec_pretty(value).map_err(|e| SettingsError::Write {
        path: path.to_owned(),
        source: io::Error::other(e),
    })?;
    json.push(b'\n');
    write_atomically(path, &json, mode).map_err(|source| SettingsError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Writes `contents` to `path` atomically (temporary file, fsync, rename, fsync of the
/// directory). The directory is created when missing. The file ends up with `mode`.
pub(crate) fn write_atomically(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir)?;
    let temp_path = temp_path_beside(path);
    let result = write_then_rename(&temp_path, path, contents, mode);
    if result.is_err() {
        // Best effort: the temporary file is useless once the write failed.
        let _ = fs::remove_file(&temp_path);
    }
    result?;
    File::open(dir)?.sync_all()
}

/// Sets `path`'s permission bits to `mode`.
pub(crate) fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

fn write_then_rename(temp_path: &Path, path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(temp_path)?;
    // The umask may have taken bits away from `mode`; make the result exact.
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    fs::rename(temp_path, path)
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// A name no other writer in this or another process uses at the same time.
fn temp_path_beside(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_dir(path).join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.json");
        write_atomically(&path, b"one", OWNER_ONLY).expect("first write");
        write_atomically(&path, b"two", OWNER_ONLY).expect("second write");
        assert_eq!(fs::read(&path).expect("read back"), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec!["a.json"]);
    }

    #[test]
    fn atomic_write_creates_the_directory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("data").join("a.json");
        write_atomically(&path, b"x", OWNER_WRITE_ALL_READ).expect("write");
        assert_eq!(fs::read(&path).expect("read back"), b"x");
    }

    #[test]
    fn missing_file_loads_as_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loaded: Option<u32> =
            load_json(&dir.path().join("nope.json"), ParseDetail::Full).expect("no error");
        assert_eq!(loaded, None);
    }
}
