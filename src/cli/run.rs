//! `room-console run`: the console on the screen. On a desktop a window (winit); built
//! with the `device` feature, full screen through Linux KMS with touch input (libinput).
//! A provisioning file dropped in the data dir is applied first; the calendar sync runs
//! on a tokio runtime in the background and never blocks the screen.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use slint::ComponentHandle;

use super::source::{AgendaSource, load_configured, load_settings};
use crate::clock::{Clock, SystemClock};
use crate::device::paths::DataDir;
use crate::settings::provision::apply_dropped;
use crate::sources::configured::ConfiguredSource;
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::sync::engine::SyncEngine;
use crate::sync::task::{self, SyncHandle};
use crate::ui::controller::{HomeController, RoomInfo};
use crate::ui::wizard::{WizardController, WizardOptions, save_finished};
use crate::ui::{AppState, AppWindow, Screen};

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
}

pub fn run(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    select_backend()?;
    data_dir.ensure_exists()?;
    apply_provisioning_file(data_dir);
    if !args.demo && load_settings(data_dir)?.is_none() {
        return run_wizard(data_dir, args);
    }
    let (source, room) = AgendaSource::open(data_dir, args.demo)?;
    tracing::info!(data_dir = %data_dir.path().display(), room = %room.name, "starting");
    let sync = match source {
        AgendaSource::Cache(_) => Some(start_background_sync(data_dir, args.allow_insecure_http)?),
        AgendaSource::Demo => None,
    };
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
        sync,
    );
    app.run().context("the UI stopped with an error")?;
    Ok(())
}

/// First boot (no settings): the setup wizard; Finish saves, starts the sync and shows
/// the home screen in its "first sync" state.
fn run_wizard(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    let app = AppWindow::new().map_err(explain_window_error)?;
    app.global::<AppState>().set_screen(Screen::Wizard);
    let home: Rc<RefCell<Option<HomeController>>> = Rc::default();
    let finish = {
        let (app, home, data_dir, args) =
            (app.as_weak(), home.clone(), data_dir.clone(), args.clone());
        move |settings, secrets| {
            save_finished(data_dir.path(), &settings, &secrets)?;
            let app = app.upgrade().ok_or("the window is gone")?;
            let started = show_home(&app, &data_dir, &args).map_err(|e| format!("{e:#}"))?;
            *home.borrow_mut() = Some(started);
            app.global::<AppState>().set_screen(Screen::Home);
            Ok(())
        }
    };
    let now = args.now;
    let _wizard = WizardController::start(
        &app,
        WizardOptions {
            default_time_zone: iana_time_zone::get_timezone().unwrap_or_else(|_| "UTC".into()),
            now: Box::new(move || super::clock_for(now).now()),
            allow_insecure_http: args.allow_insecure_http,
            content_inputs: content_inputs(),
        },
        Box::new(finish),
    )?;
    app.run().context("the UI stopped with an error")?;
    Ok(())
}

/// The home screen of the just-configured console, its sync started.
fn show_home(app: &AppWindow, data_dir: &DataDir, args: &RunArgs) -> Result<HomeController> {
    let (source, room) = AgendaSource::open(data_dir, false)?;
    let sync = start_background_sync(data_dir, args.allow_insecure_http)?;
    let tz = room.tz;
    Ok(HomeController::start(
        app,
        RoomInfo {
            name: room.name,
            tz,
            clock_24h: room.clock_24h,
            notice: room.notice,
            join_command: room.join_command,
        },
        super::clock_for(args.now),
        Box::new(move |day| source.meetings_on_day(day, &tz)),
        Some(sync),
    ))
}

/// The content inputs the device has, for the wizard's Content input step.
fn content_inputs() -> Vec<String> {
    use crate::content::{InputKind, InputSetting, Roots, discover};
    discover(&InputSetting::Auto, &Roots::system())
        .into_iter()
        .filter(|input| input.kind != InputKind::Simulated)
        .map(|input| format!("{} — {}", input.name, input.status))
        .collect()
}

/// Applies `<data-dir>/provisioning/RoomConsoleSettings.xml` if an admin dropped one.
fn apply_provisioning_file(data_dir: &DataDir) {
    match apply_dropped(data_dir.path()) {
        None => {}
        Some(Ok(summary)) => tracing::info!("provisioning file applied:\n{summary}"),
        Some(Err(err)) => tracing::error!("provisioning file rejected: {err}"),
    }
}

/// Starts the sync task on a tokio runtime of its own thread.
fn start_background_sync(data_dir: &DataDir, allow_insecure_http: bool) -> Result<SyncHandle> {
    let (settings, secrets) = load_configured(data_dir)?;
    let store = Store::open(&data_dir.agenda_db())?;
    let tz = crate::clock::device_time_zone(settings.device.time_zone.as_deref());
    let interval = settings.calendar.sync_interval();
    let source = ConfiguredSource::new(settings, secrets, allow_insecure_http);
    let engine = SyncEngine::new(source, store, tz, interval, Backoff::new(fastrand::u64(..)));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sync")
        .enable_all()
        .build()
        .context("cannot start the sync runtime")?;
    let (sender, receiver) = std::sync::mpsc::channel();
    // The runtime lives on its own thread as long as the process does.
    std::thread::Builder::new()
        .name("sync-runtime".into())
        .spawn(move || {
            runtime.block_on(async move {
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                let _ = sender.send(task::spawn(engine, clock));
                std::future::pending::<()>().await;
            });
        })
        .context("cannot start the sync thread")?;
    let handle = receiver
        .recv()
        .context("the sync thread stopped before it started")?;
    Ok(handle)
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
