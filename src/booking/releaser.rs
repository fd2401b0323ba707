//! The release of no-shows by the sync task itself (`run`, `run --headless`, `sync`):
//! after each pass, the meetings nobody checked in to whose window ended are released,
//! and the task is woken when the next window ends. The screen's 60-second countdown
//! runs before that instant, and its "I'm here" records a check-in in the store, which
//! this reads before every release.

use chrono::{DateTime, Utc};

use super::runner::Runner;
use super::write::CalendarWriter;
use crate::settings::Settings;
use crate::store::Store;
use crate::sync::engine::SyncEngine;
use crate::sync::source::CalendarSource;
use crate::sync::task::{AfterPass, AfterPassResult};

/// Releases no-shows after each pass of the sync task.
pub struct NoShowReleaser {
    /// A second connection to the agenda cache, for the journal and check-ins.
    journal: Store,
    settings: Settings,
}

impl NoShowReleaser {
    pub fn new(journal: Store, settings: Settings) -> NoShowReleaser {
        NoShowReleaser { journal, settings }
    }
}

impl<S: CalendarSource + CalendarWriter + 'static> AfterPass<S> for NoShowReleaser {
    async fn after_pass(
        &mut self,
        engine: &mut SyncEngine<S>,
        now: DateTime<Utc>,
    ) -> AfterPassResult {
        let mut runner = Runner::for_room(engine, &mut self.journal, &self.settings);
        let tz = runner.tz;
        let mut changed = false;
        match runner.release_no_shows(now).await {
            Ok(report) => {
                changed = !report.released.is_empty();
                for meeting in &report.released {
                    tracing::info!(meeting = %meeting.id, "released: nobody checked in");
                }
                for (meeting, err) in &report.failed {
                    tracing::warn!(meeting = %meeting.id, "release failed: {}", err.describe(&tz));
                }
                for (series, count) in &report.series_to_report {
                    tracing::warn!(%series, count, "a series was released this many times in a row");
                }
            }
            Err(err) => tracing::warn!("releasing no-shows failed: {}", err.describe(&tz)),
        }
        let wake_by = runner.next_release(now).unwrap_or_else(|err| {
            tracing::warn!("cannot read the check-ins: {}", err.describe(&tz));
            None
        });
        AfterPassResult { changed, wake_by }
    }
}
