//! Renders an HTML body as plain text the way Outlook's text view does: block elements
//! become line breaks, each link becomes `anchor text<href>`, entities are decoded and
//! comments, styles and scripts dropped. Link finding then works on one shape for HTML and
//! text bodies alike.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};

use super::{ascii_scan, white_space};

/// What an element does to the text around it: block elements (`br`, `p`, `div`, `tr`,
/// `li`, `ul`, `ol`, `table`, `blockquote`, `hr`, `h1`-`h6`, `pre`) start a new line, table
/// cells (`td`, `th`) are set apart by a space. The name (ASCII letters and digits, as
/// [`element_at`] reads it) is compared without ASCII case.
fn separator_for(name: &str) -> Option<char> {
    // `| 0x20` lower-cases an ASCII letter and leaves a digit as it is.
    let lower = |at: usize| name.as_bytes()[at] | 0x20;
    let is = |element: &str| name.eq_ignore_ascii_case(element);
    match name.len() {
        1 => (lower(0) == b'p').then_some('\n'),
        2 => match (lower(0), lower(1)) {
            (b'b' | b't' | b'h', b'r')
            | (b'l', b'i')
            | (b'u' | b'o', b'l')
            | (b'h', b'1'..=b'6') => Some('\n'),
            (b't', b'd' | b'h') => Some(' '),
            _ => None,
        },
        3 => (is("div") || is("pre")).then_some('\n'),
        5 => is("table").then_some('\n'),
        10 => is("blockquote").then_some('\n'),
        _ => None,
    }
}

/// The bytes of an element's name after its first letter: ASCII letters and digits.
static NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// Elements whose content is never shown, besides comments.
const HIDDEN_ELEMENTS: [&str; 3] = ["head", "style", "script"];

/// The text a person reads in `html`, with links written as `text<href>`.
///
/// One hand-written pass over the markup (this runs over every invitation body of a sync;
/// the regular expressions it replaces cost a quarter of a full sync's CPU). It reads
/// tags as these patterns did, ASCII names compared without case:
/// hidden parts `<!--.*?-->`, `<head\b.*?</head\s*>` (and style, script) first, then
/// `<a\b([^>]*)>(.*?)</a\s*>` or else `</?([a-z][a-z0-9]*)\b[^>]*>`; a unit test holds
/// it to those patterns on thousands of generated documents.
pub(super) fn to_text(html: &str) -> String {
    if let Some(text) = read_markup(html, true) {
        return text;
    }
    // A hidden part may start inside a tag: drop them all first, as the patterns did.
    let visible = without_hidden_parts(html);
    read_markup(&visible, false).unwrap_or_default() // never `None` with nothing to drop
}

/// Reads `html` tag by tag into text. With `drop_hidden`, comments and hidden elements are
/// dropped where the pass meets them (each leaves a space, as [`without_hidden_parts`]
/// does), and the pass gives up (`None`) where the result could differ from dropping
/// them all first: when one might start inside a tag or anchor it reads past, or after
/// an `<a …>` that has no `</a>`.
fn read_markup(html: &str, drop_hidden: bool) -> Option<String> {
    let bytes = html.as_bytes();
    let mut text = String::with_capacity(html.len() / 2);
    let mut last_end = 0;
    let mut at = 0;
    loop {
        let start = if bytes.get(at) == Some(&b'<') {
            at // `</span></div>`: the next tag right after the last
        } else if let Some(offset) = memchr(b'<', &bytes[at..]) {
            at + offset
        } else {
            break;
        };
        // Only `<!`, `<h…` and `<s…` can start a hidden part: no call for the rest.
        let may_start_hidden =
            matches!(bytes.get(start + 1), Some(b'!' | b'h' | b'H' | b's' | b'S'));
        if drop_hidden
            && may_start_hidden
            && let Some(end) = hidden_part_at(html, start)
        {
            push_text(&mut text, &html[last_end..start]);
            push_text(&mut text, " ");
            last_end = end;
            at = end;
            continue;
        }
        let tag = tag_at(html, start);
        if drop_hidden {
            let anchor_unclosed =
                opens_anchor(html, start) && !matches!(tag, Some((Tag::Anchor { .. }, _)));
            let may_hide = tag.as_ref().is_some_and(|(tag, end)| {
                let inside = &bytes[start + 1..end - 1];
                // A hidden part starts with four bytes or more, none of them `>`: an
                // element with fewer bytes of attributes (`<div>`, `</p>`) holds none.
                let short = match tag {
                    Tag::Element(name) => inside.len() < name.len() + 4,
                    Tag::Anchor { .. } => false,
                };
                !short
                    && ascii_scan::contains(inside, b'<')
                    && hidden_part_inside(html, start + 1, end - 1)
            });
            if anchor_unclosed || may_hide {
                return None;
            }
        }
        let Some((tag, end)) = tag else {
            at = start + 1;
            continue;
        };
        if last_end < start {
            push_text(&mut text, &html[last_end..start]); // none between `</span></div>`
        }
        match tag {
            Tag::Anchor {
                attributes,
                content,
            } => push_anchor(&mut text, attributes, content),
            Tag::Element(name) => {
                if let Some(separator) = separator_for(name) {
                    text.push(separator);
                }
            }
        }
        last_end = end;
        at = end;
    }
    push_text(&mut text, &html[last_end..]);
    Some(text)
}

