//! The Microsoft 365 "join links" check: of a sample of upcoming meetings, how many
//! look like online meetings and how many of those carry a join link the console can
//! use, read through the same mapping and join detection as the sync. Bodies or subjects
//! stripped by the room mailbox's calendar processing are a warning with the same
//! `Set-CalendarProcessing` fix as the Exchange invitations check.

use super::invitations::{InvitationView, findings_warning, inspect_views};
use super::result::{CheckId, CheckResult};
use crate::graph::Event;
use crate::join::NoJoinReason;
use crate::sources::ews_mapping::MappingRules;
use crate::sources::graph_mapping::meeting_of;
use crate::words::Phrase;
use crate::words::Wording;

/// The JoinLinks check for the sampled `events` of `room`.
pub(super) fn join_links_check(room: &str, events: &[Event], rules: &MappingRules) -> CheckResult {
    let id = CheckId::JoinLinks;
    let mut views = Vec::new();
    let mut online = 0;
    let mut with_link = 0;
    for event in events.iter().filter(|e| !e.is_cancelled.unwrap_or(false)) {
        let Ok(meeting) = meeting_of(event, rules) else {
            continue;
        };
        let body_removed = meeting.no_join_reason == Some(NoJoinReason::BodyRemoved);
        let marked_online = event.online_meeting.is_some() || event.online_meeting_url.is_some();
        if meeting.join.is_some() {
            with_link += 1;
        }
        if meeting.join.is_some() || body_removed || marked_online {
            online += 1;
        }
        views.push(InvitationView {
            subject: event.subject.as_deref(),
            organizer: event
                .organizer
                .as_ref()
                .and_then(|o| o.email_address.as_ref())
                .and_then(|a| a.name.as_deref()),
            body_removed,
        });
    }
    if views.is_empty() {
        return CheckResult::pass(id, Phrase::NoMeetingsForJoinLinks);
    }
    let checked = views.len().to_string();
    let share = if online == 0 {
        Wording::phrase(Phrase::NoOnlineMeetings, [checked])
    } else {
        Wording::phrase(
            Phrase::JoinLinksFound,
            [with_link.to_string(), online.to_string(), checked],
        )
    };
    let findings = inspect_views(&views);
    if findings.is_empty() {
        return CheckResult::pass(id, share);
    }
    let (message, fix) = findings_warning(room, &findings);
    CheckResult::warn(id, share.then(message), Some(fix))
}
