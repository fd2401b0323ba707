//! Renders an HTML body as plain text the way Outlook's text view does: block elements
//! become line breaks, each link becomes `anchor text<href>`, entities are decoded and
//! comments, styles and scripts dropped. Link finding then works on one shape for HTML and
//! text bodies alike.

use std::sync::LazyLock;

use regex::Regex;

/// Parts of a document that are never shown: comments (Outlook's conditional comments
/// included), `<head>`, `<style>`, `<script>`.
static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)<!--.*?-->|<head\b.*?</head\s*>|<style\b.*?</style\s*>|<script\b.*?</script\s*>",
    )
    .expect("the hidden-parts pattern is a valid regular expression")
});

/// An anchor with its attributes and content, or any other tag.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<a\b([^>]*)>(.*?)</a\s*>|</?([a-z][a-z0-9]*)\b[^>]*>")
        .expect("the tag pattern is a valid regular expression")
});

static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("the href pattern is a valid regular expression")
});

static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<[^>]*>").expect("the tag pattern is a valid regular expression")
});

/// Elements that start a new line of text.
const BLOCK_ELEMENTS: [&str; 17] = [
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

/// The text a person reads in `html`, with links written as `text<href>`.
pub fn to_text(html: &str) -> String {
    let visible = HIDDEN.replace_all(html, " ");
    let mut text = String::with_capacity(visible.len() / 2);
    let mut last_end = 0;
    for tag in TAG.captures_iter(&visible) {
        let whole = tag.get(0).expect("capture 0 is the whole match");
        push_text(&mut text, &visible[last_end..whole.start()]);
        last_end = whole.end();
        match (tag.get(1), tag.get(2), tag.get(3)) {
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
            _ => {}
        }
    }
    push_text(&mut text, &visible[last_end..]);
    text
}

/// HTML text: entities decoded and white space collapsed, as a browser shows it.
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

/// `anchor text<href>`; just `<href>` when the anchor shows a link itself (often the
/// original link behind a Safe Links href), so it is not found twice. Only web links are
/// written: a `javascript:` or `mailto:` href is dropped with anything inside it.
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

#[cfg(test)]
mod tests {
    use super::*;

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
