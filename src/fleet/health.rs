//! The console's health report, published retained on `<prefix>/<device>/health`: who
//! it is, what it runs, how its sync, room and device are doing. Built from the same
//! facts as `room-console status` (`status::gather`), plus what only a running
//! console knows (uptime, memory). Never a meeting's subject or organizer: the room's
//! status says only free or busy, and until when. Every field is documented in the
//! README ("Managing a fleet").

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::calendar::{RoomStatus, room_status};
use crate::device::network::Interface;
use crate::device::night::NightSchedule;
use crate::device::paths::DataDir;
use crate::live::push_status::PushStatus;
use crate::settings::{CalendarSource, Settings};
use crate::status::{PushReport, StatusReport, gather};
use crate::store::Store;
use crate::sync::status::SyncStatus;
use crate::update::state::SlotsSnapshot;

/// What the console says about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub device_id: String,
    pub room: Option<String>,
    pub mailbox: Option<String>,
    pub version: String,
    /// The A/B slot the system booted from (RAUC's boot name); null without RAUC.
    pub booted_slot: Option<String>,
    /// The software update under way or last made, as one line ("restart for 1.4.0
    /// planned at …", "… was rolled back at …"); null when there was none.
    pub update: Option<String>,
    pub started_at: DateTime<Utc>,
    pub uptime_seconds: u64,
    pub calendar_source: Option<String>,
    pub sync: SyncStatus,
    /// Server push: its mode (`streaming`, `pull`, `polling`), the reason and the age of
    /// the last confirmed state; null while no live listener has run.
    pub push: Option<PushReport>,
    pub meetings_cached: u64,
    pub room_status: RoomState,
    pub display: DisplayState,
    pub content_inputs: Vec<String>,
    pub hostname: Option<String>,
    pub network: Vec<Interface>,
    /// Free bytes in the data directory's file system.
    pub data_free_bytes: Option<u64>,
    /// The console process's resident memory, in bytes.
    pub memory_bytes: Option<u64>,
    /// When this report was made.
    pub at: DateTime<Utc>,
}

/// Free or busy, and until when: nothing about the meeting itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomState {
    /// `free`, `busy` or `unknown` (the cache cannot be read).
    pub state: String,
    /// When it changes: the next meeting's start, or the end of the busy stretch.
    pub until: Option<DateTime<Utc>>,
}

/// The screen: drawn or headless, and night mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayState {
    /// Run with `--headless`: nothing is drawn.
    pub headless: bool,
    /// The night-mode hours, `19:00-07:00`, or null when night mode is off.
    pub night_mode: Option<String>,
    /// Whether it is night now (the screen dims and blanks when nobody touches it).
    pub night_now: bool,
}

/// What a running console knows about itself besides its data dir.
#[derive(Debug, Clone)]
pub struct Running {
    pub device_id: String,
    pub started_at: DateTime<Utc>,
    pub started: Instant,
    pub headless: bool,
}

