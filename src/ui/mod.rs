//! The Rust side of the screens: the generated Slint types, the models fed to them, and
//! the headless platform used for screenshots and UI tests.

slint::include_modules!();

pub mod admin;
pub mod admin_checks;
pub mod admin_health;
pub mod admin_model;
pub mod admin_update;
pub mod booking_panel;
mod callback;
pub mod content;
pub mod content_preview;
pub mod controller;
mod enums;
pub mod fonts;
pub mod headless;
pub mod home;
pub mod home_model;
pub mod join_overlay;
pub mod language;
pub mod night;
pub mod qr;
pub mod sync_banner;
pub mod wizard;
