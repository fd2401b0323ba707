//! The command line: `room-console [--data-dir DIR] [COMMAND]`, one function per command.

mod agenda;
mod background;
mod booking;
mod content;
mod diagnose;
mod factory_reset;
mod headless;
mod provision;
mod run;
mod screenshot;
mod source;
mod startup;
pub mod status;
mod sync;
mod update;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use crate::clock::{Clock, FixedClock, SystemClock};
use crate::device::owner::check_data_dir_owner;
use crate::device::paths::DataDir;

/// The meeting-room console.
#[derive(Debug, Parser)]
#[command(name = "room-console", version, about, long_about = None)]
pub struct Cli {
    /// Where settings, secrets and the agenda cache live
    /// [default: $ROOM_CONSOLE_DATA_DIR, else $XDG_DATA_HOME/room-console]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands; `run` is the default.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the console on the screen (the default)
    Run(startup::RunArgs),
    /// Print the cached agenda in the device's time zone
    Agenda(agenda::AgendaArgs),
    /// Plug or unplug the simulated content input of the running console
    Content(content::ContentArgs),
    /// Apply a provisioning file (RoomConsoleSettings.xml), all or nothing
    Provision(provision::ProvisionArgs),
    /// Render a screen to a PNG file, without a display
    Screenshot(screenshot::ScreenshotArgs),
    /// Sync the room's calendar into the cache (--once: one pass, then exit)
    Sync(sync::SyncArgs),
    /// Show the room, calendar source, last sync and last error with its fix
    Status(status::StatusArgs),
    /// Erase settings, secrets, agenda cache and PIN; keep the software (needs --yes)
    FactoryReset(factory_reset::FactoryResetArgs),
    /// Check the account settings against the server, as the setup wizard does
    Diagnose(diagnose::DiagnoseArgs),
    /// The fleet over MQTT: list the consoles, send them commands, watch them
    Fleet(Box<crate::fleet::admin::FleetArgs>),
    /// Install a software update (RAUC bundle, file or https://) and restart in a free period
    Update(update::UpdateArgs),
    /// Print the software version and build
    Version,
    /// Book the room now for --minutes N (exit 0 once the server confirmed)
    Book(booking::BookArgs),
    /// Extend the meeting on now by --minutes N
    Extend(booking::ExtendArgs),
    /// End the meeting on now (rounded down to the minute)
    End(booking::ActionArgs),
    /// Check in to the meeting on now or starting within five minutes
    CheckIn(booking::ActionArgs),
}

/// The clock for commands that take `--now`: fixed when given, else the wall clock.
fn clock_for(now: Option<DateTime<Utc>>) -> Box<dyn Clock> {
    match now {
        Some(now) => Box::new(FixedClock::new(now)),
        None => Box::new(SystemClock),
    }
}

/// Parses an RFC 3339 instant given on the command line.
fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}: expected RFC 3339, e.g. 2026-11-23T10:15:00+01:00"))
}

/// Runs the command line and returns the process exit code.
pub fn main(cli: Cli) -> ExitCode {
    let data_dir = match DataDir::resolve(cli.data_dir.as_deref(), |k| std::env::var(k).ok()) {
        Ok(dir) => dir,
        Err(err) => return fail(&err),
    };
    let command = cli
        .command
        .unwrap_or(Command::Run(startup::RunArgs::default()));
    if !matches!(command, Command::Version) {
        let line: Vec<String> = std::env::args().collect();
        if let Err(err) = check_data_dir_owner(data_dir.path(), &line) {
            return fail(&err.into());
        }
    }
    if let Err(err) = crate::device::reset::finish_interrupted(&data_dir) {
        return fail(&err.into());
    }
    let result = match command {
        Command::Run(args) => run::run(&data_dir, &args),
        Command::Agenda(args) => agenda::agenda(&data_dir, &args),
        Command::Content(args) => content::content(&data_dir, &args),
        Command::Provision(args) => provision::provision(&data_dir, &args),
        Command::Screenshot(args) => screenshot::screenshot(&data_dir, &args),
        Command::Sync(args) => sync::sync(&data_dir, &args),
        Command::Status(args) => status::status(&data_dir, &args),
        Command::FactoryReset(args) => factory_reset::factory_reset(&data_dir, &args),
        Command::Diagnose(args) => diagnose::diagnose(&data_dir, &args),
        Command::Fleet(args) => crate::fleet::admin::fleet(&args),
        Command::Update(args) => update::update(&data_dir, &args),
        Command::Book(args) => {
            booking::act(&data_dir, booking::Action::Book(args.minutes), &args.common)
        }
        Command::Extend(args) => booking::act(
            &data_dir,
            booking::Action::Extend(args.minutes),
            &args.common,
        ),
        Command::End(args) => booking::act(&data_dir, booking::Action::End, &args),
        Command::CheckIn(args) => booking::act(&data_dir, booking::Action::CheckIn, &args),
        Command::Version => {
            println!("{}", crate::status::version_line());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

fn fail(err: &anyhow::Error) -> ExitCode {
    eprintln!("room-console: {err:#}");
    ExitCode::FAILURE
}
