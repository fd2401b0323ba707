//! Reporting to a fleet over MQTT (an Eclipse Mosquitto broker, TLS, one identity per
//! console): the console's agent and the admin's `room-console fleet` commands.
//!
//! - `connection`: the broker's address, trust and identity → rumqttc with rustls;
//! - `connect_error`: why a connection failed, in an admin's words;
//! - `topics`: `<prefix>/<device>/online|health|cmd|reply/<id>`;
//! - `health`: the retained health report;
//! - `wire`, `request_log`, `commands`: requests and replies, each request id executed
//!   once, and the table of commands;
//! - `ring_log`: the console's own log in memory, for the `logs` command;
//! - its state (`connected | connecting (reason) | off`) goes to
//!   `crate::status::fleet_state`, which `status` and the admin screen read;
//! - `agent`: the task on the console that ties them together;
//! - `admin`: `room-console fleet list|send|watch`.

pub mod admin;
mod agent;
pub mod commands;
mod connect_error;
pub mod connection;
pub mod health;
mod request_log;
pub mod ring_log;
pub mod topics;
pub mod wire;

pub use agent::{AgentDeps, start};
