//! The console's background work for `run`: one tokio runtime on its own thread, the
//! calendar sync task with its live listener, and the content watcher with the control socket, bridged to the UI
//! thread with `slint::invoke_from_event_loop`. Nothing here blocks the screen.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use slint::ComponentHandle;
use tokio::runtime::Handle;
use tokio::sync::mpsc;

use super::source::load_configured;
use crate::booking::releaser::NoShowReleaser;
use crate::clock::{Clock, SystemClock};
use crate::content::control::{ControlServer, control_socket_path};
use crate::content::{
    ContentEvent, ContentWatcher, InputSetting, InputSource, MachineConfig, Roots, Sources,
    build_sources,
};
use crate::device::paths::DataDir;
use crate::live::listener::LiveConfig;
use crate::live::start::LiveSetup;
use crate::settings::ContentSettings;
use crate::sources::configured::ConfiguredSource;
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::sync::engine::SyncEngine;
use crate::sync::task::{self, SyncHandle};
use crate::ui::content::panel::ContentPanel;
use crate::ui::content::preview::ContentScreen;
use crate::ui::{AppWindow, ContentAdapter};

/// Starts the background runtime; it lives as long as the process. One thread does all
/// of the background's waiting (the sync's HTTPS, the content watcher, the checks): none
/// of it is CPU work, and each thread more cost the console memory for nothing.
pub(super) fn start_runtime() -> Result<Handle> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the background runtime")?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name("background-runtime".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))
        .context("cannot start the background thread")?;
    Ok(handle)
}

/// Starts the sync task for the configured room.
pub(super) fn start_sync(
    runtime: &Handle,
    data_dir: &DataDir,
    allow_insecure_http: bool,
) -> Result<SyncHandle> {
    let (settings, secrets) = load_configured(data_dir)?;
    let store = Store::open(&data_dir.agenda_db())?;
    let tz = crate::clock::device_time_zone(settings.device.time_zone.as_deref());
    let interval = settings.calendar.sync_interval();
    let live = LiveSetup {
        settings: settings.clone(),
        secrets: secrets.clone(),
        allow_insecure_http,
        data_dir: data_dir.path().to_path_buf(),
        agenda_db: data_dir.agenda_db(),
        clock: Arc::new(SystemClock),
        config: LiveConfig::default(),
    };
    let releaser = NoShowReleaser::new(Store::open(&data_dir.agenda_db())?, settings.clone());
    let source = ConfiguredSource::new(settings, secrets, allow_insecure_http)
        .remembering_in(data_dir.path());
    let engine = SyncEngine::new(source, store, tz, interval, Backoff::new(fastrand::u64(..)));
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let _entered = runtime.enter();
    // The task releases no-shows itself, with or without a screen.
    let handle = task::spawn_with(engine, clock, releaser);
    // Push wakes the sync task when the calendar changes; polling stays the safety net.
    crate::live::start::spawn(live, handle.clone())?;
    Ok(handle)
}

/// Starts the runner of the home screen's booking actions: its own connection to the
/// calendar and the cache, commands in from the UI, outcomes back on a channel the UI's
/// tick reads; after each action the sync task is woken so it sees the change too.
pub(super) fn start_booking(
    runtime: &Handle,
    data_dir: &DataDir,
    allow_insecure_http: bool,
    clock: Arc<dyn Clock>,
    sync: SyncHandle,
) -> Result<crate::ui::home::booking_panel::BookingScreen> {
    use crate::booking::{ActionOutcome, BookingCommand, Runner};
    let (settings, secrets) = load_configured(data_dir)?;
    let store = Store::open(&data_dir.agenda_db())?;
    let mut journal = Store::open(&data_dir.agenda_db())?;
    let checked_in = journal.checked_in_ids()?;
    let source = ConfiguredSource::new(settings.clone(), secrets, allow_insecure_http)
        .with_clock(clock.clone())
        .remembering_in(data_dir.path());
    let mut engine = super::booking::engine_for(&settings, source, store);
    let tz = crate::clock::device_time_zone(settings.device.time_zone.as_deref());
    let (commands_tx, mut commands_rx) = mpsc::unbounded_channel::<BookingCommand>();
    let (outcomes_tx, outcomes_rx) = std::sync::mpsc::channel::<ActionOutcome>();
    let booking = settings.booking.clone();
    runtime.spawn(async move {
        while let Some(command) = commands_rx.recv().await {
            let now = clock.now();
            let mut runner = Runner::for_room(&mut engine, &mut journal, &settings);
            let id = |m: crate::calendar::Meeting| Some(m.id);
            let result = match command {
                BookingCommand::Book(minutes) => runner.book(now, minutes).await.map(id),
                BookingCommand::Extend(minutes) => runner.extend(now, minutes).await.map(id),
                BookingCommand::End => runner.end(now).await.map(id),
                BookingCommand::CheckIn => runner.check_in(now).await.map(id),
                // The sync task releases no-shows (`booking::releaser`): one releaser
                // only, so an occurrence is never declined twice.
                BookingCommand::ReleaseNoShows => Ok(None),
            };
            if let Err(err) = &result {
                tracing::warn!(?command, "booking action failed: {}", err.describe(&tz));
            }
            if outcomes_tx.send(ActionOutcome { command, result }).is_err() {
                break; // the UI has gone
            }
            sync.sync_now();
        }
    });
    Ok(crate::ui::home::booking_panel::BookingScreen::new(
        booking,
        Box::new(move |command| {
            let _ = commands_tx.send(command);
        }),
        outcomes_rx,
        checked_in,
    ))
}

