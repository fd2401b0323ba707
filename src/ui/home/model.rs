//! The home screen's model: today's meetings, the time and the sync state turned into
//! the plain, formatted rows and cards the Slint `HomeAdapter` shows. Pure Rust, so it is
//! tested without a window.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use crate::booking::{BOOKED_SUBJECT, Slot};
use crate::calendar::{self, Meeting, RoomStatus};
use crate::join::NoJoinReason;
use crate::ui::fonts::screen_text::isolated;
use crate::ui::{AgendaPhase, BannerKind, DayHalf, DayOfWeek};

/// A time of day: its digits ("9:05" on a 12-hour clock, "09:05" on a 24-hour one) and
/// the half of the day, for the screen to put together (`TimeWords.at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockTime {
    pub digits: String,
    pub half: DayHalf,
}

/// When a meeting runs, for the screen to write (`TimeWords.span`, or "All day").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    AllDay,
    Times { start: ClockTime, end: ClockTime },
}

/// Since when the agenda on screen is current, for a banner's "as of".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsOf {
    /// The calendar has never been read.
    NeverLoaded,
    /// Read today at this time of day.
    Today { time: ClockTime },
    /// Read on an earlier day (`day` of `month`, 1 = January) at this time of day.
    Earlier {
        day: u32,
        month: u32,
        time: ClockTime,
    },
}

/// What a banner says; the screen puts it in words, in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BannerMessage {
    FirstSync,
    Offline(AsOf),
    Throttled(AsOf),
    ServerError(AsOf),
    StorageError(AsOf),
    NeedsAdministrator(AsOf),
    /// The built-in demo calendar is shown: no room account is set up.
    DemoCalendar,
    /// The agenda cache cannot be read; the technical reason.
    CacheUnreadable(String),
}

/// A banner over the home screen (sync state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    pub kind: BannerKind,
    pub message: BannerMessage,
}

/// A calendar date, for the screen to write in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOfYear {
    pub weekday: DayOfWeek,
    pub day: u32,
    /// 1 = January … 12 = December.
    pub month: u32,
}

/// Everything the home screen is built from.
pub struct HomeInputs<'a> {
    pub room_name: &'a str,
    /// The meetings overlapping today (local day), in any order.
    pub meetings: &'a [Meeting],
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub clock_24h: bool,
    pub banner: Option<Banner>,
    /// False until the calendar has been read once: the room's status is then unknown,
    /// not "available".
    pub agenda_known: bool,
}

/// One row of today's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub time: Span,
    pub title: String,
    pub detail: String,
    pub phase: AgendaPhase,
    pub cancelled: bool,
    pub private: bool,
    pub all_day: bool,
    pub can_join: bool,
    /// A booking asked for at the console and not yet answered by the server ("booking…").
    pub pending: bool,
}

/// The Now or Next card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: String,
    pub time: Span,
    pub title: String,
    pub detail: String,
    pub private: bool,
    pub can_join: bool,
    pub no_join_note: String,
}

/// The headline status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Headline {
    /// The calendar has never been read: nobody can say whether the room is free.
    Unknown,
    Available,
    AvailableUntil(ClockTime),
    InUseUntil {
        until: ClockTime,
        subject: String,
    },
}

/// The whole home screen, formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    pub room_name: String,
    pub clock: ClockTime,
    /// Times in 24-hour form (else 12-hour, wider).
    pub clock_24h: bool,
    pub date: DayOfYear,
    pub headline: Headline,
    pub all_day: Vec<Row>,
    pub agenda: Vec<Row>,
    /// The agenda row to scroll to: the one before the first meeting that has not ended,
    /// so the meeting in progress (or the next one) is in sight with the last one above it.
    pub agenda_focus: usize,
    pub now_card: Option<Card>,
    pub next_card: Option<Card>,
    pub banner: Option<Banner>,
}

/// The words shown for a private meeting instead of its subject.
pub(crate) const PRIVATE_TITLE: &str = "Private meeting";
/// The words shown for a meeting without a subject.
pub(crate) const UNTITLED: &str = "(No subject)";

