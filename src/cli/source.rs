//! Where the commands read the agenda from: the built-in demo calendar (when asked, or
//! while no account is configured) or the SQLite cache.

use anyhow::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::calendar::Meeting;
use crate::calendar::demo::demo_agenda;
use crate::clock::device_time_zone;
use crate::device::paths::DataDir;

/// What the screens need to know about the room besides its agenda.
#[derive(Debug, Clone)]
pub struct RoomView {
    pub name: String,
    pub tz: Tz,
    pub clock_24h: bool,
    /// Shown in the banner while nothing else is (e.g. "this is the demo calendar").
    pub notice: Option<String>,
    /// The program that opens meeting links (setting JoinCommand).
    pub join_command: Option<std::path::PathBuf>,
}

/// The banner text while the demo calendar is shown.
pub const DEMO_NOTICE: &str =
    "Demo calendar: this console has no room account yet. Set it up in the admin settings.";

/// The agenda the console shows.
pub enum AgendaSource {
    Demo,
}

impl AgendaSource {
    /// Opens the agenda for the data dir: the demo when `demo` is set or nothing is
    /// configured yet.
    pub fn open(_data_dir: &DataDir, _demo: bool) -> Result<(AgendaSource, RoomView)> {
        let room = RoomView {
            name: "Conference Room 2".to_owned(),
            tz: device_time_zone(None),
            clock_24h: true,
            notice: Some(DEMO_NOTICE.to_owned()),
            join_command: None,
        };
        Ok((AgendaSource::Demo, room))
    }

    /// The meetings overlapping the local day `day`.
    pub fn meetings_on_day(&self, day: NaiveDate, tz: &Tz) -> Result<Vec<Meeting>> {
        match self {
            AgendaSource::Demo => Ok(demo_agenda(day, 1, tz)),
        }
    }
}
