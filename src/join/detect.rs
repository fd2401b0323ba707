//! Picks the one link a room joins from everything an invitation carries. The choice is
//! deterministic: a structured field (EWS `JoinOnlineMeetingUrl`, the Lync
//! `OnlineMeetingExternalLink` property, Graph `onlineMeeting.joinUrl`) first, then a
//! link in the invitation block ("Click here to join the meeting", "Join Zoom Meeting" …),
//! then any other meeting link in the body; ties go to the provider first in
//! [`Provider::ALL`], then to the link first in the body.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::ascii_scan::contains_ignoring_case;
use super::extract::{self, FoundLink};
use super::join_label::introduces_join_link;
use super::providers::{classify_url, has_simple_url_shape, is_help_or_tracking};
use super::{JoinLink, NoJoinReason, Provider, html};

/// Everything known about a meeting that may hold its join link.
#[derive(Debug, Clone, Default)]
pub struct JoinSources<'a> {
    /// Join URLs from structured fields, most trusted first; empty strings are skipped.
    pub structured: Vec<&'a str>,
    /// The item's body; `None` when it was not fetched or is empty.
    pub body: Option<&'a str>,
    /// The body is HTML (EWS `BodyType="HTML"`, Graph `contentType: html`).
    pub body_is_html: bool,
    /// The admin's list of on-premises Lync / Skype for Business simple-URL hosts.
    pub simple_url_hosts: &'a [String],
}

/// The link to join, or why there is none.
pub fn detect(sources: &JoinSources) -> Result<JoinLink, NoJoinReason> {
    if let Some(link) = from_structured_fields(sources) {
        return Ok(link);
    }
    let text = match sources.body {
        Some(body) if sources.body_is_html => html::to_text(body),
        Some(body) => body.to_string(),
        None => String::new(),
    };
    if text.trim().is_empty() {
        return Err(NoJoinReason::BodyRemoved);
    }
    extract::find_links(&text)
        .into_iter()
        .filter_map(|found| ranked_body_link(found, sources.simple_url_hosts))
        .min_by_key(|ranked| ranked.rank)
        .map(|ranked| ranked.link)
        .ok_or(NoJoinReason::NoLink)
}

/// A structured field names the meeting's link: it is trusted even on a host no rule
/// knows (then an on-premises simple URL, or another service), unless it is a help link.
fn from_structured_fields(sources: &JoinSources) -> Option<JoinLink> {
    sources.structured.iter().find_map(|field| {
        let url = extract::parse_link(field)?;
        let provider = classify_url(&url, sources.simple_url_hosts).or_else(|| {
            if is_help_or_tracking(&url) {
                None
            } else if has_simple_url_shape(&url) {
                Some(Provider::Sfb)
            } else {
                Some(Provider::Other)
            }
        })?;
        Some(join_link(provider, url))
    })
}

/// Where a body link stands in the choice; smaller is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    outside_invitation_block: bool,
    provider_order: usize,
    position: usize,
}

struct RankedLink {
    rank: Rank,
    link: JoinLink,
}

fn ranked_body_link(found: FoundLink, simple_url_hosts: &[String]) -> Option<RankedLink> {
    let provider = classify_url(&found.url, simple_url_hosts)
        .or_else(|| skype_link_named_by_its_label(&found))?;
    let provider_order = Provider::ALL
        .iter()
        .position(|candidate| *candidate == provider)
        .unwrap_or(Provider::ALL.len());
    Some(RankedLink {
        rank: Rank {
            outside_invitation_block: !introduces_join_link(&found.label),
            provider_order,
            position: found.position,
        },
        link: join_link(provider, found.url),
    })
}

/// "Join Lync Meeting", "Join Skype Meeting" (Lync 2013, Skype for Business) or
/// "Join online meeting" (Lync 2010) in front of an on-premises link.
static SKYPE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bjoin\b.{0,20}?\b(lync|skype|online)\b.{0,20}?\bmeeting\b")
        .expect("the Skype-label pattern is a valid regular expression")
});

/// An on-premises Lync / Skype for Business link on a host the admin did not list: the
/// invitation's own words name it. A generic "Join online meeting" also needs the
/// simple-URL shape (`meet.<domain>/<user>/<id>` or `<host>/meet/<user>/<id>`).
fn skype_link_named_by_its_label(found: &FoundLink) -> Option<Provider> {
    // "join" has no case variants outside ASCII (join_label's tests): without it in the
    // label, the expression cannot match, and is not even built.
    if !contains_ignoring_case(&found.label, "join") {
        return None;
    }
    let words = SKYPE_LABEL.captures(&found.label)?;
    let names_skype = words
        .get(1)
        .is_some_and(|word| !word.as_str().eq_ignore_ascii_case("online"));
    let recognised =
        !is_help_or_tracking(&found.url) && (names_skype || has_simple_url_shape(&found.url));
    recognised.then_some(Provider::Sfb)
}

