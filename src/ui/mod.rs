//! The Rust side of the screens: the generated Slint types, the models fed to them, and
//! the headless platform used for screenshots and UI tests.

/// The types Slint generates from `ui/*.slint`, re-exported below.
mod generated {
    // Slint's generated code keeps `pub` items in its own private modules.
    #![allow(unreachable_pub)]
    slint::include_modules!();
}
pub use generated::*;

// One folder per screen, as in `ui/`.
pub mod admin;
pub mod content;
pub mod home;
pub mod night;
pub mod wizard;

// What the screens share.
mod callback;
mod enums;
pub mod fonts;
pub mod headless;
pub mod language;
pub mod qr;
