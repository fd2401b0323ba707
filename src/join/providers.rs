//! Which meeting service a link belongs to: one rule per provider, matching the host and
//! the path shape of real join links, so that help, download and tracking links on the
//! same hosts ("Meeting options", "Find a local number", `aka.ms/JoinTeamsMeeting` …)
//! are never taken for a meeting.

use std::borrow::Cow;

use url::Url;

use super::Provider;
use super::ascii_scan::contains_ignoring_case;

/// The provider of a join link, or `None` when the URL is not a link to join a meeting.
///
/// `simple_url_hosts` is the admin's list of on-premises Lync / Skype for Business
/// simple-URL hosts (`meet.contoso.com`, or a host with a path prefix such as
/// `lync.contoso.com/meet`). On-premises links on hosts not in that list are only
/// recognised by [`super::detect`], from the "Join Lync Meeting" text around them.
pub fn classify(url: &str, simple_url_hosts: &[String]) -> Option<Provider> {
    let url = super::extract::parse_link(url)?;
    classify_url(&url, simple_url_hosts)
}

/// [`classify`] for a link that is already parsed, cleaned and unwrapped.
pub(crate) fn classify_url(url: &Url, simple_url_hosts: &[String]) -> Option<Provider> {
    let link = LinkParts::of(url)?;
    if is_teams(&link) {
        Some(Provider::Teams)
    } else if is_skype_online(&link) || is_listed_simple_url(&link, simple_url_hosts) {
        Some(Provider::Sfb)
    } else if is_zoom(&link) {
        Some(Provider::Zoom)
    } else if is_webex(&link) {
        Some(Provider::Webex)
    } else if is_google_meet(&link) {
        Some(Provider::Meet)
    } else if is_goto(&link) {
        Some(Provider::Goto)
    } else if is_other_meeting_service(&link) {
        Some(Provider::Other)
    } else {
        None
    }
}

/// True for links that must never be joined: help pages, tracking redirects, meeting
/// options and dial-in number pages that sit next to a meeting link, and anything that is
/// not an http(s) link.
pub(crate) fn is_help_or_tracking(url: &Url) -> bool {
    let Some(link) = LinkParts::of(url) else {
        return true;
    };
    [
        "aka.ms",
        "go.microsoft.com",
        "support.zoom.us",
        "help.webex.com",
    ]
    .iter()
    .any(|domain| link.host_is(domain))
        || link.host.starts_with("dialin.")
        || link.host.starts_with("support.")
        || link.first_segment_is("meetingoptions")
        || (link.host_is("zoom.us") && link.first_segment_is("u"))
}

/// The shape of an on-premises Lync / Skype for Business simple URL:
/// `https://meet.<domain>/<user>/<id>` or `https://<host>/meet/<user>/<id>`.
pub(crate) fn has_simple_url_shape(url: &Url) -> bool {
    let Some(link) = LinkParts::of(url) else {
        return false;
    };
    let segments = &link.segments;
    let conference_id_is_plain = |id: &str| id.chars().all(|c| c.is_ascii_alphanumeric());
    match segments.as_slice() {
        [user, id] => {
            link.host.starts_with("meet.") && !user.is_empty() && conference_id_is_plain(id)
        }
        [.., meet, user, id] => {
            meet == "meet" && !user.is_empty() && !id.is_empty() && conference_id_is_plain(id)
        }
        _ => false,
    }
}

/// The pieces of a URL the rules look at: host and path segments lower-cased (borrowed
/// from the URL when they already are: hosts always, paths mostly); query and fragment
/// as they are, searched without ASCII case when a rule gets to them.
struct LinkParts<'a> {
    host: Cow<'a, str>,
    segments: Vec<Cow<'a, str>>,
    query: &'a str,
    fragment: &'a str,
}

/// `text` in ASCII lower case, copied only when it has an upper-case letter.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

