//! What both sources' checks share: the options they run with, the report that collects
//! their results in order (a failure marks every later check as not run), how far
//! ahead they read, and the Calendar check's pass.

use chrono::{DateTime, Utc};

use super::result::{CheckId, CheckResult};
use crate::words::Phrase;
use crate::words::Wording;

/// How far ahead the calendar is read.
pub(super) const WINDOW_DAYS: i64 = 14;
/// The most invitations fetched whole for the invitations check.
pub(super) const SAMPLE_SIZE: usize = 10;

/// What the checks need besides settings and secrets.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The instant the calendar window starts at.
    pub now: DateTime<Utc>,
    /// Allow a plain http:// EWS URL (a lab only).
    pub allow_insecure_http: bool,
}

/// Collects results in order and reports each as it comes.
pub(super) struct Report<'a> {
    /// The checks of the source, in order.
    order: &'static [CheckId],
    results: Vec<CheckResult>,
    progress: &'a mut (dyn FnMut(&CheckResult) + Send),
}

impl<'a> Report<'a> {
    pub(super) fn new(
        order: &'static [CheckId],
        progress: &'a mut (dyn FnMut(&CheckResult) + Send),
    ) -> Report<'a> {
        Report {
            order,
            results: Vec::new(),
            progress,
        }
    }

    /// The results, in order.
    pub(super) fn into_results(self) -> Vec<CheckResult> {
        self.results
    }

    pub(super) fn push(&mut self, result: CheckResult) {
        (self.progress)(&result);
        self.results.push(result);
    }

    /// Pushes `failure` and marks every later check as not run.
    pub(super) fn fail_then_skip(&mut self, failure: CheckResult) {
        let failed = failure.id;
        self.push(failure);
        let later = self.order.iter().skip_while(|id| **id != failed).skip(1);
        for id in later.copied().collect::<Vec<_>>() {
            self.push(CheckResult::skipped(id, failed));
        }
    }
}

/// The Calendar check's pass: `count` meetings of `mailbox` in the window.
pub(super) fn calendar_readable(mailbox: &str, count: usize) -> CheckResult {
    CheckResult::pass(
        CheckId::Calendar,
        Wording::phrase(
            Phrase::CalendarReadable,
            [
                mailbox.to_owned(),
                count.to_string(),
                WINDOW_DAYS.to_string(),
            ],
        ),
    )
}
