//! The room mailbox's health as far as the console can tell from what it syncs, each
//! problem with the Exchange command that fixes it: invitations whose bodies the mailbox
//! strips (so Join links are lost), subjects replaced by the organizer's name, a service
//! account password that was refused, meetings that look online but have no Join.

use crate::calendar::Meeting;
use crate::diagnose::{Phrase, Wording};
use crate::join::NoJoinReason;
use crate::sync::status::{SyncState, SyncStatus};
use crate::ui::AdminHint;
use crate::ui::admin::checks::phrase_wording;

/// A problem and its fix, in an admin's words (the screen shows them in its language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthHint {
    pub problem: Wording,
    pub fix: Wording,
}

/// `hint` as the admin screen shows it: in English, and worded for its language.
pub fn admin_hint(hint: &HealthHint) -> AdminHint {
    AdminHint {
        problem: hint.problem.english().into(),
        fix: hint.fix.english().into(),
        problem_words: phrase_wording(Some(&hint.problem)),
        fix_words: phrase_wording(Some(&hint.fix)),
    }
}

/// Words in a meeting's location that say it is held online.
const ONLINE_LOCATION_WORDS: [&str; 5] = [
    "microsoft teams",
    "skype meeting",
    "lync meeting",
    "online meeting",
    "zoom",
];

/// The hints for the meetings in the cache and the last sync status. `room` is the
/// room mailbox and `account` the account the console signs in with, for the commands.
pub fn mailbox_hints(
    meetings: &[Meeting],
    sync: &SyncStatus,
    room: &str,
    account: &str,
) -> Vec<HealthHint> {
    let invitations: Vec<&Meeting> = meetings.iter().filter(|m| !m.cancelled).collect();
    let count =
        |matches: &dyn Fn(&Meeting) -> bool| invitations.iter().filter(|m| matches(m)).count();
    let mut hints = Vec::new();
    let stripped = count(&|m| m.no_join_reason == Some(NoJoinReason::BodyRemoved));
    if stripped > 0 {
        hints.push(share_hint(
            Phrase::HintBodiesRemoved,
            stripped,
            invitations.len(),
            format!("Set-CalendarProcessing -Identity {room} -DeleteComments $false"),
        ));
    }
    let renamed = count(&subject_is_organizer_name);
    if renamed > 0 {
        hints.push(share_hint(
            Phrase::HintOrganizerAsSubject,
            renamed,
            invitations.len(),
            format!(
                "Set-CalendarProcessing -Identity {room} -AddOrganizerToSubject $false \
                 -DeleteSubject $false"
            ),
        ));
    }
    let looks_online_without_join = count(&|m| m.join.is_none() && looks_online(m));
    if looks_online_without_join > 0 && stripped == 0 {
        hints.push(HealthHint {
            problem: Wording::phrase(
                Phrase::HintOnlineWithoutJoin,
                [looks_online_without_join.to_string()],
            ),
            fix: Phrase::HintOnlineWithoutJoinFix.into(),
        });
    }
    if sync.state == SyncState::SignInFailed {
        hints.push(HealthHint {
            problem: Wording::phrase(Phrase::HintPasswordRefused, [account]),
            fix: Wording::phrase(
                Phrase::HintPasswordFix,
                [
                    format!("Set-ADUser {account} -PasswordNeverExpires $true"),
                    format!(
                        "Set-MsolUser -UserPrincipalName {account} -PasswordNeverExpires $true"
                    ),
                ],
            ),
        });
    }
    hints
}

/// The hint that `count` of `total` invitations show `problem`, with the Exchange
/// `command` that fixes it.
fn share_hint(problem: Phrase, count: usize, total: usize, command: String) -> HealthHint {
    HealthHint {
        problem: Wording::phrase(problem, [count.to_string(), total.to_string()]),
        fix: Wording::verbatim(command),
    }
}

fn subject_is_organizer_name(meeting: &Meeting) -> bool {
    match (&meeting.subject, &meeting.organizer.name) {
        (Some(subject), Some(name)) => {
            !name.trim().is_empty() && subject.trim().eq_ignore_ascii_case(name.trim())
        }
        _ => false,
    }
}

fn looks_online(meeting: &Meeting) -> bool {
    meeting.location.as_deref().is_some_and(|location| {
        let location = location.to_lowercase();
        ONLINE_LOCATION_WORDS.iter().any(|w| location.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::sample::plain_meeting;
    use crate::calendar::{MeetingTime, Person};

    fn meeting(subject: &str, organizer: &str) -> Meeting {
        let start = "2026-11-23T09:00:00Z".parse().expect("instant");
        let time = MeetingTime::Timed {
            start,
            end: start + chrono::Duration::hours(1),
        };
        Meeting {
            organizer: Person {
                name: Some(organizer.into()),
                email: None,
            },
            ..plain_meeting(subject, time)
        }
    }

    #[test]
    fn a_healthy_mailbox_has_no_hints() {
        let meetings = vec![meeting("Weekly sync", "Ann Lee")];
        let hints = mailbox_hints(&meetings, &SyncStatus::default(), "room@x", "svc@x");
        assert_eq!(hints, Vec::new());
    }

    #[test]
    fn stripped_bodies_and_organizer_subjects_are_counted_with_their_fix() {
        let mut stripped = meeting("Budget", "Ann Lee");
        stripped.no_join_reason = Some(NoJoinReason::BodyRemoved);
        let renamed = meeting("Ann Lee", "Ann Lee");
        let meetings = vec![stripped, renamed, meeting("Weekly", "Bo Ek")];
        let hints = mailbox_hints(&meetings, &SyncStatus::default(), "room@x", "svc@x");
        assert_eq!(hints.len(), 2);
        assert_eq!(
            hints[0].problem.english(),
            "1 of 3 invitations arrive with their text removed, so their Join links are lost."
        );
        assert_eq!(
            hints[0].fix.english(),
            "Set-CalendarProcessing -Identity room@x -DeleteComments $false"
        );
        assert!(
            hints[1]
                .fix
                .english()
                .contains("-AddOrganizerToSubject $false")
        );
    }

    #[test]
    fn online_looking_meetings_without_join_and_refused_passwords_are_hinted() {
        let mut online = meeting("Design", "Ann Lee");
        online.location = Some("Microsoft Teams Meeting".into());
        let sync = SyncStatus {
            state: SyncState::SignInFailed,
            ..SyncStatus::default()
        };
        let hints = mailbox_hints(&[online], &sync, "room@x", "svc@x");
        assert_eq!(hints.len(), 2);
        assert!(hints[0].problem.english().contains("look online"));
        assert_eq!(
            hints[1].fix.english(),
            "Set a new password in Change setup; to stop it expiring: \
             Set-ADUser svc@x -PasswordNeverExpires $true (on-premises) or \
             Set-MsolUser -UserPrincipalName svc@x -PasswordNeverExpires $true \
             (Microsoft 365)."
        );
    }
}
