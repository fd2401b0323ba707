//! The device settings kept in `<data-dir>/settings.json`: room account, calendar access,
//! device preferences and content sharing. No secrets live here (see `secrets.rs`).
//!
//! Every struct is `#[serde(default)]`, so a file written by an older version, which lacks
//! fields added since, still loads; fields a newer version wrote and this one does not
//! know are ignored.

use std::fmt;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use url::Url;

use super::files::{self, OWNER_WRITE_ALL_READ, ParseDetail, SettingsError};

/// The settings file's name inside the data directory.
pub const SETTINGS_FILE_NAME: &str = "settings.json";

/// Allowed calendar sync intervals, in seconds.
pub const SYNC_INTERVAL_SECONDS: RangeInclusive<u32> = 15..=3600;
/// Allowed safety-net sync intervals while Exchange streams changes, in seconds.
pub(super) const PUSH_SYNC_INTERVAL_SECONDS: RangeInclusive<u32> = 15..=3600;
/// Allowed Microsoft 365 delta-poll intervals near a meeting's edge or a touch, in seconds.
pub(super) const GRAPH_FAST_POLL_SECONDS: RangeInclusive<u32> = 1..=60;
/// Allowed Microsoft 365 delta-poll intervals otherwise, in seconds.
pub(super) const GRAPH_SLOW_POLL_SECONDS: RangeInclusive<u32> = 2..=3600;
/// Allowed content-share grace periods, in seconds.
pub const GRACE_SECONDS: RangeInclusive<u32> = 0..=60;
/// Allowed inactivity before the screen dims at night, in seconds.
pub const DIM_AFTER_SECONDS: RangeInclusive<u32> = 10..=3600;
/// Allowed inactivity before the screen blanks at night, in seconds.
pub const BLANK_AFTER_SECONDS: RangeInclusive<u32> = 10..=86_400;
/// Allowed longest times between two fleet health reports, in seconds.
pub const HEALTH_INTERVAL_SECONDS: RangeInclusive<u32> = 5..=86_400;
/// What the fleet's `reboot` command runs unless `Device/RebootCommand` says otherwise.
pub const DEFAULT_REBOOT_COMMAND: &str = "systemctl reboot";
/// The UI languages the console ships.
pub const LANGUAGES: [&str; 3] = ["en", "sv", "ko"];

/// Everything the console needs to know except secrets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub room: RoomAccount,
    pub calendar: CalendarSettings,
    pub device: DeviceSettings,
    pub content: ContentSettings,
    /// Reporting to a fleet over MQTT; off while no broker is set.
    pub fleet: FleetSettings,
    /// Software updates (RAUC): where to look and when to restart.
    pub updates: UpdateSettings,
    /// Acting on the room: Book now, Extend, End now, check-in.
    pub booking: BookingSettings,
}

/// The room's own account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoomAccount {
    /// The name shown on the home screen, e.g. "Conference Room 2".
    pub display_name: String,
    /// The room's sign-in address (Lync/Skype/Teams SIP or UPN).
    pub sign_in_address: String,
    /// The room mailbox whose calendar is shown.
    pub exchange_address: String,
    /// `DOMAIN\user` when the room signs in to Exchange with a down-level name.
    pub domain_username: Option<String>,
}

/// Where the agenda comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CalendarSource {
    /// A service account that impersonates the room mailbox over EWS.
    #[default]
    EwsImpersonation,
    /// The room account signs in to EWS itself.
    EwsRoomAccount,
    /// A Microsoft 365 app registration reading the room calendar through Graph.
    Graph,
    /// A built-in demo agenda; no server.
    Demo,
}

impl CalendarSource {
    pub const ALL: [CalendarSource; 4] = [
        CalendarSource::EwsImpersonation,
        CalendarSource::EwsRoomAccount,
        CalendarSource::Graph,
        CalendarSource::Demo,
    ];

