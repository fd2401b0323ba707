//! Finds the web links in a text body (or in an HTML body rendered as text by
//! [`super::html`]), each with the words written in front of it ("Click here to join the
//! meeting", "Join Zoom Meeting"), and cleans each link up: HTML entities, trailing
//! punctuation, angle brackets, lines wrapped by the mail client, Safe Links.

use std::borrow::Cow;
use std::ops::Range;

use memchr::{memchr, memchr3, memrchr};
use url::Url;

use super::{html, safelinks, white_space};

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

/// A link as written in the text: `<https://…>` as mail clients write links in text
/// bodies (and may wrap over lines, RFC 3986 appendix C), or a bare `https://…` ending
/// at white space, an angle bracket or a double quote.
struct WrittenLink {
    /// Where it starts (the `<` of a bracketed link) and ends in the text.
    whole: Range<usize>,
    /// The link inside the angle brackets of a bracketed link.
    bracketed: Option<Range<usize>>,
}

/// The first link at or after `from`, found as the regular expression
/// `(?i)<\s*(https?://[^<>"]+)>|https?://[^\s<>"]+` finds it (the leftmost; a unit test
/// holds the scanner to it): every link has `://` after its scheme, so the scan jumps
/// from `:` to `:` and reads the scheme, and a `<` in front of it, backwards.
fn next_link(text: &str, from: usize) -> Option<WrittenLink> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr(b':', &bytes[at..]) {
        let colon = at + offset;
        at = colon + 1;
        if !bytes[colon..].starts_with(b"://") {
            continue;
        }
        let Some(scheme_start) = web_scheme_start(bytes, from, colon) else {
            continue;
        };
        let after_slashes = colon + 3;
        if let Some(open) = opening_bracket(text, from, scheme_start)
            && let Some(close) = memchr3(b'<', b'>', b'"', &bytes[after_slashes..])
            && close > 0
            && bytes[after_slashes + close] == b'>'
        {
            let close = after_slashes + close;
            return Some(WrittenLink {
                whole: open..close + 1,
                bracketed: Some(scheme_start..close),
            });
        }
        let end = bare_link_end(text, after_slashes);
        if end > after_slashes {
            return Some(WrittenLink {
                whole: scheme_start..end,
                bracketed: None,
            });
        }
    }
    None
}

/// Where `http` or `https` (without case; `ſ`, U+017F, is a case variant of `s` in
/// Unicode) ends at `colon`, not before `from`.
fn web_scheme_start(bytes: &[u8], from: usize, colon: usize) -> Option<usize> {
    let before = &bytes[from..colon];
    let http_end = if before.ends_with(b"s") || before.ends_with(b"S") {
        before.len() - 1
    } else if before.ends_with("\u{17f}".as_bytes()) {
        before.len() - 2
    } else {
        before.len()
    };
    let http_start = http_end.checked_sub(4)?;
    before[http_start..http_end]
        .eq_ignore_ascii_case(b"http")
        .then_some(from + http_start)
}

/// The `<` in front of the link starting at `scheme_start`, white space allowed between,
/// not before `from`.
fn opening_bracket(text: &str, from: usize, scheme_start: usize) -> Option<usize> {
    let (at, c) = text[from..scheme_start]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())?;
    (c == '<').then_some(from + at)
}

/// Where the rest of a bare link from `from` ends: at white space, `<`, `>`, `"` or the
/// end of the text.
fn bare_link_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            if white_space::is_ascii_white_space(byte) || matches!(byte, b'<' | b'>' | b'"') {
                return at;
            }
            at += 1;
        } else {
            let length = white_space::white_space_len_at(text, at);
            if length > 0 {
                return at;
            }
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    at
}

/// Lines at least this long that end in a bare link were probably wrapped by the sender's
/// mail client; the link then continues on the next line.
const WRAPPED_LINE_MIN_CHARS: usize = 70;

