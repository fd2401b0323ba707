//! The rules of acting on the room, as pure functions over the day's meetings and an
//! instant: what Book now offers (15 / 30 / 60 minutes and "until" the next meeting,
//! never past it, never under 10 minutes), when Extend is offered (only while the room
//! is free afterwards), where End now ends (now, rounded down to the minute), and where
//! a meeting stands with its check-in (from 5 minutes before the start; a 60-second
//! warning; release after `ReleaseAfterMinutes`).

use chrono::{DateTime, Duration, DurationRound, Utc};
use chrono_tz::Tz;

use crate::calendar::Meeting;
use crate::settings::BookingSettings;

/// The lengths Book now offers, in minutes.
pub(crate) const BOOK_MINUTES: [i64; 3] = [15, 30, 60];
/// The lengths Extend offers, in minutes.
pub(crate) const EXTEND_MINUTES: [i64; 2] = [15, 30];
/// No booking is shorter.
pub(crate) const SHORTEST_BOOKING_MINUTES: i64 = 10;
/// Check-in opens this long before the start.
pub(crate) const CHECK_IN_OPENS_MINUTES: i64 = 5;
/// The warning before a release lasts this long.
pub(crate) const RELEASE_WARNING_SECONDS: i64 = 60;

/// Why an action cannot be done now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Book now while a meeting is on.
    RoomInUse { until: DateTime<Utc> },
    /// The booking would run into the next meeting, which starts at `next`.
    PastNextMeeting { next: DateTime<Utc> },
    /// Shorter than [`SHORTEST_BOOKING_MINUTES`].
    TooShort,
    /// Extend or End now without a meeting on.
    NoMeetingNow,
    /// Extend into a meeting that starts at `next`.
    NotFreeAfter { next: DateTime<Utc> },
    /// Check in with no meeting on or about to start.
    NothingToCheckIn,
}

/// One Book now choice: `minutes`, or until the next meeting (None).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookChoice {
    pub minutes: Option<i64>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// `t` rounded down to the minute.
pub(crate) fn floor_minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::minutes(1)).unwrap_or(t)
}

/// The meetings that make the room in use, with their instants.
fn occupying(
    meetings: &[Meeting],
    tz: Tz,
) -> impl Iterator<Item = (&Meeting, DateTime<Utc>, DateTime<Utc>)> {
    meetings.iter().filter(|m| m.occupies_room()).map(move |m| {
        let (start, end) = m.time.instants(&tz);
        (m, start, end)
    })
}

/// The meeting on at `now` (the one that started last, if several overlap).
pub(crate) fn meeting_now<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Option<&'a Meeting> {
    occupying(meetings, *tz)
        .filter(|(_, start, end)| *start <= now && now < *end)
        .max_by_key(|(_, start, _)| *start)
        .map(|(m, _, _)| m)
}

/// The start of the first meeting starting after `after` (strictly).
fn next_start(meetings: &[Meeting], after: DateTime<Utc>, tz: &Tz) -> Option<DateTime<Utc>> {
    occupying(meetings, *tz)
        .map(|(_, start, _)| start)
        .filter(|start| *start > after)
        .min()
}

/// The end of the meeting on at `now`, extended through meetings that follow without a
/// gap: when the room is free again.
fn free_again(meetings: &[Meeting], now: DateTime<Utc>, tz: &Tz) -> DateTime<Utc> {
    let mut until = now;
    loop {
        let later = occupying(meetings, *tz)
            .filter(|(_, start, end)| *start <= until && *end > until)
            .map(|(_, _, end)| end)
            .max();
        match later {
            Some(end) => until = end,
            None => return until,
        }
    }
}

/// What Book now offers at `now`: nothing while a meeting is on.
pub(crate) fn book_choices(meetings: &[Meeting], now: DateTime<Utc>, tz: &Tz) -> Vec<BookChoice> {
    if meeting_now(meetings, now, tz).is_some() {
        return Vec::new();
    }
    let start = floor_minute(now);
    let next = next_start(meetings, now, tz);
    let mut choices: Vec<BookChoice> = BOOK_MINUTES
        .into_iter()
        .map(|minutes| BookChoice {
            minutes: Some(minutes),
            start,
            end: start + Duration::minutes(minutes),
        })
        .filter(|choice| next.is_none_or(|next| choice.end <= next))
        .collect();
    if let Some(next) = next
        && next - start >= Duration::minutes(SHORTEST_BOOKING_MINUTES)
        && !choices.iter().any(|choice| choice.end == next)
    {
        choices.push(BookChoice {
            minutes: None,
            start,
            end: next,
        });
    }
    choices
}