impl Health {
    /// The report now; the error says what could not be read.
    pub(crate) fn gather(
        data_dir: &DataDir,
        running: &Running,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Health> {
        let report = gather(data_dir, now)?;
        let settings = Settings::load(data_dir.path())?;
        Ok(Health::from_report(
            report,
            settings.as_ref(),
            data_dir,
            running,
            now,
        ))
    }

    fn from_report(
        report: StatusReport,
        settings: Option<&Settings>,
        data_dir: &DataDir,
        running: &Running,
        now: DateTime<Utc>,
    ) -> Health {
        Health {
            device_id: running.device_id.clone(),
            room: report.room,
            mailbox: report.mailbox,
            version: report.version,
            booted_slot: booted_slot(report.slots.as_ref()),
            update: report.update_line,
            started_at: running.started_at,
            uptime_seconds: running.started.elapsed().as_secs(),
            calendar_source: report.source,
            sync: report.sync,
            push: report.push,
            meetings_cached: report.meetings_cached,
            room_status: room_state(settings, data_dir, now),
            display: display_state(settings, running.headless, now),
            content_inputs: report.content_inputs,
            hostname: report.hostname,
            network: report.network,
            data_free_bytes: free_bytes(data_dir),
            memory_bytes: resident_memory(),
            at: now,
        }
    }

    /// Whether `other` says something different, not counting what changes by itself
    /// with time (uptime, memory, free space, the report's instant, push's confirmations).
    pub(crate) fn differs_from(&self, other: &Health) -> bool {
        let steady = |h: &Health| Health {
            uptime_seconds: 0,
            data_free_bytes: None,
            memory_bytes: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
            push: h.push.as_ref().map(|push| PushReport {
                status: PushStatus {
                    last_confirmed: None,
                    ..push.status.clone()
                },
                confirmed_seconds_ago: None,
            }),
            ..h.clone()
        };
        steady(self) != steady(other)
    }
}

/// The boot name (else the name) of the slot RAUC says the system booted from.
fn booted_slot(slots: Option<&SlotsSnapshot>) -> Option<String> {
    let booted = slots?
        .slots
        .as_ref()?
        .iter()
        .find(|slot| slot.state == "booted")?;
    Some(
        booted
            .bootname
            .clone()
            .unwrap_or_else(|| booted.name.clone()),
    )
}

fn room_state(settings: Option<&Settings>, data_dir: &DataDir, now: DateTime<Utc>) -> RoomState {
    let unknown = RoomState {
        state: "unknown".into(),
        until: None,
    };
    let Some(settings) = settings else {
        return unknown;
    };
    let tz = crate::clock::device_time_zone(settings.device.time_zone.as_deref());
    let status = if settings.calendar.source == CalendarSource::Demo {
        let today = now.with_timezone(&tz).date_naive();
        Ok(room_status(
            &crate::calendar::demo::demo_agenda(today, 1, &tz),
            now,
            &tz,
        ))
    } else {
        Store::open_for_screen(&data_dir.agenda_db()).and_then(|store| store.room_status(now, &tz))
    };
    match status {
        Ok(RoomStatus::Free) => RoomState {
            state: "free".into(),
            until: None,
        },
        Ok(RoomStatus::FreeUntil(until)) => RoomState {
            state: "free".into(),
            until: Some(until),
        },
        Ok(RoomStatus::BusyUntil { until, .. }) => RoomState {
            state: "busy".into(),
            until: Some(until),
        },
        Err(_) => unknown,
    }
}

fn display_state(settings: Option<&Settings>, headless: bool, now: DateTime<Utc>) -> DisplayState {
    let night = settings.map(|s| &s.device.night_mode);
    let schedule = settings.and_then(|s| {
        let tz = crate::clock::device_time_zone(s.device.time_zone.as_deref());
        NightSchedule::from_settings(&s.device.night_mode, tz)
    });
    DisplayState {
        headless,
        night_mode: night.and_then(|n| match (n.start, n.end) {
            (Some(start), Some(end)) => {
                Some(format!("{}-{}", start.format("%H:%M"), end.format("%H:%M")))
            }
            _ => None,
        }),
        night_now: schedule.is_some_and(|s| s.is_night(now)),
    }
}

/// Free bytes for an unprivileged user in the data dir's file system.
// The conversions are no-ops on 64-bit targets, not on 32-bit ARM (c_ulong is 32 bits).
#[allow(clippy::useless_conversion)]
fn free_bytes(data_dir: &DataDir) -> Option<u64> {
    let stat = nix::sys::statvfs::statvfs(data_dir.path()).ok()?;
    Some(u64::from(stat.blocks_available()).saturating_mul(u64::from(stat.fragment_size())))
}

/// This process's resident set size, from `/proc/self/status` (VmRSS, in kB).
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Health {
        let at: DateTime<Utc> = "2026-12-05T08:00:00Z".parse().expect("instant");
        Health {
            device_id: "saturn-01".into(),
            room: Some("Saturn".into()),
            mailbox: Some("saturn@contoso.com".into()),
            version: "0.1.0".into(),
            booted_slot: None,
            update: None,
            started_at: at,
            uptime_seconds: 10,
            calendar_source: Some("demo".into()),
            sync: SyncStatus::default(),
            push: None,
            meetings_cached: 3,
            room_status: RoomState {
                state: "free".into(),
                until: None,
            },
            display: DisplayState {
                headless: true,
                night_mode: None,
                night_now: false,
            },
            content_inputs: Vec::new(),
            hostname: Some("saturn".into()),
            network: Vec::new(),
            data_free_bytes: Some(1),
            memory_bytes: Some(1),
            at,
        }
    }

    #[test]
    fn time_passing_is_no_change_but_the_room_turning_busy_is() {
        let before = report();
        let later = Health {
            uptime_seconds: 70,
            memory_bytes: Some(2),
            data_free_bytes: Some(2),
            at: before.at + chrono::Duration::minutes(1),
            ..before.clone()
        };
        assert!(!later.differs_from(&before));
        let busy = Health {
            room_status: RoomState {
                state: "busy".into(),
                until: Some(before.at),
            },
            ..later
        };
        assert!(busy.differs_from(&before));
    }
}
