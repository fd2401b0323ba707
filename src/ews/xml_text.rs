//! The character-level side of reading XML text: line ends read as XML 1.0 says (`\r\n`
//! and a lone `\r` are `\n`) and the characters XML 1.0 forbids (raw control characters,
//! U+FFFE, U+FFFF), which Exchange copies from meeting subjects and bodies, left out.
//!
//! One pass per piece of text, eight bytes at a time, and no copy when the piece needs
//! no change — nearly always: the check is a handful of word operations that do not
//! depend on the compiler vectorising a loop (the release build optimises for size).

use std::borrow::Cow;

/// What a piece of text may need besides being copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fix {
    /// Drop the characters XML forbids; keep `\r` (attribute values).
    ForbiddenOnly,
    /// Also read `\r\n` and a lone `\r` as `\n` (element text).
    LineEndsToo,
}

/// The text with `fix` applied, borrowed when nothing changes.
pub(super) fn fixed(raw: Cow<'_, str>, fix: Fix) -> Cow<'_, str> {
    match first_to_fix(raw.as_bytes(), fix) {
        None => raw,
        Some(at) => {
            let mut out = String::with_capacity(raw.len());
            push_fixed_from(&mut out, &raw, at, fix);
            Cow::Owned(out)
        }
    }
}

/// Appends the text with `fix` applied.
pub(super) fn push_fixed(out: &mut String, raw: &str, fix: Fix) {
    match first_to_fix(raw.as_bytes(), fix) {
        None => out.push_str(raw),
        Some(at) => push_fixed_from(out, raw, at, fix),
    }
}

/// Appends `raw`, whose first byte needing a fix is at `at`.
fn push_fixed_from(out: &mut String, raw: &str, mut at: usize, fix: Fix) {
    let bytes = raw.as_bytes();
    let mut start = 0;
    loop {
        out.push_str(raw.get(start..at).unwrap_or_default());
        // Every byte that needs a fix is ASCII or the first of the three bytes of
        // U+FFFE/U+FFFF, so `at` and what follows the fix are character boundaries.
        let skip = match bytes.get(at..at + 2) {
            Some([b'\r', b'\n']) => 2,
            Some([0xEF, _]) => 3,
            _ => 1,
        };
        if bytes.get(at) == Some(&b'\r') {
            out.push('\n');
        }
        start = at + skip;
        let rest = bytes.get(start..).unwrap_or_default();
        match first_to_fix(rest, fix) {
            Some(next) => at = start + next,
            None => {
                out.push_str(raw.get(start..).unwrap_or_default());
                return;
            }
        }
    }
}

/// Whether no byte of a whole document needs a fix, so that none of its pieces of text
/// can: true for nearly every response (Exchange writes a carriage return as `&#xD;`),
/// whose pieces are then taken as they are. Steps of 64 bytes with a coarse check (any
/// byte below 0x20 or above 0x7F); only a step that fails it is looked at closely.
pub(super) fn needs_no_fix(document: &[u8]) -> bool {
    let (words, _) = document.as_chunks::<8>();
    let (blocks, _) = words.as_chunks::<8>();
    let coarse = |word: &[u8; 8]| {
        let word = u64::from_ne_bytes(*word);
        (word.wrapping_sub(ONES * 0x20) & !word) | word
    };
    for (i, block) in blocks.iter().enumerate() {
        // Written out rather than a loop: a short loop's exit is mispredicted every time.
        let [a, b, c, d, e, f, g, h] = block;
        let flags = coarse(a) | coarse(b) | coarse(c) | coarse(d);
        let flags = flags | coarse(e) | coarse(f) | coarse(g) | coarse(h);
        if flags & HIGH_BITS != 0 && !block_needs_no_fix(document, i * 64, block) {
            return false;
        }
    }
    !(blocks.len() * 64..document.len()).any(|at| needs_fix(document, at, Fix::LineEndsToo))
}

/// The close check of the 64 bytes at `start`, as `words`: a word at a time, byte by
/// byte only in a word that may hold something to fix (a fix may look past the step).
fn block_needs_no_fix(document: &[u8], start: usize, words: &[[u8; 8]]) -> bool {
    words.iter().enumerate().all(|(i, word)| {
        let at = start + i * 8;
        !may_need_fix(u64::from_ne_bytes(*word))
            || !(at..at + 8).any(|at| needs_fix(document, at, Fix::LineEndsToo))
    })
}

const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGH_BITS: u64 = ONES * 0x80;

/// The index of the first byte that needs a fix, None when the text stays as it is.
fn first_to_fix(bytes: &[u8], fix: Fix) -> Option<usize> {
    let mut at = 0;
    loop {
        // Whole words that need nothing, then the bytes of the word (or the tail) that
        // may: a tab or a line break is let through and the words go on.
        while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
            if may_need_fix(u64::from_ne_bytes(*word)) {
                break;
            }
            at += 8;
        }
        let end = bytes.len().min(at + 8);
        let window = bytes.get(at..end)?;
        let found = window
            .iter()
            .enumerate()
            .find(|&(i, &b)| (b < 0x20 || b == 0xEF) && needs_fix(bytes, at + i, fix));
        match found {
            Some((i, _)) => return Some(at + i),
            None if end == bytes.len() => return None,
            None => at = end,
        }
    }
}