/// `<a` as a word at `html[start]`: the start of an anchor, if it has an end.
#[inline(always)]
fn opens_anchor(html: &str, start: usize) -> bool {
    html.as_bytes()
        .get(start + 1)
        .is_some_and(|c| c.eq_ignore_ascii_case(&b'a'))
        && word_ends_at(html, start + 2)
}

/// A comment or hidden element starts between `from` and `to`.
fn hidden_part_inside(html: &str, from: usize, to: usize) -> bool {
    let mut at = from;
    while let Some(offset) = memchr(b'<', &html.as_bytes()[at..to]) {
        if hidden_part_at(html, at + offset).is_some() {
            return true;
        }
        at += offset + 1;
    }
    false
}

/// A tag found in the markup.
enum Tag<'a> {
    /// `<a …>…</a>`: its attributes and its content.
    Anchor {
        attributes: &'a str,
        content: &'a str,
    },
    /// Any other start or end tag, by name.
    Element(&'a str),
}

/// The tag starting at `html[start]` (a `<`) and where it ends, if it is one.
#[inline(always)]
fn tag_at(html: &str, start: usize) -> Option<(Tag<'_>, usize)> {
    anchor_at(html, start).or_else(|| element_at(html, start))
}

/// `<a attributes>content</a>`, up to the first closing `</a>`.
#[inline]
fn anchor_at(html: &str, start: usize) -> Option<(Tag<'_>, usize)> {
    let bytes = html.as_bytes();
    let after_name = start + 2;
    if !opens_anchor(html, start) {
        return None;
    }
    let open_end = after_name + memchr(b'>', &bytes[after_name..])?;
    let (content_end, end) = closing_tag(html, open_end + 1, "a")?;
    Some((
        Tag::Anchor {
            attributes: &html[after_name..open_end],
            content: &html[open_end + 1..content_end],
        },
        end,
    ))
}

/// `<name …>` or `</name …>`: an ASCII letter, letters and digits, then anything to `>`.
#[inline(always)]
fn element_at(html: &str, start: usize) -> Option<(Tag<'_>, usize)> {
    let bytes = html.as_bytes();
    let name_start = start + 1 + usize::from(bytes.get(start + 1) == Some(&b'/'));
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut name_end = name_start + 1;
    while bytes
        .get(name_end)
        .is_some_and(|&c| NAME_BYTES[usize::from(c)])
    {
        name_end += 1;
    }
    if !word_ends_at(html, name_end) {
        return None;
    }
    let close = if bytes.get(name_end) == Some(&b'>') {
        name_end // `<div>`, `</p>`: no attributes, the common case
    } else {
        name_end + memchr(b'>', &bytes[name_end..])?
    };
    Some((Tag::Element(&html[name_start..name_end]), close + 1))
}

