//! The result of join-link detection: which meeting service a link belongs to, or why
//! a meeting has no link the console can join.

use serde::{Deserialize, Serialize};

/// The online-meeting services the console recognises. The ids (`as_str`) appear in
/// `agenda --json`, in the store and in logs, so they never change once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Teams,
    Sfb,
    Zoom,
    Webex,
    Meet,
    Goto,
    Other,
}

impl Provider {
    /// Every provider, in the order used to break ties between links of equal rank.
    pub const ALL: [Provider; 7] = [
        Provider::Teams,
        Provider::Sfb,
        Provider::Zoom,
        Provider::Webex,
        Provider::Meet,
        Provider::Goto,
        Provider::Other,
    ];

    /// The stable id of the provider.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Teams => "teams",
            Provider::Sfb => "sfb",
            Provider::Zoom => "zoom",
            Provider::Webex => "webex",
            Provider::Meet => "meet",
            Provider::Goto => "goto",
            Provider::Other => "other",
        }
    }

    /// Parses a stable id back into a provider.
    pub(crate) fn from_id(id: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == id)
    }

    /// The name a person reads on the Join button ("Join Teams meeting").
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Teams => "Microsoft Teams",
            Provider::Sfb => "Skype for Business",
            Provider::Zoom => "Zoom",
            Provider::Webex => "Webex",
            Provider::Meet => "Google Meet",
            Provider::Goto => "GoTo Meeting",
            Provider::Other => "online meeting",
        }
    }
}

/// A meeting link the console can join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinLink {
    pub provider: Provider,
    pub url: String,
}

/// Why a meeting has no join link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoJoinReason {
    /// The invitation arrived with an empty body: the room mailbox deletes comments
    /// (`Set-CalendarProcessing -DeleteComments $true`).
    BodyRemoved,
    /// The invitation has a body, but no link to an online meeting in it.
    NoLink,
}

impl NoJoinReason {
    /// The stable id used in `agenda --json` and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            NoJoinReason::BodyRemoved => "body_removed",
            NoJoinReason::NoLink => "no_link",
        }
    }

    /// Parses a stable id back into a reason.
    pub(crate) fn from_id(id: &str) -> Option<NoJoinReason> {
        match id {
            "body_removed" => Some(NoJoinReason::BodyRemoved),
            "no_link" => Some(NoJoinReason::NoLink),
            _ => None,
        }
    }
}
