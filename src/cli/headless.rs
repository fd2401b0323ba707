//! `room-console run --headless`: everything `run` does except drawing — the provisioning
//! file, the calendar sync, content watching, the fleet agent and the updater's restart
//! plan and health gate — for a console whose display is broken, and for tests. It runs
//! until it is stopped (SIGTERM, Ctrl-C) or a fleet command restarts it.

use anyhow::{Context, Result};

use super::background;
use super::source::load_settings;
use super::startup::{RunArgs, apply_provisioning_file, start_fleet};
use crate::device::paths::DataDir;
use crate::settings::CalendarSource;

pub(super) fn run_headless(data_dir: &DataDir, args: &RunArgs) -> Result<()> {
    data_dir.ensure_exists()?;
    apply_provisioning_file(data_dir);
    let settings = load_settings(data_dir)?.with_context(|| {
        format!(
            "{} is not set up, and without a screen there is no setup wizard: \
             run `room-console provision RoomConsoleSettings.xml` first",
            data_dir.path().display()
        )
    })?;
    let runtime = background::start_runtime()?;
    let sync = if args.demo || settings.calendar.source == CalendarSource::Demo {
        None
    } else {
        Some(background::start_sync(
            &runtime,
            data_dir,
            args.allow_insecure_http,
        )?)
    };
    background::start_content_headless(&runtime, &settings.content);
    start_fleet(&runtime, data_dir, args, sync.clone(), true);
    // Nothing is drawn, so the updater's health gate waits only for the sync.
    crate::update::console::spawn(
        &runtime,
        data_dir.clone(),
        crate::update::console::ConsoleSignals {
            frame_drawn: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
            sync,
            content_shown: std::sync::Arc::new(|| false),
        },
    );
    crate::device::watchdog::start_on_runtime(&runtime);
    crate::device::watchdog::notify_ready();
    tracing::info!(data_dir = %data_dir.path().display(), room = %settings.room.display_name, "running headless");
    loop {
        std::thread::park();
    }
}