/// The screen's name for `day`.
fn day_of_week(day: chrono::Weekday) -> DayOfWeek {
    match day {
        chrono::Weekday::Mon => DayOfWeek::Monday,
        chrono::Weekday::Tue => DayOfWeek::Tuesday,
        chrono::Weekday::Wed => DayOfWeek::Wednesday,
        chrono::Weekday::Thu => DayOfWeek::Thursday,
        chrono::Weekday::Fri => DayOfWeek::Friday,
        chrono::Weekday::Sat => DayOfWeek::Saturday,
        chrono::Weekday::Sun => DayOfWeek::Sunday,
    }
}

/// `t` on the wall clock of `tz`, in 24-hour or 12-hour form.
pub(crate) fn time_of_day(t: DateTime<Utc>, tz: &Tz, clock_24h: bool) -> ClockTime {
    let local = t.with_timezone(tz);
    if clock_24h {
        return ClockTime {
            digits: local.format("%H:%M").to_string(),
            half: DayHalf::None,
        };
    }
    ClockTime {
        digits: local.format("%-I:%M").to_string(),
        half: if local.hour() < 12 {
            DayHalf::BeforeNoon
        } else {
            DayHalf::AfterNoon
        },
    }
}

fn title_of(meeting: &Meeting) -> String {
    if meeting.private {
        PRIVATE_TITLE.to_owned()
    } else {
        match meeting.subject.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_owned(),
            _ => UNTITLED.to_owned(),
        }
    }
}

/// Organizer, service and location, joined. The location is left out when it is just
/// this room (Exchange puts the room there for every booking). "Cancelled" is not part of
/// it: the screen puts it in front, in the screen's language, from the row's flag. A
/// right-to-left name or location is isolated, so the line keeps its left-to-right order.
fn detail_of(meeting: &Meeting, room_name: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(name) = meeting.organizer.name.as_deref().filter(|n| !n.is_empty()) {
        parts.push(isolated(name).into_owned());
    }
    if let Some(join) = &meeting.join {
        parts.push(join.provider.display_name().to_owned());
    }
    let location = meeting
        .location
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case(room_name));
    if let (false, Some(location)) = (meeting.private, location) {
        parts.push(isolated(location).into_owned());
    }
    parts.join(" · ")
}

/// When `meeting` runs on the wall clock of `tz`.
fn span_of(meeting: &Meeting, tz: &Tz, clock_24h: bool) -> Span {
    if meeting.time.is_all_day() {
        return Span::AllDay;
    }
    let (start, end) = meeting.time.instants(tz);
    Span::Times {
        start: time_of_day(start, tz, clock_24h),
        end: time_of_day(end, tz, clock_24h),
    }
}

fn row_of(meeting: &Meeting, inputs: &HomeInputs) -> Row {
    let (start, end) = meeting.time.instants(&inputs.tz);
    let phase = if end <= inputs.now {
        AgendaPhase::Past
    } else if start <= inputs.now && !meeting.cancelled {
        // A cancelled meeting is never the one on now: the room is free.
        AgendaPhase::Now
    } else {
        AgendaPhase::Later
    };
    Row {
        id: meeting.id.clone(),
        time: span_of(meeting, &inputs.tz, inputs.clock_24h),
        title: title_of(meeting),
        detail: detail_of(meeting, inputs.room_name),
        phase,
        cancelled: meeting.cancelled,
        private: meeting.private,
        all_day: meeting.time.is_all_day(),
        can_join: meeting.join.is_some(),
        pending: false,
    }
}

fn card_of(meeting: &Meeting, inputs: &HomeInputs) -> Card {
    Card {
        id: meeting.id.clone(),
        time: span_of(meeting, &inputs.tz, inputs.clock_24h),
        title: title_of(meeting),
        detail: detail_of(meeting, inputs.room_name),
        private: meeting.private,
        can_join: meeting.join.is_some(),
        no_join_note: match meeting.no_join_reason {
            Some(NoJoinReason::BodyRemoved) => {
                "No join link: the room mailbox removed the invitation's details".to_owned()
            }
            _ => String::new(),
        },
    }
}

