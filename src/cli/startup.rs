//! What `run` and `run --headless` share: their arguments, applying a provisioning file
//! an admin dropped in the data dir, and starting the fleet agent (which may restart
//! the program after a factory reset).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::Args;
use tokio::runtime::Handle;

use crate::device::paths::DataDir;
use crate::settings::provision::apply_dropped;
use crate::sync::task::SyncHandle;

// The arguments of `run` (no doc comment: clap would show it in the help).
#[derive(Debug, Default, Clone, Args)]
pub struct RunArgs {
    /// Show the built-in demo calendar instead of the room's
    #[arg(long)]
    pub demo: bool,
    /// Pretend it is this instant (RFC 3339): for demos and tests
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
    /// Allow a plain http:// EWS URL (for a lab only)
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Allow a plain mqtt:// fleet broker (for a lab only)
    #[arg(long)]
    pub allow_insecure_mqtt: bool,
    /// Run without drawing: sync, content watching and the fleet, for a console whose
    /// display is broken and for tests
    #[arg(long)]
    pub headless: bool,
}

/// Starts the fleet agent when the settings name a broker (see `fleet`).
pub(super) fn start_fleet(
    runtime: &Handle,
    data_dir: &DataDir,
    args: &RunArgs,
    sync: Option<SyncHandle>,
    headless: bool,
) {
    let _entered = runtime.enter();
    crate::fleet::start(crate::fleet::AgentDeps {
        data_dir: data_dir.clone(),
        sync,
        clock: Arc::from(super::clock_for(args.now)),
        allow_insecure_mqtt: args.allow_insecure_mqtt,
        allow_insecure_http: args.allow_insecure_http,
        headless,
        restart: Arc::new(restart_program),
    });
}

/// Replaces this process with a fresh start of the same program and arguments.
pub(super) fn restart_program() {
    use std::os::unix::process::CommandExt;
    let args: Vec<_> = std::env::args_os().collect();
    let program = std::env::current_exe()
        .ok()
        .or_else(|| args.first().map(Into::into));
    let Some(program) = program else {
        tracing::error!("cannot find the program to restart; exiting for systemd to restart it");
        std::process::exit(0);
    };
    let error = std::process::Command::new(program)
        .args(args.iter().skip(1))
        .exec();
    tracing::error!("cannot restart after the factory reset ({error}); exiting for systemd");
    std::process::exit(0);
}

/// Applies `<data-dir>/provisioning/RoomConsoleSettings.xml` if an admin dropped one.
pub(super) fn apply_provisioning_file(data_dir: &DataDir) {
    match apply_dropped(data_dir.path()) {
        None => {}
        Some(Ok(summary)) => tracing::info!("provisioning file applied:\n{summary}"),
        Some(Err(err)) => tracing::error!("provisioning file rejected: {err}"),
    }
}
