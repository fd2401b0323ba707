//! Where the control socket lives: `$XDG_RUNTIME_DIR/room-console/control.sock`, else
//! `<data-dir>/control.sock`.

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
