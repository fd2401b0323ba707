//! Finds the web links in a text body (or in an HTML body rendered as text by
//! [`super::html`]), each with the words written in front of it ("Click here to join the
//! meeting", "Join Zoom Meeting"), and cleans each link up: HTML entities, trailing
//! punctuation, angle brackets, lines wrapped by the mail client, Safe Links.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::safelinks;

/// A web link found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FoundLink {
    pub url: Url,
    /// The text in front of the link on its line, or the line above when the link stands
    /// on a line of its own: an anchor's text, or a heading such as "Join Zoom Meeting".
    pub label: String,
    /// Byte offset of the link in the text, to keep the body's order.
    pub position: usize,
}

/// `<https://…>` as mail clients write links in text bodies (and may wrap over lines,
/// RFC 3986 appendix C), or a bare `https://…` ending at whitespace or a quote.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<\s*(https?://[^<>"]+)>|https?://[^\s<>"]+"#)
        .expect("the link pattern is a valid regular expression")
});

/// Lines at least this long that end in a bare link were probably wrapped by the sender's
/// mail client; the link then continues on the next line.
const WRAPPED_LINE_MIN_CHARS: usize = 70;

/// Every http(s) link in `text`, in order.
pub(super) fn find_links(text: &str) -> Vec<FoundLink> {
    let mut links = Vec::new();
    let mut previous_end = 0;
    for found in LINK.captures_iter(text) {
        let whole = found.get(0).expect("capture 0 is the whole match");
        if whole.start() < previous_end {
            continue; // part of a wrapped link already taken
        }
        let (raw, end) = match found.get(1) {
            Some(bracketed) => (
                bracketed.as_str().split_whitespace().collect::<String>(),
                whole.end(),
            ),
            None => join_wrapped_lines(text, whole.start(), whole.end()),
        };
        let label = label_before(&text[previous_end..whole.start()]);
        previous_end = end;
        if let Some(url) = parse_link(&raw) {
            links.push(FoundLink {
                url,
                label,
                position: whole.start(),
            });
        }
    }
    links
}

/// Turns one written link into a URL: entities decoded, surrounding brackets and
/// trailing punctuation dropped, Safe Links unwrapped, `http://` raised to `https://`
/// (every meeting service answers https, and the console must not hand a client a link
/// a network can rewrite). `None` unless it is http(s).
pub(super) fn parse_link(raw: &str) -> Option<Url> {
    let trimmed = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let decoded = html_escape::decode_html_entities(trimmed);
    let url = Url::parse(strip_trailing_punctuation(&decoded)).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let mut url = safelinks::unwrap(url);
    if url.scheme() == "http" {
        // http and https are both "special" schemes: switching between them cannot fail.
        url.set_scheme("https").ok()?;
    }
    Some(url)
}

/// Sentence punctuation after a link is not part of it; a closing bracket is, when the
/// link opened one itself (`…/Foo_(bar)`).
fn strip_trailing_punctuation(link: &str) -> &str {
    let mut link = link;
    while let Some(last) = link.chars().last() {
        let belongs_to_link = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' | '>' => false,
            ')' => link.matches('(').count() >= link.matches(')').count(),
            ']' => link.matches('[').count() >= link.matches(']').count(),
            '}' => link.matches('{').count() >= link.matches('}').count(),
            _ => true,
        };
        if belongs_to_link {
            break;
        }
        link = &link[..link.len() - last.len_utf8()];
    }
    link
}

/// A bare link that fills a long line goes on with the next lines while they hold one
/// word made of URL characters (how Outlook and others wrap long links in text bodies).
/// Returns the link and the offset where it ends in `text`.
fn join_wrapped_lines(text: &str, start: usize, end: usize) -> (String, usize) {
    let mut link = text[start..end].to_string();
    let mut end = end;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_chars = text[line_start..end].chars().count();
    while line_chars >= WRAPPED_LINE_MIN_CHARS {
        let rest = &text[end..];
        let Some(after_break) = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
        else {
            break;
        };
        let next_line = after_break.split(['\r', '\n']).next().unwrap_or_default();
        if !is_link_continuation(next_line) {
            break;
        }
        link.push_str(next_line);
        end += rest.len() - after_break.len() + next_line.len();
        line_chars = next_line.chars().count();
    }
    (link, end)
}

/// One word of URL characters with a digit or a character typical of paths and queries:
/// the tail of a wrapped link, not a word of the text ("Thanks", "Regards,").
fn is_link_continuation(line: &str) -> bool {
    const URL_PUNCTUATION: &str = "-._~:/?#[]@!$&'()*+,;=%";
    const LINK_MARKERS: &str = "%=&/?#~_";
    !line.is_empty()
        && !line.to_ascii_lowercase().starts_with("http")
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || URL_PUNCTUATION.contains(c))
        && line.chars().any(|c| c.is_ascii_alphanumeric())
        && line
            .chars()
            .any(|c| c.is_ascii_digit() || LINK_MARKERS.contains(c))
        && !line.ends_with(':')
}

