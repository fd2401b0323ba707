//! What a sample of upcoming invitations says about how the room mailbox processes
//! meeting requests. Exchange's resource booking can strip an invitation before the
//! console ever sees it: `DeleteComments` removes the body (and with it the join link),
//! `DeleteSubject` replaces the subject, `AddOrganizerToSubject` puts the organizer's
//! name in front of (or in place of) it. The symptoms are visible in the items, so the
//! check reads a sample and names the `Set-CalendarProcessing` switch to turn off.

use crate::ews::CalendarItem;
use crate::ews::item::BodyKind;
use crate::join::{JoinSources, NoJoinReason, detect};

use super::result::{CheckId, CheckResult};
use crate::words::Phrase;
use crate::words::Wording;

/// A symptom seen in at least half of the sampled invitations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationFinding {
    /// Bodies arrive empty: `DeleteComments $true`.
    BodiesDeleted { count: usize, of: usize },
    /// Subjects are only the organizer's name, or empty: `DeleteSubject $true`.
    SubjectsDeleted { count: usize, of: usize },
    /// Subjects start with the organizer's name: `AddOrganizerToSubject $true`.
    OrganizerAddedToSubject { count: usize, of: usize },
}

impl InvitationFinding {
    /// The `Set-CalendarProcessing` parameter that causes it.
    pub(crate) fn parameter(self) -> &'static str {
        match self {
            InvitationFinding::BodiesDeleted { .. } => "-DeleteComments $false",
            InvitationFinding::SubjectsDeleted { .. } => "-DeleteSubject $false",
            InvitationFinding::OrganizerAddedToSubject { .. } => "-AddOrganizerToSubject $false",
        }
    }

    fn sentence(self) -> Wording {
        let (phrase, count, of) = match self {
            InvitationFinding::BodiesDeleted { count, of } => (Phrase::BodiesDeleted, count, of),
            InvitationFinding::SubjectsDeleted { count, of } => {
                (Phrase::SubjectsDeleted, count, of)
            }
            InvitationFinding::OrganizerAddedToSubject { count, of } => {
                (Phrase::OrganizerAddedToSubject, count, of)
            }
        };
        Wording::phrase(phrase, [count.to_string(), of.to_string()])
    }
}

/// What the symptoms are read from, whichever protocol brought the invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationView<'a> {
    pub subject: Option<&'a str>,
    /// The organizer's display name.
    pub organizer: Option<&'a str>,
    /// The body arrived empty ([`NoJoinReason::BodyRemoved`]).
    pub body_removed: bool,
}

