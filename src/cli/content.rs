//! `room-console content connect|disconnect`: plugs the simulated laptop in or out of the
//! running console, through its owner-only control socket (desktop and demo).

use anyhow::Result;
use clap::{Args, ValueEnum};

use crate::content::control::{find_control_socket, send_command};
use crate::device::paths::DataDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Plug {
    /// A laptop is plugged in
    Connect,
    /// The laptop is unplugged
    Disconnect,
}

#[derive(Debug, Args)]
pub struct ContentArgs {
    pub action: Plug,
}

pub(super) fn content(data_dir: &DataDir, args: &ContentArgs) -> Result<()> {
    let socket = find_control_socket(|k| std::env::var(k).ok(), data_dir.path());
    let command = match args.action {
        Plug::Connect => "content connect",
        Plug::Disconnect => "content disconnect",
    };
    let reply = send_command(&socket, command)?;
    println!("{reply}");
    Ok(())
}
