//! `room-console status [--json]`: the console's status (`crate::status`) as labelled
//! lines, with the released series and the last error and its fix, or as JSON (RFC 3339
//! instants, UTC, whole seconds).

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;

use crate::device::paths::DataDir;
use crate::status::when::local_with_age;
use crate::status::{StatusReport, facts, gather};

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// The instant that is "now" (RFC 3339), for the ages of the times [default: now]
    #[arg(long, hide = true, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
}

pub fn status(data_dir: &DataDir, args: &StatusArgs) -> Result<()> {
    let mut report = gather(data_dir, super::clock_for(args.now).now())?;
    // Fresh from RAUC here; the admin screen shows what the console read last.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let slots = runtime.block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            crate::update::read_slots(),
        )
        .await
        .ok()
    });
    if slots.is_some() {
        report.slots = slots;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", human(&report));
    }
    Ok(())
}

fn human(r: &StatusReport) -> String {
    let mut lines: Vec<String> = facts(r)
        .into_iter()
        .map(|(fact, value)| format!("{:<17}{value}", format!("{}:", fact.label())))
        .collect();
    for (series, count) in &r.series_released {
        lines.push(format!(
            "Released series: {series}: nobody checked in {count} times in a row (tell the \
             organizer, or cancel the series in Outlook)"
        ));
    }
    if let Some(err) = r.sync.last_error.as_ref().filter(|_| r.configured) {
        lines.push(format!(
            "Last error:      {} ({})",
            err.message,
            local_with_age(err.at, r.now, &r.tz)
        ));
        if let Some(fix) = &err.fix {
            lines.push(format!("Fix:             {fix}"));
        }
    }
    lines.join("\n") + "\n"
}
