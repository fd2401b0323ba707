//! The "Join from your phone" overlay: the meeting link in words and as a QR code, shown
//! when the console has no join command configured or the command failed (the screen
//! words the title and the message in its language).

use slint::ComponentHandle;

use crate::calendar::Meeting;
use crate::ui::qr::qr_image;
use crate::ui::{AppWindow, JoinOverlayAdapter};

/// Shows the overlay for `meeting`'s join link (does nothing when it has none).
pub fn show(app: &AppWindow, meeting: &Meeting) {
    show_link(app, meeting, false);
}

/// Shows the overlay after the join command could not start the meeting: it says so.
pub(crate) fn show_not_started(app: &AppWindow, meeting: &Meeting) {
    show_link(app, meeting, true);
}

fn show_link(app: &AppWindow, meeting: &Meeting, not_started: bool) {
    let Some(join) = &meeting.join else { return };
    let adapter = app.global::<JoinOverlayAdapter>();
    adapter.set_provider(join.provider.display_name().into());
    adapter.set_not_started(not_started);
    adapter.set_url(join.url.as_str().into());
    adapter.set_qr_code(qr_image(&join.url).unwrap_or_default());
    adapter.set_shown(true);
}
