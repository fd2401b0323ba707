//! The action runner: the one code path behind the buttons and the commands. Each action
//! reads the agenda fresh from the server (a sync pass), decides with `rules`, asks the
//! server to write, then makes a sync pass at once and reports success only when the
//! store — which changes only from the server's answer — shows the result.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::journal;
use super::rules::{self, Refusal};
use super::write::{BookingRequest, CalendarWriter, Slot, WriteError};
use crate::calendar::Meeting;
use crate::settings::BookingSettings;
use crate::store::{Store, StoreError};
use crate::sync::engine::{PassResult, SyncEngine};
use crate::sync::source::{CalendarSource, SourceError};

/// The subject of a booking made at the console (English).
pub const BOOKED_SUBJECT: &str = "Booked at the console";

/// The subject of a booking made at the console, in the console's language (it is
/// what people see in Outlook and on the screen).
pub fn booked_subject(language: &str) -> &'static str {
    match language {
        "sv" => "Bokat vid konsolen",
        "ko" => "콘솔에서 예약됨",
        _ => BOOKED_SUBJECT,
    }
}

/// Why an action did not happen, for the person at the screen and the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// `<Booking><Enabled>` is false.
    Disabled,
    Refused(Refusal),
    /// Someone else booked the room from `start` a moment ago.
    Clash {
        start: DateTime<Utc>,
    },
    /// The meeting kept changing on the server while the console acted.
    Changed,
    /// The server refused or could not be reached.
    Failed(SourceError),
    Storage(String),
    /// The server accepted the write but the next sync does not show it.
    NotConfirmed,
}

impl From<StoreError> for ActionError {
    fn from(err: StoreError) -> Self {
        ActionError::Storage(err.to_string())
    }
}

impl ActionError {
    /// The reason in words, times in the room's time zone.
    pub fn describe(&self, tz: &Tz) -> String {
        let hm = |t: &DateTime<Utc>| t.with_timezone(tz).format("%H:%M").to_string();
        match self {
            ActionError::Disabled => "Booking at the console is turned off (<Booking><Enabled> \
                 is false). Turn it on in the provisioning file or the admin settings."
                .into(),
            ActionError::Refused(Refusal::RoomInUse { until }) => {
                format!("The room is in use until {}.", hm(until))
            }
            ActionError::Refused(Refusal::PastNextMeeting { next }) => format!(
                "The next meeting starts at {}: book until then at the longest.",
                hm(next)
            ),
            ActionError::Refused(Refusal::TooShort) => format!(
                "A booking lasts at least {} minutes.",
                rules::SHORTEST_BOOKING_MINUTES
            ),
            ActionError::Refused(Refusal::NoMeetingNow) => "No meeting is on now.".into(),
            ActionError::Refused(Refusal::NotFreeAfter { next }) => format!(
                "The room is booked from {}: the meeting cannot run longer than that.",
                hm(next)
            ),
            ActionError::Refused(Refusal::NothingToCheckIn) => {
                "No meeting is on or about to start: there is nothing to check in to.".into()
            }
            ActionError::Clash { start } => {
                format!("Someone booked this room at {} a moment ago.", hm(start))
            }
            ActionError::Changed => "The meeting was changed on the server while the console \
                 acted on it; look at the agenda and try again."
                .into(),
            ActionError::Failed(err) => err.to_string(),
            ActionError::Storage(detail) => format!("The agenda cache cannot be written: {detail}"),
            ActionError::NotConfirmed => {
                "The calendar server accepted the change, but the calendar read \
                 right after does not show it yet; the next sync will."
                    .into()
            }
        }
    }
}

/// What releasing no-shows did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseReport {
    /// The meetings released.
    pub released: Vec<Meeting>,
    /// Meetings whose release failed, with why.
    pub failed: Vec<(Meeting, ActionError)>,
    /// Series released at least `ReportSeriesAfterReleases` times in a row, with counts.
    pub series_to_report: Vec<(String, u32)>,
}

/// Runs actions for one room.
pub struct Runner<'a, S> {
    pub engine: &'a mut SyncEngine<S>,
    /// A second connection to the agenda cache, for the journal and check-ins.
    pub journal: &'a mut Store,
    pub tz: Tz,
    pub settings: &'a BookingSettings,
    /// The room's display name, for the notes.
    pub room: &'a str,
    /// The console's language (Device/Language), for the subject of its bookings.
    pub language: &'a str,
}

