//! What the integration tests share: the in-repo servers, the rigs that drive the
//! console, and the fixtures. Every test binary (one per area, `tests/<area>/main.rs`)
//! and the benchmarks that need a server include this one tree with
//! `#[path = "../common/mod.rs"] mod common;`; a test reaches a part as
//! `crate::common::<part>`.
//!
//! Names: `*_server` is an in-repo server answering as the real one does, `*_rig` drives
//! a part of the console (or a real component) for a test.

// Each binary uses its own part of the tree; its items are `pub` to the tests of the
// binary, which is all a test crate has (unreachable_pub would flag every one).
#![allow(dead_code, unused_imports, unreachable_pub)]

/// One room on either in-repo server, for the booking scenarios.
pub mod booking_rig;
/// The console binary run as its own process, with a data dir in a temp dir.
pub mod cli_console;
/// The real sync engine with the EWS source, in the test's process.
pub mod engine_rig;
/// The in-repo Exchange Web Services server.
pub mod ews_server;
/// A stand-in for an admin's command that a test reads back.
pub mod fifo_command;
/// A real Mosquitto with a private CA and per-device certificates.
pub mod fleet_rig;
/// The room's full day as each server holds it, and what the agenda shows of it.
pub mod full_day;
/// The in-repo Microsoft Graph and Entra ID token endpoint.
pub mod graph_server;
/// The HTTP/1.1 both in-repo servers speak.
pub mod http_wire;
/// Meeting subjects and organizer names in every script.
pub mod international;
/// Running one test of the binary in a process of its own.
pub mod process;
/// RAUC on a private D-Bus daemon.
pub mod rauc_bus;
/// Settings for a room on an in-repo server, handed to the console's parts directly.
pub mod room_settings;
/// The screens on the headless platform.
pub mod screens;
/// Meetings and instants for the store tests.
pub mod store_rig;
/// A command's output, which must have succeeded.
pub mod succeeded;
/// System calls a program makes, against a unit's filter.
pub mod syscall_trace;
/// A private certificate authority made at start.
pub mod tls;
/// The real RAUC service and a bundle server, for the update tests.
pub mod update_rig;
/// The setup wizard on the headless platform, driven like a finger would.
pub mod wizard_rig;
