//! `room-console book | extend | end | check-in`: the room's actions from the command
//! line, through the same runner as the buttons. Each syncs first, acts, syncs again,
//! and exits 0 only when the server confirmed (check-in is the console's own record).

use std::sync::Arc;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;

use super::source::load_configured;
use crate::booking::{ActionError, ReleaseReport, Runner};
use crate::calendar::Meeting;
use crate::clock::{Clock, device_time_zone};
use crate::device::paths::DataDir;
use crate::settings::Settings;
use crate::sources::configured::ConfiguredSource;
use crate::store::Store;
use crate::sync::backoff::Backoff;
use crate::sync::engine::SyncEngine;

/// `book`
#[derive(Debug, Args)]
pub struct BookArgs {
    /// How long to book, from now (rounded down to the minute); at least 10
    #[arg(long)]
    pub minutes: i64,
    #[command(flatten)]
    pub common: ActionArgs,
}

/// `extend`
#[derive(Debug, Args)]
pub struct ExtendArgs {
    /// How many minutes to add to the meeting on now
    #[arg(long)]
    pub minutes: i64,
    #[command(flatten)]
    pub common: ActionArgs,
}

/// What every action takes.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Act as if it were this instant (RFC 3339) [default: now]
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
    /// Allow a plain http:// EWS URL (for a lab only)
    #[arg(long)]
    pub allow_insecure_http: bool,
}

/// Which action to run.
pub(super) enum Action {
    Book(i64),
    Extend(i64),
    End,
    CheckIn,
}

/// Runs `action` and prints what the server confirmed.
pub(super) fn act(data_dir: &DataDir, action: Action, args: &ActionArgs) -> Result<()> {
    let (settings, secrets) = load_configured(data_dir)?;
    let clock: Arc<dyn Clock> = Arc::from(super::clock_for(args.now));
    let now = clock.now();
    let tz = device_time_zone(settings.device.time_zone.as_deref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        data_dir.ensure_exists()?;
        let source = ConfiguredSource::new(settings.clone(), secrets, args.allow_insecure_http)
            .with_clock(clock.clone())
            .remembering_in(data_dir.path());
        let store = Store::open(&data_dir.agenda_db())?;
        let mut journal = Store::open(&data_dir.agenda_db())?;
        let mut engine = engine_for(&settings, source, store);
        let mut runner = Runner::for_room(&mut engine, &mut journal, &settings);
        let done = match action {
            Action::Book(minutes) => runner.book(now, minutes).await.map(|m| ("Booked", m)),
            Action::Extend(minutes) => runner.extend(now, minutes).await.map(|m| ("Extended", m)),
            Action::End => runner.end(now).await.map(|m| ("Ended", m)),
            Action::CheckIn => runner.check_in(now).await.map(|m| ("Checked in to", m)),
        };
        match done {
            Ok((what, meeting)) => {
                println!("{what}: {}", describe(&meeting, &tz));
                Ok(())
            }
            Err(err) => bail!("{}", err.describe(&tz)),
        }
    })
}

/// The sync engine the actions and `sync` share.
pub(super) fn engine_for(
    settings: &Settings,
    source: ConfiguredSource,
    store: Store,
) -> SyncEngine<ConfiguredSource> {
    SyncEngine::new(
        source,
        store,
        device_time_zone(settings.device.time_zone.as_deref()),
        settings.calendar.sync_interval(),
        Backoff::new(fastrand::u64(..)),
    )
}

/// After a `sync --once` pass: releases the meetings nobody checked in to whose window
/// ended by `now`, and prints what happened.
pub(super) async fn release_no_shows(
    engine: &mut SyncEngine<ConfiguredSource>,
    journal: &mut Store,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<()> {
    let tz = device_time_zone(settings.device.time_zone.as_deref());
    let mut runner = Runner::for_room(engine, journal, settings);
    let report: ReleaseReport = runner
        .release_no_shows(now)
        .await
        .map_err(|e: ActionError| anyhow::anyhow!("{}", e.describe(&tz)))?;
    for meeting in &report.released {
        println!("released (nobody checked in): {}", describe(meeting, &tz));
    }
    for (series, count) in &report.series_to_report {
        println!(
            "series {series} was released {count} times in a row: tell its organizer, or \
             cancel the series in Outlook"
        );
    }
    if let Some((meeting, err)) = report.failed.first() {
        bail!(
            "releasing {} failed: {}",
            describe(meeting, &tz),
            err.describe(&tz)
        );
    }
    Ok(())
}

/// "10:00–10:30 Booked at the console".
fn describe(meeting: &Meeting, tz: &chrono_tz::Tz) -> String {
    let (start, end) = meeting.time.instants(tz);
    format!(
        "{}–{} {}",
        start.with_timezone(tz).format("%H:%M"),
        end.with_timezone(tz).format("%H:%M"),
        meeting.visible_subject().unwrap_or("(private meeting)")
    )
}
