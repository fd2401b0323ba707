//! White space as Unicode sees it (`char::is_whitespace`, `str::split_whitespace` and
//! regular expressions' `\s`), found byte by byte for ASCII, which is nearly every
//! character of an invitation: the character is decoded only for the other bytes.

use std::borrow::Cow;

use super::ascii_scan;

/// An ASCII character with Unicode's White_Space property (vertical tab included).
pub(super) fn is_ascii_white_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// The length in bytes of the white-space character at `text[at]`, or 0 when the
/// character there is not white space. `at` is a character boundary inside `text`.
pub(super) fn white_space_len_at(text: &str, at: usize) -> usize {
    let byte = text.as_bytes()[at];
    if byte.is_ascii() {
        return usize::from(is_ascii_white_space(byte));
    }
    let c = text[at..].chars().next().unwrap_or_default();
    if c.is_whitespace() { c.len_utf8() } else { 0 }
}

/// The text ends with a white-space character.
pub(super) fn ends_with(text: &str) -> bool {
    match text.as_bytes().last() {
        None => false,
        Some(&byte) if byte.is_ascii() => is_ascii_white_space(byte),
        Some(_) => text.chars().next_back().is_some_and(char::is_whitespace),
    }
}

/// Appends `piece` to `text` with each run of white space written as one space, except a
/// run at its start when `text` already ends with white space: how a browser shows the
/// text between two tags.
pub(super) fn push_collapsed(text: &mut String, piece: &str) {
    let after_start = piece.trim_start();
    let words = after_start.trim_end();
    if after_start.len() < piece.len() && !ends_with(text) {
        text.push(' ');
    }
    push_words(text, words);
    if words.len() < after_start.len() && !words.is_empty() {
        text.push(' ');
    }
}

/// Appends the words of `piece` to `text` with one space between two words, as
/// `piece.split_whitespace().collect::<Vec<_>>().join(" ")` would.
pub(super) fn push_words(text: &mut String, piece: &str) {
    if ascii_scan::is_plain_text(piece.as_bytes()) {
        text.push_str(piece.trim_matches(' '));
        return;
    }
    let words = piece.trim();
    if !words.is_ascii() {
        for (n, word) in words.split_whitespace().enumerate() {
            if n > 0 {
                text.push(' ');
            }
            text.push_str(word);
        }
        return;
    }
    // ASCII: copied in as few pieces as possible, breaking only where a run of white
    // space is not already one space.
    let bytes = words.as_bytes();
    let mut copied_to = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !is_ascii_white_space(bytes[at]) {
            at += 1;
            continue;
        }
        let run_start = at;
        while is_ascii_white_space(bytes[at]) {
            at += 1; // `words` ends with a word: the run ends before the text does
        }
        if at - run_start > 1 || bytes[run_start] != b' ' {
            text.push_str(&words[copied_to..run_start]);
            text.push(' ');
            copied_to = at;
        }
    }
    text.push_str(&words[copied_to..]);
}

/// `piece` without its white space; borrowed when it has none.
pub(super) fn without_white_space(piece: &str) -> Cow<'_, str> {
    if !ascii_scan::has_space_control_or_non_ascii(piece.as_bytes()) {
        return Cow::Borrowed(piece); // a link as links are: no white space at all
    }
    let has_white_space = if piece.is_ascii() {
        piece.bytes().any(is_ascii_white_space)
    } else {
        piece.contains(char::is_whitespace)
    };
    if has_white_space {
        Cow::Owned(piece.split_whitespace().collect())
    } else {
        Cow::Borrowed(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_white_space_is_unicode_white_space() {
        for byte in 0..=0x7f_u8 {
            assert_eq!(
                is_ascii_white_space(byte),
                char::from(byte).is_whitespace(),
                "{byte:#x}"
            );
        }
    }

    /// What `push_collapsed` appends, written with the standard library.
    fn browser_text(before: &str, piece: &str) -> String {
        let after_space = before.ends_with(char::is_whitespace);
        let words = piece.split_whitespace().collect::<Vec<_>>().join(" ");
        let lead = piece.starts_with(char::is_whitespace) && !after_space;
        let trail = piece.ends_with(char::is_whitespace) && !words.is_empty();
        format!(
            "{}{words}{}",
            if lead { " " } else { "" },
            if trail { " " } else { "" }
        )
    }

    #[test]
    fn words_and_edges_are_those_of_the_standard_library() {
        let samples = [
            "",
            " ",
            "a",
            " a b  ",
            "Join  the meeting now",
            "Meeting ID: ",
            " Passcode: ab12cd ",
            " x",
            "Agenda: budget, staffing and the Q3 roadmap.",
            "a\tb c\r\nd  e \x0c",
            "\r\nJoin\tthe\x0bmeeting\x0c",
            "\u{a0}Fish\u{a0}&\u{2003}chips\u{3000}",
            "한국어 회의\u{85}",
            "é\u{300} \u{1680}x\u{202f}",
            "\x1c\x1d\x1e\x1f",
            "\u{200b}zero\u{feff}width",
        ];
        for text in samples {
            let mut words = "x".to_string();
            push_words(&mut words, text);
            assert_eq!(
                words,
                format!("x{}", text.split_whitespace().collect::<Vec<_>>().join(" ")),
                "{text:?}"
            );
            assert_eq!(
                without_white_space(text),
                text.split_whitespace().collect::<String>(),
                "{text:?}"
            );
            for before in ["", "x", "x ", "x\u{3000}"] {
                let mut collapsed = before.to_string();
                push_collapsed(&mut collapsed, text);
                assert_eq!(
                    collapsed,
                    format!("{before}{}", browser_text(before, text)),
                    "{before:?} {text:?}"
                );
            }
            assert_eq!(
                ends_with(text),
                text.ends_with(char::is_whitespace),
                "{text:?}"
            );
        }
    }
}