fn join_link(provider: Provider, url: Url) -> JoinLink {
    JoinLink {
        provider,
        url: url.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_body(body: &str) -> Result<JoinLink, NoJoinReason> {
        detect(&JoinSources {
            body: Some(body),
            ..JoinSources::default()
        })
    }

    fn link(provider: Provider, url: &str) -> Result<JoinLink, NoJoinReason> {
        Ok(JoinLink {
            provider,
            url: url.to_string(),
        })
    }

    #[test]
    fn structured_field_wins_over_the_body() {
        let sources = JoinSources {
            structured: vec![
                "",
                "https://teams.microsoft.com/l/meetup-join/19%3ameeting_a%40thread.v2/0",
            ],
            body: Some("Join Zoom Meeting\nhttps://acme.zoom.us/j/123456789"),
            ..JoinSources::default()
        };
        assert_eq!(
            detect(&sources),
            link(
                Provider::Teams,
                "https://teams.microsoft.com/l/meetup-join/19%3ameeting_a%40thread.v2/0"
            )
        );
    }

    #[test]
    fn structured_fields_on_unknown_hosts_are_trusted() {
        let sources = JoinSources {
            structured: vec!["https://lync.contoso.com/meet/jane/ABC123"],
            ..JoinSources::default()
        };
        assert_eq!(
            detect(&sources),
            link(Provider::Sfb, "https://lync.contoso.com/meet/jane/ABC123")
        );
        let sources = JoinSources {
            structured: vec!["https://video.contoso.com/room/42"],
            ..JoinSources::default()
        };
        assert_eq!(
            detect(&sources),
            link(Provider::Other, "https://video.contoso.com/room/42")
        );
        let sources = JoinSources {
            structured: vec!["https://aka.ms/JoinTeamsMeeting"],
            body: Some(" "),
            ..JoinSources::default()
        };
        assert_eq!(detect(&sources), Err(NoJoinReason::BodyRemoved));
    }

    #[test]
    fn invitation_block_wins_over_provider_order() {
        assert_eq!(
            text_body(
                "Agenda: notes at https://teams.microsoft.com/l/meetup-join/19%3ameeting_old%40thread.v2/0\n\
                 Join Zoom Meeting\nhttps://acme.zoom.us/j/123456789\n"
            ),
            link(Provider::Zoom, "https://acme.zoom.us/j/123456789")
        );
    }

    #[test]
    fn provider_order_then_body_order_break_ties() {
        assert_eq!(
            text_body(
                "https://meet.google.com/abc-defg-hij https://acme.zoom.us/j/1 https://acme.zoom.us/j/2"
            ),
            link(Provider::Zoom, "https://acme.zoom.us/j/1")
        );
    }

    #[test]
    fn on_premises_links_are_recognised_from_their_label() {
        assert_eq!(
            text_body("Join Lync Meeting<https://meet.contoso.com/jane/ABC123>"),
            link(Provider::Sfb, "https://meet.contoso.com/jane/ABC123")
        );
        assert_eq!(
            text_body("Join Skype Meeting<https://sfb.contoso.com/contoso/jane/ABC123>"),
            link(Provider::Sfb, "https://sfb.contoso.com/contoso/jane/ABC123")
        );
        assert_eq!(
            text_body("Join online meeting\nhttps://lync.contoso.com/meet/jane/ABC123"),
            link(Provider::Sfb, "https://lync.contoso.com/meet/jane/ABC123")
        );
        assert_eq!(
            text_body("Join online meeting\nhttps://www.contoso.com/about"),
            Err(NoJoinReason::NoLink)
        );
        assert_eq!(
            text_body("Join Skype Meeting<https://dialin.contoso.com/>"),
            Err(NoJoinReason::NoLink)
        );
        assert_eq!(
            text_body("Notes: https://meet.contoso.com/jane/ABC123"),
            Err(NoJoinReason::NoLink)
        );
    }

    #[test]
    fn listed_simple_url_hosts_need_no_label() {
        let hosts = ["meet.contoso.com".to_string()];
        let sources = JoinSources {
            body: Some("Notes: https://meet.contoso.com/jane/ABC123"),
            simple_url_hosts: &hosts,
            ..JoinSources::default()
        };
        assert_eq!(
            detect(&sources),
            link(Provider::Sfb, "https://meet.contoso.com/jane/ABC123")
        );
    }

    #[test]
    fn only_web_links_are_joined_even_in_the_invitation_block() {
        let sources = JoinSources {
            body: Some(
                "<p><a href=\"javascript:join('https://teams.microsoft.com/meet/1?p=a')\">Join Microsoft Teams Meeting</a></p>\
                 <p><a href=\"mailto:https://acme.zoom.us/j/2\">Join Zoom Meeting</a></p>\
                 <p>Fallback: <a href=\"https://meet.google.com/abc-defg-hij\">Google Meet</a></p>",
            ),
            body_is_html: true,
            ..JoinSources::default()
        };
        assert_eq!(
            detect(&sources),
            link(Provider::Meet, "https://meet.google.com/abc-defg-hij")
        );
    }

    #[test]
    fn empty_bodies_and_bodies_without_links() {
        assert_eq!(
            detect(&JoinSources::default()),
            Err(NoJoinReason::BodyRemoved)
        );
        assert_eq!(text_body(" \r\n\t"), Err(NoJoinReason::BodyRemoved));
        assert_eq!(
            detect(&JoinSources {
                body: Some("<html><body><p>&nbsp;</p></body></html>"),
                body_is_html: true,
                ..JoinSources::default()
            }),
            Err(NoJoinReason::BodyRemoved)
        );
        assert_eq!(
            text_body("Quarterly review. Slides: https://contoso.sharepoint.com/q3.pptx"),
            Err(NoJoinReason::NoLink)
        );
        assert_eq!(
            text_body("Learn More<https://aka.ms/JoinTeamsMeeting> mailto:jane@contoso.com"),
            Err(NoJoinReason::NoLink)
        );
    }
}
