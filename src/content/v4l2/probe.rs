//! Telling HDMI receivers among the V4L2 nodes under `/dev`: a node is a receiver when
//! its current input has `V4L2_IN_CAP_DV_TIMINGS`, or (sub-devices, and capture nodes
//! without inputs) when it answers `VIDIOC_QUERY_DV_TIMINGS` with anything but "not
//! supported".

use std::path::{Path, PathBuf};

use nix::errno::Errno;

use super::abi::V4L2_IN_CAP_DV_TIMINGS;
use super::device::V4l2Device;
use crate::content::reading::InputError;

/// What a look at one node found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The card name the driver gives, else the sysfs name, else the node's file name.
    pub name: String,
    /// A capture node that can stream (a preview is possible).
    pub can_preview: bool,
    /// Whether it is an HDMI receiver, or why that could not be found out.
    pub is_receiver: Result<bool, InputError>,
}

/// Looks at the node at `path`.
pub fn probe(path: &Path, sysfs_root: &Path) -> Probe {
    let node = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sysfs_name = std::fs::read_to_string(
        sysfs_root
            .join("class/video4linux")
            .join(&node)
            .join("name"),
    )
    .ok()
    .map(|name| name.trim().to_string())
    .filter(|name| !name.is_empty());
    let fallback_name = sysfs_name.unwrap_or_else(|| path.display().to_string());
    let device = match V4l2Device::open(path) {
        Ok(device) => device,
        Err(error) => {
            return Probe {
                name: fallback_name,
                can_preview: false,
                is_receiver: Err(error),
            };
        }
    };
    let capability = device.capability().ok();
    let has_dv_input = capability.is_some()
        && matches!(device.current_input(), Ok((_, caps)) if caps & V4L2_IN_CAP_DV_TIMINGS != 0);
    let is_receiver = has_dv_input || answers_dv_timings(device.query_dv_timings().err());
    Probe {
        name: capability
            .as_ref()
            .map(|cap| cap.card.clone())
            .filter(|card| !card.is_empty())
            .unwrap_or(fallback_name),
        can_preview: capability.is_some_and(|cap| cap.can_capture()),
        is_receiver: Ok(is_receiver),
    }
}

/// Whether a `VIDIOC_QUERY_DV_TIMINGS` outcome shows the node has DV timings: success,
/// no link, no lock and out-of-range all do; "not supported" answers do not.
pub fn answers_dv_timings(error: Option<Errno>) -> bool {
    !matches!(error, Some(Errno::ENOTTY | Errno::ENODATA | Errno::EINVAL))
}

/// The V4L2 nodes under `dev_root` (`videoN` and `v4l-subdevN`), in numeric order.
pub(crate) fn v4l2_nodes(dev_root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dev_root) else {
        return Vec::new();
    };
    let mut nodes: Vec<(u8, u32, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let (rank, number) = if let Some(n) = name.strip_prefix("video") {
                (0, n)
            } else {
                (1, name.strip_prefix("v4l-subdev")?)
            };
            Some((rank, number.parse().ok()?, entry.path()))
        })
        .collect();
    nodes.sort();
    nodes.into_iter().map(|(_, _, path)| path).collect()
}
