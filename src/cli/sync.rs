//! `room-console sync [--once]`: syncs the room's calendar into the cache from the command
//! line: once (exit 0 on success; otherwise non-zero and the admin-facing message), or
//! for ever with the same live task as `run` (the sync task woken by push), printing a
//! line after each pass.

use anyhow::{Result, bail};
use clap::Args;

use super::source::load_configured;
use crate::booking::releaser::NoShowReleaser;
use crate::clock::device_time_zone;
use crate::device::paths::DataDir;
use crate::live;
use crate::live::listener::LiveConfig;
use crate::live::start::LiveSetup;
use crate::sources::configured::ConfiguredSource;
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::sync::engine::{PassResult, SyncEngine};
use crate::sync::task;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// One pass, then exit (0 on success)
    #[arg(long)]
    pub once: bool,
    /// Allow a plain http:// EWS URL (for a lab only: passwords would cross the network
    /// readable)
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Sync as if it were this instant (RFC 3339): the window is around it. For tests.
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

pub(super) fn sync(data_dir: &DataDir, args: &SyncArgs) -> Result<()> {
    let (settings, secrets) = load_configured(data_dir)?;
    // One pass makes its requests from one task and reads each answer as it comes: one
    // thread does that with fewer wake-ups and hand-overs between threads than two (the
    // client CPU of a full sync, BENCHMARKS.md). Running for ever, the sync task, the live
    // listener and booking share two workers.
    let runtime = if args.once {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        let tz = device_time_zone(settings.device.time_zone.as_deref());
        let interval = settings.calendar.sync_interval();
        let clock: std::sync::Arc<dyn crate::clock::Clock> =
            std::sync::Arc::from(super::clock_for(args.now));
        let (live_settings, live_secrets) = (settings.clone(), secrets.clone());
        let booking_settings = settings.clone();
        let source = ConfiguredSource::new(settings, secrets, args.allow_insecure_http)
            .with_clock(clock.clone())
            .remembering_in(data_dir.path());
        data_dir.ensure_exists()?;
        let store = Store::open(&data_dir.agenda_db())?;
        let mut journal = Store::open(&data_dir.agenda_db())?;
        let mut engine =
            SyncEngine::new(source, store, tz, interval, Backoff::new(fastrand::u64(..)));
        if args.once {
            let (result, _) = engine.pass(clock.now()).await;
            report(&result, engine.store().meeting_count().unwrap_or(0));
            return match result {
                PassResult::Failed(err) => bail!("{err}"),
                // Rooms nobody came to are released once the agenda is fresh.
                _ => {
                    super::booking::release_no_shows(
                        &mut engine,
                        &mut journal,
                        &booking_settings,
                        clock.now(),
                    )
                    .await
                }
            };
        }
        // The same live task as `run`: the sync task, woken by the live listener, and
        // releasing no-shows itself.
        let releaser = NoShowReleaser::new(journal, booking_settings);
        let mut handle = task::spawn_with(engine, clock.clone(), releaser);
        let _live = live::start::spawn(
            LiveSetup {
                settings: live_settings,
                secrets: live_secrets,
                allow_insecure_http: args.allow_insecure_http,
                data_dir: data_dir.path().to_path_buf(),
                agenda_db: data_dir.agenda_db(),
                clock,
                config: LiveConfig::default(),
            },
            handle.clone(),
        )?;
        let reader = Store::open(&data_dir.agenda_db())?;
        while let Some(status) = handle.next_pass().await {
            let cached = reader.meeting_count().unwrap_or(0);
            match &status.last_error {
                Some(error) if status.is_degraded() => {
                    println!(
                        "{}: {}; {cached} meetings cached",
                        status.state.label(),
                        error.message
                    )
                }
                _ => println!("{}; {cached} meetings cached", status.state.label()),
            }
        }
        Ok(())
    })
}

fn report(result: &PassResult, cached: u64) {
    match result {
        PassResult::Unchanged => println!("no changes; {cached} meetings cached"),
        PassResult::Refreshed { fetched, stored } => {
            println!("synced: {stored} meetings in the window, {fetched} fetched; {cached} cached")
        }
        // The caller reports the failure (and the log has it).
        PassResult::Failed(_) => {}
    }
}
