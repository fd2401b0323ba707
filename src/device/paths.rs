//! Where the console keeps its data: `--data-dir`, else `$ROOM_CONSOLE_DATA_DIR`, else
//! `$XDG_DATA_HOME/room-console` (else `~/.local/share/room-console`). On the device the
//! systemd unit sets `/var/lib/room-console`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The environment variable that names the data directory.
pub(crate) const DATA_DIR_ENV: &str = "ROOM_CONSOLE_DATA_DIR";

/// The console's data directory and the files in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// Resolves the data directory from the command line and the environment (passed in,
    /// so tests do not depend on the process environment).
    pub fn resolve(
        from_flag: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<DataDir> {
        if let Some(dir) = from_flag {
            return Ok(DataDir(dir.to_path_buf()));
        }
        let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
        if let Some(dir) = non_empty(DATA_DIR_ENV) {
            return Ok(DataDir(PathBuf::from(dir)));
        }
        if let Some(xdg) = non_empty("XDG_DATA_HOME") {
            return Ok(DataDir(PathBuf::from(xdg).join("room-console")));
        }
        if let Some(home) = non_empty("HOME") {
            return Ok(DataDir(
                PathBuf::from(home).join(".local/share/room-console"),
            ));
        }
        bail!("no data directory: pass --data-dir DIR or set {DATA_DIR_ENV}")
    }

    /// A data directory at a known path (tests, tools).
    pub fn at(path: impl Into<PathBuf>) -> DataDir {
        DataDir(path.into())
    }

    /// Creates the directory (owner-only) if it does not exist yet.
    pub(crate) fn ensure_exists(&self) -> Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.0)
            .with_context(|| format!("cannot create the data directory {}", self.0.display()))
    }

    /// The directory itself.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The SQLite agenda cache.
    pub fn agenda_db(&self) -> PathBuf {
        self.0.join("agenda.sqlite3")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn flag_wins_over_environment() {
        let env = env_of(&[(DATA_DIR_ENV, "/env"), ("XDG_DATA_HOME", "/xdg")]);
        let dir = DataDir::resolve(Some(Path::new("/flag")), env).unwrap();
        assert_eq!(dir.path(), Path::new("/flag"));
    }

    #[test]
    fn env_var_then_xdg_then_home() {
        let dir = DataDir::resolve(
            None,
            env_of(&[(DATA_DIR_ENV, "/env"), ("XDG_DATA_HOME", "/x")]),
        );
        assert_eq!(dir.unwrap().path(), Path::new("/env"));
        let dir = DataDir::resolve(None, env_of(&[("XDG_DATA_HOME", "/x"), ("HOME", "/h")]));
        assert_eq!(dir.unwrap().path(), Path::new("/x/room-console"));
        let dir = DataDir::resolve(None, env_of(&[("HOME", "/h")]));
        assert_eq!(
            dir.unwrap().path(),
            Path::new("/h/.local/share/room-console")
        );
        assert!(DataDir::resolve(None, env_of(&[])).is_err());
    }
}
