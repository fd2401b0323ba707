//! DRM connector status as a content input: `/sys/class/drm/card0-HDMI-A-1/status` says
//! `connected` or `disconnected`. Re-read on DRM hot-plug uevents when the kernel sends
//! them, else every 2 s; VGA has no hot-plug pin, so it is always polled.
//!
//! On most boards DRM connectors are *outputs* (the console's own screen), so they are
//! never picked automatically: a connector is only watched when the settings name it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::reading::{InputError, InputInfo, InputKind, SignalReading};
use super::source::{Changed, InputSource, poll_after};
use super::status_file::read_status_file;
use super::uevent::UeventListener;

/// Poll period when no hot-plug events can be had (and always for VGA).
pub(crate) const DRM_POLL: Duration = Duration::from_secs(2);
/// With hot-plug events, a slow re-read all the same, in case one was missed.
pub(crate) const DRM_SAFETY_POLL: Duration = Duration::from_secs(10);

const SYSFS_PERMISSION_HINT: &str = "give the service user read access to /sys/class/drm";

/// A connector directory under `<sysfs>/class/drm`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrmConnector {
    /// `card0-HDMI-A-1`.
    pub name: String,
    /// `HDMI-A`, `VGA`, `DVI-D`, `DP` … (the part between the card and the index).
    pub connector_type: String,
    pub status_path: PathBuf,
}

impl DrmConnector {
    /// The connector `name` under the sysfs root (it may not exist).
    pub fn at(sysfs_root: &Path, name: &str) -> DrmConnector {
        DrmConnector {
            name: name.to_string(),
            connector_type: connector_type_of(name).unwrap_or_default().to_string(),
            status_path: sysfs_root.join("class/drm").join(name).join("status"),
        }
    }

    /// VGA (and analogue DVI) has no hot-plug detect pin: no uevent when it changes.
    pub(crate) fn needs_polling(&self) -> bool {
        matches!(self.connector_type.as_str(), "VGA" | "DVI-A")
    }
}

/// `card0-HDMI-A-1` → `HDMI-A`; `None` when the name is not `card<N>-<TYPE>-<M>`.
pub(crate) fn connector_type_of(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("card")?;
    let (card, rest) = rest.split_once('-')?;
    let (connector_type, index) = rest.rsplit_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (all_digits(card) && all_digits(index) && !connector_type.is_empty()).then_some(connector_type)
}

/// The connectors the kernel lists under `<sysfs>/class/drm`, sorted by name. The wizard
/// offers them for boards that wire one as an input; an unreadable directory lists none.
pub fn list_connectors(sysfs_root: &Path) -> Vec<DrmConnector> {
    let Ok(entries) = std::fs::read_dir(sysfs_root.join("class/drm")) else {
        return Vec::new();
    };
    let mut connectors: Vec<DrmConnector> = entries
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| connector_type_of(name).is_some())
        .map(|name| DrmConnector::at(sysfs_root, &name))
        .filter(|connector| connector.status_path.is_file())
        .collect();
    connectors.sort_by(|a, b| a.name.cmp(&b.name));
    connectors
}

/// Parses a DRM `status` file. `unknown` (what drivers say when they cannot detect,
/// typically VGA without load detection) reads as nothing plugged in.
pub(crate) fn parse_drm_status(content: &str) -> Option<SignalReading> {
    match content.trim() {
        "connected" => Some(SignalReading::CONNECTED),
        "disconnected" | "unknown" => Some(SignalReading::Absent),
        _ => None,
    }
}

/// How the source learns about changes.
enum Wakeup {
    /// Hot-plug events not tried yet (opened on the first wait, inside the runtime).
    NotStarted,
    Uevents(UeventListener),
    Polling,
}

/// Watches one DRM connector.
pub struct DrmConnectorSource {
    id: String,
    connector: DrmConnector,
    wakeup: Wakeup,
}

impl DrmConnectorSource {
    pub fn new(connector: DrmConnector) -> Self {
        let wakeup = if connector.needs_polling() {
            Wakeup::Polling
        } else {
            Wakeup::NotStarted
        };
        DrmConnectorSource {
            id: format!("drm:{}", connector.name),
            connector,
            wakeup,
        }
    }
}

impl InputSource for DrmConnectorSource {
    fn id(&self) -> &str {
        &self.id
    }

    fn describe(&self) -> InputInfo {
        InputInfo::unread(
            &self.id,
            self.connector.name.clone(),
            InputKind::Drm,
            Some(self.connector.status_path.clone()),
        )
    }

    fn read(&mut self) -> Result<SignalReading, InputError> {
        let path = &self.connector.status_path;
        let content = read_status_file(path, SYSFS_PERMISSION_HINT).map_err(|e| match e {
            // The connector directory vanishing means its card went away.
            InputError::NotFound { path } => InputError::DeviceGone { path },
            other => other,
        })?;
        parse_drm_status(&content).ok_or_else(|| InputError::BadStatus {
            path: path.clone(),
            content: content.trim().chars().take(40).collect(),
        })
    }

    fn changed(&mut self) -> Changed<'_> {
        if matches!(self.wakeup, Wakeup::NotStarted) {
            self.wakeup = match UeventListener::open() {
                Ok(listener) => Wakeup::Uevents(listener),
                Err(error) => {
                    tracing::info!(
                        "no DRM hot-plug events ({error}); polling {} every {:?}",
                        self.connector.name,
                        DRM_POLL
                    );
                    Wakeup::Polling
                }
            };
        }
        match &mut self.wakeup {
            Wakeup::Uevents(listener) => Box::pin(async move {
                tokio::select! {
                    () = listener.next_drm_hotplug() => {}
                    () = tokio::time::sleep(DRM_SAFETY_POLL) => {}
                }
            }),
            Wakeup::Polling | Wakeup::NotStarted => poll_after(DRM_POLL),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connector_names_split_into_card_type_index() {
        assert_eq!(connector_type_of("card0-HDMI-A-1"), Some("HDMI-A"));
        assert_eq!(connector_type_of("card1-VGA-1"), Some("VGA"));
        assert_eq!(connector_type_of("card0-DP-2"), Some("DP"));
        assert_eq!(connector_type_of("card0"), None);
        assert_eq!(connector_type_of("renderD128"), None);
        assert_eq!(connector_type_of("card0-HDMI-A-x"), None);
    }

    #[test]
    fn vga_is_always_polled() {
        let root = Path::new("/sys");
        assert!(DrmConnector::at(root, "card0-VGA-1").needs_polling());
        assert!(!DrmConnector::at(root, "card0-HDMI-A-1").needs_polling());
    }

    #[test]
    fn drm_status_words() {
        assert_eq!(
            parse_drm_status("connected\n"),
            Some(SignalReading::CONNECTED)
        );
        assert_eq!(
            parse_drm_status("disconnected\n"),
            Some(SignalReading::Absent)
        );
        assert_eq!(parse_drm_status("unknown\n"), Some(SignalReading::Absent));
        assert_eq!(parse_drm_status("on"), None);
    }
}
