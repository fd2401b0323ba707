//! What the account checks of both sources share: the instant they run at, running them
//! as the wizard and `diagnose` do while recording the order they report in, and reading
//! their results.

use chrono::{DateTime, TimeZone, Utc};
use room_console::diagnose::{CheckId, CheckOptions, CheckResult, CheckStatus, run_checks};
use room_console::settings::{Secrets, Settings};

/// 07:00 UTC, 23 November 2026: the checks read the calendar from here.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap()
}

/// The checks' results, and the checks in the order they reported.
pub(crate) async fn check(
    settings: &Settings,
    secrets: &Secrets,
) -> (Vec<CheckResult>, Vec<CheckId>) {
    let mut seen = Vec::new();
    let options = CheckOptions {
        now: now(),
        allow_insecure_http: false,
    };
    let results = run_checks(settings, secrets, options, &mut |r: &CheckResult| {
        seen.push(r.id)
    })
    .await;
    (results, seen)
}

/// The result of the check `id`.
pub(crate) fn result(results: &[CheckResult], id: CheckId) -> &CheckResult {
    results.iter().find(|r| r.id == id).unwrap()
}

/// The checks' statuses, in order.
pub(crate) fn statuses(results: &[CheckResult]) -> Vec<CheckStatus> {
    results.iter().map(|r| r.status).collect()
}
