//! Device settings, the secrets file and the provisioning file.
//!
//! - `<data-dir>/settings.json`: [`Settings`], everything but secrets; missing means the
//!   console is not configured yet (first boot).
//! - `<data-dir>/secrets.json`: [`Secrets`], mode 0600, never logged; each value a
//!   [`Secret`] that prints as `••••`.
//! - [`provision`]: reads and applies `RoomConsoleSettings.xml`.
//!
//! Both files are written atomically (see `files.rs`).

pub(crate) mod files;
mod maintenance_hours;
mod model;
pub mod provision;
mod secrets;
pub mod validate;

pub use crate::secret::Secret;
pub use files::SettingsError;
pub use maintenance_hours::MaintenanceHours;
pub use model::BookingSettings;
pub use model::{
    BLANK_AFTER_SECONDS, CalendarSettings, CalendarSource, ContentSettings, DEFAULT_REBOOT_COMMAND,
    DIM_AFTER_SECONDS, DeviceSettings, EwsAuthMethod, FleetSettings, GRACE_SECONDS,
    HEALTH_INTERVAL_SECONDS, LANGUAGES, NightModeSettings, RoomAccount, SETTINGS_FILE_NAME,
    SYNC_INTERVAL_SECONDS, Settings,
};
pub use model::{HEALTH_GATE_MINUTES, UpdateSettings};
pub use secrets::{SECRETS_FILE_NAME, Secrets};
