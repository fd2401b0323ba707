//! White space as Unicode sees it (`char::is_whitespace`, `str::split_whitespace` and
//! regular expressions' `\s`), found byte by byte for ASCII, which is nearly every
//! character of an invitation: the character is decoded only for the other bytes.

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

/// The text starts with a white-space character.
pub(super) fn starts_with(text: &str) -> bool {
    !text.is_empty() && white_space_len_at(text, 0) > 0
}

/// The text ends with a white-space character.
pub(super) fn ends_with(text: &str) -> bool {
    match text.as_bytes().last() {
        None => false,
        Some(&byte) if byte.is_ascii() => is_ascii_white_space(byte),
        Some(_) => text.chars().next_back().is_some_and(char::is_whitespace),
    }
}

/// The offset of the first character at or after `from` that is (`white == true`) or is
/// not white space, or the text's length.
fn find(text: &str, from: usize, white: bool) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii() {
            if is_ascii_white_space(byte) == white {
                return at;
            }
            at += 1;
        } else {
            let c = text[at..].chars().next().unwrap_or_default();
            if c.is_whitespace() == white {
                return at;
            }
            at += c.len_utf8();
        }
    }
    bytes.len()
}

/// The words of `text` between runs of white space, as [`str::split_whitespace`] gives them.
pub(super) fn words(text: &str) -> Words<'_> {
    Words { rest: text }
}

/// The iterator of [`words`].
pub(super) struct Words<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = find(self.rest, 0, false);
        if start == self.rest.len() {
            self.rest = "";
            return None;
        }
        let end = find(self.rest, start, true);
        let word = &self.rest[start..end];
        self.rest = &self.rest[end..];
        Some(word)
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

    #[test]
    fn words_and_edges_are_those_of_the_standard_library() {
        let samples = [
            "",
            " ",
            "a",
            " a b  ",
            "\r\nJoin\tthe\x0bmeeting\x0c",
            "\u{a0}Fish\u{a0}&\u{2003}chips\u{3000}",
            "한국어 회의\u{85}",
            "é\u{300} \u{1680}x\u{202f}",
            "\x1c\x1d\x1e\x1f",
            "\u{200b}zero\u{feff}width",
        ];
        for text in samples {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
            assert_eq!(
                starts_with(text),
                text.starts_with(char::is_whitespace),
                "{text:?}"
            );
            assert_eq!(
                ends_with(text),
                text.ends_with(char::is_whitespace),
                "{text:?}"
            );
        }
    }
}