/// Every http(s) link in `text`, in order.
pub(super) fn find_links(text: &str) -> Vec<FoundLink> {
    let mut links = Vec::new();
    let mut previous_end = 0;
    let mut from = 0;
    while let Some(found) = next_link(text, from) {
        let whole = found.whole;
        from = whole.end;
        if whole.start < previous_end {
            continue; // part of a wrapped link already taken
        }
        let (raw, end) = match found.bracketed {
            // a bracketed link wrapped over lines, put back together
            Some(bracketed) => (
                white_space::without_white_space(&text[bracketed]),
                whole.end,
            ),
            None => join_wrapped_lines(text, whole.start, whole.end),
        };
        let label = label_before(&text[previous_end..whole.start]);
        previous_end = end;
        if let Some(url) = parse_link(&raw) {
            links.push(FoundLink {
                url,
                label,
                position: whole.start,
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
    let decoded = html::decode_entities(trimmed);
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
fn join_wrapped_lines(text: &str, start: usize, end: usize) -> (Cow<'_, str>, usize) {
    let mut link = Cow::Borrowed(&text[start..end]);
    let mut end = end;
    let line_start = memrchr(b'\n', &text.as_bytes()[..start]).map_or(0, |i| i + 1);
    if end - line_start < WRAPPED_LINE_MIN_CHARS {
        return (link, end); // fewer bytes than that, so fewer characters
    }
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
        link.to_mut().push_str(next_line);
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
        && !line
            .as_bytes()
            .get(..4)
            .is_some_and(|start| start.eq_ignore_ascii_case(b"http"))
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
    let Some(line) = text.lines().rev().find(|line| !line.trim().is_empty()) else {
        return String::new();
    };
    let mut label = String::with_capacity(line.len());
    white_space::push_words(&mut label, line);
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regular expression `find_links` used to run, and the link handling around it
    /// before the scanner, as the reference the scanner is held to.
    mod reference {
        use std::sync::LazyLock;

        use regex::Regex;
        use url::Url;

        use super::super::{
            FoundLink, WRAPPED_LINE_MIN_CHARS, safelinks, strip_trailing_punctuation,
        };

        static LINK: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?i)<\s*(https?://[^<>"]+)>|https?://[^\s<>"]+"#).unwrap()
        });

        pub(super) fn find_links(text: &str) -> Vec<FoundLink> {
            let mut links = Vec::new();
            let mut previous_end = 0;
            for found in LINK.captures_iter(text) {
                let whole = found.get(0).unwrap();
                if whole.start() < previous_end {
                    continue;
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
                url.set_scheme("https").ok()?;
            }
            Some(url)
        }

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

        fn label_before(text: &str) -> String {
            text.lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        }
    }

    /// Pieces of text bodies, well and badly formed, that generated bodies are made of.
    const PIECES: [&str; 52] = [
        "https://",
        "http://",
        "HTTPS://",
        "hTtP://",
        "http\u{17f}://",
        "httpS:/",
        "ttps://",
        "://",
        ":",
        "//",
        "<",
        ">",
        "< ",
        "<\u{a0}",
        "\"",
        " ",
        "\n",
        "\r\n",
        "\t",
        "\u{2003}",
        "\u{a0}",
        "teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Tid%22%7d",
        "acme.zoom.us/j/123?pwd=abc",
        "meet.google.com/abc-defg-hij",
        "nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Facme.zoom.us%2Fj%2F1&amp;data=0",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "EFGH.1",
        "x=1&y=2",
        "Thanks",
        "Regards:",
        "Join Zoom Meeting",
        "Click here to join the meeting",
        "Meeting ID: 123",
        ".",
        ",",
        ")",
        "(",
        "]",
        "&amp;",
        "&lt;",
        "é",
        "한국",
        "\u{212a}",
        "\u{17f}",
        "www.example.com",
        "mailto:a@b.c",
        "h",
        "s",
        "x.example/",
        "HTTP",
        "/ab%20c",
        "\u{2028}",
    ];

    #[test]
    fn the_scanner_finds_the_links_the_regular_expression_found() {
        let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
        let mut links = 0;
        for _ in 0..20_000 {
            let text: String = (0..1 + rng.usize(..16))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            let found = find_links(&text);
            assert_eq!(found, reference::find_links(&text), "{text:?}");
            assert_eq!(parse_link(&text), reference::parse_link(&text), "{text:?}");
            links += found.len();
        }
        assert!(links > 5_000, "the generated bodies hold links: {links}");
    }

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
