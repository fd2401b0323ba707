//! The device itself: where its data lives, factory reset, the admin PIN and its
//! lockout, the systemd watchdog, night mode, the network addresses and who may use the
//! data directory.

pub mod backlight;
pub mod network;
pub mod night;
pub(crate) mod owner;
pub mod paths;
pub mod pin;
pub mod reset;
pub mod watchdog;