/// Watches the content input and pops the shared-content window up and down; listens on
/// the control socket for `room-console content connect|disconnect`. Every event is also
/// sent to `tap` while its receiver lives (the setup wizard's live plug indicator).
/// Answers whether content is connected now (shown or offered), for the updater.
pub(super) fn start_content(
    runtime: &Handle,
    app: &AppWindow,
    data_dir: &DataDir,
    settings: &ContentSettings,
    tap: Option<std::sync::mpsc::Sender<ContentEvent>>,
) -> Arc<dyn Fn() -> bool + Send + Sync> {
    let Sources { inputs, simulated } = content_sources(settings);
    let names: HashMap<String, String> = inputs
        .iter()
        .map(|source| (source.id().to_owned(), source.describe().name))
        .collect();
    tracing::info!(inputs = ?names.values().collect::<Vec<_>>(), "content inputs");
    let _entered = runtime.enter();
    let mut events_rx = watch_content(inputs, settings);

    let socket = control_socket_path(|k| std::env::var(k).ok(), data_dir.path());
    match ControlServer::bind(&socket) {
        Ok(server) => {
            let (commands_tx, mut commands_rx) = mpsc::channel(8);
            runtime.spawn(server.serve(commands_tx));
            runtime.spawn(async move {
                while let Some(command) = commands_rx.recv().await {
                    if let (Some(plugged), Some(switch)) =
                        (command.plugs_simulated_input(), &simulated)
                    {
                        switch.set(plugged);
                    }
                }
            });
        }
        Err(err) => tracing::warn!("no control socket: {err}"),
    }

    let screen = Arc::new(Mutex::new(ContentScreen::default()));
    let auto_share = settings.auto_share;
    let weak = app.as_weak();
    let bridge_screen = screen.clone();
    runtime.spawn(async move {
        let mut tap = tap;
        while let Some(event) = events_rx.recv().await {
            if tap.as_ref().is_some_and(|t| t.send(event.clone()).is_err()) {
                tap = None; // the wizard is done
            }
            let (weak, screen, names) = (weak.clone(), bridge_screen.clone(), names.clone());
            let delivered = slint::invoke_from_event_loop(move || {
                if let Some(app) = weak.upgrade() {
                    let mut screen = screen.lock().unwrap_or_else(|e| e.into_inner());
                    screen.panel.on_event(&event, auto_share, &names);
                    screen.apply(&app);
                }
            });
            if delivered.is_err() {
                break; // the UI has gone
            }
        }
    });

    let adapter = app.global::<ContentAdapter>();
    adapter.on_hide(panel_action(app, &screen, ContentPanel::hide));
    adapter.on_show(panel_action(app, &screen, ContentPanel::show));
    Arc::new(move || {
        let screen = screen.lock().unwrap_or_else(|e| e.into_inner());
        screen.panel.input_id().is_some()
    })
}

/// Watches the content input without a screen (`run --headless`): plug and unplug
/// events go to the log.
pub(super) fn start_content_headless(runtime: &Handle, settings: &ContentSettings) {
    let Sources { inputs, .. } = content_sources(settings);
    let _entered = runtime.enter();
    let mut events_rx = watch_content(inputs, settings);
    runtime.spawn(async move {
        while let Some(event) = events_rx.recv().await {
            tracing::info!(?event, "content input");
        }
    });
}

/// The content inputs the setting names (all it can find when the setting is refused).
fn content_sources(settings: &ContentSettings) -> Sources {
    let setting = settings
        .input
        .parse::<InputSetting>()
        .unwrap_or_else(|err| {
            tracing::error!("content input setting refused, using auto: {err}");
            InputSetting::Auto
        });
    build_sources(&setting, &Roots::system())
}

/// Starts watching `inputs` on the runtime entered; their plug and unplug events.
fn watch_content(
    inputs: Vec<Box<dyn InputSource>>,
    settings: &ContentSettings,
) -> mpsc::Receiver<ContentEvent> {
    let (events_tx, events_rx) = mpsc::channel::<ContentEvent>(16);
    let config = MachineConfig::with_grace_seconds(settings.grace_seconds);
    ContentWatcher::new(inputs, config).spawn(events_tx);
    events_rx
}

/// A button handler that changes the panel and puts it on the window.
fn panel_action(
    app: &AppWindow,
    screen: &Arc<Mutex<ContentScreen>>,
    action: fn(&mut ContentPanel),
) -> impl Fn() + 'static {
    let (weak, screen) = (app.as_weak(), screen.clone());
    move || {
        if let Some(app) = weak.upgrade() {
            let mut screen = screen.lock().unwrap_or_else(|e| e.into_inner());
            action(&mut screen.panel);
            screen.apply(&app);
        }
    }
}
