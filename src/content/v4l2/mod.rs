//! V4L2 HDMI receivers (HDMI-to-CSI bridges such as TC358743 or ADV76xx): the kernel ABI
//! pieces, the pure interpretation of what they report, the device, discovery and the
//! input source.
//!
//! [`stream`] captures the picture for the live preview
//! ([`crate::content::preview`]); [`crate::content::InputInfo::can_preview`] says
//! whether a node can deliver it. HDCP-protected sources cannot be told apart through
//! the standard V4L2 API: detection sees a locked signal, and the preview infers copy
//! protection from a picture that stays black (see [`crate::content::preview::problem`]).

pub mod abi;
pub mod device;
pub mod discover;
pub mod probe;
pub mod source;
pub mod stream;
pub mod stream_abi;
pub mod timings;

pub use discover::discover_receivers;
pub use source::V4l2Source;