impl<'a> InvitationView<'a> {
    fn of_item(item: &'a CalendarItem) -> InvitationView<'a> {
        InvitationView {
            subject: item.subject.as_deref(),
            organizer: item.organizer.as_ref().and_then(|o| o.name.as_deref()),
            body_removed: body_deleted(item),
        }
    }
}

/// The symptoms shared by at least half of `items` (the sample).
pub fn inspect_invitations(items: &[CalendarItem]) -> Vec<InvitationFinding> {
    let views: Vec<InvitationView<'_>> = items.iter().map(InvitationView::of_item).collect();
    inspect_views(&views)
}

/// The symptoms shared by at least half of `views` (the sample).
pub fn inspect_views(views: &[InvitationView<'_>]) -> Vec<InvitationFinding> {
    let of = views.len();
    let count =
        |symptom: fn(&InvitationView<'_>) -> bool| views.iter().filter(|v| symptom(v)).count();
    let common = |count: usize| of > 0 && count * 2 >= of;
    let mut findings = Vec::new();
    let bodies = count(|v| v.body_removed);
    if common(bodies) {
        findings.push(InvitationFinding::BodiesDeleted { count: bodies, of });
    }
    let subjects = count(subject_deleted);
    if common(subjects) {
        findings.push(InvitationFinding::SubjectsDeleted {
            count: subjects,
            of,
        });
    }
    let prefixed = count(organizer_added);
    if common(prefixed) {
        findings.push(InvitationFinding::OrganizerAddedToSubject {
            count: prefixed,
            of,
        });
    }
    findings
}

/// The Invitations check for `items` of `room`.
pub(super) fn invitations_check(room: &str, items: &[CalendarItem]) -> CheckResult {
    if items.is_empty() {
        return CheckResult::pass(CheckId::Invitations, Phrase::NoInvitationsYet);
    }
    let findings = inspect_invitations(items);
    if findings.is_empty() {
        return CheckResult::pass(
            CheckId::Invitations,
            Wording::phrase(Phrase::InvitationsIntact, [items.len().to_string()]),
        );
    }
    let (message, fix) = findings_warning(room, &findings);
    CheckResult::warn(CheckId::Invitations, message, Some(fix))
}

/// What `findings` say and the `Set-CalendarProcessing` command that fixes them.
pub(super) fn findings_warning(room: &str, findings: &[InvitationFinding]) -> (Wording, Wording) {
    let mut sentences = findings.iter().map(|f| f.sentence());
    let first = sentences.next().unwrap_or_else(|| Wording::verbatim(""));
    let message = sentences.fold(first, Wording::then);
    let parameters = findings
        .iter()
        .map(|f| f.parameter())
        .collect::<Vec<_>>()
        .join(" ");
    let fix = Wording::phrase(
        Phrase::CalendarProcessingFix,
        [format!(
            "Set-CalendarProcessing -Identity {room} {parameters}"
        )],
    );
    (message, fix)
}

fn body_deleted(item: &CalendarItem) -> bool {
    let body = item.body.as_ref();
    let sources = JoinSources {
        structured: Vec::new(),
        body: body.map(|b| &*b.content),
        body_is_html: body.is_some_and(|b| b.kind == BodyKind::Html),
        simple_url_hosts: &[],
    };
    detect(&sources) == Err(NoJoinReason::BodyRemoved)
}

fn organizer_name<'a>(view: &InvitationView<'a>) -> Option<&'a str> {
    view.organizer
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

fn subject_deleted(view: &InvitationView<'_>) -> bool {
    let subject = view.subject.map(str::trim).unwrap_or_default();
    subject.is_empty()
        || organizer_name(view).is_some_and(|name| subject.eq_ignore_ascii_case(name))
}

fn organizer_added(view: &InvitationView<'_>) -> bool {
    let (Some(subject), Some(name)) = (view.subject, organizer_name(view)) else {
        return false;
    };
    let subject = subject.trim();
    subject.len() > name.len()
        && subject
            .get(..name.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(name))
        && subject[name.len()..].starts_with(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ews::item::Body;
    use crate::ews::{ItemId, Mailbox};

    fn item(subject: &str, organizer: &str, body: Option<&str>) -> CalendarItem<'static> {
        CalendarItem {
            id: ItemId::new("id", None),
            subject: Some(subject.to_owned().into()),
            body: body.map(|content| Body {
                kind: BodyKind::Html,
                content: content.to_owned().into(),
            }),
            organizer: Some(Mailbox {
                name: Some(organizer.to_owned().into()),
                email: None,
                routing_type: None,
            }),
            required_attendees: Vec::new(),
            optional_attendees: Vec::new(),
            location: None,
            start: None,
            end: None,
            is_all_day: false,
            start_time_zone: None,
            sensitivity: None,
            is_cancelled: false,
            free_busy: None,
            uid: None,
            item_type: None,
            recurrence_id: None,
            original_start: None,
            join_online_meeting_url: None,
            online_meeting_external_link: None,
            console_booking_id: None,
        }
    }

    const BODY: Option<&str> = Some("<p>Join: https://teams.microsoft.com/l/meetup-join/x</p>");

    #[test]
    fn intact_invitations_pass() {
        let items = [item("Standup", "Ana", BODY), item("Review", "Jonas", BODY)];
        assert!(inspect_invitations(&items).is_empty());
        let check = invitations_check("room@contoso.com", &items);
        assert_eq!(check.status, super::super::CheckStatus::Pass);
    }

    #[test]
    fn deleted_bodies_name_delete_comments() {
        let items = [
            item("Standup", "Ana", Some("<html><body> </body></html>")),
            item("Review", "Jonas", None),
            item("Retro", "Lars", BODY),
        ];
        assert_eq!(
            inspect_invitations(&items),
            vec![InvitationFinding::BodiesDeleted { count: 2, of: 3 }]
        );
        let check = invitations_check("confrm2@contoso.com", &items);
        assert_eq!(check.status, super::super::CheckStatus::Warn);
        assert_eq!(
            check.fix.as_deref(),
            Some(
                "Run `Set-CalendarProcessing -Identity confrm2@contoso.com -DeleteComments $false` \
                 in Exchange PowerShell. Invitations sent after the change arrive intact; ask \
                 organizers to resend earlier ones."
            )
        );
    }

    #[test]
    fn organizer_name_as_subject_means_subject_deleted() {
        let items = [
            item("Ana Lindqvist", "Ana Lindqvist", BODY),
            item("", "Jonas", BODY),
        ];
        assert_eq!(
            inspect_invitations(&items),
            vec![InvitationFinding::SubjectsDeleted { count: 2, of: 2 }]
        );
    }

    #[test]
    fn organizer_prefix_means_add_organizer_to_subject() {
        let items = [
            item("Ana Lindqvist Weekly sync", "Ana Lindqvist", None),
            item("Jonas Berg Board review", "Jonas Berg", None),
        ];
        let findings = inspect_invitations(&items);
        assert_eq!(
            findings,
            vec![
                InvitationFinding::BodiesDeleted { count: 2, of: 2 },
                InvitationFinding::OrganizerAddedToSubject { count: 2, of: 2 },
            ]
        );
        let fix = invitations_check("r@contoso.com", &items)
            .fix
            .unwrap_or_default();
        assert!(
            fix.contains(
                "-Identity r@contoso.com -DeleteComments $false -AddOrganizerToSubject $false"
            ),
            "{fix}"
        );
    }

    #[test]
    fn one_odd_meeting_in_many_is_not_a_finding() {
        let items = [
            item("Standup", "Ana", BODY),
            item("Review", "Jonas", BODY),
            item("Lunch", "Lars", None),
        ];
        assert!(inspect_invitations(&items).is_empty());
    }
}