    /// The id used in files: `ews-impersonation`, `ews-room-account`, `graph`, `demo`.
    pub fn id(self) -> &'static str {
        match self {
            CalendarSource::EwsImpersonation => "ews-impersonation",
            CalendarSource::EwsRoomAccount => "ews-room-account",
            CalendarSource::Graph => "graph",
            CalendarSource::Demo => "demo",
        }
    }
}

/// `Display` and `FromStr` of an enum by the id of each variant in files (its `id()`,
/// the variants listed in its `ALL`): read ignoring case, anything else refused with
/// `$refusal`.
macro_rules! written_by_id {
    ($enum:ty, $refusal:literal) => {
        impl fmt::Display for $enum {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl FromStr for $enum {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|variant| variant.id().eq_ignore_ascii_case(s))
                    .ok_or_else(|| $refusal.into())
            }
        }
    };
}

written_by_id!(
    CalendarSource,
    "must be one of ews-impersonation, ews-room-account, graph, demo"
);

/// How the console authenticates to EWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EwsAuthMethod {
    #[default]
    Ntlm,
    Basic,
}

impl EwsAuthMethod {
    pub const ALL: [EwsAuthMethod; 2] = [EwsAuthMethod::Ntlm, EwsAuthMethod::Basic];

    /// The id used in files: `ntlm` or `basic`.
    pub fn id(self) -> &'static str {
        match self {
            EwsAuthMethod::Ntlm => "ntlm",
            EwsAuthMethod::Basic => "basic",
        }
    }
}

written_by_id!(EwsAuthMethod, "must be ntlm or basic");

/// Calendar access. EWS fields apply to the `ews-*` sources, Graph fields to `graph`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarSettings {
    pub source: CalendarSource,
    /// The EWS endpoint; `None` means find it with Autodiscover.
    #[serde(with = "optional_url")]
    pub ews_url: Option<Url>,
    /// Where to start Autodiscover; `None` means derive it from the mailbox's domain.
    #[serde(with = "optional_url")]
    pub autodiscover_url: Option<Url>,
    pub authentication: EwsAuthMethod,
    pub service_account_username: Option<String>,
    /// A PEM file with the CA that signed the Exchange server's certificate.
    pub trusted_ca_file: Option<PathBuf>,
    /// Seconds between calendar syncs; see [`CalendarSettings::sync_interval`].
    pub sync_interval_seconds: u32,
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    /// The Graph endpoint; `None` means the global cloud.
    #[serde(with = "optional_url")]
    pub graph_url: Option<Url>,
    /// The sign-in authority; `None` means the global cloud.
    #[serde(with = "optional_url")]
    pub authority_url: Option<Url>,
    /// The scope of the Graph token request; `None` derives it from `graph_url`.
    pub graph_scope: Option<String>,
    /// Seconds between the sync's safety-net polls while Exchange streams changes to the
    /// console; see [`CalendarSettings::push_sync_interval`].
    pub push_sync_interval_seconds: u32,
    /// Microsoft 365: seconds between delta polls around a meeting's start or end and
    /// after a touch on the screen; see [`CalendarSettings::graph_fast_poll`].
    pub graph_fast_poll_seconds: u32,
    /// Microsoft 365: seconds between delta polls otherwise; see
    /// [`CalendarSettings::graph_slow_poll`].
    pub graph_slow_poll_seconds: u32,
}

impl CalendarSettings {
    /// The sync interval, kept within bounds even if the file was edited by hand.
    pub fn sync_interval(&self) -> Duration {
        within(self.sync_interval_seconds, &SYNC_INTERVAL_SECONDS)
    }

    /// The safety-net sync interval while push streams, within bounds and never shorter
    /// than the sync interval (push makes the console faster, never poll more).
    pub fn push_sync_interval(&self) -> Duration {
        within(self.push_sync_interval_seconds, &PUSH_SYNC_INTERVAL_SECONDS)
            .max(self.sync_interval())
    }

    /// Microsoft 365's fast delta-poll interval, within bounds.
    pub(crate) fn graph_fast_poll(&self) -> Duration {
        within(self.graph_fast_poll_seconds, &GRAPH_FAST_POLL_SECONDS)
    }