/// The last non-empty line of the text between the previous link and this one.
fn label_before(text: &str) -> String {
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        find_links(text)
            .into_iter()
            .map(|l| l.url.to_string())
            .collect()
    }

    #[test]
    fn outlook_text_links_carry_their_anchor_text() {
        let links = find_links(
            "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0>\r\n\
             Learn More<https://aka.ms/JoinTeamsMeeting> | Meeting options<https://teams.microsoft.com/meetingOptions/?a=1>\r\n",
        );
        let labels: Vec<&str> = links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Click here to join the meeting",
                "Learn More",
                "| Meeting options"
            ]
        );
        assert_eq!(
            links[0].url.as_str(),
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"
        );
    }

    #[test]
    fn a_link_on_its_own_line_takes_the_line_above_as_label() {
        let links =
            find_links("Join Zoom Meeting\nhttps://acme.zoom.us/j/123456789\n\nMeeting ID: 123");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].label, "Join Zoom Meeting");
    }

    #[test]
    fn trailing_punctuation_and_brackets_are_dropped() {
        assert_eq!(
            urls(
                "Join at https://meet.google.com/abc-defg-hij. Or (https://acme.zoom.us/j/1), or \"https://meet.goto.com/2\"!"
            ),
            [
                "https://meet.google.com/abc-defg-hij",
                "https://acme.zoom.us/j/1",
                "https://meet.goto.com/2"
            ]
        );
        assert_eq!(
            urls("see https://en.example.org/wiki/Foo_(bar)."),
            ["https://en.example.org/wiki/Foo_(bar)"]
        );
    }

    #[test]
    fn entities_in_links_are_decoded() {
        assert_eq!(
            urls("https://teams.microsoft.com/meetingOptions/?organizerId=1&amp;tenantId=2"),
            ["https://teams.microsoft.com/meetingOptions/?organizerId=1&tenantId=2"]
        );
    }

    #[test]
    fn bracketed_links_wrapped_over_lines_are_joined() {
        let links = find_links(
            "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_OGM4MWVl\r\nYjUtMjllMi00ZjY5%40thread.v2/0?context=%7b%22Tid%22%3a%22fb8a%22%7d>\r\nMeeting ID: 290",
        );
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].url.as_str(),
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_OGM4MWVlYjUtMjllMi00ZjY5%40thread.v2/0?context=%7b%22Tid%22%3a%22fb8a%22%7d"
        );
    }

    #[test]
    fn bare_links_filling_a_wrapped_line_are_joined() {
        let text = "https://acme.zoom.us/j/98765432101?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd\n\
                    EFGH.1\nMeeting ID: 987 6543 2101\n";
        assert_eq!(
            urls(text),
            [
                "https://acme.zoom.us/j/98765432101?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdEFGH.1"
            ]
        );
    }

    #[test]
    fn short_lines_and_text_lines_are_not_glued_to_links() {
        assert_eq!(
            urls("https://acme.zoom.us/j/1\nPasscode\n"),
            ["https://acme.zoom.us/j/1"]
        );
        let long = format!(
            "Join: https://acme.zoom.us/j/1?pwd={}\nMeeting ID: 1\n",
            "a".repeat(70)
        );
        assert_eq!(urls(&long).len(), 1);
        assert!(urls(&long)[0].ends_with("aaa"));
        let signed = format!("https://acme.zoom.us/j/1?pwd={}\nThanks\n", "a".repeat(70));
        assert!(urls(&signed)[0].ends_with("aaa"));
        let separator = format!(
            "https://acme.zoom.us/j/1?pwd={}\n______________\n",
            "a".repeat(70)
        );
        assert!(urls(&separator)[0].ends_with("aaa"));
    }

    #[test]
    fn safelinks_are_unwrapped_and_non_web_links_ignored() {
        assert_eq!(
            urls(
                "Join <https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmeet.google.com%2Fabc-defg-hij&amp;data=05%7C01&amp;reserved=0> mailto:a@b.c tel:+1555 javascript:alert(1)"
            ),
            ["https://meet.google.com/abc-defg-hij"]
        );
    }

    #[test]
    fn parse_link_rejects_what_is_not_a_web_link() {
        assert!(parse_link("").is_none());
        assert!(parse_link("   ").is_none());
        assert!(parse_link("javascript:alert(1)").is_none());
        assert!(parse_link("https://").is_none());
        assert_eq!(
            parse_link(" <https://meet.goto.com/123456789> ").map(String::from),
            Some("https://meet.goto.com/123456789".to_string())
        );
    }

    #[test]
    fn a_plain_http_link_is_raised_to_https() {
        // Found by the join_link fuzzer (fuzz/regressions/join_link/).
        assert_eq!(
            parse_link("http://zoom.us/j/5551234567?pwd=bW92ZWQ").map(String::from),
            Some("https://zoom.us/j/5551234567?pwd=bW92ZWQ".to_string())
        );
    }
}
