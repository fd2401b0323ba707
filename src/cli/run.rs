//! `room-console run`: the console on the screen. On a desktop a window (winit); built
//! with the `device` feature, full screen through Linux KMS with touch input (libinput).
//! A provisioning file dropped in the data dir is applied first; a console without
//! settings starts in the setup wizard; the calendar sync and the content watcher run on
//! a background runtime and never block the screen.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use anyhow::{Context, Result};
use slint::ComponentHandle;
use tokio::runtime::Handle;

use super::background;
use super::source::{AgendaSource, WhenNotSetUp, load_settings};
use super::startup::{RunArgs, apply_provisioning_file, restart_program, start_fleet};
use crate::device::backlight::{Backlight, SYSFS};
use crate::device::night::NightSchedule;
use crate::device::paths::DataDir;
use crate::sync::task::SyncHandle;
use crate::ui::admin::controller::{AdminController, AdminDeps};
use crate::ui::home::controller::{HomeController, RoomInfo};
use crate::ui::night::NightScreen;
use crate::ui::wizard::{WizardController, WizardOptions, save_finished};
use crate::ui::{AppState, AppWindow, Screen};

/// The running console behind the home screen: its controllers live as long as this.
struct Session {
    _home: HomeController,
    _admin: AdminController,
    sync: Option<SyncHandle>,
}

pub(super) fn run(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    if args.headless {
        return super::headless::run_headless(data_dir, args);
    }
    select_backend()?;
    data_dir.ensure_exists()?;
    apply_provisioning_file(data_dir);
    let settings = if args.demo {
        None
    } else {
        load_settings(data_dir)?
    };
    let runtime = background::start_runtime()?;
    let app = AppWindow::new().map_err(explain_window_error)?;
    if let Some(settings) = &settings {
        crate::ui::language::apply(&app, &settings.device.language);
    }
    let content = settings
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    let first_boot = !args.demo && settings.is_none();
    // The wizard's Content input step shows the watcher's plug events live.
    let (wizard_tap, wizard_content) = if first_boot {
        let (tap, events) = std::sync::mpsc::channel();
        (Some(tap), Some(events))
    } else {
        (None, None)
    };
    let content_shown = background::start_content(&runtime, &app, data_dir, &content, wizard_tap);

    let session: Rc<RefCell<Option<Session>>> = Rc::default();
    let _wizard = if first_boot {
        Some(start_wizard(
            &app,
            &runtime,
            data_dir,
            args,
            session.clone(),
            wizard_content,
        )?)
    } else {
        *session.borrow_mut() = Some(start_session(&app, &runtime, data_dir, args)?);
        None
    };
    if !args.demo {
        let sync = session.borrow().as_ref().and_then(|s| s.sync.clone());
        start_updates(&app, &runtime, data_dir, sync, content_shown);
    }
    let _watchdog = ping_watchdog_from_ui_loop();
    crate::device::watchdog::notify_ready();
    app.run().context("the UI stopped with an error")?;
    Ok(())
}

/// The home screen (and the admin behind the gear) for the configured room or the demo,
/// with its sync started.
fn start_session(
    app: &AppWindow,
    runtime: &Handle,
    data_dir: &DataDir,
    args: &RunArgs,
) -> Result<Session> {
    let (source, room) = AgendaSource::open(data_dir, args.demo, WhenNotSetUp::Demo)?;
    tracing::info!(data_dir = %data_dir.path().display(), room = %room.name, "starting");
    let sync = match source {
        AgendaSource::Cache(_) => Some(background::start_sync(
            runtime,
            data_dir,
            args.allow_insecure_http,
        )?),
        AgendaSource::Demo => None,
    };
    start_fleet(runtime, data_dir, args, sync.clone(), false);
    let admin = start_admin(app, runtime, data_dir, args, sync.clone());
    let sync_for_updates = sync.clone();
    let booking_sync = sync.clone();
    let tz = room.tz;
    let night = NightSchedule::from_settings(&room.night_mode, tz);
    let home = HomeController::start(
        app,
        RoomInfo {
            name: room.name,
            tz,
            clock_24h: room.clock_24h,
            notice: room.notice,
            join_command: room.join_command,
            share_command: room.share_command,
        },
        super::clock_for(args.now),
        Box::new(move |day| source.meetings_on_day(day, &tz)),
        sync,
    );
    if let Some(schedule) = night {
        let backlight = Backlight::find(Path::new(SYSFS));
        tracing::info!(backlight = backlight.is_some(), "night mode on");
        let now = super::clock_for(args.now).now();
        home.start_night_mode(app, NightScreen::new(schedule, backlight, now));
    }
    if let Some(sync) = booking_sync {
        let clock = std::sync::Arc::from(super::clock_for(args.now));
        match background::start_booking(runtime, data_dir, args.allow_insecure_http, clock, sync) {
            Ok(booking) => home.start_booking(app, booking),
            Err(err) => tracing::error!("the booking buttons are off: {err:#}"),
        }
    }
    Ok(Session {
        _home: home,
        _admin: admin,
        sync: sync_for_updates,
    })
}

