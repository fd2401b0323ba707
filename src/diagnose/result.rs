//! One check's outcome, as the wizard shows it and `diagnose --json` prints it.

use serde::Serialize;

use crate::settings::CalendarSource;
use crate::words::Phrase;
use crate::words::Wording;

/// The checks. Which run, and in what order, depends on the calendar source
/// ([`CheckId::for_source`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    /// The server answers over HTTPS and its certificate is trusted.
    Server,
    /// Which Exchange it is (2013 or later for Lync-style meetings).
    ExchangeVersion,
    /// The account's password is accepted.
    SignIn,
    /// The service account may impersonate the room mailbox.
    Impersonation,
    /// Exchange has the room mailbox.
    Mailbox,
    /// The room's calendar can be read.
    Calendar,
    /// Upcoming invitations keep their bodies and subjects.
    Invitations,
    /// Upcoming online meetings carry a join link (Microsoft 365).
    JoinLinks,
}

impl CheckId {
    /// The Exchange (EWS) checks, in the order they run.
    pub const EXCHANGE: [CheckId; 7] = [
        CheckId::Server,
        CheckId::ExchangeVersion,
        CheckId::SignIn,
        CheckId::Impersonation,
        CheckId::Mailbox,
        CheckId::Calendar,
        CheckId::Invitations,
    ];

    /// The Microsoft 365 (Graph) checks, in the order they run: the certificate and the
    /// token endpoint, the app's token (secret and consent), the room mailbox in the
    /// app's scope, its calendar, and join links in upcoming meetings.
    pub const GRAPH: [CheckId; 5] = [
        CheckId::Server,
        CheckId::SignIn,
        CheckId::Mailbox,
        CheckId::Calendar,
        CheckId::JoinLinks,
    ];

    /// The checks run for `source`, in order.
    pub(crate) fn for_source(source: CalendarSource) -> &'static [CheckId] {
        match source {
            CalendarSource::Graph => &CheckId::GRAPH,
            CalendarSource::EwsImpersonation
            | CalendarSource::EwsRoomAccount
            | CalendarSource::Demo => &CheckId::EXCHANGE,
        }
    }

    /// The id in `diagnose --json`.
    pub fn id(self) -> &'static str {
        match self {
            CheckId::Server => "server",
            CheckId::ExchangeVersion => "exchange-version",
            CheckId::SignIn => "sign-in",
            CheckId::Impersonation => "impersonation",
            CheckId::Mailbox => "mailbox",
            CheckId::Calendar => "calendar",
            CheckId::Invitations => "invitations",
            CheckId::JoinLinks => "join-links",
        }
    }

    /// What the check looks at, as a line title.
    pub fn title(self) -> &'static str {
        match self {
            CheckId::Server => "Server reachable, certificate trusted",
            CheckId::ExchangeVersion => "Exchange version",
            CheckId::SignIn => "Sign-in",
            CheckId::Impersonation => "Impersonation of the room mailbox",
            CheckId::Mailbox => "Room mailbox found",
            CheckId::Calendar => "Calendar readable",
            CheckId::Invitations => "Invitations keep their bodies and subjects",
            CheckId::JoinLinks => "Join links in upcoming online meetings",
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    /// Works, but something the admin should change (e.g. invitation bodies deleted).
    Warn,
    Fail,
    /// Not run because an earlier check failed.
    Skipped,
}

/// One check's outcome. `message` and `fix` are the English of `wording` and
/// `fix_wording`, which the screens show in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub id: CheckId,
    pub status: CheckStatus,
    /// What was found, in words for the admin.
    pub message: String,
    /// What to do about a warning or failure, when something can be done.
    pub fix: Option<String>,
    /// `message`, sentence by sentence.
    #[serde(skip)]
    pub wording: Wording,
    /// `fix`, sentence by sentence.
    #[serde(skip)]
    pub fix_wording: Option<Wording>,
}

