//! `room-console agenda`: prints the cached agenda in the device's time zone, as an
//! aligned table or as JSON. A console not set up yet has an empty agenda (and says so
//! on stderr); the demo calendar only with `--demo` or `<Source>demo</Source>`.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use clap::Args;
use serde::Serialize;

use super::source::{AgendaSource, WhenNotSetUp};
use crate::calendar::Meeting;
use crate::device::paths::DataDir;

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// The first local day to print [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// How many days to print
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub days: u32,
    /// The instant that is "now" (RFC 3339), for "today" [default: now]
    #[arg(long, value_parser = super::parse_instant)]
    pub now: Option<DateTime<Utc>>,
    /// Use the built-in demo calendar
    #[arg(long)]
    pub demo: bool,
}

/// One meeting as `agenda --json` prints it.
#[derive(Debug, Serialize)]
pub(super) struct AgendaEntry {
    pub id: String,
    pub subject: Option<String>,
    pub private: bool,
    pub organizer: Organizer,
    pub location: Option<String>,
    pub start: String,
    pub end: String,
    pub all_day: bool,
    pub cancelled: bool,
    pub free_busy: &'static str,
    pub join: Option<JoinEntry>,
    pub no_join_reason: Option<&'static str>,
    /// Booked at this console.
    pub booked_here: bool,
    /// Whether someone checked in; null when the meeting needs no check-in.
    pub checked_in: Option<bool>,
}

#[derive(Debug, Serialize)]
pub(super) struct Organizer {
    pub name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct JoinEntry {
    pub provider: &'static str,
    pub url: String,
}

/// The JSON entry of a meeting, times in `tz` with its offset; the subject is left out
/// of private meetings when they are hidden.
pub(super) fn entry_of(meeting: &Meeting, tz: &Tz, hide_private: bool) -> AgendaEntry {
    let (start, end) = meeting.time.instants(tz);
    let subject = if hide_private {
        meeting.visible_subject()
    } else {
        meeting.subject.as_deref()
    };
    AgendaEntry {
        id: meeting.id.clone(),
        subject: subject.map(str::to_owned),
        private: meeting.private,
        organizer: Organizer {
            name: meeting.organizer.name.clone(),
            email: meeting.organizer.email.clone(),
        },
        location: if hide_private && meeting.private {
            None
        } else {
            meeting.location.clone()
        },
        start: start.with_timezone(tz).to_rfc3339(),
        end: end.with_timezone(tz).to_rfc3339(),
        all_day: meeting.time.is_all_day(),
        cancelled: meeting.cancelled,
        free_busy: meeting.free_busy.as_str(),
        join: meeting.join.as_ref().map(|j| JoinEntry {
            provider: j.provider.as_str(),
            url: j.url.clone(),
        }),
        no_join_reason: meeting.no_join_reason.map(|r| r.as_str()),
        booked_here: meeting.booked_here,
        checked_in: None,
    }
}

/// What `agenda` says on stderr when the console has no settings.
const NOT_SET_UP: &str = "This console is not set up yet (first boot, or after factory-reset), so its agenda is empty. Set it up with `room-console provision RoomConsoleSettings.xml` or the setup wizard; `room-console agenda --demo` shows the built-in demo calendar.";

pub(super) fn agenda(data_dir: &DataDir, args: &AgendaArgs) -> Result<()> {
    let (source, room) = AgendaSource::open(data_dir, args.demo, WhenNotSetUp::Empty)?;
    if !room.set_up && !args.demo {
        eprintln!("{NOT_SET_UP}");
    }
    let tz = room.tz;
    let first = args.date.unwrap_or_else(|| {
        super::clock_for(args.now)
            .now()
            .with_timezone(&tz)
            .date_naive()
    });
    let mut meetings: Vec<Meeting> = Vec::new();
    for offset in 0..args.days {
        let day = first + Duration::days(i64::from(offset));
        for meeting in source.meetings_on_day(day, &tz)? {
            // A meeting spanning midnight belongs to both days: print it once.
            if !meetings.iter().any(|m| m.id == meeting.id) {
                meetings.push(meeting);
            }
        }
    }
    meetings.sort_by_key(|m| (m.time.instants(&tz).0, !m.time.is_all_day(), m.id.clone()));
    let check_in =
        super::source::load_settings(data_dir)?.is_some_and(|settings| settings.booking.check_in);
    let checked_in_ids = match &source {
        AgendaSource::Cache(store) if check_in => store.checked_in_ids()?,
        _ => Default::default(),
    };
    let entries: Vec<AgendaEntry> = meetings
        .iter()
        .map(|m| {
            let mut entry = entry_of(m, &tz, room.hide_private);
            if check_in && m.occupies_room() && !m.time.is_all_day() {
                entry.checked_in = Some(checked_in_ids.contains(&m.id));
            }
            entry
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
    } else {
        print!("{}", table(&entries));
    }
    Ok(())
}

/// The human table: one line a meeting, columns aligned.
fn table(entries: &[AgendaEntry]) -> String {
    if entries.is_empty() {
        return "No meetings.\n".to_owned();
    }
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            let when = if e.all_day {
                format!("{} all day", &e.start[..10])
            } else {
                format!("{} {}–{}", &e.start[..10], &e.start[11..16], &e.end[11..16])
            };
            let subject = match (&e.subject, e.private) {
                (Some(s), _) => s.clone(),
                (None, true) => "Private meeting".to_owned(),
                (None, false) => "(No subject)".to_owned(),
            };
            let state = if e.cancelled {
                "cancelled"
            } else {
                e.free_busy
            };
            let join = e
                .join
                .as_ref()
                .map(|j| j.provider.to_owned())
                .or(e.no_join_reason.map(str::to_owned))
                .unwrap_or_default();
            let organizer = e.organizer.name.clone().unwrap_or_default();
            [when, subject, organizer, state.to_owned(), join]
        })
        .collect();
    let headers = ["WHEN", "SUBJECT", "ORGANIZER", "STATE", "JOIN"];
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([headers[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 5]| {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if c < 4 {
                out.push_str(&" ".repeat(widths[c] - cell.chars().count() + 2));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers);
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    out
}
