//! What the admin screens say, for the screen to word in its language: the PIN pad's
//! message for each outcome with the lockout countdown, the keys of the status facts
//! and of the values it words, and the factory-reset confirmation's list. No Slint here,
//! so it is unit-tested on its own.

use chrono::Duration;

use crate::content::InputStatus;
use crate::device::pin::{FREE_ATTEMPTS, PIN_LENGTH, PinOutcome};
use crate::device::reset::Erasable;
use crate::live::push_status::{PushCause, PushMode};
use crate::settings::CalendarSource;
use crate::status::fleet_state::FleetState;
use crate::status::{Fact, PushReport, StatusReport};
use crate::sync::status::SyncState;
use crate::ui::{FactLabel, FactWord, PinMessageKind};
use crate::words::Wording;

/// "0:30", "1:05", "59:59": minutes and seconds, rounded up so the pad never shows 0:00
/// while it is still locked.
pub fn countdown(remaining: Duration) -> String {
    let seconds = (remaining.num_milliseconds().max(0) + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The message under the PIN dots; the screen words it in its language
/// (`AdminWords.pin-message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PinMessage {
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
    pub(crate) fn for_screen(&self) -> (PinMessageKind, [String; 2]) {
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
pub(crate) fn locked_message(remaining: Duration) -> PinMessage {
    PinMessage::Locked(countdown(remaining))
}

/// The message after an entry that did not open the admin settings (`None` for
/// [`PinOutcome::Accepted`]).
pub(crate) fn pin_message(
    outcome: &PinOutcome,
    locked_for: Option<Duration>,
) -> Option<PinMessage> {
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

/// How the screen knows a fact of `room-console status` (`FactLabels.text`, generated from
/// the table of `words/facts.rs`): a new [`Fact`] does not compile until it has its key
/// here.
pub(crate) fn fact_key(fact: Fact) -> FactLabel {
    match fact {
        Fact::Software => FactLabel::Software,
        Fact::DataDirectory => FactLabel::DataDirectory,
        Fact::HostName => FactLabel::HostName,
        Fact::Network => FactLabel::Network,
        Fact::Configured => FactLabel::Configured,
        Fact::Room => FactLabel::Room,
        Fact::CalendarSource => FactLabel::CalendarSource,
        Fact::EwsUrl => FactLabel::EwsUrl,
        Fact::Account => FactLabel::Account,
        Fact::Server => FactLabel::Server,
        Fact::Sync => FactLabel::Sync,
        Fact::LastGoodSync => FactLabel::LastGoodSync,
        Fact::MeetingsCached => FactLabel::MeetingsCached,
        Fact::ContentInputs => FactLabel::ContentInputs,
        Fact::Push => FactLabel::Push,
        Fact::Slots | Fact::InstalledSoftware => FactLabel::InstalledSoftware,
        Fact::SoftwareUpdate => FactLabel::SoftwareUpdate,
        Fact::Fleet => FactLabel::Fleet,
        Fact::StatusUnreadable => FactLabel::StatusUnreadable,
    }
}

/// How the screen words a fact's value (`AdminWords.fact-value`): never, none, the
/// sync's state, not configured yet, throttled until the instant in [`fact_value`], the
/// calendar source, the account with its password set or not, the fleet connection, the
/// push state (see [`push_word`]); [`FactWord::AsIs`] shows the value as `status` prints
/// it. Content inputs are worded by [`input_word`], the slots and the software update in
/// `admin/update.rs`.
pub(crate) fn fact_word(key: FactLabel, report: &StatusReport) -> FactWord {
    match key {
        FactLabel::Fleet => match (&report.fleet, report.fleet.reason()) {
            (FleetState::Connected, _) => FactWord::FleetConnected,
            (FleetState::Connecting { .. }, Some(_)) => FactWord::FleetConnectingBecause,
            (FleetState::Connecting { .. }, None) => FactWord::FleetConnecting,
            (FleetState::Off { .. }, None) => FactWord::FleetOff,
            (FleetState::Off { .. }, Some(_)) => FactWord::FleetOffBecause,
        },
        FactLabel::Sync => match report.sync.state {
            SyncState::FirstSync => FactWord::FirstSync,
            SyncState::Ok => FactWord::Ok,
            SyncState::Offline => FactWord::Offline,
            SyncState::SignInFailed => FactWord::SignInFailed,
            SyncState::PermissionDenied => FactWord::PermissionDenied,
            SyncState::ServerError => FactWord::ServerError,
            SyncState::StorageError => FactWord::StorageError,
            SyncState::Misconfigured => FactWord::SettingsIncomplete,
            SyncState::Throttled { .. } => FactWord::Throttled,
        },
        FactLabel::Configured if !report.configured => FactWord::NotConfigured,
        FactLabel::LastGoodSync if report.sync.last_success.is_none() => FactWord::Never,
        FactLabel::ContentInputs if report.content_inputs.is_empty() => FactWord::None,
        FactLabel::Push => report.push.as_ref().map_or(FactWord::AsIs, push_word),
        FactLabel::CalendarSource => match source_of(report) {
            Some(CalendarSource::EwsImpersonation) => FactWord::SourceImpersonation,
            Some(CalendarSource::EwsRoomAccount) => FactWord::SourceRoomAccount,
            Some(CalendarSource::Graph) => FactWord::SourceGraph,
            Some(CalendarSource::Demo) => FactWord::SourceDemo,
            None => FactWord::AsIs,
        },
        FactLabel::Account if report.account.is_some() => {
            if report.password_set {
                FactWord::PasswordSet
            } else {
                FactWord::PasswordNotSet
            }
        }
        _ => FactWord::AsIs,
    }
}

/// How the screen words a content input's state after its name (`AdminWords.fact-value`).
pub(crate) fn input_word(status: InputStatus) -> FactWord {
    match status {
        InputStatus::Unknown => FactWord::InputUnknown,
        InputStatus::Disconnected => FactWord::InputDisconnected,
        InputStatus::NoSignal => FactWord::InputNoSignal,
        InputStatus::Unstable => FactWord::InputUnstable,
        InputStatus::Connected => FactWord::InputConnected,
        InputStatus::Unsupported => FactWord::InputUnsupported,
        InputStatus::Error => FactWord::InputError,
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
pub(crate) fn fact_value(key: FactLabel, report: &StatusReport, value: String) -> String {
    if key == FactLabel::Fleet {
        return report
            .fleet
            .reason()
            .map(Wording::english)
            .unwrap_or_default();
    }
    if let (FactLabel::Push, Some(push)) = (key, &report.push) {
        return match push.status.cause {
            Some(PushCause::Failed) => push.status.reason.clone().unwrap_or_default(),
            _ => push
                .confirmed_seconds_ago
                .map_or_else(String::new, |age| age.to_string()),
        };
    }
    match (key, &report.sync.state, &report.account) {
        (FactLabel::Sync, SyncState::Throttled { until }, _) => until.to_rfc3339(),
        // The screen shows the local time without `status`'s English "3 min ago".
        (FactLabel::LastGoodSync, _, _) => report.sync.last_success.map_or(value, |t| {
            t.with_timezone(&report.tz)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        }),
        (FactLabel::Account, _, Some(account)) => account.clone(),
        _ => value,
    }
}

/// How the screen words the push state (`AdminWords.fact-value`, 31 to 37): 31
/// streaming with the seconds since the server last confirmed it, 32 streaming not yet
/// confirmed, 33 pull behind a buffering proxy, 34 starting, 35 Exchange busy, 36 failed
/// (with the reason in [`fact_value`]), 37 Microsoft 365's adaptive polling.
fn push_word(push: &PushReport) -> FactWord {
    match (push.status.mode, push.status.cause) {
        (PushMode::Streaming, _) if push.confirmed_seconds_ago.is_some() => FactWord::PushStreaming,
        (PushMode::Streaming, _) => FactWord::PushUnconfirmed,
        (_, Some(PushCause::BufferingProxy)) => FactWord::PushPullBehindProxy,
        (_, Some(PushCause::Starting)) => FactWord::PushStarting,
        (_, Some(PushCause::ServerBusy)) => FactWord::PushPausedBusy,
        (_, Some(PushCause::Failed)) => FactWord::PushPausedRetrying,
        (_, Some(PushCause::CannotPush)) => FactWord::PushGraphPolling,
        (_, None) => FactWord::AsIs,
    }
}

/// What the factory-reset confirmation lists as erased: the items present (the screen
/// words them, `AdminWords.reset-erases`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ResetList {
    pub settings: bool,
    pub secrets: bool,
    pub agenda: bool,
    pub lockout: bool,
    pub provisioning: bool,
    /// Items the screen has no words for (added since), in English, one per line.
    pub other: Vec<String>,
}

/// The confirmation's list: what a reset erases, only what is there.
pub(crate) fn reset_list(items: &[Erasable]) -> ResetList {
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

    /// The status of a console with nothing set up yet (and the folder it reads).
    fn status_of_an_empty_dir() -> (tempfile::TempDir, StatusReport) {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = crate::device::paths::DataDir::at(dir.path());
        let report =
            crate::status::gather(&data_dir, chrono::Utc::now()).expect("status of an empty dir");
        (dir, report)
    }

    #[test]
    fn every_fact_of_the_status_has_its_words_on_the_screen() {
        let (_dir, mut report) = status_of_an_empty_dir();
        for configured in [false, true] {
            report.configured = configured;
            for (fact, _) in crate::status::facts(&report) {
                assert_ne!(
                    fact_key(fact),
                    FactLabel::AsGiven,
                    "the admin screen cannot word {fact:?}"
                );
            }
        }
        assert_eq!(
            fact_word(fact_key(Fact::Sync), &report),
            FactWord::FirstSync,
            "first sync"
        );
        assert_eq!(
            fact_word(fact_key(Fact::LastGoodSync), &report),
            FactWord::Never,
            "never"
        );
        assert_eq!(fact_word(fact_key(Fact::Room), &report), FactWord::AsIs);
        assert_eq!(fact_key(Fact::ContentInputs), FactLabel::ContentInputs);
        assert_eq!(fact_key(Fact::Configured), FactLabel::Configured);
        assert_eq!(
            fact_word(FactLabel::Configured, &report),
            FactWord::AsIs,
            "configured: shown as is"
        );
        report.configured = false;
        assert_eq!(
            fact_word(FactLabel::Configured, &report),
            FactWord::NotConfigured,
            "not yet: worded"
        );
        use chrono::TimeZone;
        let until = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 8, 10, 0)
            .unwrap();
        report.sync.state = SyncState::Throttled { until };
        assert_eq!(fact_word(FactLabel::Sync, &report), FactWord::Throttled);
        assert_eq!(
            fact_value(FactLabel::Sync, &report, report.sync.state.label()),
            "2026-11-23T08:10:00+00:00"
        );
        assert_eq!(
            fact_value(FactLabel::Configured, &report, "no".into()),
            "no",
            "other facts keep their value"
        );
        report.tz = "Europe/Stockholm".parse().expect("zone");
        report.sync.last_success = Some(until);
        assert_eq!(
            fact_value(
                FactLabel::LastGoodSync,
                &report,
                "09:10:00, 5 min ago".into()
            ),
            "2026-11-23 09:10:00",
            "the local time, without English words"
        );
    }

    #[test]
    fn the_calendar_source_and_the_account_are_worded_on_the_screen() {
        let (_dir, mut report) = status_of_an_empty_dir();
        assert_eq!(fact_key(Fact::CalendarSource), FactLabel::CalendarSource);
        assert_eq!(fact_key(Fact::Account), FactLabel::Account);
        for (source, word) in [
            (
                CalendarSource::EwsImpersonation,
                FactWord::SourceImpersonation,
            ),
            (CalendarSource::EwsRoomAccount, FactWord::SourceRoomAccount),
            (CalendarSource::Graph, FactWord::SourceGraph),
            (CalendarSource::Demo, FactWord::SourceDemo),
        ] {
            report.source = Some(source.to_string());
            assert_eq!(
                fact_word(FactLabel::CalendarSource, &report),
                word,
                "{source}"
            );
        }
        report.source = Some("a source added since".into());
        assert_eq!(
            fact_word(FactLabel::CalendarSource, &report),
            FactWord::AsIs,
            "shown as is"
        );

        report.account = Some(r"CONTOSO\svc-rooms".into());
        report.password_set = false;
        assert_eq!(
            fact_word(FactLabel::Account, &report),
            FactWord::PasswordNotSet
        );
        report.password_set = true;
        assert_eq!(
            fact_word(FactLabel::Account, &report),
            FactWord::PasswordSet
        );
        assert_eq!(
            fact_value(
                FactLabel::Account,
                &report,
                r"CONTOSO\svc-rooms (password set)".into()
            ),
            r"CONTOSO\svc-rooms",
            "the screen words the password part"
        );
        report.account = None;
        assert_eq!(
            fact_word(FactLabel::Account, &report),
            FactWord::AsIs,
            "no account: as is"
        );
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
