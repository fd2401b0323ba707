//! Finding the HDMI receivers under `/dev`: each V4L2 node probed (`probe`), the
//! receivers and the nodes room-console may not open made into input sources.

use std::path::Path;

use super::probe::{probe, v4l2_nodes};
use super::source::V4l2Source;
use crate::content::reading::InputError;

/// The HDMI receivers under `dev_root`, plus the nodes room-console may not open (so the
/// admin sees why). Capture nodes win: sub-devices are only used when no capture node is
/// a receiver, so one HDMI port never shows up twice.
pub fn discover_receivers(dev_root: &Path, sysfs_root: &Path) -> Vec<V4l2Source> {
    let mut capture_nodes = Vec::new();
    let mut subdevices = Vec::new();
    let mut forbidden = Vec::new();
    for path in v4l2_nodes(dev_root) {
        let found = probe(&path, sysfs_root);
        let is_subdevice = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("v4l-subdev"));
        match &found.is_receiver {
            Ok(true) if is_subdevice => subdevices.push(V4l2Source::from_probe(&path, found)),
            Ok(true) => capture_nodes.push(V4l2Source::from_probe(&path, found)),
            Err(InputError::PermissionDenied { .. }) => {
                forbidden.push(V4l2Source::from_probe(&path, found));
            }
            Ok(false) | Err(_) => {}
        }
    }
    let mut receivers = if capture_nodes.is_empty() {
        subdevices
    } else {
        capture_nodes
    };
    receivers.extend(forbidden);
    receivers
}