    /// Microsoft 365's slow delta-poll interval, within bounds and never faster than the
    /// fast one.
    pub(crate) fn graph_slow_poll(&self) -> Duration {
        within(self.graph_slow_poll_seconds, &GRAPH_SLOW_POLL_SECONDS).max(self.graph_fast_poll())
    }
}

/// `seconds` clamped to `bounds`, as a duration (a file edited by hand may hold anything).
fn within(seconds: u32, bounds: &RangeInclusive<u32>) -> Duration {
    Duration::from_secs(u64::from(seconds.clamp(*bounds.start(), *bounds.end())))
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            source: CalendarSource::default(),
            ews_url: None,
            autodiscover_url: None,
            authentication: EwsAuthMethod::default(),
            service_account_username: None,
            trusted_ca_file: None,
            sync_interval_seconds: 60,
            tenant_id: None,
            client_id: None,
            graph_url: None,
            authority_url: None,
            graph_scope: None,
            push_sync_interval_seconds: 900,
            graph_fast_poll_seconds: 2,
            graph_slow_poll_seconds: 15,
        }
    }
}

/// Preferences of the console itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeviceSettings {
    /// IANA name; `None` means the system's time zone.
    pub time_zone: Option<String>,
    /// One of [`LANGUAGES`].
    pub language: String,
    pub clock_24h: bool,
    /// Show private meetings as "Private meeting" without subject or organizer.
    pub hide_private_meetings: bool,
    /// The program run by the Join button; `None` means the built-in handler.
    pub join_command: Option<PathBuf>,
    /// The program run by "Share to meeting" in the content window, with the meeting link
    /// and the content input as its arguments; `None` means sharing is not set up.
    pub share_command: Option<PathBuf>,
    /// Host names whose plain https links count as joinable meetings.
    pub simple_url_hosts: Vec<String>,
    /// When and how the screen dims and blanks at night.
    pub night_mode: NightModeSettings,
    /// The command that restarts the device, split at spaces, never through a shell
    /// (`systemctl reboot`): the fleet's `reboot` and software updates run it.
    pub reboot_command: String,
}

/// Allowed health-gate limits after booting new software, in minutes.
pub const HEALTH_GATE_MINUTES: RangeInclusive<u32> = 1..=120;

/// Software updates (RAUC): where to look for them and when to restart into them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateSettings {
    /// Where "Check for update" downloads the bundle; `None` hides the button.
    #[serde(with = "optional_url")]
    pub url: Option<Url>,
    /// Local hours preferred for the restart into new software.
    pub maintenance_hours: super::maintenance_hours::MaintenanceHours,
    /// Minutes new software has to prove itself before it is rolled back, within
    /// [`HEALTH_GATE_MINUTES`].
    pub health_gate_minutes: u32,
}

impl Default for UpdateSettings {
    fn default() -> Self {
        UpdateSettings {
            url: None,
            maintenance_hours: Default::default(),
            health_gate_minutes: 10,
        }
    }
}

impl UpdateSettings {
    /// The health gate's limit, kept within bounds even if the file was edited by hand.
    pub(crate) fn health_gate(&self) -> chrono::Duration {
        let minutes = self
            .health_gate_minutes
            .clamp(*HEALTH_GATE_MINUTES.start(), *HEALTH_GATE_MINUTES.end());
        chrono::Duration::minutes(i64::from(minutes))
    }
}

/// Night mode: between `start` and `end` (local wall-clock times; the night may cross
/// midnight), while no meeting is on, the screen dims after `dim_after_seconds` without a
/// touch and blanks after `blank_after_seconds`. Off while either time is unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NightModeSettings {
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    /// Seconds without a touch before the screen dims, within [`DIM_AFTER_SECONDS`].
    pub dim_after_seconds: u32,
    /// Seconds without a touch before it blanks, within [`BLANK_AFTER_SECONDS`]; counted
    /// from the last touch, like the dimming.
    pub blank_after_seconds: u32,
}