impl<'a> LinkParts<'a> {
    fn of(url: &'a Url) -> Option<LinkParts<'a>> {
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = lower_case(url.host_str()?.trim_end_matches('.'));
        let segments = url
            .path_segments()
            .map(|segments| {
                segments
                    .filter(|segment| !segment.is_empty())
                    .map(lower_case)
                    .collect()
            })
            .unwrap_or_default();
        Some(LinkParts {
            host,
            segments,
            query: url.query().unwrap_or_default(),
            fragment: url.fragment().unwrap_or_default(),
        })
    }

    /// The query holds `word` (ASCII lower case), in any case.
    fn query_has(&self, word: &str) -> bool {
        contains_ignoring_case(self.query, word)
    }

    /// The fragment holds `word` (ASCII lower case), in any case.
    fn fragment_has(&self, word: &str) -> bool {
        contains_ignoring_case(self.fragment, word)
    }

    /// The host is `domain` or one of its subdomains.
    fn host_is(&self, domain: &str) -> bool {
        self.host == domain
            || (self.host.ends_with(domain)
                && self.host[..self.host.len() - domain.len()].ends_with('.'))
    }

    fn segment(&self, index: usize) -> &str {
        self.segments.get(index).map_or("", |segment| segment)
    }

    fn first_segment_is(&self, name: &str) -> bool {
        self.segment(0) == name
    }

    /// The path starts with `name/<something>`.
    fn has_named_id(&self, name: &str) -> bool {
        self.first_segment_is(name) && !self.segment(1).is_empty()
    }

    fn first_segment_is_number(&self) -> bool {
        let first = self.segment(0);
        !first.is_empty() && first.chars().all(|c| c.is_ascii_digit())
    }
}

/// Teams in the commercial, consumer, US government (GCC High, DoD) and China clouds.
fn is_teams(link: &LinkParts) -> bool {
    const TEAMS_HOSTS: [&str; 5] = [
        "teams.microsoft.com",
        "teams.live.com",
        "teams.microsoft.us",
        "teams.microsoftonline.cn",
        "teams.cloud.microsoft",
    ];
    if !TEAMS_HOSTS.iter().any(|host| link.host_is(host)) {
        return false;
    }
    let meetup_join = link.first_segment_is("l") && link.segment(1) == "meetup-join";
    let launcher_to_meetup = || link.first_segment_is("dl") && link.query_has("meetup-join");
    let fragment_to_meetup = || link.fragment_has("/l/meetup-join/");
    meetup_join || link.has_named_id("meet") || launcher_to_meetup() || fragment_to_meetup()
}

/// Skype for Business Online: `https://meet.lync.com/<tenant>/<user>/<id>`.
fn is_skype_online(link: &LinkParts) -> bool {
    let first_label_is_meet = link.host.split('.').next() == Some("meet");
    first_label_is_meet
        && (link.host_is("lync.com") || link.host_is("lync.cn"))
        && !link.segments.is_empty()
}

/// A link on one of the admin's on-premises simple-URL hosts (`meet.contoso.com`, or
/// `lync.contoso.com/meet` for a simple URL with a path).
fn is_listed_simple_url(link: &LinkParts, simple_url_hosts: &[String]) -> bool {
    simple_url_hosts.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        let entry = entry
            .strip_prefix("https://")
            .or_else(|| entry.strip_prefix("http://"))
            .unwrap_or(&entry);
        let mut parts = entry.split('/').filter(|part| !part.is_empty());
        let Some(host) = parts.next() else {
            return false;
        };
        let prefix: Vec<&str> = parts.collect();
        link.host == host
            && link.segments.len() > prefix.len()
            && link.segments.iter().zip(&prefix).all(|(a, b)| a == b)
    })
}

/// Zoom, its vanity subdomains (`acme.zoom.us`) and ZoomGov: meetings (`/j/`), personal
/// rooms (`/my/`), webinars (`/w/`) and the web client (`/wc/join/`).
fn is_zoom(link: &LinkParts) -> bool {
    if !(link.host_is("zoom.us") || link.host_is("zoomgov.com"))
        || link.host.starts_with("support.")
    {
        return false;
    }
    ["j", "my", "w"].iter().any(|kind| link.has_named_id(kind))
        || (link.first_segment_is("wc") && (link.segment(1) == "join" || link.segment(2) == "join"))
}