/// The first `</name>` (white space allowed before the `>`) at or after `from`: where it
/// starts and where it ends.
fn closing_tag(html: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        at = start + 1;
        if bytes.get(start + 1) != Some(&b'/') {
            continue;
        }
        let name_end = start + 2 + name.len();
        if !bytes
            .get(start + 2..name_end)
            .is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes()))
        {
            continue;
        }
        let rest = &html[name_end..];
        let spaces = rest.len() - rest.trim_start().len();
        if bytes.get(name_end + spaces) == Some(&b'>') {
            return Some((start, name_end + spaces + 1));
        }
    }
    None
}

/// `html` without comments, `<head>`, `<style>` and `<script>`, each replaced by a space.
fn without_hidden_parts(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut visible = String::new();
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(offset) = memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let Some(end) = hidden_part_at(html, start) else {
            at = start + 1;
            continue;
        };
        if visible.capacity() == 0 {
            visible.reserve(html.len()); // once, at the first hidden part
        }
        visible.push_str(&html[copied_to..start]);
        visible.push(' ');
        copied_to = end;
        at = end;
    }
    if copied_to == 0 {
        return Cow::Borrowed(html);
    }
    visible.push_str(&html[copied_to..]);
    Cow::Owned(visible)
}

/// Where the comment or hidden element starting at `html[start]` ends, if it is one.
#[inline]
fn hidden_part_at(html: &str, start: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    // The common case first: no comment, head, style or script starts here.
    let names: &[&str] = match bytes.get(start + 1) {
        Some(b'!') if bytes[start..].starts_with(b"<!--") => {
            let from = start + 4;
            return memmem::find(&bytes[from..], b"-->").map(|n| from + n + 3);
        }
        Some(b'h' | b'H') => &HIDDEN_ELEMENTS[..1],
        Some(b's' | b'S') => &HIDDEN_ELEMENTS[1..],
        _ => return None,
    };
    names.iter().find_map(|name| {
        let after_name = start + 1 + name.len();
        let named = bytes
            .get(start + 1..after_name)
            .is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes()));
        if !named || !word_ends_at(html, after_name) {
            return None;
        }
        closing_tag(html, after_name, name).map(|(_, end)| end)
    })
}

/// `\b` after a word character at `at`: the text ends there or goes on with a character
/// that is not a word character (Unicode's, as in regular expressions).
#[inline(always)]
fn word_ends_at(html: &str, at: usize) -> bool {
    if let Some(&byte) = html.as_bytes().get(at)
        && byte.is_ascii()
    {
        return !(byte.is_ascii_alphanumeric() || byte == b'_');
    }
    html[at..]
        .chars()
        .next()
        .is_none_or(|c| !is_word_character(c))
}

