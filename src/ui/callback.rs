//! The one way a screen's controller hands Slint a callback: it reaches the window and
//! the controller's state through weak references, so a callback never keeps either
//! alive, and does nothing once one of them is gone.

use std::rc::Rc;

use slint::ComponentHandle;

use super::AppWindow;

/// A callback for an adapter's `on_…` that runs `f` with the window and `state`.
pub(crate) fn with_window<S: 'static>(
    app: &AppWindow,
    state: &Rc<S>,
    f: impl Fn(&AppWindow, &S) + 'static,
) -> impl Fn() + 'static {
    let (app, state) = (app.as_weak(), Rc::downgrade(state));
    move || {
        if let (Some(app), Some(state)) = (app.upgrade(), state.upgrade()) {
            f(&app, &state);
        }
    }
}