/// A booking of `minutes` from `now` (rounded down to the minute), or why not.
pub(crate) fn book_for(
    meetings: &[Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    minutes: i64,
) -> Result<BookChoice, Refusal> {
    if meeting_now(meetings, now, tz).is_some() {
        return Err(Refusal::RoomInUse {
            until: free_again(meetings, now, tz),
        });
    }
    if minutes < SHORTEST_BOOKING_MINUTES {
        return Err(Refusal::TooShort);
    }
    let start = floor_minute(now);
    let end = start + Duration::minutes(minutes);
    match next_start(meetings, now, tz) {
        Some(next) if end > next => Err(Refusal::PastNextMeeting { next }),
        _ => Ok(BookChoice {
            minutes: Some(minutes),
            start,
            end,
        }),
    }
}

/// The extensions offered for the meeting on at `now`: those the room is free for.
pub(crate) fn extend_choices(meetings: &[Meeting], now: DateTime<Utc>, tz: &Tz) -> Vec<i64> {
    EXTEND_MINUTES
        .into_iter()
        .filter(|minutes| extend_by(meetings, now, tz, *minutes).is_ok())
        .collect()
}

/// The meeting on at `now` and its end moved `minutes` later, or why not.
pub(crate) fn extend_by<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    minutes: i64,
) -> Result<(&'a Meeting, DateTime<Utc>), Refusal> {
    let meeting = meeting_now(meetings, now, tz).ok_or(Refusal::NoMeetingNow)?;
    let (_, end) = meeting.time.instants(tz);
    let new_end = end + Duration::minutes(minutes.max(1));
    let clash = occupying(meetings, *tz)
        .filter(|(other, start, other_end)| {
            other.id != meeting.id && *start < new_end && *other_end > end
        })
        .map(|(_, start, _)| start)
        .min();
    match clash {
        Some(next) => Err(Refusal::NotFreeAfter {
            next: next.max(end),
        }),
        None => Ok((meeting, new_end)),
    }
}

/// The meeting on at `now` and where End now ends it: now, rounded down to the minute,
/// never before its start.
pub(crate) fn end_now<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<(&'a Meeting, DateTime<Utc>), Refusal> {
    let meeting = meeting_now(meetings, now, tz).ok_or(Refusal::NoMeetingNow)?;
    let (start, _) = meeting.time.instants(tz);
    Ok((meeting, floor_minute(now).max(start)))
}

/// Where a meeting stands with its check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckIn {
    /// Check-in is off, the meeting does not hold the room, or it is over.
    NotNeeded,
    /// More than five minutes before the start.
    NotYet,
    /// "Check in" is shown.
    Open,
    /// The last minute before the release: the countdown is shown.
    Warning {
        seconds_left: i64,
    },
    /// Nobody came: release it.
    Due,
    CheckedIn,
}

/// The check-in state of `meeting` at `now`.
pub(crate) fn check_in_state(
    meeting: &Meeting,
    now: DateTime<Utc>,
    tz: &Tz,
    settings: &BookingSettings,
    checked_in: bool,
) -> CheckIn {
    if !settings.check_in || !meeting.occupies_room() || meeting.time.is_all_day() {
        return CheckIn::NotNeeded;
    }
    let (start, end) = meeting.time.instants(tz);
    if now >= end {
        return CheckIn::NotNeeded;
    }
    if checked_in {
        return CheckIn::CheckedIn;
    }
    let deadline = start + Duration::minutes(i64::from(settings.release_after_minutes));
    if now < start - Duration::minutes(CHECK_IN_OPENS_MINUTES) {
        CheckIn::NotYet
    } else if now >= deadline {
        CheckIn::Due
    } else if deadline - now <= Duration::seconds(RELEASE_WARNING_SECONDS) {
        CheckIn::Warning {
            seconds_left: (deadline - now).num_seconds().max(0),
        }
    } else {
        CheckIn::Open
    }
}

