//! What the commands open: the settings, the agenda (the SQLite cache, or the built-in
//! demo calendar when asked or, for the screens, while no room account is configured)
//! and, for syncing, the configured calendar source.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::calendar::Meeting;
use crate::calendar::demo::demo_agenda;
use crate::clock::device_time_zone;
use crate::device::paths::DataDir;
use crate::settings::{CalendarSource as SourceKind, NightModeSettings, Secrets, Settings};
use crate::store::Store;
use crate::sync::engine::STATUS_KEY;
use crate::sync::status::SyncStatus;
use crate::ui::home::model::BannerMessage;

/// What the screens need to know about the room besides its agenda.
#[derive(Debug, Clone)]
pub(super) struct RoomView {
    pub name: String,
    pub tz: Tz,
    pub clock_24h: bool,
    /// The screens' language (setting Device/Language): `en`, `sv` or `ko`.
    pub language: String,
    /// Shown in the banner while nothing else is (e.g. "this is the demo calendar").
    pub notice: Option<BannerMessage>,
    /// The program that opens meeting links (setting JoinCommand).
    pub join_command: Option<std::path::PathBuf>,
    /// The program "Share to meeting" runs (setting ShareCommand).
    pub share_command: Option<std::path::PathBuf>,
    /// Hide the subjects of private meetings (the default).
    pub hide_private: bool,
    /// When the screen dims and blanks at night.
    pub night_mode: NightModeSettings,
    /// Whether the console is set up (has settings); false at first boot and after a
    /// factory reset.
    pub set_up: bool,
}

impl RoomView {
    fn of(settings: &Settings, notice: Option<BannerMessage>) -> RoomView {
        RoomView {
            set_up: true,
            name: settings.room.display_name.clone(),
            tz: device_time_zone(settings.device.time_zone.as_deref()),
            clock_24h: settings.device.clock_24h,
            language: settings.device.language.clone(),
            notice,
            join_command: settings.device.join_command.clone(),
            share_command: settings.device.share_command.clone(),
            hide_private: settings.device.hide_private_meetings,
            night_mode: settings.device.night_mode.clone(),
        }
    }
}

/// The agenda the console shows.
pub(super) enum AgendaSource {
    Demo,
    Cache(Store),
}

/// What a console that is not set up yet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WhenNotSetUp {
    /// The demo calendar: the screens (`run`, `screenshot`) need something to show.
    Demo,
    /// Its real agenda, which is empty: `agenda` prints the room's meetings, and made-up
    /// ones would pass for them.
    Empty,
}

/// The settings of the data dir; None when the console is not set up yet.
pub(super) fn load_settings(data_dir: &DataDir) -> Result<Option<Settings>> {
    Settings::load(data_dir.path()).map_err(anyhow::Error::from)
}

impl AgendaSource {
    /// Opens the agenda for the data dir: the demo when `demo` is set or the configured
    /// source is the demo; the cache when a source is configured; when nothing is
    /// configured yet, as `not_set_up` says.
    pub(super) fn open(
        data_dir: &DataDir,
        demo: bool,
        not_set_up: WhenNotSetUp,
    ) -> Result<(AgendaSource, RoomView)> {
        let settings = if demo { None } else { load_settings(data_dir)? };
        match settings {
            Some(settings) if settings.calendar.source != SourceKind::Demo => {
                data_dir.ensure_exists()?;
                let store = Store::open_for_screen(&data_dir.agenda_db())?;
                Ok((AgendaSource::Cache(store), RoomView::of(&settings, None)))
            }
            Some(settings) => Ok((AgendaSource::Demo, RoomView::of(&settings, None))),
            None if !demo && not_set_up == WhenNotSetUp::Empty => {
                // A cache left without settings is read as it is; none is not made here.
                let db = data_dir.agenda_db();
                let store = if db.exists() {
                    Store::open_for_screen(&db)?
                } else {
                    Store::open_in_memory()?
                };
                let mut room = RoomView::of(&Settings::default(), None);
                room.set_up = false;
                Ok((AgendaSource::Cache(store), room))
            }
            None => {
                let mut room = RoomView::of(&Settings::demo(), Some(BannerMessage::DemoCalendar));
                room.name = "Conference Room 2".to_owned();
                room.set_up = false;
                Ok((AgendaSource::Demo, room))
            }
        }
    }

    /// The last sync status kept in the cache (None for the demo or before any sync).
    pub(super) fn sync_status(&self) -> Option<SyncStatus> {
        match self {
            AgendaSource::Demo => None,
            AgendaSource::Cache(store) => store
                .get_state(STATUS_KEY)
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str(&json).ok()),
        }
    }

    /// The meetings overlapping the local day `day`.
    pub(super) fn meetings_on_day(&self, day: NaiveDate, tz: &Tz) -> Result<Vec<Meeting>> {
        match self {
            AgendaSource::Demo => Ok(demo_agenda(day, 1, tz)),
            AgendaSource::Cache(store) => Ok(store.meetings_on_day(day, tz)?),
        }
    }
}

/// Settings and secrets of a configured console, or an error saying how to configure it.
pub(super) fn load_configured(data_dir: &DataDir) -> Result<(Settings, Secrets)> {
    let settings = load_settings(data_dir)?.with_context(|| {
        format!(
            "{} is not set up yet: run `room-console provision RoomConsoleSettings.xml` or the setup wizard",
            data_dir.path().display()
        )
    })?;
    let secrets = Secrets::load(data_dir.path())?.unwrap_or_default();
    Ok((settings, secrets))
}
