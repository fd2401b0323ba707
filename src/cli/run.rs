//! `room-console run`: the console on the screen. On a desktop a window (winit); built
//! with the `device` feature, full screen through Linux KMS with touch input (libinput).
//! A provisioning file dropped in the data dir is applied first; the calendar sync runs
//! on a tokio runtime in the background and never blocks the screen.

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use slint::ComponentHandle;

use std::sync::Arc;

use super::background;
use super::source::AgendaSource;
use crate::device::paths::DataDir;
use crate::settings::provision::apply_dropped;
use crate::sync::task::SyncHandle;
use crate::ui::AppWindow;
use crate::ui::admin::{AdminController, AdminDeps};
use crate::ui::controller::{HomeController, RoomInfo};

#[derive(Debug, Default, Args)]
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
}

pub fn run(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    select_backend()?;
    data_dir.ensure_exists()?;
    apply_provisioning_file(data_dir);
    let (source, room) = AgendaSource::open(data_dir, args.demo)?;
    tracing::info!(data_dir = %data_dir.path().display(), room = %room.name, "starting");
    let runtime = background::start_runtime()?;
    let sync = match source {
        AgendaSource::Cache(_) => Some(background::start_sync(
            &runtime,
            data_dir,
            args.allow_insecure_http,
        )?),
        AgendaSource::Demo => None,
    };
    let app = AppWindow::new().map_err(explain_window_error)?;
    background::start_content(&runtime, &app, data_dir, &room.content);
    let _admin = start_admin(&app, data_dir, args, sync.clone());
    let tz = room.tz;
    let _home = HomeController::start(
        &app,
        RoomInfo {
            name: room.name,
            tz,
            clock_24h: room.clock_24h,
            notice: room.notice,
            join_command: room.join_command,
        },
        super::clock_for(args.now),
        Box::new(move |day| source.meetings_on_day(day, &tz)),
        sync,
    );
    let _watchdog = crate::device::watchdog::start_in_ui_loop();
    crate::device::watchdog::notify_ready();
    app.run().context("the UI stopped with an error")?;
    Ok(())
}

/// Wires the gear → PIN pad → admin screen. After a factory reset from there the
/// program starts again, so it comes up in the wizard with nothing of the old setup.
fn start_admin(
    app: &AppWindow,
    data_dir: &DataDir,
    args: &RunArgs,
    sync: Option<SyncHandle>,
) -> AdminController {
    AdminController::start(
        app,
        AdminDeps {
            data_dir: data_dir.clone(),
            clock: Arc::from(super::clock_for(args.now)),
            sync,
            after_reset: Box::new(restart_program),
        },
    )
}

/// Replaces this process with a fresh start of the same program and arguments.
fn restart_program() {
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
fn apply_provisioning_file(data_dir: &DataDir) {
    match apply_dropped(data_dir.path()) {
        None => {}
        Some(Ok(summary)) => tracing::info!("provisioning file applied:\n{summary}"),
        Some(Err(err)) => tracing::error!("provisioning file rejected: {err}"),
    }
}

/// Picks the Slint backend: Linux KMS on the device, a window on a desktop.
#[cfg(feature = "device")]
fn select_backend() -> Result<()> {
    slint::BackendSelector::new()
        .backend_name("linuxkms".into())
        .select()
        .context("cannot open the display through Linux KMS (is another program using it?)")
}

/// Picks the Slint backend: Linux KMS on the device, a window on a desktop.
#[cfg(not(feature = "device"))]
fn select_backend() -> Result<()> {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    if !has_display {
        anyhow::bail!(
            "there is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
             To see the console without a display, render it to a picture:\n    \
             room-console screenshot --demo --out home.png\n\
             or run it in a virtual display:\n    \
             xvfb-run -s '-screen 0 1280x800x24' room-console run --demo"
        );
    }
    Ok(())
}

fn explain_window_error(err: slint::PlatformError) -> anyhow::Error {
    anyhow::anyhow!("cannot open the console's window: {err}")
}