/// Webex personal rooms (`/meet/`), `/join/` links, `j.php?MTID=` meeting links and the
/// join service of the web app.
fn is_webex(link: &LinkParts) -> bool {
    if !link.host_is("webex.com") || link.host.starts_with("help.") {
        return false;
    }
    let meeting_page = link.segments.iter().any(|segment| segment == "j.php")
        && link.query.split('&').any(|pair| {
            pair.as_bytes()
                .get(..5)
                .is_some_and(|name| name.eq_ignore_ascii_case(b"mtid="))
        });
    let join_service = link.segments.windows(2).any(|pair| {
        matches!(
            (pair[0].as_ref(), pair[1].as_ref()),
            ("wbxmjs", "joinservice") | ("webappng", "sites")
        )
    });
    link.has_named_id("meet") || link.has_named_id("join") || meeting_page || join_service
}

/// Google Meet codes: `meet.google.com/abc-defg-hij` (or a `lookup/` nickname).
fn is_google_meet(link: &LinkParts) -> bool {
    if link.host != "meet.google.com" {
        return false;
    }
    let code = link.segment(0);
    let groups: Vec<usize> = code.split('-').map(str::len).collect();
    let is_meeting_code =
        groups == [3, 4, 3] && code.chars().all(|c| c == '-' || c.is_ascii_lowercase());
    is_meeting_code || link.has_named_id("lookup")
}

/// GoTo Meeting: `meet.goto.com/<id>`, `global.gotomeeting.com/join/<id>`,
/// `app.goto.com/meeting/<id>` and `gotomeet.me/<name>`.
fn is_goto(link: &LinkParts) -> bool {
    let room = link.segment(0);
    (link.host == "meet.goto.com" && !room.is_empty() && room != "install")
        || (link.host_is("gotomeeting.com") && link.has_named_id("join"))
        || (link.host == "app.goto.com" && link.has_named_id("meeting"))
        || (link.host_is("gotomeet.me") && !room.is_empty())
}

