//! The control socket: a Unix stream socket (owner-only) through which
//! `room-console content connect|disconnect` reaches the running console. One command
//! per line, answered `ok` or `error <why>`.

pub mod client;
pub mod error;
pub mod path;
pub mod protocol;
pub mod server;

pub use client::send_command;
pub use error::ControlError;
pub use path::{CONTROL_SOCKET_NAME, control_socket_path, find_control_socket};
pub use protocol::ControlCommand;
pub use server::ControlServer;