/// The row to scroll the agenda to: one before the first meeting that has not ended (the
/// last row when every meeting is over).
fn agenda_focus(agenda: &[Row]) -> usize {
    let first_open = agenda
        .iter()
        .position(|row| row.phase != AgendaPhase::Past)
        .unwrap_or(agenda.len());
    first_open.saturating_sub(1)
}

/// Builds the home screen from today's meetings at `inputs.now`.
pub fn build(inputs: &HomeInputs) -> HomeView {
    let tz = &inputs.tz;
    let mut sorted: Vec<&Meeting> = inputs.meetings.iter().collect();
    sorted.sort_by_key(|m| (m.time.instants(tz).0, m.time.instants(tz).1, m.id.clone()));

    let all_day = sorted
        .iter()
        .filter(|m| m.time.is_all_day())
        .map(|m| row_of(m, inputs))
        .collect();
    let agenda: Vec<Row> = sorted
        .iter()
        .filter(|m| !m.time.is_all_day())
        .map(|m| row_of(m, inputs))
        .collect();
    let agenda_focus = agenda_focus(&agenda);

    let status = calendar::room_status(inputs.meetings, inputs.now, tz);
    let headline = match status {
        _ if !inputs.agenda_known => Headline::Unknown,
        RoomStatus::Free => Headline::Available,
        RoomStatus::FreeUntil(t) => Headline::AvailableUntil(time_of_day(t, tz, inputs.clock_24h)),
        RoomStatus::BusyUntil { until, subject, .. } => Headline::InUseUntil {
            until: time_of_day(until, tz, inputs.clock_24h),
            subject: subject.unwrap_or_else(|| PRIVATE_TITLE.to_owned()),
        },
    };
    let now_meeting =
        calendar::current_meeting(inputs.meetings, inputs.now, tz).filter(|m| !m.time.is_all_day());
    let local_now = inputs.now.with_timezone(tz);
    HomeView {
        room_name: inputs.room_name.to_owned(),
        clock_24h: inputs.clock_24h,
        clock: time_of_day(inputs.now, tz, inputs.clock_24h),
        date: DayOfYear {
            weekday: day_of_week(local_now.weekday()),
            day: local_now.day(),
            month: local_now.month(),
        },
        headline,
        all_day,
        agenda,
        agenda_focus,
        now_card: now_meeting.map(|m| card_of(m, inputs)),
        next_card: calendar::next_meeting(inputs.meetings, inputs.now, tz)
            .map(|m| card_of(m, inputs)),
        banner: inputs.banner.clone(),
    }
}

