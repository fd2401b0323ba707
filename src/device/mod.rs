//! The device itself: where its data lives, factory reset, the admin PIN and its
//! lockout, the systemd watchdog, night mode and the network addresses.

pub mod backlight;
pub mod network;
pub mod night;
pub mod paths;
pub mod pin;
pub mod reset;
pub mod watchdog;