impl Default for NightModeSettings {
    fn default() -> Self {
        NightModeSettings {
            start: None,
            end: None,
            dim_after_seconds: 60,
            blank_after_seconds: 300,
        }
    }
}

impl Default for DeviceSettings {
    fn default() -> Self {
        DeviceSettings {
            time_zone: None,
            language: "en".into(),
            clock_24h: true,
            hide_private_meetings: true,
            join_command: None,
            share_command: None,
            simple_url_hosts: Vec::new(),
            night_mode: NightModeSettings::default(),
            reboot_command: DEFAULT_REBOOT_COMMAND.into(),
        }
    }
}

/// The shared-content window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContentSettings {
    /// `auto`, `none`, `v4l2:/dev/video0`, `drm:card0-HDMI-A-1` or `file:/path`.
    pub input: String,
    /// Open the content window by itself when a laptop is plugged in.
    pub auto_share: bool,
    /// Seconds a lost signal is tolerated before the window closes.
    pub grace_seconds: u32,
}

impl Default for ContentSettings {
    fn default() -> Self {
        ContentSettings {
            input: "auto".into(),
            auto_share: true,
            grace_seconds: 3,
        }
    }
}

/// Reporting to a fleet: an MQTT broker the console publishes its health to and takes
/// commands from (see `src/fleet/`). Its password lives in the secrets file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FleetSettings {
    /// `mqtts://host:8883` (`mqtt://` only with `run --allow-insecure-mqtt`); `None`: off.
    #[serde(with = "optional_url")]
    pub broker: Option<Url>,
    /// The console's name in the fleet; `None` means the host name.
    pub device_id: Option<String>,
    /// A PEM file with the CA that signed the broker's certificate; `None`: the system's.
    pub trusted_ca_file: Option<PathBuf>,
    /// The console's own certificate (PEM), with its key: one identity per console.
    pub client_certificate: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// The alternative to a certificate: a user name (the password is a secret).
    pub username: Option<String>,
    /// The first level of every topic.
    pub topic_prefix: String,
    /// The longest time between two health reports, within [`HEALTH_INTERVAL_SECONDS`].
    pub health_interval_seconds: u32,
}

impl Default for FleetSettings {
    fn default() -> Self {
        FleetSettings {
            broker: None,
            device_id: None,
            trusted_ca_file: None,
            client_certificate: None,
            client_key: None,
            username: None,
            topic_prefix: "room-console".into(),
            health_interval_seconds: 60,
        }
    }
}

/// Acting on the room from the screen and the command line: Book now, Extend, End now,
/// and check-in with the release of rooms nobody came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingSettings {
    /// Book now, Extend and End now are offered (off: no buttons).
    pub enabled: bool,
    /// Meetings need a check-in; without one the room is released.
    pub check_in: bool,
    /// Minutes after the start a meeting nobody checked in to is released, within
    /// [`RELEASE_AFTER_MINUTES`].
    pub release_after_minutes: u32,
    /// A series released this many times in a row is reported to the admin, within
    /// [`REPORT_SERIES_AFTER_RELEASES`].
    pub report_series_after_releases: u32,
}

/// Allowed minutes before a meeting nobody checked in to is released.
pub(super) const RELEASE_AFTER_MINUTES: RangeInclusive<u32> = 2..=60;
/// Allowed releases in a row before a series is reported.
pub(super) const REPORT_SERIES_AFTER_RELEASES: RangeInclusive<u32> = 1..=20;

impl Default for BookingSettings {
    fn default() -> Self {
        BookingSettings {
            enabled: true,
            check_in: false,
            release_after_minutes: 10,
            report_series_after_releases: 3,
        }
    }
}

impl Settings {
    /// A configured demo room: the built-in agenda, no server, no secrets.
    pub fn demo() -> Self {
        Settings {
            room: RoomAccount {
                display_name: "Demo Room".into(),
                sign_in_address: "demo-room@example.com".into(),
                exchange_address: "demo-room@example.com".into(),
                domain_username: None,
            },
            calendar: CalendarSettings {
                source: CalendarSource::Demo,
                ..CalendarSettings::default()
            },
            device: DeviceSettings::default(),
            content: ContentSettings::default(),
            fleet: FleetSettings::default(),
            updates: UpdateSettings::default(),
            booking: BookingSettings::default(),
        }
    }

