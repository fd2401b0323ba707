//! The device itself: where its data lives, factory reset, the admin PIN and its
//! lockout, the systemd watchdog and night mode.

pub mod backlight;
pub mod night;
pub mod paths;
pub mod pin;
pub mod reset;
pub mod watchdog;