impl<'a, S> Runner<'a, S> {
    /// The runner for the room `settings` describe, in its time zone and language.
    pub(crate) fn for_room(
        engine: &'a mut SyncEngine<S>,
        journal: &'a mut Store,
        settings: &'a crate::settings::Settings,
    ) -> Self {
        Runner {
            engine,
            journal,
            tz: crate::clock::device_time_zone(settings.device.time_zone.as_deref()),
            settings: &settings.booking,
            room: &settings.room.display_name,
            language: &settings.device.language,
        }
    }
}

impl<S: CalendarSource + CalendarWriter> Runner<'_, S> {
    /// A sync pass at `now`; a failure is the action's failure.
    async fn refresh(&mut self, now: DateTime<Utc>) -> Result<(), ActionError> {
        match self.engine.pass(now).await.0 {
            PassResult::Failed(err) => Err(ActionError::Failed(err)),
            _ => Ok(()),
        }
    }

    /// The cached meetings around `now`.
    fn meetings(&self, now: DateTime<Utc>) -> Result<Vec<Meeting>, ActionError> {
        Ok(self
            .engine
            .store()
            .meetings_between(now - Duration::days(1), now + Duration::days(2))?)
    }

    fn enabled(&self) -> Result<(), ActionError> {
        if self.settings.enabled {
            Ok(())
        } else {
            Err(ActionError::Disabled)
        }
    }

    /// Book now for `minutes`; the booking as the server confirmed it.
    pub async fn book(&mut self, now: DateTime<Utc>, minutes: i64) -> Result<Meeting, ActionError> {
        self.enabled()?;
        self.refresh(now).await?;
        let meetings = self.meetings(now)?;
        if let Some(earlier) = self.earlier_attempt(&meetings)? {
            // The answer to an earlier attempt was lost (or the console was killed) after
            // Exchange booked: that booking is the one asked for again.
            journal::settle(self.journal)?;
            return Ok(earlier);
        }
        let choice =
            rules::book_for(&meetings, now, &self.tz, minutes).map_err(ActionError::Refused)?;
        let slot = Slot {
            start: choice.start,
            end: choice.end,
        };
        let booking_id = journal::booking_id_for(self.journal, slot)?;
        let request = BookingRequest {
            slot,
            subject: booked_subject(self.language).to_string(),
            note: format!("Booked at the console of {}.", self.room),
            booking_id,
        };
        let written = self.engine.source().book(&request).await;
        if let Err(err) = written {
            if !matches!(&err, WriteError::Failed(e) if is_transient(e)) {
                // Refused for good: a retry must not find this id again.
                journal::settle(self.journal)?;
            }
            // The agenda shows the truth (the other booking) at once.
            let _ = self.refresh(now).await;
            return Err(write_error(err));
        }
        self.refresh(now).await?;
        let booked = self
            .meetings(now)?
            .into_iter()
            .find(|m| m.booked_here && m.time.instants(&self.tz).0 == slot.start)
            .ok_or(ActionError::NotConfirmed)?;
        journal::settle(self.journal)?;
        Ok(booked)
    }

    /// The console's own booking of the slot still pending in the journal, when the
    /// agenda read from the server shows it.
    fn earlier_attempt(&self, meetings: &[Meeting]) -> Result<Option<Meeting>, ActionError> {
        let Some(pending) = journal::pending(self.journal)? else {
            return Ok(None);
        };
        Ok(meetings
            .iter()
            .find(|m| m.booked_here && m.time.instants(&self.tz) == (pending.start, pending.end))
            .cloned())
    }

    /// Extend the meeting on by `minutes`; the meeting as the server confirmed it.
    pub async fn extend(
        &mut self,
        now: DateTime<Utc>,
        minutes: i64,
    ) -> Result<Meeting, ActionError> {
        self.enabled()?;
        self.change_end(now, |meetings, tz| {
            rules::extend_by(meetings, now, tz, minutes).map(|(m, end)| (m.clone(), end))
        })
        .await
    }

    /// End the meeting on now (rounded down to the minute).
    pub async fn end(&mut self, now: DateTime<Utc>) -> Result<Meeting, ActionError> {
        self.enabled()?;
        self.change_end(now, |meetings, tz| {
            rules::end_now(meetings, now, tz).map(|(m, end)| (m.clone(), end))
        })
        .await
    }

    /// Decides with `decide`, writes the new end, and on a stale version reads again and
    /// decides again (once).
    async fn change_end(
        &mut self,
        now: DateTime<Utc>,
        decide: impl Fn(&[Meeting], &Tz) -> Result<(Meeting, DateTime<Utc>), Refusal>,
    ) -> Result<Meeting, ActionError> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            self.refresh(now).await?;
            let meetings = self.meetings(now)?;
            let (meeting, end) = decide(&meetings, &self.tz).map_err(ActionError::Refused)?;
            match self.engine.source().set_end(&meeting, end).await {
                Ok(()) => {}
                Err(WriteError::Changed) if attempts < 2 => continue,
                Err(err) => return Err(write_error(err)),
            }
            self.refresh(now).await?;
            return self
                .meetings(now)?
                .into_iter()
                .find(|m| m.id == meeting.id && m.time.instants(&self.tz).1 == end)
                .ok_or(ActionError::NotConfirmed);
        }
    }

    /// Check in to the meeting on (or starting within five minutes); nothing is sent to
    /// the server.
    pub async fn check_in(&mut self, now: DateTime<Utc>) -> Result<Meeting, ActionError> {
        let meetings = self.meetings(now)?;
        let meeting = rules::check_in_target(&meetings, now, &self.tz)
            .map_err(ActionError::Refused)?
            .clone();
        self.journal.record_check_in(&meeting.id, now)?;
        journal::count_attended(self.journal, series_of(&meeting))?;
        Ok(meeting)
    }

    /// Releases the meetings nobody checked in to whose window ended by `now`, each
    /// occurrence on its own; then syncs once.
    pub(crate) async fn release_no_shows(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<ReleaseReport, ActionError> {
        let mut report = ReleaseReport::default();
        if !self.settings.check_in {
            return Ok(report);
        }
        let meetings = self.meetings(now)?;
        let checked_in: HashSet<String> = self.journal.checked_in_ids()?;
        let due: Vec<Meeting> = rules::no_shows(&meetings, now, &self.tz, self.settings, |m| {
            checked_in.contains(&m.id)
        })
        .into_iter()
        .cloned()
        .collect();
        if due.is_empty() {
            return Ok(report);
        }
        let note = rules::release_note(self.room, self.settings.release_after_minutes);
        for meeting in due {
            match self.engine.source().release(&meeting, &note).await {
                Ok(()) => {
                    journal::count_release(self.journal, series_of(&meeting))?;
                    report.released.push(meeting);
                }
                Err(err) => report.failed.push((meeting, write_error(err))),
            }
        }
        self.refresh(now).await?;
        self.journal
            .forget_check_ins_before(now - Duration::days(2))?;
        report.series_to_report =
            journal::series_to_report(self.journal, self.settings.report_series_after_releases)?;
        Ok(report)
    }
}