/// Whether any byte of the word is below 0x20 (a control character, but also a tab or
/// line break) or is 0xEF (the first byte of U+FFFE and U+FFFF, but of others too).
fn may_need_fix(word: u64) -> bool {
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let xor_ef = word ^ (ONES * 0xEF);
    let is_ef = xor_ef.wrapping_sub(ONES) & !xor_ef;
    (below_space | is_ef) & HIGH_BITS != 0
}

/// Whether the byte at `at` starts something to fix.
fn needs_fix(bytes: &[u8], at: usize, fix: Fix) -> bool {
    match bytes.get(at..) {
        Some([b'\t' | b'\n', ..]) => false,
        Some([b'\r', ..]) => fix == Fix::LineEndsToo,
        Some([0xEF, 0xBF, 0xBE | 0xBF, ..]) => true,
        Some([control, ..]) => *control < 0x20,
        None | Some([]) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fix means, written the slow and obvious way.
    fn reference(raw: &str, fix: Fix) -> String {
        let raw = match fix {
            Fix::LineEndsToo => raw.replace("\r\n", "\n").replace('\r', "\n"),
            Fix::ForbiddenOnly => raw.to_string(),
        };
        raw.chars()
            .filter(|c| {
                matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            })
            .collect()
    }

    fn check(raw: &str) {
        assert_eq!(
            needs_no_fix(raw.as_bytes()),
            reference(raw, Fix::LineEndsToo) == raw,
            "{raw:?}"
        );
        for fix in [Fix::ForbiddenOnly, Fix::LineEndsToo] {
            let expected = reference(raw, fix);
            assert_eq!(fixed(Cow::Borrowed(raw), fix), expected, "{raw:?} {fix:?}");
            let mut out = String::from("x");
            push_fixed(&mut out, raw, fix);
            assert_eq!(out, format!("x{expected}"), "{raw:?} {fix:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        let raw = "Planning meeting with a long enough subject — ünïcödé 会议";
        assert!(matches!(
            fixed(Cow::Borrowed(raw), Fix::LineEndsToo),
            Cow::Borrowed(text) if text == raw
        ));
        let with_tabs = "a\tb\nc and some more text\n";
        assert!(matches!(
            fixed(Cow::Borrowed(with_tabs), Fix::LineEndsToo),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn line_ends_read_as_xml_says() {
        assert_eq!(
            fixed(Cow::Borrowed("one\r\ntwo\rthree\r\r\n"), Fix::LineEndsToo),
            "one\ntwo\nthree\n\n"
        );
        assert_eq!(
            fixed(Cow::Borrowed("one\r\ntwo"), Fix::ForbiddenOnly),
            "one\r\ntwo"
        );
    }

    #[test]
    fn forbidden_characters_are_dropped_anywhere() {
        assert_eq!(
            fixed(Cow::Borrowed("Budget\u{1A} review\u{0}"), Fix::LineEndsToo),
            "Budget review"
        );
        assert_eq!(
            fixed(
                Cow::Borrowed("a\u{FFFE}b\u{FFFF}c\u{FFFD}ï"),
                Fix::ForbiddenOnly
            ),
            "abc\u{FFFD}ï"
        );
    }

    #[test]
    fn agrees_with_the_obvious_version_at_every_position() {
        let specials = [
            "\r", "\r\n", "\n", "\t", "\u{1}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}",
            "\u{EFFF}", "ï", "€", " ",
        ];
        for special in specials {
            for other in specials {
                for at in 0..20 {
                    let raw = format!(
                        "{}{special}{}{other}{}",
                        "a".repeat(at),
                        "b".repeat(at % 9),
                        "c".repeat(7)
                    );
                    check(&raw);
                }
            }
        }
        check("");
        check("\r");
        check("\u{FFFF}");
    }

    #[test]
    fn a_whole_document_is_judged_at_every_position_of_its_steps() {
        for special in [
            "\r", "\u{1}", "\u{FFFE}", "\u{FFFF}", "\n", "\t", "ï", "\u{FF0C}",
        ] {
            for at in 0..70 {
                let raw = format!("{}{special}{}", "a".repeat(at), "b".repeat(70 - at));
                check(&raw);
            }
        }
        assert!(needs_no_fix("<a>plain\ttext\n</a>".repeat(10).as_bytes()));
        assert!(!needs_no_fix(
            format!("{}\r\n", "<a/>".repeat(20)).as_bytes()
        ));
    }
}
