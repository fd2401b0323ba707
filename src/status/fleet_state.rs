//! Where the fleet connection stands — `connected`, `connecting (reason)` or `off` —
//! as the fleet agent (`crate::fleet`) publishes it to the rest of the console and
//! leaves it in
//! `<data-dir>/fleet-state.json` for `room-console status` and the admin screen, which
//! read it with the process id that wrote it (a state left by a console that is no
//! longer running says so).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::settings::Settings;
use crate::settings::files::{self, OWNER_WRITE_ALL_READ, ParseDetail};

/// The state file's name inside the data directory.
pub const STATE_FILE_NAME: &str = "fleet-state.json";

/// The fleet connection's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FleetState {
    /// No broker is set, or it cannot be used: why (`None`: not set up).
    Off {
        reason: Option<String>,
    },
    /// Trying to reach the broker; the reason the last attempt failed, if one did.
    Connecting {
        reason: Option<String>,
    },
    Connected,
}

impl FleetState {
    /// `connected`, `connecting (reason)`, `off` or `off (reason)`: what `status` prints.
    pub fn label(&self) -> String {
        match self {
            FleetState::Connected => "connected".into(),
            FleetState::Connecting { reason: None } => "connecting".into(),
            FleetState::Connecting {
                reason: Some(reason),
            } => format!("connecting ({reason})"),
            FleetState::Off { reason: None } => "off".into(),
            FleetState::Off {
                reason: Some(reason),
            } => format!("off ({reason})"),
        }
    }

    /// The reason shown in brackets, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            FleetState::Off { reason } | FleetState::Connecting { reason } => reason.as_deref(),
            FleetState::Connected => None,
        }
    }
}

/// The state as written by a running console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Recorded {
    #[serde(flatten)]
    state: FleetState,
    pid: u32,
    at: DateTime<Utc>,
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(STATE_FILE_NAME)
}

/// Records `state` for `status` and the admin screen; a failure is logged, never fatal.
pub fn record(data_dir: &Path, state: &FleetState) {
    let recorded = Recorded {
        state: state.clone(),
        pid: std::process::id(),
        at: Utc::now(),
    };
    if let Err(err) = files::save_json(&path(data_dir), &recorded, OWNER_WRITE_ALL_READ) {
        tracing::warn!("cannot record the fleet state: {err}");
    }
}

/// The fleet state as `status` reports it: off without a broker; otherwise what the
/// running console recorded, or off when no console is running.
pub fn read(data_dir: &Path, settings: Option<&Settings>) -> FleetState {
    if settings.is_none_or(|s| s.fleet.broker.is_none()) {
        return FleetState::Off { reason: None };
    }
    let recorded: Option<Recorded> = files::load_json(&path(data_dir), ParseDetail::Full)
        .ok()
        .flatten();
    match recorded {
        Some(recorded) if process_runs(recorded.pid) => recorded.state,
        _ => FleetState::Off {
            reason: Some("the console is not running".into()),
        },
    }
}

/// Whether a process with this id runs (it may be another program after a reboot; the
/// state file is then at worst one start old).
fn process_runs(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_status_prints_them() {
        assert_eq!(FleetState::Connected.label(), "connected");
        assert_eq!(
            FleetState::Connecting {
                reason: Some("the broker refused the certificate".into())
            }
            .label(),
            "connecting (the broker refused the certificate)"
        );
        assert_eq!(FleetState::Off { reason: None }.label(), "off");
    }

    #[test]
    fn a_recorded_state_is_read_back_while_its_console_runs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::demo();
        assert_eq!(
            read(dir.path(), Some(&settings)),
            FleetState::Off { reason: None }
        );
        settings.fleet.broker = Some("mqtts://fleet.contoso.com".parse().expect("url"));
        assert_eq!(
            read(dir.path(), Some(&settings)).label(),
            "off (the console is not running)"
        );
        record(dir.path(), &FleetState::Connected);
        assert_eq!(read(dir.path(), Some(&settings)), FleetState::Connected);
    }
}
