//! The console's status: the facts an admin needs — room, calendar source, server, last
//! sync, last error with its fix, cached meetings, push, content inputs, fleet, updates,
//! host name and network addresses — gathered from the data dir ([`gather`]) and put as
//! labelled lines ([`facts`]). `room-console status` prints them, the admin screen and
//! the fleet's health report show them. Secrets are never in them, only whether they
//! are set. Times read as the device's local time with their age (`when`).

pub mod fleet_state;
pub(crate) mod when;

use anyhow::Result;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::clock::device_time_zone;
use crate::content::InputInfo;
use crate::device::network::{self, Interface};
use crate::device::paths::DataDir;
use crate::live::push_status::{PUSH_STATUS_KEY, PushStatus};
use crate::settings::{CalendarSource as SourceKind, Secrets, Settings};
use crate::store::Store;
use crate::sync::engine::STATUS_KEY;
use crate::sync::status::{SyncState, SyncStatus};
use crate::update::state::SlotsSnapshot;
use crate::update::{UpdateState, room_tz};
use when::{local_with_age, whole_seconds};

/// A line of the status report: `status` prints its [`Fact::label`]; the admin screen
/// words it by the fact itself (`ui::admin::model::fact_key`), never by the English label.
pub use crate::words::Fact;

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
    /// How calendar changes reach the console (None before the live listener ran).
    pub push: Option<PushReport>,
    /// The content inputs the device has, with their state ("HDMI-A-1: nothing plugged in").
    pub content_inputs: Vec<String>,
    /// The same inputs as read, for the admin screen to word in its language.
    #[serde(skip)]
    pub inputs: Vec<InputInfo>,
    pub hostname: Option<String>,
    /// The network interfaces with their addresses, loopback left out.
    pub network: Vec<Interface>,
    /// When the report was made, for the ages of its times.
    #[serde(skip)]
    pub now: DateTime<Utc>,
    /// The device's time zone, that its times are shown in.
    #[serde(skip)]
    pub tz: Tz,
    /// The fleet connection: connected, connecting (reason) or off.
    pub fleet: fleet_state::FleetState,
    /// The software update under way or last made (`None`: none yet).
    pub update: Option<UpdateState>,
    /// The same, as one line in the room's time zone.
    pub update_line: Option<String>,
    /// The A/B slots as RAUC last reported them (`None`: not read yet).
    pub slots: Option<SlotsSnapshot>,
    /// Recurring series whose occurrences nobody checked in to, released at least
    /// `ReportSeriesAfterReleases` times in a row (series id, releases in a row).
    pub series_released: Vec<(String, u32)>,
}

/// The live listener's state with the age of the last confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushReport {
    #[serde(flatten)]
    pub status: PushStatus,
    pub confirmed_seconds_ago: Option<i64>,
}

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

/// The sync status with its instants to the whole second: what a reader needs, without
/// the nanoseconds of the moment it was recorded.
fn to_whole_seconds(mut sync: SyncStatus) -> SyncStatus {
    sync.last_success = sync.last_success.map(whole_seconds);
    sync.last_attempt = sync.last_attempt.map(whole_seconds);
    if let Some(error) = &mut sync.last_error {
        error.at = whole_seconds(error.at);
    }
    if let SyncState::Throttled { until } = &mut sync.state {
        *until = whole_seconds(*until);
    }
    sync
}

