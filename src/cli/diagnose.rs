//! `room-console diagnose [--json]`: the setup wizard's account checks on the saved
//! settings, with the same texts. Exit code 0 only when every check passes.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;

use super::source::load_configured;
use crate::device::paths::DataDir;
use crate::diagnose::{CheckOptions, CheckResult, CheckStatus, all_passed, run_checks};

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Print the checks as JSON: [{id, status, message, fix}]
    #[arg(long)]
    pub json: bool,
    /// Read the calendar from this instant (RFC 3339) [default: now]
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
    /// Allow a plain http:// EWS URL (for a lab only)
    #[arg(long)]
    pub allow_insecure_http: bool,
}

pub(super) fn diagnose(data_dir: &DataDir, args: &DiagnoseArgs) -> Result<()> {
    let (settings, secrets) = load_configured(data_dir)?;
    let options = CheckOptions {
        now: super::clock_for(args.now).now(),
        allow_insecure_http: args.allow_insecure_http,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for the checks")?;
    let json = args.json;
    let results = runtime.block_on(run_checks(
        &settings,
        &secrets,
        options,
        &mut |result: &CheckResult| {
            if !json {
                println!("{}", line(result));
            }
        },
    ));
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    }
    if !all_passed(&results) {
        let failed = results
            .iter()
            .filter(|r| r.status != CheckStatus::Pass)
            .count();
        bail!("{failed} of {} checks did not pass", results.len());
    }
    Ok(())
}

/// `✓ Sign-in: svc@contoso.com signed in.` with the fix on the next line.
fn line(result: &CheckResult) -> String {
    let mark = match result.status {
        CheckStatus::Pass => "✓",
        CheckStatus::Warn => "!",
        CheckStatus::Fail => "✗",
        CheckStatus::Skipped => "–",
    };
    let mut text = format!("{mark} {}: {}", result.id.title(), result.message);
    if let Some(fix) = &result.fix {
        text.push_str(&format!("\n    Fix: {fix}"));
    }
    text
}
