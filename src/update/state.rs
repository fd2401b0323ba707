//! Where the update stands, kept in `<data-dir>/update.json` so `status`, the admin
//! screen and the console after a restart all read the same: downloading, installing,
//! waiting for the planned restart, proving itself after the restart, kept, rolled back
//! or failed.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::plan::RestartPlan;
use crate::settings::files::{self, OWNER_WRITE_ALL_READ, ParseDetail};
use crate::words::Wording;

/// The state file's name inside the data directory.
pub(crate) const STATE_FILE_NAME: &str = "update.json";

/// The update's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum UpdateState {
    Downloading {
        source: String,
        done_bytes: u64,
        total_bytes: Option<u64>,
    },
    Installing {
        percent: u8,
        step: String,
    },
    /// Installed into `slot` (its bootname); the restart waits for the planned time.
    AwaitingRestart {
        version: String,
        slot: String,
        plan: Option<RestartPlan>,
    },
    /// Booted into the new software; the health gate decides by `deadline`.
    Proving {
        version: String,
        slot: String,
        deadline: DateTime<Utc>,
    },
    /// The new software passed the health gate and stays.
    Kept {
        version: String,
        at: DateTime<Utc>,
    },
    /// The new software failed; the console went back to the old one.
    RolledBack {
        version: String,
        reason: String,
        at: DateTime<Utc>,
        /// The reason as phrases, for the admin screen to word in its language (`None` in
        /// a state saved before phrases: its `reason` shows as it is).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        words: Option<Wording>,
    },
    Failed {
        message: String,
        at: DateTime<Utc>,
        /// The same as phrases, for the admin screen to word in its language (`None` in
        /// a state saved before phrases: its `message` shows as it is).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        words: Option<Wording>,
    },
}

impl UpdateState {
    /// The file of `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(STATE_FILE_NAME)
    }

    /// The saved state; `None` when no update was ever started (or the file is unreadable:
    /// an update state is never worth refusing to start over).
    pub fn load(data_dir: &Path) -> Option<UpdateState> {
        files::load_json(&Self::path(data_dir), ParseDetail::Full)
            .ok()
            .flatten()
    }

    /// Saves the state atomically.
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        files::save_json(&Self::path(data_dir), self, OWNER_WRITE_ALL_READ)
            .map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// One line for `status` and the admin screen, times in the room's time zone.
    pub fn describe(&self, tz: &Tz) -> String {
        let local = |t: &DateTime<Utc>| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string();
        match self {
            UpdateState::Downloading {
                done_bytes,
                total_bytes: Some(total),
                ..
            } if *total > 0 => format!(
                "downloading: {}% of {} MB",
                done_bytes * 100 / total,
                total.div_ceil(1_000_000)
            ),
            UpdateState::Downloading { done_bytes, .. } => {
                format!("downloading: {} MB", done_bytes / 1_000_000)
            }
            UpdateState::Installing { percent, step } => format!("installing: {percent}% ({step})"),
            UpdateState::AwaitingRestart {
                version,
                plan: Some(plan),
                ..
            } => format!("restart for {version} {}", plan.describe(tz)),
            UpdateState::AwaitingRestart { version, .. } => format!(
                "{version} is installed; the room has no free quarter hour in the coming week \
                 to restart in: restart the console by hand when the room is free"
            ),
            UpdateState::Proving {
                version, deadline, ..
            } => format!(
                "running {version} on trial: kept once the screen and a calendar sync work \
                 (rolled back at {} otherwise)",
                local(deadline)
            ),
            UpdateState::Kept { version, at } => format!("{version} kept since {}", local(at)),
            UpdateState::RolledBack {
                version,
                reason,
                at,
                ..
            } => format!(
                "{version} was rolled back at {}: {reason}. The previous software runs",
                local(at)
            ),
            UpdateState::Failed { message, at, .. } => {
                format!("the last update failed at {}: {message}", local(at))
            }
        }
    }
}

/// The slots file's name inside the data directory: the slots as RAUC last reported
/// them, so the admin screen shows them without waiting on the D-Bus.
pub(crate) const SLOTS_FILE_NAME: &str = "update-slots.json";

/// What RAUC last said about the slots; `None` in the file means RAUC is not on this
/// system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlotsSnapshot {
    pub slots: Option<Vec<super::rauc::Slot>>,
}

impl SlotsSnapshot {
    pub fn load(data_dir: &Path) -> Option<SlotsSnapshot> {
        files::load_json(&data_dir.join(SLOTS_FILE_NAME), ParseDetail::Full)
            .ok()
            .flatten()
    }

    pub fn save(&self, data_dir: &Path) {
        if !data_dir.is_dir() {
            return;
        }
        if let Err(err) =
            files::save_json(&data_dir.join(SLOTS_FILE_NAME), self, OWNER_WRITE_ALL_READ)
        {
            tracing::error!("cannot save the slots: {err}");
        }
    }

    /// One line for `status` and the admin screen.
    pub fn describe(&self) -> String {
        match &self.slots {
            None => "updates are not available on this system (no RAUC)".to_owned(),
            Some(slots) if slots.is_empty() => "RAUC reports no slots".to_owned(),
            Some(slots) => slots
                .iter()
                .map(super::rauc::Slot::describe)
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}
