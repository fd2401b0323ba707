//! The "Join from your phone" overlay: the meeting link in words and as a QR code, shown
//! when the console has no join command configured or the command failed.

use slint::ComponentHandle;

use super::qr::qr_image;
use super::{AppWindow, JoinOverlayAdapter};
use crate::calendar::Meeting;

/// Shows the overlay for `meeting`'s join link (does nothing when it has none).
pub fn show(app: &AppWindow, meeting: &Meeting) {
    show_with_message(
        app,
        meeting,
        "Scan the code with your phone, or open the link on your laptop, to join this meeting.",
    );
}

/// Shows the overlay with a message of the caller's (e.g. why the console could not
/// join by itself).
pub fn show_with_message(app: &AppWindow, meeting: &Meeting, message: &str) {
    let Some(join) = &meeting.join else { return };
    let adapter = app.global::<JoinOverlayAdapter>();
    adapter.set_title(format!("Join {}", join.provider.display_name()).into());
    adapter.set_message(message.into());
    adapter.set_url(join.url.as_str().into());
    adapter.set_qr_code(qr_image(&join.url).unwrap_or_default());
    adapter.set_shown(true);
}
