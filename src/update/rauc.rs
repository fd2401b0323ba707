//! The RAUC update service over D-Bus (`de.pengutronix.rauc.Installer`, as described by
//! the interface XML rauc-service ships): install a bundle with its progress, read the
//! slots, mark the booted slot good or bad. The system bus by default; zbus honours
//! `DBUS_SYSTEM_BUS_ADDRESS`, so tests run RAUC on a private bus.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use zbus::proxy::CacheProperties;
use zbus::zvariant::{OwnedValue, Value};

use super::error::UpdateError;
use super::words;

/// The proxy for RAUC's `de.pengutronix.rauc.Installer` (methods and properties used here).
#[zbus::proxy(
    interface = "de.pengutronix.rauc.Installer",
    default_service = "de.pengutronix.rauc",
    default_path = "/"
)]
pub trait Installer {
    /// Starts installing the bundle at `source`; the outcome comes with `Completed`.
    fn install_bundle(&self, source: &str, args: HashMap<&str, Value<'_>>) -> zbus::Result<()>;
    /// Marks a slot `good`, `bad` or `active`; answers the slot's name and what was done.
    fn mark(&self, state: &str, slot_identifier: &str) -> zbus::Result<(String, String)>;
    /// Every slot with its status dictionary.
    fn get_slot_status(&self) -> zbus::Result<Vec<(String, HashMap<String, OwnedValue>)>>;
    /// The slot the bootloader starts next.
    fn get_primary(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn operation(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn last_error(&self) -> zbus::Result<String>;
    /// (percentage, message, nesting depth)
    #[zbus(property)]
    fn progress(&self) -> zbus::Result<(i32, String, i32)>;
    #[zbus(property)]
    fn compatible(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn boot_slot(&self) -> zbus::Result<String>;
    /// An installation ended: 0 for success.
    #[zbus(signal)]
    fn completed(&self, result: i32) -> zbus::Result<()>;
}

/// One slot as the admin screen and `status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// RAUC's name, e.g. `rootfs.1`.
    pub name: String,
    /// The bootloader's name, e.g. `B`.
    pub bootname: Option<String>,
    /// `booted`, `active` or `inactive`.
    pub state: String,
    /// The bootloader's verdict: `good` or `bad`.
    pub boot_status: Option<String>,
    /// The version of the bundle last installed into it.
    pub version: Option<String>,
    /// Whether the bootloader starts it next.
    pub primary: bool,
}

impl Slot {
    /// "rootfs.1 (B): 1.4.0, booted, good, primary"
    pub fn describe(&self) -> String {
        let mut parts = vec![
            self.version
                .clone()
                .unwrap_or_else(|| "version unknown".into()),
        ];
        parts.push(self.state.clone());
        parts.extend(self.boot_status.clone());
        if self.primary {
            parts.push("primary".into());
        }
        match &self.bootname {
            Some(boot) => format!("{} ({boot}): {}", self.name, parts.join(", ")),
            None => format!("{}: {}", self.name, parts.join(", ")),
        }
    }
}

/// A step of an installation, as RAUC reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallProgress {
    pub percent: u8,
    pub step: String,
}

/// A connection to RAUC.
pub struct Rauc {
    installer: InstallerProxy<'static>,
}

/// How often the installation's progress is read while it runs.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

impl Rauc {
    /// RAUC on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` when set). No bus, or no RAUC on
    /// it, is [`UpdateError::NotAvailable`].
    pub async fn system() -> Result<Rauc, UpdateError> {
        let connection =
            zbus::Connection::system()
                .await
                .map_err(|e| UpdateError::NotAvailable {
                    detail: format!("cannot reach the system D-Bus: {e}"),
                })?;
        Rauc::on(&connection).await
    }

    /// RAUC on an existing connection; checks that it answers.
    pub async fn on(connection: &zbus::Connection) -> Result<Rauc, UpdateError> {
        let installer = InstallerProxy::builder(connection)
            .cache_properties(CacheProperties::No)
            .build()
            .await
            .map_err(dbus_error)?;
        let rauc = Rauc { installer };
        rauc.installer.compatible().await.map_err(dbus_error)?;
        Ok(rauc)
    }

    /// The system's compatible string (bundles must carry the same).
    pub async fn compatible(&self) -> Result<String, UpdateError> {
        self.installer.compatible().await.map_err(dbus_error)
    }

    /// Installs `bundle` into the other slot, telling `progress` each step; on failure,
    /// RAUC's `LastError` in an admin's words.
    pub async fn install(
        &self,
        bundle: &Path,
        mut progress: impl FnMut(InstallProgress),
    ) -> Result<(), UpdateError> {
        let mut completed = self
            .installer
            .receive_completed()
            .await
            .map_err(dbus_error)?;
        let started = self
            .installer
            .install_bundle(&bundle.to_string_lossy(), HashMap::new())
            .await;
        match started {
            Ok(()) => {}
            Err(zbus::Error::MethodError(_, Some(message), _)) => {
                return Err(words::explain(&message));
            }
            Err(e) => return Err(dbus_error(e)),
        }
        let mut ticker = tokio::time::interval(PROGRESS_EVERY);
        let mut last = None;
        let result = loop {
            tokio::select! {
                signal = completed.next() => {
                    let signal = signal.ok_or_else(|| UpdateError::Local(
                        "the RAUC service went away during the installation".into()))?;
                    break signal.args().map_err(dbus_error)?.result;
                }
                _ = ticker.tick() => {
                    if let Ok((percent, step, _)) = self.installer.progress().await {
                        let now = InstallProgress { percent: percent.clamp(0, 100) as u8, step };
                        if last.as_ref() != Some(&now) {
                            progress(now.clone());
                            last = Some(now);
                        }
                    }
                }
            }
        };
        if result == 0 {
            progress(InstallProgress {
                percent: 100,
                step: "Installing done.".into(),
            });
            return Ok(());
        }
        let last_error = self.installer.last_error().await.map_err(dbus_error)?;
        Err(words::explain(&last_error))
    }

    /// Every slot of class `rootfs` (or all slots when none has a class), with the primary.
    pub async fn slots(&self) -> Result<Vec<Slot>, UpdateError> {
        let primary = self.installer.get_primary().await.ok();
        let raw = self.installer.get_slot_status().await.map_err(dbus_error)?;
        let mut slots: Vec<Slot> = raw
            .into_iter()
            .filter(|(_, fields)| text(fields, "class").is_none_or(|class| class == "rootfs"))
            .map(|(name, fields)| Slot {
                primary: primary.as_deref() == Some(name.as_str()),
                bootname: text(&fields, "bootname"),
                state: text(&fields, "state").unwrap_or_else(|| "unknown".into()),
                boot_status: text(&fields, "boot-status").or_else(|| text(&fields, "boot_status")),
                version: text(&fields, "bundle.version"),
                name,
            })
            .collect();
        slots.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(slots)
    }

    /// The slot the bootloader starts next (RAUC's name, e.g. `rootfs.1`).
    pub async fn primary(&self) -> Result<String, UpdateError> {
        self.installer.get_primary().await.map_err(dbus_error)
    }

    /// The bootname of the slot running now, e.g. `A`.
    pub(crate) async fn boot_slot(&self) -> Result<String, UpdateError> {
        self.installer.boot_slot().await.map_err(dbus_error)
    }

    /// Marks the booted slot `good` (keep it) or `bad` (the bootloader falls back).
    pub(crate) async fn mark_booted(&self, good: bool) -> Result<String, UpdateError> {
        let state = if good { "good" } else { "bad" };
        match self.installer.mark(state, "booted").await {
            Ok((_, message)) => Ok(message),
            Err(zbus::Error::MethodError(_, Some(message), _)) => Err(UpdateError::Local(format!(
                "RAUC could not mark the running software {state}: {message}"
            ))),
            Err(e) => Err(dbus_error(e)),
        }
    }
}

/// A string field of a slot's status dictionary.
fn text(fields: &HashMap<String, OwnedValue>, key: &str) -> Option<String> {
    let value = fields.get(key)?;
    String::try_from(value.try_clone().ok()?)
        .ok()
        .filter(|s| !s.is_empty())
}

/// A D-Bus failure: RAUC missing from the bus is "not available", anything else local.
fn dbus_error(error: zbus::Error) -> UpdateError {
    let missing = match &error {
        zbus::Error::MethodError(name, _, _) => [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NameHasNoOwner",
            "org.freedesktop.DBus.Error.UnknownObject",
            "org.freedesktop.DBus.Error.UnknownInterface",
        ]
        .contains(&name.as_str()),
        zbus::Error::FDO(e) => matches!(
            **e,
            zbus::fdo::Error::ServiceUnknown(_)
                | zbus::fdo::Error::NameHasNoOwner(_)
                | zbus::fdo::Error::UnknownObject(_)
                | zbus::fdo::Error::UnknownInterface(_)
        ),
        _ => false,
    };
    if missing {
        UpdateError::NotAvailable {
            detail: error.to_string(),
        }
    } else {
        UpdateError::Local(format!(
            "talking to the RAUC update service failed: {error}"
        ))
    }
}