/// The meeting a check-in at `now` is for: the one on, else one starting within five
/// minutes.
pub(crate) fn check_in_target<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<&'a Meeting, Refusal> {
    meeting_now(meetings, now, tz)
        .or_else(|| {
            occupying(meetings, *tz)
                .filter(|(_, start, _)| {
                    *start > now && *start - now <= Duration::minutes(CHECK_IN_OPENS_MINUTES)
                })
                .min_by_key(|(_, start, _)| *start)
                .map(|(m, _, _)| m)
        })
        .ok_or(Refusal::NothingToCheckIn)
}

/// The meetings nobody checked in to whose window has ended by `now`.
pub(crate) fn no_shows<'a>(
    meetings: &'a [Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    settings: &BookingSettings,
    is_checked_in: impl Fn(&Meeting) -> bool,
) -> Vec<&'a Meeting> {
    meetings
        .iter()
        .filter(|m| check_in_state(m, now, tz, settings, is_checked_in(m)) == CheckIn::Due)
        .collect()
}

/// When the next meeting not checked in to becomes due for release (its check-in
/// window ends), after `now`: the instant the sync task must act by.
pub(crate) fn next_release_deadline(
    meetings: &[Meeting],
    now: DateTime<Utc>,
    tz: &Tz,
    settings: &BookingSettings,
    is_checked_in: impl Fn(&Meeting) -> bool,
) -> Option<DateTime<Utc>> {
    let window = Duration::minutes(i64::from(settings.release_after_minutes));
    meetings
        .iter()
        .filter(|m| {
            matches!(
                check_in_state(m, now, tz, settings, is_checked_in(m)),
                CheckIn::NotYet | CheckIn::Open | CheckIn::Warning { .. }
            )
        })
        .map(|m| m.time.instants(tz).0 + window)
        .min()
}