/// The updater beside the screen: slots for the admin screen, the health gate after
/// booting new software (it learns of the first frame drawn), planned restarts.
fn start_updates(
    app: &AppWindow,
    runtime: &Handle,
    data_dir: &DataDir,
    sync: Option<SyncHandle>,
    content_shown: Arc<dyn Fn() -> bool + Send + Sync>,
) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let frame_drawn = Arc::new(AtomicBool::new(false));
    let drawn = frame_drawn.clone();
    let notifier = app.window().set_rendering_notifier(move |state, _| {
        if matches!(state, slint::RenderingState::AfterRendering) {
            drawn.store(true, Ordering::SeqCst);
        }
    });
    if notifier.is_err() {
        // A renderer without the notifier: the event loop running means the window is up.
        let drawn = frame_drawn.clone();
        slint::Timer::single_shot(std::time::Duration::ZERO, move || {
            drawn.store(true, Ordering::SeqCst);
        });
    }
    crate::update::console::spawn(
        runtime,
        data_dir.clone(),
        crate::update::console::ConsoleSignals {
            frame_drawn,
            sync,
            content_shown,
        },
    );
}

/// First boot (no settings): the setup wizard; Finish saves, starts the session and shows
/// the home screen in its "first sync" state.
fn start_wizard(
    app: &AppWindow,
    runtime: &Handle,
    data_dir: &DataDir,
    args: &RunArgs,
    session: Rc<RefCell<Option<Session>>>,
    content_events: Option<std::sync::mpsc::Receiver<crate::content::ContentEvent>>,
) -> Result<WizardController> {
    app.global::<AppState>().set_screen(Screen::Wizard);
    let finish = {
        let (app, runtime, data_dir, args) = (
            app.as_weak(),
            runtime.clone(),
            data_dir.clone(),
            args.clone(),
        );
        move |settings, secrets| {
            save_finished(data_dir.path(), &settings, &secrets)?;
            let app = app.upgrade().ok_or("the window is gone")?;
            let started =
                start_session(&app, &runtime, &data_dir, &args).map_err(|e| format!("{e:#}"))?;
            *session.borrow_mut() = Some(started);
            app.global::<AppState>().set_screen(Screen::Home);
            Ok(())
        }
    };
    let now = args.now;
    WizardController::start(
        app,
        WizardOptions {
            default_time_zone: iana_time_zone::get_timezone().unwrap_or_else(|_| "UTC".into()),
            now: Box::new(move || super::clock_for(now).now()),
            allow_insecure_http: args.allow_insecure_http,
            content_inputs: content_inputs(),
            content_events,
            graph_url: None,
            authority_url: None,
        },
        Box::new(finish),
    )
}

/// The content inputs the device has, for the wizard's Content input step.
fn content_inputs() -> Vec<String> {
    use crate::content::{InputKind, InputSetting, Roots, discover};
    discover(&InputSetting::Auto, &Roots::system())
        .into_iter()
        .filter(|input| input.kind != InputKind::Simulated)
        // Their state shows live below the list (the watcher's plug events).
        .map(|input| input.name)
        .collect()
}

/// Wires the gear → PIN pad → admin screen. After a factory reset from there the
/// program starts again, so it comes up in the wizard with nothing of the old setup.
fn start_admin(
    app: &AppWindow,
    runtime: &Handle,
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
            runtime: Some(runtime.clone()),
            allow_insecure_http: args.allow_insecure_http,
            after_reset: Box::new(restart_program),
        },
    )
}

/// Starts pinging the systemd watchdog from the Slint event loop: the ping stops when
/// the UI thread hangs, and systemd restarts the console. Keep the returned timer alive.
fn ping_watchdog_from_ui_loop() -> Option<slint::Timer> {
    let interval = crate::device::watchdog::ping_interval()?;
    let timer = slint::Timer::default();
    timer.start(
        slint::TimerMode::Repeated,
        interval,
        crate::device::watchdog::ping,
    );
    tracing::info!(?interval, "pinging the systemd watchdog from the UI loop");
    Some(timer)
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
