//! `room-console run`: the console on the screen. On a desktop a window (winit); built
//! with the `device` feature, full screen through Linux KMS with touch input (libinput).

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use slint::ComponentHandle;

use super::source::AgendaSource;
use crate::device::paths::DataDir;
use crate::ui::AppWindow;
use crate::ui::controller::{HomeController, RoomInfo};

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Show the built-in demo calendar instead of the room's
    #[arg(long)]
    pub demo: bool,
    /// Pretend it is this instant (RFC 3339): for demos and tests
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
}

pub fn run(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    select_backend()?;
    let (source, room) = AgendaSource::open(data_dir, args.demo)?;
    tracing::info!(data_dir = %data_dir.path().display(), room = %room.name, "starting");
    let app = AppWindow::new().map_err(explain_window_error)?;
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
    );
    app.run().context("the UI stopped with an error")?;
    Ok(())
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
        bail!(
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