/// The note the organizer of a released meeting receives.
pub(crate) fn release_note(room: &str, minutes: u32) -> String {
    format!(
        "Nobody checked in at {room} within {minutes} minutes of the start, so the room was \
         released. Book again from Outlook or at the console."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::sample::{at, timed as meeting};

    const TZ: Tz = chrono_tz::UTC;

    /// The default booking settings with check-in on.
    fn check_in_on() -> BookingSettings {
        BookingSettings {
            check_in: true,
            ..BookingSettings::default()
        }
    }

    #[test]
    fn book_now_offers_what_fits_before_the_next_meeting() {
        let day = [meeting("next", at(10, 40), at(11, 0))];
        let choices = book_choices(&day, at(10, 3) + Duration::seconds(42), &TZ);
        let ends: Vec<_> = choices.iter().map(|c| (c.minutes, c.end)).collect();
        assert_eq!(
            ends,
            [
                (Some(15), at(10, 18)),
                (Some(30), at(10, 33)),
                (None, at(10, 40))
            ]
        );
        assert!(choices.iter().all(|c| c.start == at(10, 3)));
    }

    #[test]
    fn book_now_never_offers_less_than_ten_minutes() {
        let day = [meeting("next", at(10, 9), at(11, 0))];
        assert!(book_choices(&day, at(10, 0), &TZ).is_empty());
        let day = [meeting("next", at(10, 10), at(11, 0))];
        let choices = book_choices(&day, at(10, 0), &TZ);
        assert_eq!(choices.len(), 1);
        assert_eq!(choices[0].end, at(10, 10));
        assert_eq!(book_for(&day, at(10, 0), &TZ, 9), Err(Refusal::TooShort));
        assert_eq!(
            book_for(&day, at(10, 0), &TZ, 15),
            Err(Refusal::PastNextMeeting { next: at(10, 10) })
        );
    }

    #[test]
    fn book_now_is_refused_while_a_meeting_is_on() {
        let day = [
            meeting("a", at(10, 0), at(10, 30)),
            meeting("b", at(10, 30), at(11, 0)),
        ];
        assert!(book_choices(&day, at(10, 5), &TZ).is_empty());
        assert_eq!(
            book_for(&day, at(10, 5), &TZ, 15),
            Err(Refusal::RoomInUse { until: at(11, 0) })
        );
    }

    #[test]
    fn extend_is_offered_only_while_the_room_is_free_afterwards() {
        let day = [
            meeting("on", at(10, 0), at(10, 30)),
            meeting("next", at(10, 50), at(11, 0)),
        ];
        assert_eq!(extend_choices(&day, at(10, 10), &TZ), [15]);
        assert_eq!(
            extend_by(&day, at(10, 10), &TZ, 30).map(|(m, e)| (m.id.clone(), e)),
            Err(Refusal::NotFreeAfter { next: at(10, 50) })
        );
        assert_eq!(extend_by(&day, at(10, 10), &TZ, 15).unwrap().1, at(10, 45));
        assert_eq!(extend_choices(&day, at(10, 40), &TZ), Vec::<i64>::new());
    }

    #[test]
    fn end_now_rounds_down_to_the_minute_and_never_before_the_start() {
        let day = [meeting("on", at(10, 0), at(11, 0))];
        let (m, end) = end_now(&day, at(10, 17) + Duration::seconds(59), &TZ).unwrap();
        assert_eq!((m.id.as_str(), end), ("on", at(10, 17)));
        let day = [meeting("on", at(10, 0) + Duration::seconds(30), at(11, 0))];
        let (_, end) = end_now(&day, at(10, 0) + Duration::seconds(40), &TZ).unwrap();
        assert_eq!(end, at(10, 0) + Duration::seconds(30));
        assert_eq!(end_now(&day, at(12, 0), &TZ), Err(Refusal::NoMeetingNow));
    }

    #[test]
    fn check_in_opens_five_minutes_before_and_warns_for_the_last_minute() {
        let settings = check_in_on();
        let m = meeting("m", at(10, 0), at(11, 0));
        let state = |now| check_in_state(&m, now, &TZ, &settings, false);
        assert_eq!(state(at(9, 54)), CheckIn::NotYet);
        assert_eq!(state(at(9, 55)), CheckIn::Open);
        assert_eq!(state(at(10, 8) + Duration::seconds(59)), CheckIn::Open);
        assert_eq!(state(at(10, 9)), CheckIn::Warning { seconds_left: 60 });
        assert_eq!(
            state(at(10, 9) + Duration::seconds(1)),
            CheckIn::Warning { seconds_left: 59 }
        );
        assert_eq!(state(at(10, 10)), CheckIn::Due);
        assert_eq!(state(at(11, 0)), CheckIn::NotNeeded);
        assert_eq!(
            check_in_state(&m, at(10, 20), &TZ, &settings, true),
            CheckIn::CheckedIn
        );
        let off = BookingSettings::default();
        assert_eq!(
            check_in_state(&m, at(10, 20), &TZ, &off, false),
            CheckIn::NotNeeded
        );
    }

    #[test]
    fn no_shows_are_the_meetings_whose_window_ended_unattended() {
        let settings = check_in_on();
        let day = [
            meeting("came", at(9, 0), at(10, 0)),
            meeting("nobody", at(9, 30), at(10, 30)),
            meeting("later", at(9, 55), at(10, 30)),
        ];
        let shows = no_shows(&day, at(9, 59), &TZ, &settings, |m| m.id == "came");
        let ids: Vec<_> = shows.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["nobody"]);
    }

    #[test]
    fn the_next_release_deadline_is_the_earliest_window_still_open() {
        let settings = check_in_on();
        let day = [
            meeting("came", at(9, 0), at(10, 0)),
            meeting("due", at(9, 30), at(10, 30)),
            meeting("counting", at(9, 50), at(10, 30)),
            meeting("later", at(11, 0), at(11, 30)),
        ];
        let next = next_release_deadline(&day, at(9, 59), &TZ, &settings, |m| m.id == "came");
        assert_eq!(
            next,
            Some(at(10, 0)),
            "the one in its countdown; not one already due"
        );
        let off = BookingSettings::default();
        assert_eq!(
            next_release_deadline(&day, at(9, 59), &TZ, &off, |_| false),
            None
        );
    }
}