/// Gathers the report from the data dir at the instant `now`.
pub(crate) fn gather(data_dir: &DataDir, now: DateTime<Utc>) -> Result<StatusReport> {
    let settings = Settings::load(data_dir.path())?;
    let secrets = Secrets::load(data_dir.path())?.unwrap_or_default();
    let report_after = settings
        .as_ref()
        .map_or(3, |s| s.booking.report_series_after_releases);
    let (sync, meetings_cached, push, series_released) = if data_dir.agenda_db().exists() {
        let store = Store::open(&data_dir.agenda_db())?;
        let sync = store
            .get_state(STATUS_KEY)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .map(to_whole_seconds)
            .unwrap_or_default();
        let push = store
            .get_state(PUSH_STATUS_KEY)?
            .and_then(|json| serde_json::from_str::<PushStatus>(&json).ok())
            .map(|status| PushReport {
                confirmed_seconds_ago: status.confirmed_seconds_ago(chrono::Utc::now()),
                status,
            });
        let released = crate::booking::journal::series_to_report(&store, report_after)?;
        (sync, store.meeting_count()?, push, released)
    } else {
        (SyncStatus::default(), 0, None, Vec::new())
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
    let update = UpdateState::load(data_dir.path());
    let update_line = update
        .as_ref()
        .map(|u| u.describe(&room_tz(settings.as_ref())));
    Ok(StatusReport {
        version: version_line(),
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
        push,
        content_inputs: inputs.iter().map(describe_input).collect(),
        inputs,
        hostname: network::host_name(),
        network: network::interfaces(),
        now,
        tz: device_time_zone(
            settings
                .as_ref()
                .and_then(|s| s.device.time_zone.as_deref()),
        ),
        fleet: fleet_state::read(data_dir.path(), settings.as_ref()),
        update,
        update_line,
        slots: SlotsSnapshot::load(data_dir.path()),
        series_released,
    })
}

/// The report as labelled lines, in the order an admin reads them: what
/// `room-console status` prints and the admin screen shows. The last error and its fix
/// are not among them (each shows them its own way).
pub fn facts(r: &StatusReport) -> Vec<(Fact, String)> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    let time = |t: Option<DateTime<Utc>>| {
        t.map_or("never".to_owned(), |t| local_with_age(t, r.now, &r.tz))
    };
    let sync = match r.sync.state {
        SyncState::Throttled { until } => {
            format!("throttled until {}", local_with_age(until, r.now, &r.tz))
        }
        ref state => state.label(),
    };
    let mut facts = vec![
        (Fact::Software, r.version.clone()),
        (Fact::DataDirectory, r.data_dir.clone()),
        (Fact::HostName, or_dash(&r.hostname)),
        (Fact::Network, network::describe(&r.network)),
        (Fact::Fleet, r.fleet.label()),
    ];
    if let Some(slots) = &r.slots {
        facts.push((Fact::Slots, slots.describe()));
    }
    if let Some(line) = &r.update_line {
        facts.push((Fact::SoftwareUpdate, line.clone()));
    }
    if !r.configured {
        facts.push((
            Fact::Configured,
            "no (first boot: the setup wizard, or `room-console provision FILE`)".into(),
        ));
        return facts;
    }
    facts.extend([
        (
            Fact::Room,
            format!("{} <{}>", or_dash(&r.room), or_dash(&r.mailbox)),
        ),
        (Fact::CalendarSource, or_dash(&r.source)),
        (Fact::EwsUrl, or_dash(&r.ews_url)),
        (
            Fact::Account,
            format!(
                "{} (password {})",
                or_dash(&r.account),
                if r.password_set { "set" } else { "NOT set" }
            ),
        ),
        (Fact::Server, or_dash(&r.server)),
        (Fact::Sync, sync),
        (Fact::LastGoodSync, time(r.sync.last_success)),
        (Fact::MeetingsCached, r.meetings_cached.to_string()),
        (
            Fact::ContentInputs,
            if r.content_inputs.is_empty() {
                "none".to_owned()
            } else {
                r.content_inputs.join("; ")
            },
        ),
    ]);
    if let Some(push) = &r.push {
        facts.push((Fact::Push, describe_push(push)));
    }
    facts
}

/// "streaming, confirmed 12 s ago" or "pull (why), confirmed …".
pub(crate) fn describe_push(push: &PushReport) -> String {
    let mut text = push.status.mode.as_str().to_owned();
    if let Some(reason) = &push.status.reason {
        text.push_str(&format!(" ({reason})"));
    }
    match push.confirmed_seconds_ago {
        Some(age) => text.push_str(&format!(", confirmed {age} s ago")),
        None => text.push_str(", not confirmed yet"),
    }
    text
}

/// "room-console 0.1.0 (x86_64-linux)": what `--version` prints and the first fact.
pub(crate) fn version_line() -> String {
    format!(
        "room-console {} ({}-{})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS
    )
}