impl<S: CalendarSource> Runner<'_, S> {
    /// When the next meeting nobody checked in to becomes due for release; None when
    /// check-in is off or nothing is waiting.
    pub(crate) fn next_release(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, ActionError> {
        if !self.settings.check_in {
            return Ok(None);
        }
        let meetings = self
            .engine
            .store()
            .meetings_between(now - Duration::days(1), now + Duration::days(2))?;
        let checked_in: HashSet<String> = self.journal.checked_in_ids()?;
        Ok(rules::next_release_deadline(
            &meetings,
            now,
            &self.tz,
            self.settings,
            |m| checked_in.contains(&m.id),
        ))
    }
}

/// The series a meeting belongs to, for release streaks (a single counts on its own).
fn series_of(meeting: &Meeting) -> &str {
    meeting.series_id.as_deref().unwrap_or(&meeting.id)
}

fn is_transient(err: &SourceError) -> bool {
    use crate::sync::source::FailureKind;
    matches!(
        err.kind,
        FailureKind::Offline | FailureKind::Throttled { .. } | FailureKind::ServerError
    )
}

fn write_error(err: WriteError) -> ActionError {
    match err {
        WriteError::Clash { start } => ActionError::Clash { start },
        WriteError::Changed => ActionError::Changed,
        WriteError::Failed(err) => ActionError::Failed(err),
    }
}