    /// The settings file of `data_dir`.
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(SETTINGS_FILE_NAME)
    }

    /// The saved settings; `Ok(None)` when none were saved yet (first boot).
    pub fn load(data_dir: &Path) -> Result<Option<Settings>, SettingsError> {
        files::load_json(&Self::path(data_dir), ParseDetail::Full)
    }

    /// Saves the settings atomically, creating `data_dir` when missing.
    pub fn save(&self, data_dir: &Path) -> Result<(), SettingsError> {
        files::save_json(&Self::path(data_dir), self, OWNER_WRITE_ALL_READ)
    }
}

/// `Option<Url>` as an optional string, without relying on `url`'s serde feature.
mod optional_url {
    use serde::{Deserialize, Deserializer, Serializer};
    use url::Url;

    pub(super) fn serialize<S: Serializer>(
        url: &Option<Url>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match url {
            Some(url) => serializer.serialize_some(url.as_str()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Url>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| Url::parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_file_without_new_fields_loads_with_defaults() {
        let settings: Settings = serde_json::from_str(
            r#"{"room":{"display_name":"Room 1"},"calendar":{"source":"graph"}}"#,
        )
        .expect("loads");
        assert_eq!(settings.room.display_name, "Room 1");
        assert_eq!(settings.calendar.source, CalendarSource::Graph);
        assert_eq!(settings.calendar.sync_interval_seconds, 60);
        assert!(settings.device.hide_private_meetings);
        assert_eq!(settings.content.input, "auto");
        assert!(settings.content.auto_share);
        assert_eq!(settings.content.grace_seconds, 3);
    }

    #[test]
    fn settings_round_trip_through_json() {
        let mut settings = Settings::demo();
        settings.calendar.ews_url =
            Some(Url::parse("https://mail.contoso.com/EWS/Exchange.asmx").expect("url"));
        let json = serde_json::to_string(&settings).expect("serializes");
        assert!(json.contains("\"demo\""));
        let back: Settings = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, settings);
    }

    #[test]
    fn sync_interval_is_clamped_to_its_bounds() {
        let mut calendar = CalendarSettings {
            sync_interval_seconds: 0,
            ..Default::default()
        };
        assert_eq!(calendar.sync_interval(), Duration::from_secs(15));
        calendar.sync_interval_seconds = 100_000;
        assert_eq!(calendar.sync_interval(), Duration::from_secs(3600));
    }

    #[test]
    fn live_intervals_default_and_stay_in_their_bounds() {
        let mut calendar: CalendarSettings = serde_json::from_str("{}").expect("loads");
        assert_eq!(calendar.push_sync_interval(), Duration::from_secs(900));
        assert_eq!(calendar.graph_fast_poll(), Duration::from_secs(2));
        assert_eq!(calendar.graph_slow_poll(), Duration::from_secs(15));
        calendar.graph_fast_poll_seconds = 0;
        calendar.graph_slow_poll_seconds = 100_000;
        assert_eq!(calendar.graph_fast_poll(), Duration::from_secs(1));
        assert_eq!(calendar.graph_slow_poll(), Duration::from_secs(3600));
        // Slow is never faster than fast, and push never polls more than no push.
        calendar.graph_fast_poll_seconds = 30;
        calendar.graph_slow_poll_seconds = 10;
        assert_eq!(calendar.graph_slow_poll(), Duration::from_secs(30));
        calendar.sync_interval_seconds = 1200;
        calendar.push_sync_interval_seconds = 600;
        assert_eq!(calendar.push_sync_interval(), Duration::from_secs(1200));
    }

    #[test]
    fn source_ids_parse_back() {
        for source in CalendarSource::ALL {
            assert_eq!(source.id().parse::<CalendarSource>(), Ok(source));
        }
        assert!("exchange".parse::<CalendarSource>().is_err());
    }
}
