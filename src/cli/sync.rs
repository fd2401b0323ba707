//! `room-console sync [--once]`: syncs the room's calendar into the cache from the command
//! line: once (exit 0 on success; otherwise non-zero and the admin-facing message), or
//! forever like the console does in the background.

use std::time::Duration;

use anyhow::{Result, bail};
use clap::Args;

use super::source::load_configured;
use crate::clock::device_time_zone;
use crate::device::paths::DataDir;
use crate::sources::configured::ConfiguredSource;
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::sync::engine::{PassResult, SyncEngine};

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

pub fn sync(data_dir: &DataDir, args: &SyncArgs) -> Result<()> {
    let (settings, secrets) = load_configured(data_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let tz = device_time_zone(settings.device.time_zone.as_deref());
        let interval = settings.calendar.sync_interval();
        let clock: std::sync::Arc<dyn crate::clock::Clock> =
            std::sync::Arc::from(super::clock_for(args.now));
        let booking_settings = settings.clone();
        let source = ConfiguredSource::new(settings, secrets, args.allow_insecure_http)
            .with_clock(clock.clone())
            .remembering_in(data_dir.path());
        data_dir.ensure_exists()?;
        let store = Store::open(&data_dir.agenda_db())?;
        let mut journal = Store::open(&data_dir.agenda_db())?;
        let mut engine =
            SyncEngine::new(source, store, tz, interval, Backoff::new(fastrand::u64(..)));
        loop {
            let (result, wait) = engine.pass(clock.now()).await;
            report(&result, engine.store().meeting_count().unwrap_or(0));
            if args.once {
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
            tokio::time::sleep(wait.max(Duration::from_secs(1))).await;
        }
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
