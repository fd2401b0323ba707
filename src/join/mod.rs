//! Meeting-link detection (Lync/Skype for Business, Teams, Zoom, Webex, Meet, GoTo …)
//! and the handler that runs when someone presses Join.

mod link;

pub use link::{JoinLink, NoJoinReason, Provider};
