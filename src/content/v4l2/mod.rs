//! V4L2 HDMI receivers (HDMI-to-CSI bridges such as TC358743 or ADV76xx): the kernel ABI
//! pieces, the pure interpretation of what they report, the device, discovery and the
//! input source.
//!
//! Live preview frames are not read here: [`crate::content::InputInfo::can_preview`]
//! says whether the node could deliver them to the share window. HDCP-protected sources
//! cannot be told apart through the standard V4L2 API; they show as a locked signal.

pub mod abi;
pub mod device;
pub mod probe;
pub mod source;
pub mod timings;

pub use probe::discover_receivers;
pub use source::V4l2Source;
