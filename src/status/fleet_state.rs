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
use crate::words::{Phrase, Wording};

/// The state file's name inside the data directory.
pub(crate) const STATE_FILE_NAME: &str = "fleet-state.json";

/// The fleet connection's state. Its reason is phrases (the admin screen words it in its
/// language); as JSON (`status --json`, the fleet's reports) the reason is its English,
/// and the state file keeps the phrases beside it (`Recorded::reason_words`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FleetState {
    /// No broker is set, or it cannot be used: why (`None`: not set up).
    Off {
        #[serde(with = "english")]
        reason: Option<Wording>,
    },
    /// Trying to reach the broker; the reason the last attempt failed, if one did.
    Connecting {
        #[serde(with = "english")]
        reason: Option<Wording>,
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
    pub fn reason(&self) -> Option<&Wording> {
        match self {
            FleetState::Off { reason } | FleetState::Connecting { reason } => reason.as_ref(),
            FleetState::Connected => None,
        }
    }

    /// `self` with its reason's phrases put back from `words`, if it says the same in
    /// English (a reason read from JSON is English only).
    fn with_reason_words(mut self, words: Option<Wording>) -> FleetState {
        if let (FleetState::Off { reason } | FleetState::Connecting { reason }, Some(words)) =
            (&mut self, words)
            && let Some(english) = reason.as_ref().map(Wording::english)
        {
            *reason = Some(words.or_verbatim(&english));
        }
        self
    }
}

/// A reason as JSON: its English (read back as that English, shown as it is).
mod english {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::words::Wording;

    pub(super) fn serialize<S: Serializer>(
        reason: &Option<Wording>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        reason.as_ref().map(Wording::english).serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Wording>, D::Error> {
        Ok(Option::<String>::deserialize(deserializer)?.map(Wording::verbatim))
    }
}

/// The state as written by a running console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Recorded {
    #[serde(flatten)]
    state: FleetState,
    /// The reason as phrases (`None`: no reason, or a file from before phrases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason_words: Option<Wording>,
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
        reason_words: state.reason().cloned(),
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
        Some(recorded) if process_runs(recorded.pid) => {
            recorded.state.with_reason_words(recorded.reason_words)
        }
        _ => FleetState::Off {
            reason: Some(Phrase::FleetConsoleNotRunning.into()),
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
        let refused = FleetState::Connecting {
            reason: Some(Wording::phrase(
                Phrase::FleetNothingAnswers,
                ["fleet.contoso.com:8883"],
            )),
        };
        record(dir.path(), &refused);
        assert_eq!(
            read(dir.path(), Some(&settings)),
            refused,
            "phrases read back"
        );
    }

    #[test]
    fn as_json_the_reason_is_its_english() {
        let state = FleetState::Off {
            reason: Some(Wording::phrase(Phrase::FleetNothingAnswers, ["b:8883"])),
        };
        assert_eq!(
            serde_json::to_value(&state).expect("JSON"),
            serde_json::json!({
                "state": "off",
                "reason": "nothing answers at b:8883: is the broker (Mosquitto) running and \
                           listening there?"
            })
        );
    }
}
