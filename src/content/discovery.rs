//! From the setting to the inputs to watch: `auto` looks for HDMI receivers, else falls
//! back to the simulated input; the other settings name one input. Also what the
//! wizard's content step and the admin screen list.

use std::path::PathBuf;

use super::drm::{DrmConnector, DrmConnectorSource};
use super::reading::InputInfo;
use super::setting::InputSetting;
use super::simulated::{SimulatedSwitch, simulated_input};
use super::source::InputSource;
use super::status_file::StatusFileSource;
use super::v4l2::{V4l2Source, discover_receivers};

/// Where the kernel's trees are: `/sys` and `/dev` on a device, a temp dir in tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    pub sysfs: PathBuf,
    pub dev: PathBuf,
}

impl Roots {
    /// The real `/sys` and `/dev`.
    pub fn system() -> Roots {
        Roots {
            sysfs: PathBuf::from("/sys"),
            dev: PathBuf::from("/dev"),
        }
    }
}

/// The inputs a setting resolves to.
pub struct Sources {
    pub inputs: Vec<Box<dyn InputSource>>,
    /// The switch of the simulated input, when it is one of `inputs`: what the control
    /// socket's `content connect|disconnect` flips.
    pub simulated: Option<SimulatedSwitch>,
}

/// Resolves `setting` to sources. `auto` picks the HDMI receivers found under
/// `roots.dev` (and nodes room-console may not open, so the admin sees why), else the
/// simulated input. DRM connectors are never picked automatically: on most boards they
/// are the console's own display outputs.
pub fn build_sources(setting: &InputSetting, roots: &Roots) -> Sources {
    let one = |source: Box<dyn InputSource>| Sources {
        inputs: vec![source],
        simulated: None,
    };
    match setting {
        InputSetting::None => Sources {
            inputs: Vec::new(),
            simulated: None,
        },
        InputSetting::Simulated => simulated_sources(),
        InputSetting::V4l2(path) => one(Box::new(V4l2Source::new(path, &roots.sysfs))),
        InputSetting::Drm(name) => one(Box::new(DrmConnectorSource::new(DrmConnector::at(
            &roots.sysfs,
            name,
        )))),
        InputSetting::File(path) => one(Box::new(StatusFileSource::new(path.clone()))),
        InputSetting::Auto => {
            let receivers = discover_receivers(&roots.dev, &roots.sysfs);
            if receivers.is_empty() {
                simulated_sources()
            } else {
                Sources {
                    inputs: receivers
                        .into_iter()
                        .map(|source| Box::new(source) as Box<dyn InputSource>)
                        .collect(),
                    simulated: None,
                }
            }
        }
    }
}

fn simulated_sources() -> Sources {
    let (source, switch) = simulated_input();
    Sources {
        inputs: vec![Box::new(source)],
        simulated: Some(switch),
    }
}

/// The inputs `setting` resolves to, each read once: name, kind, path, status, whether it
/// can preview, and the error if it cannot be used. For the wizard and the admin screen.
pub fn discover(setting: &InputSetting, roots: &Roots) -> Vec<InputInfo> {
    build_sources(setting, roots)
        .inputs
        .iter_mut()
        .map(|source| {
            let reading = source.read();
            source.describe().with_reading(&reading)
        })
        .collect()
}