/// A word character as regular expressions' Unicode `\b` sees it, answered without the
/// Unicode table for ASCII (nearly every character of an invitation's markup).
pub(super) fn is_word_character(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// HTML text: entities decoded and white space collapsed, as a browser shows it.
#[inline(always)]
fn push_text(text: &mut String, html_text: &str) {
    if !html_text.is_empty() {
        white_space::push_collapsed(text, &decode_entities(html_text));
    }
}

/// `text` with its HTML entities decoded; borrowed when it has none (nearly always).
pub(super) fn decode_entities(text: &str) -> Cow<'_, str> {
    if ascii_scan::contains(text.as_bytes(), b'&') {
        html_escape::decode_html_entities(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// `anchor text<href>`; just `<href>` when the anchor shows a link itself (often the
/// original link behind a Safe Links href), so it is not found twice. Only web links are
/// written: a `javascript:` or `mailto:` href is dropped with anything inside it.
fn push_anchor(text: &mut String, attributes: &str, content: &str) {
    let label_html = without_tags(content);
    let label_text = decode_entities(&label_html);
    let label_start = text.len();
    white_space::push_words(text, &label_text);
    let label_is_a_link = ["http://", "https://", "www."]
        .iter()
        .any(|start| starts_with_ignoring_case(&text[label_start..], start));
    if label_is_a_link {
        text.truncate(label_start);
    }
    let href = href_value(attributes)
        .map(|value| decode_entities(value.trim()))
        .unwrap_or_default();
    let is_web_link = ["http://", "https://"]
        .iter()
        .any(|scheme| starts_with_ignoring_case(&href, scheme));
    if is_web_link {
        text.push('<');
        text.push_str(&href);
        text.push('>');
    }
}

fn starts_with_ignoring_case(text: &str, start: &str) -> bool {
    text.as_bytes()
        .get(..start.len())
        .is_some_and(|found| found.eq_ignore_ascii_case(start.as_bytes()))
}

/// An anchor's content with each tag (`<` up to the next `>`) replaced by a space.
fn without_tags(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut text = String::new();
    let mut copied_to = 0;
    while let Some(offset) = memchr(b'<', &bytes[copied_to..]) {
        let start = copied_to + offset;
        let Some(length) = memchr(b'>', &bytes[start..]) else {
            break;
        };
        text.push_str(&html[copied_to..start]);
        text.push(' ');
        copied_to = start + length + 1;
    }
    if copied_to == 0 {
        return Cow::Borrowed(html);
    }
    text.push_str(&html[copied_to..]);
    Cow::Owned(text)
}

/// The value of the first `href` attribute: `href="…"`, `href='…'` or `href=value`,
/// white space allowed around the `=`, the name in any case.
fn href_value(attributes: &str) -> Option<&str> {
    let bytes = attributes.as_bytes();
    let mut from = 0;
    while let Some(offset) = memchr2(b'h', b'H', &bytes[from..]) {
        let start = from + offset;
        from = start + 1;
        let is_href = bytes
            .get(start..start + 4)
            .is_some_and(|found| found.eq_ignore_ascii_case(b"href"));
        if !is_href {
            continue;
        }
        let word_starts = attributes[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_character(c));
        if !word_starts {
            continue;
        }
        let Some(value) = attributes[start + 4..]
            .trim_start()
            .strip_prefix('=')
            .map(str::trim_start)
        else {
            continue;
        };
        let found = match value.as_bytes().first() {
            Some(&quote @ (b'"' | b'\'')) => value[1..]
                .find(char::from(quote))
                .map(|end| &value[1..=end]),
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '>'))
                    .unwrap_or(value.len());
                (end > 0).then(|| &value[..end])
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regular expressions `to_text` used to run (and the text handling it had before
    /// white space was scanned byte-wise), as the reference the scanner is held to.
    mod reference {
        use std::sync::LazyLock;

        use regex::Regex;

        pub(super) const BLOCK_ELEMENTS: [&str; 17] = [
            "br",
            "p",
            "div",
            "tr",
            "li",
            "ul",
            "ol",
            "table",
            "blockquote",
            "hr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "pre",
        ];

        static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?is)<!--.*?-->|<head\b.*?</head\s*>|<style\b.*?</style\s*>|<script\b.*?</script\s*>",
            )
            .unwrap()
        });
        static TAG: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?is)<a\b([^>]*)>(.*?)</a\s*>|</?([a-z][a-z0-9]*)\b[^>]*>").unwrap()
        });
        static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
        static HREF: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?is)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#).unwrap()
        });

        pub(super) fn to_text(html: &str) -> String {
            let visible = HIDDEN.replace_all(html, " ");
            let mut text = String::new();
            let mut last_end = 0;
            for found in TAG.captures_iter(&visible) {
                let whole = found.get(0).unwrap();
                push_text(&mut text, &visible[last_end..whole.start()]);
                last_end = whole.end();
                match (found.get(1), found.get(2), found.get(3)) {
                    (Some(attributes), Some(content), _) => {
                        push_anchor(&mut text, attributes.as_str(), content.as_str())
                    }
                    (_, _, Some(name)) => {
                        let name = name.as_str().to_ascii_lowercase();
                        if BLOCK_ELEMENTS.contains(&name.as_str()) {
                            text.push('\n');
                        } else if matches!(name.as_str(), "td" | "th") {
                            text.push(' ');
                        }
                    }
                    _ => unreachable!(),
                }
            }
            push_text(&mut text, &visible[last_end..]);
            text
        }

        fn push_text(text: &mut String, html_text: &str) {
            let decoded = html_escape::decode_html_entities(html_text);
            let mut words = decoded.split_whitespace();
            let starts_with_space = decoded.starts_with(char::is_whitespace);
            let ends_with_space = decoded.ends_with(char::is_whitespace);
            let Some(first) = words.next() else {
                if !decoded.is_empty() && !text.ends_with(char::is_whitespace) {
                    text.push(' ');
                }
                return;
            };
            if starts_with_space && !text.ends_with(char::is_whitespace) {
                text.push(' ');
            }
            text.push_str(first);
            for word in words {
                text.push(' ');
                text.push_str(word);
            }
            if ends_with_space {
                text.push(' ');
            }
        }

        fn push_anchor(text: &mut String, attributes: &str, content: &str) {
            let label_html = ANY_TAG.replace_all(content, " ");
            let label = html_escape::decode_html_entities(&label_html)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let href = HREF
                .captures(attributes)
                .and_then(|found| found.get(1).or(found.get(2)).or(found.get(3)))
                .map(|value| html_escape::decode_html_entities(value.as_str().trim()).into_owned())
                .unwrap_or_default();
            let label_is_a_link = ["http://", "https://", "www."]
                .iter()
                .any(|start| label.to_ascii_lowercase().starts_with(start));
            if !label_is_a_link {
                text.push_str(&label);
            }
            let is_web_link = ["http://", "https://"]
                .iter()
                .any(|scheme| href.to_ascii_lowercase().starts_with(scheme));
            if is_web_link {
                text.push('<');
                text.push_str(&href);
                text.push('>');
            }
        }
    }

    #[test]
    fn element_names_are_read_as_the_list_was() {
        let others = [
            "td",
            "th",
            "a",
            "b",
            "i",
            "span",
            "h0",
            "h7",
            "hh",
            "tb",
            "tbody",
            "thead",
            "tt",
            "blockquotes",
            "pres",
            "dl",
            "dt",
            "dd",
            "bra",
            "tables",
            "b1",
            "p1",
            "ti",
            "x",
        ];
        for name in reference::BLOCK_ELEMENTS.iter().chain(&others) {
            for name in [name.to_string(), name.to_ascii_uppercase()] {
                let lower = name.to_ascii_lowercase();
                let expected = if reference::BLOCK_ELEMENTS.contains(&lower.as_str()) {
                    Some('\n')
                } else if matches!(lower.as_str(), "td" | "th") {
                    Some(' ')
                } else {
                    None
                };
                assert_eq!(separator_for(&name), expected, "{name}");
            }
        }
    }

    #[test]
    fn ascii_word_characters_are_regular_expressions_word_characters() {
        for c in (0..=0x7f_u8)
            .map(char::from)
            .chain(['é', '\u{300}', '\u{a0}', '한'])
        {
            assert_eq!(
                is_word_character(c),
                regex_syntax::is_word_character(c),
                "{c:?}"
            );
        }
    }

    /// Pieces of markup, well and badly formed, that generated documents are made of.
    const PIECES: [&str; 73] = [
        "<a href=\"https://teams.example/l/1?a=1&amp;b=2\">",
        "<A HREF = 'https://zoom.example/j/2'>",
        "<a href=https://meet.example/x>",
        "<a href=\"javascript:x()\">",
        "<a name=top>",
        "<a xhref=\"https://no.example/\" href=\"https://yes.example/\">",
        "<a href=\"https://unclosed.example/>",
        "<a href=>",
        "<a>",
        "<a",
        "<abbr>",
        "<a_b>",
        "<aé>",
        "<a\u{300}>",
        "</a>",
        "</A  >",
        "</a\u{a0}>",
        "</a x>",
        "<!--",
        "-->",
        "<!-->",
        "<head>",
        "<HEAD lang=en>",
        "</head>",
        "</head >",
        "<headline>",
        "<style>",
        "</style>",
        "<script type=x>",
        "</SCRIPT>",
        "<p>",
        "</p>",
        "<br/>",
        "<BR>",
        "<td>",
        "<th>",
        "<tr>",
        "<h1>",
        "<h7>",
        "<div class=\"x\">",
        "<span>",
        "<b>",
        "<1>",
        "</>",
        "< p>",
        "<p_",
        "<",
        ">",
        "\"",
        "'",
        "=",
        " ",
        "\r\n",
        "&amp;",
        "&nbsp;",
        "https://text.example/3",
        "Join the meeting",
        "www.label.example",
        "<TD>",
        "<blockquote>",
        "<BlockQuotes>",
        "<a href=\"https://x.example/?a=1&amp;b=2&nbsp;\" class=x>",
        "<a title='x' HREF=\"https://y.example/\">",
        "&lt;https://entity.example/&gt;",
        "&#160;",
        "\u{a0}",
        "\u{2003}",
        "\t\x0b",
        "Möte i rummet",
        "한국어 회의",
        "<p\u{a0}>",
        "</a\u{2003}>",
        "&",
    ];

    #[test]
    fn the_scanner_reads_markup_as_the_regular_expressions_did() {
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let (mut one_pass, mut hidden_parts_first) = (0, 0);
        for _ in 0..40_000 {
            let document: String = (0..1 + rng.usize(..20))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            assert_eq!(
                to_text(&document),
                reference::to_text(&document),
                "{document:?}"
            );
            if read_markup(&document, true).is_some() {
                one_pass += 1;
            } else {
                hidden_parts_first += 1;
            }
        }
        // Hidden parts starting inside a tag, at the edge of what the one pass checks.
        for document in [
            "<p<!-->x-->y",
            "<p<!--->x-->y",
            "</p<!-->x-->y",
            "<p <!-->x-->y",
            "<p<head>>x</head>y",
            "<a href=x<!--y>z</a>-->w</a>v",
            "<a href=x>z<!--</a>-->w</a>v",
        ] {
            assert_eq!(
                to_text(document),
                reference::to_text(document),
                "{document:?}"
            );
        }
        // Both ways through `to_text` are held to the patterns.
        assert!(one_pass > 10_000, "{one_pass}");
        assert!(hidden_parts_first > 5_000, "{hidden_parts_first}");
    }

    #[test]
    fn anchors_become_text_with_the_link_in_brackets() {
        let text = to_text(
            r#"<div><a href="https://teams.microsoft.com/l/meetup-join/x?a=1&amp;b=2" class="me-email-headline">Click
 here to join the meeting</a></div><div><a href='https://aka.ms/JoinTeamsMeeting'>Learn <b>More</b></a></div>"#,
        );
        assert_eq!(
            text.trim(),
            "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/x?a=1&b=2>\n\nLearn More<https://aka.ms/JoinTeamsMeeting>"
        );
    }

    #[test]
    fn an_anchor_showing_a_link_is_written_once() {
        let text = to_text(
            r#"Join Zoom Meeting<br><a href="https://acme.zoom.us/j/1">https://acme.zoom.us/j/1</a>"#,
        );
        assert_eq!(text, "Join Zoom Meeting\n<https://acme.zoom.us/j/1>");
    }

    #[test]
    fn hidden_parts_are_dropped_and_entities_decoded() {
        let text = to_text(
            "<html><head><style>p{x:url(https://fonts.example/a.woff)}</style></head>\
             <body><!--[if mso]><a href=\"https://x.example/\">x</a><![endif]-->\
             <p>Fish&nbsp;&amp;&nbsp;chips &lt;https://meet.goto.com/1&gt;</p></body></html>",
        );
        assert_eq!(text.trim(), "Fish & chips <https://meet.goto.com/1>");
    }

    #[test]
    fn an_empty_outlook_body_has_no_text() {
        let text = to_text(
            "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n\
             </head>\r\n<body dir=\"ltr\">\r\n<div id=\"divtagdefaultwrapper\">\r\n<p><br>\r\n</p>\r\n</div>\r\n</body>\r\n</html>\r\n",
        );
        assert!(text.trim().is_empty(), "{text:?}");
    }

    #[test]
    fn unquoted_hrefs_and_anchors_without_href() {
        assert_eq!(
            to_text(
                "<a href=https://meet.jit.si/Acme>Jitsi</a> <a name=top>top</a> \
                 <a href=\"javascript:open('https://a.example/')\">run</a>"
            ),
            "Jitsi<https://meet.jit.si/Acme> top run"
        );
    }
}
