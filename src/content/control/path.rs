//! Where the control socket lives: `$XDG_RUNTIME_DIR/room-console/control.sock`, else
//! `<data-dir>/control.sock` (where a systemd service, which has no runtime dir, listens).

use std::path::{Path, PathBuf};

/// The socket's file name.
pub const CONTROL_SOCKET_NAME: &str = "control.sock";

/// The control socket path. `env` reads the environment (passed in, so tests do not
/// depend on the process environment).
pub fn control_socket_path(env: impl Fn(&str) -> Option<String>, data_dir: &Path) -> PathBuf {
    match env("XDG_RUNTIME_DIR").filter(|dir| !dir.is_empty()) {
        Some(runtime_dir) => PathBuf::from(runtime_dir)
            .join("room-console")
            .join(CONTROL_SOCKET_NAME),
        None => data_dir.join(CONTROL_SOCKET_NAME),
    }
}

/// The socket a command-line client talks to. The console may run in another
/// environment than the command: as a systemd service it has no `XDG_RUNTIME_DIR` and
/// listens in its data dir, while an admin's shell has one. So: the runtime dir's socket
/// when it exists, else the data dir's when that exists, else the runtime dir's (the
/// path a "not running" message names).
pub fn find_control_socket(env: impl Fn(&str) -> Option<String>, data_dir: &Path) -> PathBuf {
    let preferred = control_socket_path(env, data_dir);
    let in_data_dir = data_dir.join(CONTROL_SOCKET_NAME);
    if !preferred.exists() && in_data_dir.exists() {
        return in_data_dir;
    }
    preferred
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_finds_a_service_s_socket_in_the_data_dir_from_a_login_shell() {
        let runtime = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let env =
            |name: &str| (name == "XDG_RUNTIME_DIR").then(|| runtime.path().display().to_string());
        let in_runtime = runtime
            .path()
            .join("room-console")
            .join(CONTROL_SOCKET_NAME);
        // Neither there: the preferred path, for the message.
        assert_eq!(find_control_socket(env, data.path()), in_runtime);
        // Only the service's, in the data dir.
        std::fs::write(data.path().join(CONTROL_SOCKET_NAME), "").unwrap();
        assert_eq!(
            find_control_socket(env, data.path()),
            data.path().join(CONTROL_SOCKET_NAME)
        );
        // A console in this session wins.
        std::fs::create_dir(runtime.path().join("room-console")).unwrap();
        std::fs::write(&in_runtime, "").unwrap();
        assert_eq!(find_control_socket(env, data.path()), in_runtime);
    }
}
