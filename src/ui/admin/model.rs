//! What the admin screens say, for the screen to word in its language: the PIN pad's
//! message for each outcome with the lockout countdown, the keys of the status facts
//! and of the values it words, and the factory-reset confirmation's list. No Slint here,
//! so it is unit-tested on its own.

use chrono::Duration;

use super::update::{FACT_SLOTS, FACT_SOFTWARE_UPDATE};
use crate::content::InputStatus;
use crate::device::pin::{FREE_ATTEMPTS, PIN_LENGTH, PinOutcome};
use crate::device::reset::Erasable;
use crate::live::push_status::{PushCause, PushMode};
use crate::settings::CalendarSource;
use crate::status::fleet_state::FleetState;
use crate::status::{Fact, PushReport, StatusReport};
use crate::sync::status::SyncState;
use crate::ui::PinMessageKind;

/// "0:30", "1:05", "59:59": minutes and seconds, rounded up so the pad never shows 0:00
/// while it is still locked.
pub fn countdown(remaining: Duration) -> String {
    let seconds = (remaining.num_milliseconds().max(0) + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The message under the PIN dots; the screen words it in its language
/// (`AdminWords.pin-message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinMessage {
    /// A wrong PIN: tries left of the free ones before the pad locks.
    Wrong { attempts_left: u32 },
    /// Locked: the countdown ("0:30").
    Locked(String),
    /// Not 4 to 8 digits.
    NotAPin,
    /// No admin PIN was ever set.
    NoPinSet,
    /// The stored PIN cannot be read: why, in the system's words.
    Unreadable(String),
}

impl PinMessage {
    /// The kind the screen words, and the values it mentions.
    pub fn for_screen(&self) -> (PinMessageKind, [String; 2]) {
        match self {
            PinMessage::Wrong { attempts_left } => (
                PinMessageKind::WrongPin,
                [attempts_left.to_string(), FREE_ATTEMPTS.to_string()],
            ),
            PinMessage::Locked(countdown) => {
                (PinMessageKind::Locked, [countdown.clone(), String::new()])
            }
            PinMessage::NotAPin => (
                PinMessageKind::NotAPin,
                [PIN_LENGTH.start().to_string(), PIN_LENGTH.end().to_string()],
            ),
            PinMessage::NoPinSet => (PinMessageKind::NoPinSet, Default::default()),
            PinMessage::Unreadable(why) => {
                (PinMessageKind::Unreadable, [why.clone(), String::new()])
            }
        }
    }
}

/// The message while the pad is locked for `remaining`.
pub fn locked_message(remaining: Duration) -> PinMessage {
    PinMessage::Locked(countdown(remaining))
}

/// The message after an entry that did not open the admin settings (`None` for
/// [`PinOutcome::Accepted`]).
pub fn pin_message(outcome: &PinOutcome, locked_for: Option<Duration>) -> Option<PinMessage> {
    if let Some(remaining) = locked_for {
        return Some(locked_message(remaining));
    }
    Some(match outcome {
        PinOutcome::Accepted => return None,
        PinOutcome::Wrong { attempts_left } => PinMessage::Wrong {
            attempts_left: *attempts_left,
        },
        PinOutcome::LockedOut { remaining } => locked_message(*remaining),
        PinOutcome::NotAPin => PinMessage::NotAPin,
        PinOutcome::NoPinSet => PinMessage::NoPinSet,
    })
}

/// The key of the fact the screen shows when the status cannot be read.
pub const FACT_STATUS_UNREADABLE: i32 = 14;

/// The key of the fleet connection's fact (after [`FACT_STATUS_UNREADABLE`]).
pub const FACT_FLEET: i32 = 18;

/// How the screen knows a fact of `room-console status` (`AdminWords.fact-label`): a new
/// [`Fact`] does not compile until it has its key here (and its words in the screen).
pub fn fact_key(fact: Fact) -> i32 {
    match fact {
        Fact::Software => 0,
        Fact::DataDirectory => 1,
        Fact::HostName => 2,
        Fact::Network => 3,
        Fact::Configured => FACT_CONFIGURED,
        Fact::Room => 5,
        Fact::CalendarSource => FACT_CALENDAR_SOURCE,
        Fact::EwsUrl => 7,
        Fact::Account => FACT_ACCOUNT,
        Fact::Server => 9,
        Fact::Sync => FACT_SYNC,
        Fact::LastGoodSync => FACT_LAST_GOOD_SYNC,
        Fact::MeetingsCached => 12,
        Fact::ContentInputs => FACT_CONTENT_INPUTS,
        Fact::Push => FACT_PUSH,
        Fact::Slots => FACT_SLOTS,
        Fact::SoftwareUpdate => FACT_SOFTWARE_UPDATE,
        Fact::Fleet => FACT_FLEET,
    }
}

/// A fact's value the screen words itself (`AdminWords.fact-value`): 1 never, 2 none,
/// 3 to 10 the sync's state, 11 not configured yet, 12 throttled until the instant in
/// [`fact_value`], 13 to 16 the calendar source (EWS with impersonation, EWS as the room,
/// Microsoft 365, the demo calendar), 17 and 18 the account in [`fact_value`] with its
/// password set or not (19 to 25: a content input's state, see [`input_word`]), 26 to 30
/// the fleet connection (connected, connecting with the reason in [`fact_value`] or
/// without, off without or with a reason), 31 to 37 the push state (see [`push_word`]),
/// 38 to 48 the slots and the software update (see `admin/update.rs`); 0 shows the value as `status` prints it.
pub fn fact_word(key: i32, report: &StatusReport) -> i32 {
    match key {
        FACT_FLEET => match (&report.fleet, report.fleet.reason()) {
            (FleetState::Connected, _) => 26,
            (FleetState::Connecting { .. }, Some(_)) => 27,
            (FleetState::Connecting { .. }, None) => 28,
            (FleetState::Off { .. }, None) => 29,
            (FleetState::Off { .. }, Some(_)) => 30,
        },
        FACT_SYNC => match report.sync.state {
            SyncState::FirstSync => 3,
            SyncState::Ok => 4,
            SyncState::Offline => 5,
            SyncState::SignInFailed => 6,
            SyncState::PermissionDenied => 7,
            SyncState::ServerError => 8,
            SyncState::StorageError => 9,
            SyncState::Misconfigured => 10,
            SyncState::Throttled { .. } => 12,
        },
        FACT_CONFIGURED if !report.configured => 11,
        FACT_LAST_GOOD_SYNC if report.sync.last_success.is_none() => 1,
        FACT_CONTENT_INPUTS if report.content_inputs.is_empty() => 2,
        FACT_PUSH => report.push.as_ref().map_or(0, push_word),
        FACT_CALENDAR_SOURCE => match source_of(report) {
            Some(CalendarSource::EwsImpersonation) => 13,
            Some(CalendarSource::EwsRoomAccount) => 14,
            Some(CalendarSource::Graph) => 15,
            Some(CalendarSource::Demo) => 16,
            None => 0,
        },
        FACT_ACCOUNT if report.account.is_some() => {
            if report.password_set {
                17
            } else {
                18
            }
        }
        _ => 0,
    }
}

/// How the screen words a content input's state after its name (`AdminWords.fact-value`,
/// 19 to 25).
pub fn input_word(status: InputStatus) -> i32 {
    match status {
        InputStatus::Unknown => 19,
        InputStatus::Disconnected => 20,
        InputStatus::NoSignal => 21,
        InputStatus::Unstable => 22,
        InputStatus::Connected => 23,
        InputStatus::Unsupported => 24,
        InputStatus::Error => 25,
    }
}

/// The calendar source `status` names by its id.
fn source_of(report: &StatusReport) -> Option<CalendarSource> {
    report.source.as_deref()?.parse().ok()
}

/// The value the screen puts into a worded fact: the instant of a throttled sync, the
/// last good sync's local time, the account without `status`'s English about its
/// password; otherwise `value` as `status`
/// prints it.
pub fn fact_value(key: i32, report: &StatusReport, value: String) -> String {
    if key == FACT_FLEET {
        return report.fleet.reason().unwrap_or_default().to_owned();
    }
    if let (FACT_PUSH, Some(push)) = (key, &report.push) {
        return match push.status.cause {
            Some(PushCause::Failed) => push.status.reason.clone().unwrap_or_default(),
            _ => push
                .confirmed_seconds_ago
                .map_or_else(String::new, |age| age.to_string()),
        };
    }
    match (key, &report.sync.state, &report.account) {
        (FACT_SYNC, SyncState::Throttled { until }, _) => until.to_rfc3339(),
        // The screen shows the local time without `status`'s English "3 min ago".
        (FACT_LAST_GOOD_SYNC, _, _) => report.sync.last_success.map_or(value, |t| {
            t.with_timezone(&report.tz)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        }),
        (FACT_ACCOUNT, _, Some(account)) => account.clone(),
        _ => value,
    }
}

/// How the screen words the push state (`AdminWords.fact-value`, 31 to 37): 31
/// streaming with the seconds since the server last confirmed it, 32 streaming not yet
/// confirmed, 33 pull behind a buffering proxy, 34 starting, 35 Exchange busy, 36 failed
/// (with the reason in [`fact_value`]), 37 Microsoft 365's adaptive polling.
fn push_word(push: &PushReport) -> i32 {
    match (push.status.mode, push.status.cause) {
        (PushMode::Streaming, _) if push.confirmed_seconds_ago.is_some() => 31,
        (PushMode::Streaming, _) => 32,
        (_, Some(PushCause::BufferingProxy)) => 33,
        (_, Some(PushCause::Starting)) => 34,
        (_, Some(PushCause::ServerBusy)) => 35,
        (_, Some(PushCause::Failed)) => 36,
        (_, Some(PushCause::CannotPush)) => 37,
        (_, None) => 0,
    }
}

/// The keys of the facts whose values [`fact_word`] words.
const FACT_CONFIGURED: i32 = 4;
const FACT_CALENDAR_SOURCE: i32 = 6;
const FACT_ACCOUNT: i32 = 8;
const FACT_SYNC: i32 = 10;
const FACT_LAST_GOOD_SYNC: i32 = 11;
pub const FACT_CONTENT_INPUTS: i32 = 13;
const FACT_PUSH: i32 = 15;

/// What the factory-reset confirmation lists as erased: the items present (the screen
/// words them, `AdminWords.reset-erases`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResetList {
    pub settings: bool,
    pub secrets: bool,
    pub agenda: bool,
    pub lockout: bool,
    pub provisioning: bool,
    /// Items the screen has no words for (added since), in English, one per line.
    pub other: Vec<String>,
}

