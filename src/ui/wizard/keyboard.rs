//! The on-screen keyboard's keys become key events of the window, so they reach the
//! focused text field exactly as a physical keyboard's would (which keeps working).

use slint::SharedString;
use slint::platform::WindowEvent;

/// Presses and releases `key` (a character, or one of Slint's `Key` codes such as
/// Backspace or Tab) in `window`.
pub(crate) fn press(window: &slint::Window, key: &str) {
    let text = SharedString::from(key);
    window.dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
    window.dispatch_event(WindowEvent::KeyReleased { text });
}
