//! Content input detection: when a laptop is plugged into the console's HDMI/VGA content
//! input, the share window pops up by itself; when it is unplugged, the window closes.
//!
//! - sources ([`InputSource`]): V4L2 HDMI receivers, DRM connector status, a status
//!   file, and a simulated input for the desktop and demos;
//! - [`ContentMachine`]: the pure plug/unplug state machine (debounce, grace period);
//! - [`ContentWatcher`]: the tokio task that drives the machines from the sources and
//!   sends [`ContentEvent`]s to the UI;
//! - [`preview`]: the live picture of a V4L2 input in the share window;
//! - [`discover`]: what the wizard's content step and the admin screen list;
//! - [`control`]: the control socket behind `room-console content connect|disconnect`.

pub mod control;
pub mod discovery;
pub mod drm;
pub mod machine;
pub mod preview;
pub mod reading;
pub mod setting;
pub mod simulated;
pub mod source;
pub mod status_file;
pub mod uevent;
pub mod v4l2;
pub mod watcher;

pub use discovery::{Roots, Sources, build_sources, discover};
pub use machine::{ContentEvent, ContentMachine, ContentState, MachineConfig};
pub use reading::{InputError, InputInfo, InputKind, InputStatus, SignalReading, VideoMode};
pub use setting::{InputSetting, InputSettingError};
pub use simulated::{SimulatedSource, SimulatedSwitch, simulated_input};
pub use source::InputSource;
pub use watcher::ContentWatcher;