/// Other common services and video systems, joined through the same command:
/// BlueJeans, Whereby, Jitsi, Amazon Chime, RingCentral, Skype Meet Now, Lifesize,
/// Pexip web app and Cisco Meeting Server web bridge links.
fn is_other_meeting_service(link: &LinkParts) -> bool {
    let room = link.segment(0);
    let bluejeans = link.host_is("bluejeans.com") && link.first_segment_is_number();
    let whereby = link.host_is("whereby.com")
        && !room.is_empty()
        && !matches!(room, "information" | "user" | "org" | "login");
    let jitsi = link.host == "meet.jit.si" && !room.is_empty();
    let chime = (link.host == "chime.aws" && link.first_segment_is_number())
        || (link.host == "app.chime.aws" && link.first_segment_is("meetings"));
    let ringcentral = (link.host == "meetings.ringcentral.com" && link.has_named_id("j"))
        || (link.host == "v.ringcentral.com" && link.has_named_id("join"));
    let skype_meet_now = link.host == "join.skype.com" && !room.is_empty();
    let lifesize = link.host_is("lifesizecloud.com") && link.first_segment_is_number();
    let pexip = link.first_segment_is("webapp")
        && (link.segment(1) == "m"
            || link.query_has("conference=")
            || link.fragment_has("conference="));
    let cisco_web_bridge = (link.has_named_id("meeting") || link.first_segment_is("invited.sf"))
        && link.query_has("secret=");
    bluejeans
        || whereby
        || jitsi
        || chime
        || ringcentral
        || skype_meet_now
        || lifesize
        || pexip
        || cisco_web_bridge
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(url: &str) -> Option<Provider> {
        classify(url, &[])
    }

    /// Each of `urls` is classified as `expected`.
    fn classified_as(expected: Option<Provider>, urls: &[&str]) {
        for url in urls {
            assert_eq!(provider(url), expected, "{url}");
        }
    }

    #[test]
    fn teams_links_in_every_cloud() {
        classified_as(
            Some(Provider::Teams),
            &[
                "https://teams.microsoft.com/l/meetup-join/19%3ameeting_OGM4%40thread.v2/0?context=%7b%7d",
                "https://teams.microsoft.com/meet/2902731922?p=CwEBTSxyz",
                "https://teams.live.com/meet/9381234567890?p=abcdef",
                "https://gov.teams.microsoft.us/l/meetup-join/19%3ameeting_x%40thread.v2/0",
                "https://dod.teams.microsoft.us/l/meetup-join/19%3ameeting_x%40thread.v2/0",
                "https://teams.microsoftonline.cn/l/meetup-join/19%3ameeting_x%40thread.v2/0",
                "https://teams.microsoft.com/dl/launcher/launcher.html?url=%2F_%23%2Fl%2Fmeetup-join%2F19%3Ameeting_x&type=meetup-join",
                "https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/19:meeting_x@thread.v2/0",
            ],
        );
    }

    #[test]
    fn teams_help_and_options_links_are_not_meetings() {
        classified_as(
            None,
            &[
                "https://teams.microsoft.com/meetingOptions/?organizerId=7ceb&tenantId=fb8a",
                "https://aka.ms/JoinTeamsMeeting",
                "https://go.microsoft.com/fwlink/?linkid=2187327",
                "https://www.microsoft.com/en-us/microsoft-teams/download-app",
                "https://www.microsoft.com/microsoft-teams/join-a-meeting",
                "https://teams.microsoft.com/",
                "https://dialin.teams.microsoft.com/6b0d-1e44?id=290273192",
            ],
        );
    }

    #[test]
    fn skype_for_business_online_and_listed_on_premises_hosts() {
        assert_eq!(
            provider("https://meet.lync.com/contoso/jane/XYZ789AB"),
            Some(Provider::Sfb)
        );
        assert_eq!(provider("https://dialin.lync.com/8a6b1c2d"), None);
        let hosts = vec![
            "meet.contoso.com".to_string(),
            "https://lync.fabrikam.com/meet/".to_string(),
        ];
        assert_eq!(
            classify("https://meet.contoso.com/jane/ABC123", &hosts),
            Some(Provider::Sfb)
        );
        assert_eq!(
            classify("https://lync.fabrikam.com/meet/jane/ABC123", &hosts),
            Some(Provider::Sfb)
        );
        assert_eq!(classify("https://lync.fabrikam.com/dialin", &hosts), None);
        assert_eq!(classify("https://meet.contoso.com/", &hosts), None);
        assert_eq!(classify("https://meet.contoso.com/jane/ABC123", &[]), None);
    }

    #[test]
    fn zoom_meetings_personal_rooms_webinars_and_gov() {
        classified_as(
            Some(Provider::Zoom),
            &[
                "https://zoom.us/j/98765432101?pwd=aBcD",
                "https://acme.zoom.us/j/123456789",
                "https://us02web.zoom.us/j/87654321098",
                "https://acme.zoomgov.com/j/1601234567",
                "https://acme.zoom.us/my/jane.doe",
                "https://acme.zoom.us/w/91234567890?tk=abc",
                "https://zoom.us/wc/join/98765432101",
            ],
        );
        classified_as(
            None,
            &[
                "https://acme.zoom.us/u/abcDEF123",
                "https://support.zoom.us/hc/en-us/articles/201362193",
                "https://zoom.us/download",
                "https://zoom.us/s/98765432101",
            ],
        );
    }

    #[test]
    fn webex_link_shapes() {
        classified_as(
            Some(Provider::Webex),
            &[
                "https://acme.webex.com/meet/jdoe",
                "https://acme.webex.com/join/jdoe",
                "https://acme.webex.com/acme/j.php?MTID=m0123456789abcdef0123456789abcdef",
                "https://acme.webex.com/wbxmjs/joinservice/sites/acme/meeting/download/0123456789abcdef",
                "https://acme.webex.com/webappng/sites/acme/meeting/download/0123456789abcdef",
            ],
        );
        classified_as(
            None,
            &[
                "https://help.webex.com/en-us/article/nqzpbkgb",
                "https://www.webex.com/downloads.html",
            ],
        );
    }

    #[test]
    fn google_meet_codes_only() {
        classified_as(
            Some(Provider::Meet),
            &[
                "https://meet.google.com/abc-defg-hij",
                "https://meet.google.com/abc-defg-hij?authuser=0&hs=122",
            ],
        );
        classified_as(
            None,
            &[
                "https://meet.google.com/",
                "https://support.google.com/a/users/answer/9282720",
                "https://tel.meet/abc-defg-hij?pin=123",
            ],
        );
    }

    #[test]
    fn goto_meeting_shapes() {
        classified_as(
            Some(Provider::Goto),
            &[
                "https://meet.goto.com/123456789",
                "https://global.gotomeeting.com/join/123456789",
                "https://app.goto.com/meeting/123456789",
                "https://gotomeet.me/JaneDoe",
            ],
        );
        classified_as(
            None,
            &[
                "https://global.gotomeeting.com/install/123456789",
                "https://meet.goto.com/install",
            ],
        );
    }

    #[test]
    fn other_services_are_provider_other() {
        classified_as(
            Some(Provider::Other),
            &[
                "https://bluejeans.com/123456789/1234",
                "https://whereby.com/acme-standup",
                "https://meet.jit.si/AcmeWeeklyPlanning",
                "https://chime.aws/1234567890",
                "https://app.chime.aws/meetings/?pin=1234567890",
                "https://pexip.contoso.com/webapp/m/meet.jane",
                "https://vc.contoso.com/webapp/#/?conference=meet.jane&role=guest",
                "https://join.contoso.com/meeting/123456789?secret=AbCdEf",
                "https://join.skype.com/AbCdEfGhIjKl",
            ],
        );
    }

    #[test]
    fn only_web_links_are_meetings() {
        classified_as(
            None,
            &[
                "javascript:alert(1)",
                "mailto:jane@contoso.com",
                "tel:+15551234567",
                "ftp://meet.google.com/abc-defg-hij",
                "not a url",
                "",
            ],
        );
    }

    #[test]
    fn hosts_are_matched_on_label_boundaries() {
        assert_eq!(provider("https://notzoom.us/j/123456789"), None);
        assert_eq!(provider("https://zoom.us.evil.example/j/123456789"), None);
        assert_eq!(
            provider("https://ZOOM.US/j/123456789"),
            Some(Provider::Zoom)
        );
    }

    #[test]
    fn simple_url_shapes() {
        let shape = |url: &str| has_simple_url_shape(&Url::parse(url).expect("test URL"));
        assert!(shape("https://meet.contoso.com/jane/ABC123"));
        assert!(shape("https://lync.contoso.com/meet/jane/ABC123"));
        assert!(!shape("https://meet.contoso.com/jane"));
        assert!(!shape("https://www.contoso.com/jane/ABC123"));
        assert!(!shape("https://meet.contoso.com/jane/ABC-123?x"));
    }

    #[test]
    fn help_links() {
        let help = |url: &str| is_help_or_tracking(&Url::parse(url).expect("test URL"));
        assert!(help("https://aka.ms/JoinTeamsMeeting"));
        assert!(help("https://dialin.contoso.com/"));
        assert!(help("https://acme.zoom.us/u/abc"));
        assert!(help("https://teams.microsoft.com/meetingOptions/?a=b"));
        assert!(!help("https://meet.contoso.com/jane/ABC123"));
    }
}
