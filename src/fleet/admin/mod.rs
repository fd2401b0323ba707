//! `room-console fleet list|send|watch`: the admin's view of the fleet, from any
//! machine that can reach the broker. Connection flags (or their environment variables)
//! say where the broker is and who the admin is: `--broker`, `--ca`, and `--cert` with
//! `--key` or `--username` with `--password-file`.

mod list;
mod send;
mod session;
mod watch;

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use super::connection::Endpoint;
use crate::settings::Secret;

pub use list::{ConsoleRow, collect_rows};
pub use session::AdminSession;

#[derive(Debug, Args)]
pub struct FleetArgs {
    #[command(flatten)]
    pub connection: ConnectionFlags,
    #[command(subcommand)]
    pub command: FleetCommand,
}

/// Where the broker is and who the admin is.
#[derive(Debug, Clone, Args)]
pub struct ConnectionFlags {
    /// The broker, e.g. mqtts://fleet.contoso.com:8883
    #[arg(long, env = "ROOM_CONSOLE_FLEET_BROKER", global = true)]
    pub broker: Option<url::Url>,
    /// The CA that signed the broker's certificate (PEM) [default: the system's]
    #[arg(
        long,
        env = "ROOM_CONSOLE_FLEET_CA",
        global = true,
        value_name = "FILE"
    )]
    pub ca: Option<PathBuf>,
    /// The admin's certificate (PEM), with --key
    #[arg(
        long,
        env = "ROOM_CONSOLE_FLEET_CERT",
        global = true,
        value_name = "FILE"
    )]
    pub cert: Option<PathBuf>,
    /// The admin certificate's private key (PEM)
    #[arg(
        long,
        env = "ROOM_CONSOLE_FLEET_KEY",
        global = true,
        value_name = "FILE"
    )]
    pub key: Option<PathBuf>,
    /// A user name, instead of a certificate
    #[arg(long, env = "ROOM_CONSOLE_FLEET_USERNAME", global = true)]
    pub username: Option<String>,
    /// A file holding the user's password (never on the command line)
    #[arg(
        long,
        env = "ROOM_CONSOLE_FLEET_PASSWORD_FILE",
        global = true,
        value_name = "FILE"
    )]
    pub password_file: Option<PathBuf>,
    /// The consoles' topic prefix
    #[arg(
        long,
        env = "ROOM_CONSOLE_FLEET_TOPIC_PREFIX",
        global = true,
        default_value = "room-console"
    )]
    pub topic_prefix: String,
    /// Allow a plain mqtt:// broker (a lab only)
    #[arg(long, global = true)]
    pub allow_insecure_mqtt: bool,
}

impl ConnectionFlags {
    /// The endpoint the flags describe; the error says which flag is missing or wrong.
    pub fn endpoint(&self) -> Result<Endpoint> {
        let broker = self.broker.clone().context(
            "no broker given: pass --broker mqtts://host:8883 or set ROOM_CONSOLE_FLEET_BROKER",
        )?;
        let password = match &self.password_file {
            Some(path) => Some(Secret::new(
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the password file {}", path.display()))?
                    .trim_end_matches(['\r', '\n'])
                    .to_owned(),
            )),
            None => None,
        };
        Ok(Endpoint {
            broker,
            trusted_ca_file: self.ca.clone(),
            client_certificate: self.cert.clone(),
            client_key: self.key.clone(),
            username: self.username.clone(),
            password,
            allow_insecure: self.allow_insecure_mqtt,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// A table of every console under the prefix, from their retained reports
    List(list::ListArgs),
    /// Send a command to one console or all, and print the replies as they come
    Send(send::SendArgs),
    /// Print the consoles' changes as they happen (Ctrl-C to stop)
    Watch(watch::WatchArgs),
}

/// Runs `room-console fleet …`.
pub fn fleet(args: &FleetArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for the fleet commands")?;
    runtime.block_on(async {
        match &args.command {
            FleetCommand::List(list) => list::list(&args.connection, list).await,
            FleetCommand::Send(send) => send::send(&args.connection, send).await,
            FleetCommand::Watch(watch) => watch::watch(&args.connection, watch).await,
        }
    })
}