/// Shows the booking `slot` asked for at the console, not yet answered by the server, as
/// a "booking…" row in the agenda of `view` (built from `inputs`). Only the view
/// changes: the agenda cache changes from the server's answer alone.
pub(crate) fn add_pending_booking(view: &mut HomeView, slot: Slot, inputs: &HomeInputs) {
    let at = |t: DateTime<Utc>| time_of_day(t, &inputs.tz, inputs.clock_24h);
    let phase = if slot.start <= inputs.now {
        AgendaPhase::Now
    } else {
        AgendaPhase::Later
    };
    let row = Row {
        id: String::new(),
        time: Span::Times {
            start: at(slot.start),
            end: at(slot.end),
        },
        title: BOOKED_SUBJECT.to_owned(),
        detail: String::new(),
        phase,
        cancelled: false,
        private: false,
        all_day: false,
        can_join: false,
        pending: true,
    };
    let before = inputs
        .meetings
        .iter()
        .filter(|m| !m.time.is_all_day() && m.time.instants(&inputs.tz).0 <= slot.start)
        .count()
        .min(view.agenda.len());
    view.agenda.insert(before, row);
    view.agenda_focus = agenda_focus(&view.agenda);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::demo::demo_agenda;
    use chrono::{NaiveDate, TimeZone};

    fn stockholm() -> Tz {
        "Europe/Stockholm".parse().unwrap()
    }

    fn at(digits: &str, half: DayHalf) -> ClockTime {
        ClockTime {
            digits: digits.into(),
            half,
        }
    }

    fn h24(digits: &str) -> ClockTime {
        at(digits, DayHalf::None)
    }

    fn span(start: ClockTime, end: ClockTime) -> Span {
        Span::Times { start, end }
    }

    /// The test day (23 November 2026, Stockholm) at `h:m`.
    fn test_day_at(h: u32, m: u32) -> DateTime<Utc> {
        let tz = stockholm();
        tz.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().to_utc()
    }

    /// The demo agenda of the test day.
    fn demo_meetings() -> Vec<Meeting> {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        demo_agenda(day, 1, &stockholm())
    }

    /// The inputs of a room showing `meetings` at `h:m` on the test day, on the 24-hour
    /// clock, with its agenda read.
    fn inputs_at(meetings: &[Meeting], h: u32, m: u32) -> HomeInputs<'_> {
        HomeInputs {
            room_name: "Conference Room 2",
            meetings,
            now: test_day_at(h, m),
            tz: stockholm(),
            clock_24h: true,
            banner: None,
            agenda_known: true,
        }
    }

    fn view_at(h: u32, m: u32) -> HomeView {
        build(&inputs_at(&demo_meetings(), h, m))
    }

    fn view_with_clock(h: u32, m: u32, clock_24h: bool) -> HomeView {
        build(&HomeInputs {
            clock_24h,
            ..inputs_at(&demo_meetings(), h, m)
        })
    }

    #[test]
    fn a_booking_in_flight_is_a_pending_row_in_its_place_and_nothing_else_changes() {
        let meetings = demo_meetings();
        let inputs = inputs_at(&meetings, 12, 3);
        let built = build(&inputs);
        let mut view = built.clone();
        let slot = Slot {
            start: inputs.now,
            end: test_day_at(13, 0),
        };
        add_pending_booking(&mut view, slot, &inputs);
        assert_eq!(view.agenda.len(), built.agenda.len() + 1);
        let at = view.agenda.iter().position(|r| r.pending).unwrap();
        let row = &view.agenda[at];
        assert_eq!(row.time, span(h24("12:03"), h24("13:00")));
        assert_eq!(
            (row.phase, row.title.as_str()),
            (AgendaPhase::Now, BOOKED_SUBJECT)
        );
        assert!(
            matches!(&view.agenda[at - 1].time, Span::Times { start, .. } if start.digits.as_str() < "12:03"),
            "after the meetings before it"
        );
        assert!(
            matches!(&view.agenda[at + 1].time, Span::Times { start, .. } if start.digits == "13:00"),
            "before the 13:00 meeting"
        );
        assert_eq!(
            view.headline, built.headline,
            "not confirmed: the room is still free"
        );
        assert_eq!(view.agenda_focus, at - 1);
    }

    #[test]
    fn a_twelve_hour_span_says_the_half_of_the_day_of_each_end() {
        use DayHalf::{AfterNoon, BeforeNoon};
        let view = view_with_clock(9, 10, false);
        let times: Vec<&Span> = view.agenda.iter().map(|row| &row.time).collect();
        let morning = span(at("9:00", BeforeNoon), at("10:00", BeforeNoon));
        let over_noon = span(at("11:00", BeforeNoon), at("12:00", AfterNoon));
        let afternoon = span(at("1:00", AfterNoon), at("2:00", AfterNoon));
        for expected in [&morning, &over_noon, &afternoon] {
            assert!(times.contains(&expected), "{expected:?} in {times:?}");
        }
        assert!(!view.clock_24h);
        assert!(
            view_at(9, 10)
                .agenda
                .iter()
                .any(|row| row.time == span(h24("09:00"), h24("10:00")))
        );
    }

    #[test]
    fn in_use_headline_names_the_meeting_and_merges_back_to_back() {
        // 13:00–14:00 design review is followed at once by the 14:00–15:30 customer call.
        let view = view_at(13, 20);
        assert_eq!(
            view.headline,
            Headline::InUseUntil {
                until: h24("15:30"),
                subject: "Design review: lobby signage".into()
            }
        );
        assert_eq!(view.clock, h24("13:20"));
        assert_eq!(
            view.date,
            DayOfYear {
                weekday: DayOfWeek::Monday,
                day: 23,
                month: 11
            }
        );
        let now = view.now_card.expect("a meeting is on");
        assert!(now.can_join);
        assert_eq!(
            view.next_card.expect("next").time,
            span(h24("14:00"), h24("15:30"))
        );
    }

    #[test]
    fn private_meeting_never_shows_its_subject() {
        let view = view_at(10, 40);
        let Headline::InUseUntil { subject, .. } = &view.headline else {
            panic!("expected in use, got {:?}", view.headline);
        };
        assert_eq!(subject, PRIVATE_TITLE);
        let row = view.agenda.iter().find(|r| r.private).unwrap();
        assert_eq!(row.title, PRIVATE_TITLE);
        // The room's own name is not repeated as the location.
        assert!(
            view.agenda
                .iter()
                .all(|r| !r.detail.contains("Conference Room 2"))
        );
        let all_text = format!("{view:?}");
        assert!(!all_text.contains("Salary review"), "{all_text}");
    }

    #[test]
    fn the_agenda_scrolls_to_the_row_before_the_first_meeting_not_over() {
        let before_any = view_at(7, 0);
        assert_eq!(before_any.agenda_focus, 0, "nothing is over: the top");

        let during_review = view_at(13, 20);
        let review = during_review
            .agenda
            .iter()
            .position(|row| row.phase == AgendaPhase::Now)
            .expect("the design review is in progress");
        assert_eq!(
            during_review.agenda_focus,
            review - 1,
            "the meeting before the one in progress sits at the top"
        );

        let evening = view_at(21, 0);
        assert!(
            evening
                .agenda
                .iter()
                .all(|row| row.phase == AgendaPhase::Past)
        );
        assert_eq!(
            evening.agenda_focus,
            evening.agenda.len() - 1,
            "the day's last meeting"
        );
    }

    #[test]
    fn available_until_next_meeting_and_phases() {
        let view = view_at(12, 15);
        assert_eq!(view.headline, Headline::AvailableUntil(h24("13:00")));
        assert!(view.now_card.is_none());
        let phases: Vec<AgendaPhase> = view.agenda.iter().map(|r| r.phase).collect();
        assert_eq!(phases.first(), Some(&AgendaPhase::Past));
        assert_eq!(phases.last(), Some(&AgendaPhase::Later));
        assert!(!phases.contains(&AgendaPhase::Now));
        let cancelled = view.agenda.iter().find(|r| r.cancelled).unwrap();
        assert!(
            !cancelled.detail.contains("Cancelled"),
            "{}",
            cancelled.detail
        );
    }

    #[test]
    fn a_cancelled_meeting_on_now_is_not_highlighted_as_the_current_one() {
        // The demo's cancelled vendor demo runs 11:00–12:00.
        let view = view_at(11, 20);
        let cancelled = view.agenda.iter().find(|r| r.cancelled).unwrap();
        assert_eq!(cancelled.phase, AgendaPhase::Later);
        assert!(view.agenda.iter().all(|r| r.phase != AgendaPhase::Now));
    }

    #[test]
    fn all_day_meetings_sit_apart() {
        let view = view_at(7, 0);
        assert_eq!(view.all_day.len(), 1);
        assert_eq!(view.all_day[0].time, Span::AllDay);
        assert!(view.agenda.iter().all(|r| !r.all_day));
        // An all-day "free" booking does not make the room busy.
        assert_eq!(view.headline, Headline::AvailableUntil(h24("08:30")));
    }

    #[test]
    fn an_agenda_never_read_is_not_an_available_room() {
        let view = build(&HomeInputs {
            agenda_known: false,
            ..inputs_at(&[], 15, 5)
        });
        assert_eq!(view.headline, Headline::Unknown);
    }

    #[test]
    fn twelve_hour_clock() {
        let view = build(&HomeInputs {
            clock_24h: false,
            ..inputs_at(&[], 15, 5)
        });
        assert_eq!(view.clock, at("3:05", DayHalf::AfterNoon));
        assert_eq!(view.headline, Headline::Available);
    }
}