/// The confirmation's list: what a reset erases, only what is there.
pub fn reset_list(items: &[Erasable]) -> ResetList {
    let mut list = ResetList::default();
    for item in items.iter().filter(|item| item.present) {
        let known = match item.what {
            "the settings (room, calendar source, device)" => &mut list.settings,
            "the secrets (passwords, client secret, admin PIN)" => &mut list.secrets,
            "the agenda cache and the sync state" => &mut list.agenda,
            "the PIN lockout" => &mut list.lockout,
            "any pending provisioning file" => &mut list.provisioning,
            other => {
                list.other.push(capitalised(other));
                continue;
            }
        };
        *known = true;
    }
    list
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn countdown_rounds_up_and_shows_minutes() {
        assert_eq!(countdown(Duration::seconds(30)), "0:30");
        assert_eq!(countdown(Duration::milliseconds(29_001)), "0:30");
        assert_eq!(countdown(Duration::seconds(65)), "1:05");
        assert_eq!(countdown(Duration::zero()), "0:00");
    }

    #[test]
    fn messages_say_what_happened() {
        assert_eq!(
            pin_message(&PinOutcome::Wrong { attempts_left: 3 }, None),
            Some(PinMessage::Wrong { attempts_left: 3 })
        );
        assert_eq!(
            PinMessage::Wrong { attempts_left: 3 }.for_screen(),
            (PinMessageKind::WrongPin, ["3".into(), "5".into()])
        );
        let locked = pin_message(
            &PinOutcome::Wrong { attempts_left: 0 },
            Some(Duration::seconds(30)),
        );
        assert_eq!(locked, Some(PinMessage::Locked("0:30".into())));
        assert_eq!(pin_message(&PinOutcome::Accepted, None), None);
        assert_eq!(
            pin_message(&PinOutcome::NotAPin, None).map(|m| m.for_screen()),
            Some((PinMessageKind::NotAPin, ["4".into(), "8".into()]))
        );
    }

    #[test]
    fn every_fact_of_the_status_has_its_words_on_the_screen() {
        use crate::status::{facts, gather};
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = crate::device::paths::DataDir::at(dir.path());
        let mut report = gather(&data_dir, chrono::Utc::now()).expect("status of an empty dir");
        for configured in [false, true] {
            report.configured = configured;
            for (fact, _) in facts(&report) {
                assert!(fact_key(fact) >= 0, "the admin screen cannot word {fact:?}");
            }
        }
        assert_eq!(fact_word(fact_key(Fact::Sync), &report), 3, "first sync");
        assert_eq!(fact_word(fact_key(Fact::LastGoodSync), &report), 1, "never");
        assert_eq!(fact_word(fact_key(Fact::Room), &report), 0);
        assert_eq!(fact_key(Fact::ContentInputs), FACT_CONTENT_INPUTS);
        assert_eq!(fact_key(Fact::Configured), FACT_CONFIGURED);
        assert_eq!(
            fact_word(FACT_CONFIGURED, &report),
            0,
            "configured: shown as is"
        );
        report.configured = false;
        assert_eq!(fact_word(FACT_CONFIGURED, &report), 11, "not yet: worded");
        use chrono::TimeZone;
        let until = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 8, 10, 0)
            .unwrap();
        report.sync.state = SyncState::Throttled { until };
        assert_eq!(fact_word(FACT_SYNC, &report), 12);
        assert_eq!(
            fact_value(FACT_SYNC, &report, report.sync.state.label()),
            "2026-11-23T08:10:00+00:00"
        );
        assert_eq!(
            fact_value(FACT_CONFIGURED, &report, "no".into()),
            "no",
            "other facts keep their value"
        );
        report.tz = "Europe/Stockholm".parse().expect("zone");
        report.sync.last_success = Some(until);
        assert_eq!(
            fact_value(FACT_LAST_GOOD_SYNC, &report, "09:10:00, 5 min ago".into()),
            "2026-11-23 09:10:00",
            "the local time, without English words"
        );
    }

    #[test]
    fn the_calendar_source_and_the_account_are_worded_on_the_screen() {
        use crate::status::gather;
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = crate::device::paths::DataDir::at(dir.path());
        let mut report = gather(&data_dir, chrono::Utc::now()).expect("status of an empty dir");
        assert_eq!(fact_key(Fact::CalendarSource), FACT_CALENDAR_SOURCE);
        assert_eq!(fact_key(Fact::Account), FACT_ACCOUNT);
        for (source, word) in [
            (CalendarSource::EwsImpersonation, 13),
            (CalendarSource::EwsRoomAccount, 14),
            (CalendarSource::Graph, 15),
            (CalendarSource::Demo, 16),
        ] {
            report.source = Some(source.to_string());
            assert_eq!(fact_word(FACT_CALENDAR_SOURCE, &report), word, "{source}");
        }
        report.source = Some("a source added since".into());
        assert_eq!(fact_word(FACT_CALENDAR_SOURCE, &report), 0, "shown as is");

        report.account = Some(r"CONTOSO\svc-rooms".into());
        report.password_set = false;
        assert_eq!(fact_word(FACT_ACCOUNT, &report), 18);
        report.password_set = true;
        assert_eq!(fact_word(FACT_ACCOUNT, &report), 17);
        assert_eq!(
            fact_value(
                FACT_ACCOUNT,
                &report,
                r"CONTOSO\svc-rooms (password set)".into()
            ),
            r"CONTOSO\svc-rooms",
            "the screen words the password part"
        );
        report.account = None;
        assert_eq!(fact_word(FACT_ACCOUNT, &report), 0, "no account: as is");
    }

    #[test]
    fn confirmation_lists_only_what_is_there() {
        let item = |what, present| Erasable {
            what,
            path: PathBuf::from("/x"),
            present,
        };
        let list = reset_list(&[
            item("the settings (room, calendar source, device)", true),
            item("the PIN lockout", false),
            item("a file added since", true),
        ]);
        assert!(list.settings);
        assert!(!list.lockout && !list.secrets);
        assert_eq!(list.other, vec!["A file added since".to_owned()]);
    }

    #[test]
    fn every_erased_item_has_its_words_on_the_screen() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = crate::device::paths::DataDir::at(dir.path());
        let mut items = crate::device::reset::what_is_erased(&data_dir);
        for item in &mut items {
            item.present = true;
        }
        assert_eq!(reset_list(&items).other, Vec::<String>::new());
    }
}
