//! Meeting-link detection (Lync/Skype for Business, Teams, Zoom, Webex, Meet, GoTo …)
//! and the handler that runs when someone presses Join.
//!
//! [`detect`] looks at a meeting's structured join fields and its body; [`classify`]
//! tells the provider of one link; [`handler::launch`] runs the configured join command.

mod ascii_scan;
mod detect;
mod extract;
pub mod handler;
mod html;
mod join_label;
mod link;
mod providers;
mod safelinks;
mod white_space;

pub use detect::{JoinSources, detect};
pub use handler::{JoinLaunch, JoinOutcome, JoinWaitError, launch, launch_share};
pub use link::{JoinLink, NoJoinReason, Provider};
pub use providers::classify;