impl CheckResult {
    fn new(
        id: CheckId,
        status: CheckStatus,
        message: Wording,
        fix: Option<Wording>,
    ) -> CheckResult {
        CheckResult {
            id,
            status,
            message: message.english(),
            fix: fix.as_ref().map(Wording::english),
            wording: message,
            fix_wording: fix,
        }
    }

    pub fn pass(id: CheckId, message: impl Into<Wording>) -> CheckResult {
        CheckResult::new(id, CheckStatus::Pass, message.into(), None)
    }

    pub fn warn(id: CheckId, message: impl Into<Wording>, fix: Option<Wording>) -> CheckResult {
        CheckResult::new(id, CheckStatus::Warn, message.into(), fix)
    }

    pub fn fail(id: CheckId, message: impl Into<Wording>, fix: Option<Wording>) -> CheckResult {
        CheckResult::new(id, CheckStatus::Fail, message.into(), fix)
    }

    /// A check not run because `failed` failed first.
    pub fn skipped(id: CheckId, failed: CheckId) -> CheckResult {
        let phrase = match failed {
            CheckId::Server => Some(Phrase::NotCheckedServerFailed),
            CheckId::SignIn => Some(Phrase::NotCheckedSignInFailed),
            CheckId::Impersonation => Some(Phrase::NotCheckedImpersonationFailed),
            CheckId::Mailbox => Some(Phrase::NotCheckedMailboxFailed),
            CheckId::Calendar => Some(Phrase::NotCheckedCalendarFailed),
            // Nothing runs after these.
            CheckId::ExchangeVersion | CheckId::Invitations | CheckId::JoinLinks => None,
        };
        let english = format!("Not checked: \"{}\" failed first.", failed.title());
        let message = match phrase {
            Some(phrase) => Wording::from(phrase).or_verbatim(&english),
            None => Wording::verbatim(english),
        };
        CheckResult::new(id, CheckStatus::Skipped, message, None)
    }

    /// `self` with another message of the same status.
    pub(crate) fn with_message(self, message: Wording) -> CheckResult {
        CheckResult::new(self.id, self.status, message, self.fix_wording)
    }

    /// `self` with another message and fix of the same status.
    pub(crate) fn with_message_and_fix(self, message: Wording, fix: Wording) -> CheckResult {
        CheckResult::new(self.id, self.status, message, Some(fix))
    }
}

/// Whether every check passed (what `diagnose`'s exit code says).
pub fn all_passed(results: &[CheckResult]) -> bool {
    !results.is_empty() && results.iter().all(|r| r.status == CheckStatus::Pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_id_status_message_fix() {
        let result = CheckResult::fail(CheckId::SignIn, "refused", Some("check it".into()));
        assert_eq!(result.wording.english(), "refused");
        let json = serde_json::to_value(&result).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"id": "sign-in", "status": "fail", "message": "refused", "fix": "check it"})
        );
    }

    #[test]
    fn only_all_pass_counts_as_passed() {
        let pass = CheckResult::pass(CheckId::Server, "ok");
        let warn = CheckResult::warn(CheckId::Invitations, "bodies deleted", None);
        assert!(all_passed(std::slice::from_ref(&pass)));
        assert!(!all_passed(&[pass, warn]));
        assert!(!all_passed(&[]));
    }

    #[test]
    fn a_skipped_check_names_the_failed_one_in_a_phrase_the_screens_translate() {
        for failed in [
            CheckId::Server,
            CheckId::SignIn,
            CheckId::Impersonation,
            CheckId::Mailbox,
            CheckId::Calendar,
        ] {
            let skipped = CheckResult::skipped(CheckId::Invitations, failed);
            assert_eq!(
                skipped.message,
                format!("Not checked: \"{}\" failed first.", failed.title())
            );
            assert!(
                skipped.wording.sentences()[0].phrase.is_some(),
                "{failed:?}"
            );
        }
    }
}
