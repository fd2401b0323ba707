//! `room-console status [--json]`: the facts an admin needs, as on the admin screen —
//! room, calendar source, server, last sync, last error with its fix, cached meetings,
//! host name and network addresses.
//! Secrets are never printed, only whether they are set.

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use super::source::load_settings;
use crate::content::InputInfo;
use crate::device::network::{self, Interface};
use crate::device::paths::DataDir;
use crate::settings::{CalendarSource as SourceKind, Secrets};
use crate::store::Store;
use crate::sync::engine::STATUS_KEY;
use crate::sync::status::SyncStatus;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// The status report.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub version: String,
    pub data_dir: String,
    pub configured: bool,
    pub room: Option<String>,
    pub mailbox: Option<String>,
    pub source: Option<String>,
    pub ews_url: Option<String>,
    pub account: Option<String>,
    pub password_set: bool,
    pub server: Option<String>,
    pub sync: SyncStatus,
    pub meetings_cached: u64,
    /// The content inputs the device has, with their state ("HDMI-A-1: nothing plugged in").
    pub content_inputs: Vec<String>,
    /// The same inputs as read, for the admin screen to word in its language.
    #[serde(skip)]
    pub inputs: Vec<InputInfo>,
    pub hostname: Option<String>,
    /// The network interfaces with their addresses, loopback left out.
    pub network: Vec<Interface>,
    /// Recurring series whose occurrences nobody checked in to, released at least
    /// `ReportSeriesAfterReleases` times in a row (series id, releases in a row).
    pub series_released: Vec<(String, u32)>,
}

/// The content inputs the configured setting finds on this device.
fn discovered_inputs(settings: Option<&crate::settings::Settings>) -> Vec<InputInfo> {
    use crate::content::{InputSetting, Roots, discover};
    let setting = settings
        .and_then(|s| s.content.input.parse::<InputSetting>().ok())
        .unwrap_or_default();
    discover(&setting, &Roots::system())
}

/// An input with its state, as `status` prints it ("HDMI-A-1: nothing plugged in").
fn describe_input(input: &InputInfo) -> String {
    match &input.error {
        Some(error) => format!("{}: {error}", input.name),
        None => format!("{}: {}", input.name, input.status),
    }
}

/// Gathers the report from the data dir.
pub fn gather(data_dir: &DataDir) -> Result<StatusReport> {
    let settings = load_settings(data_dir)?;
    let secrets = Secrets::load(data_dir.path())?.unwrap_or_default();
    let report_after = settings
        .as_ref()
        .map_or(3, |s| s.booking.report_series_after_releases);
    let (sync, meetings_cached, series_released) = if data_dir.agenda_db().exists() {
        let store = Store::open(&data_dir.agenda_db())?;
        let sync = store
            .get_state(STATUS_KEY)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        let released = crate::booking::journal::series_to_report(&store, report_after)?;
        (sync, store.meeting_count()?, released)
    } else {
        (SyncStatus::default(), 0, Vec::new())
    };
    let source = settings.as_ref().map(|s| s.calendar.source);
    let account = settings.as_ref().map(|s| match s.calendar.source {
        SourceKind::EwsImpersonation => s
            .calendar
            .service_account_username
            .clone()
            .unwrap_or_default(),
        _ => s
            .room
            .domain_username
            .clone()
            .unwrap_or_else(|| s.room.sign_in_address.clone()),
    });
    let password_set = match source {
        Some(SourceKind::EwsImpersonation) => secrets.service_account_password.is_some(),
        Some(SourceKind::Graph) => secrets.client_secret.is_some(),
        Some(_) => secrets.room_password.is_some(),
        None => false,
    };
    let inputs = discovered_inputs(settings.as_ref());
    Ok(StatusReport {
        version: super::version_line(),
        data_dir: data_dir.path().display().to_string(),
        configured: settings.is_some(),
        room: settings.as_ref().map(|s| s.room.display_name.clone()),
        mailbox: settings.as_ref().map(|s| s.room.exchange_address.clone()),
        source: source.map(|s| s.to_string()),
        ews_url: settings.as_ref().map(|s| {
            s.calendar
                .ews_url
                .as_ref()
                .map_or_else(|| "(Autodiscover)".to_owned(), |u| u.to_string())
        }),
        account,
        password_set,
        server: sync.server.clone(),
        sync,
        meetings_cached,
        content_inputs: inputs.iter().map(describe_input).collect(),
        inputs,
        hostname: network::host_name(),
        network: network::interfaces(),
        series_released,
    })
}

pub fn status(data_dir: &DataDir, args: &StatusArgs) -> Result<()> {
    let report = gather(data_dir)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", human(&report));
    }
    Ok(())
}

/// The report as labelled lines, in the order an admin reads them: what
/// `room-console status` prints and the admin screen shows. The last error and its fix
/// are not among them (each shows them its own way).
pub fn facts(r: &StatusReport) -> Vec<(&'static str, String)> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    let time =
        |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or("never".to_owned(), |t| t.to_rfc3339());
    let mut facts = vec![
        ("Software", r.version.clone()),
        ("Data directory", r.data_dir.clone()),
        ("Host name", or_dash(&r.hostname)),
        ("Network", network::describe(&r.network)),
    ];
    if !r.configured {
        facts.push((
            "Configured",
            "no (first boot: the setup wizard, or `room-console provision FILE`)".into(),
        ));
        return facts;
    }
    facts.extend([
        (
            "Room",
            format!("{} <{}>", or_dash(&r.room), or_dash(&r.mailbox)),
        ),
        ("Calendar source", or_dash(&r.source)),
        ("EWS URL", or_dash(&r.ews_url)),
        (
            "Account",
            format!(
                "{} (password {})",
                or_dash(&r.account),
                if r.password_set { "set" } else { "NOT set" }
            ),
        ),
        ("Server", or_dash(&r.server)),
        ("Sync", r.sync.state.label()),
        ("Last good sync", time(r.sync.last_success)),
        ("Meetings cached", r.meetings_cached.to_string()),
        (
            "Content inputs",
            if r.content_inputs.is_empty() {
                "none".to_owned()
            } else {
                r.content_inputs.join("; ")
            },
        ),
    ]);
    facts
}

fn human(r: &StatusReport) -> String {
    let mut lines: Vec<String> = facts(r)
        .into_iter()
        .map(|(label, value)| format!("{:<17}{value}", format!("{label}:")))
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
            err.at.to_rfc3339()
        ));
        if let Some(fix) = &err.fix {
            lines.push(format!("Fix:             {fix}"));
        }
    }
    lines.join("\n") + "\n"
}
