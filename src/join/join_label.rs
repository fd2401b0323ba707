//! Whether the words in front of a link ("Click here to join the meeting", "Join Zoom
//! Meeting", "Meeting link") introduce the join link of an invitation block.
//!
//! Read as the regular expression
//! `(?i)\bjoin\b.{0,40}?\b(meeting|meet|webinar|conference|call|webex|zoom|teams|lync|skype)\b|\bmeeting link\b`
//! reads it (Unicode's case variants `ſ` of `s` and `K` of `k` and its word boundaries
//! included) without building that expression, which cost more than all the labels of a
//! 5,000-meeting sync together; a unit test holds it to the expression on generated labels.

use super::html::is_word_character;

/// What "join" is followed by in an invitation block.
const JOINED: [&str; 10] = [
    "meeting",
    "meet",
    "webinar",
    "conference",
    "call",
    "webex",
    "zoom",
    "teams",
    "lync",
    "skype",
];

/// At most this many characters (on the same line) between "join" and what is joined.
const MAX_CHARS_BETWEEN: usize = 40;

/// The label introduces the join link of an invitation block.
pub(super) fn introduces_join_link(label: &str) -> bool {
    let bytes = label.as_bytes();
    (0..bytes.len()).any(|at| match bytes[at] {
        b'j' | b'J' => word_at(label, at, "join").is_some_and(|end| joined_after(label, end)),
        b'm' | b'M' => word_at(label, at, "meeting link").is_some(),
        _ => false,
    })
}

/// One of [`JOINED`] starts a word within [`MAX_CHARS_BETWEEN`] characters of `from`.
fn joined_after(label: &str, from: usize) -> bool {
    let mut at = from;
    for skipped in 0..=MAX_CHARS_BETWEEN {
        let Some(next) = label[at..].chars().next() else {
            return false;
        };
        if let Some(first) = first_letter(next)
            && JOINED
                .iter()
                .any(|word| word.as_bytes()[0] == first && word_at(label, at, word).is_some())
        {
            return true;
        }
        if next == '\n' || skipped == MAX_CHARS_BETWEEN {
            return false;
        }
        at += next.len_utf8();
    }
    false
}

/// The ASCII lower-case letter `c` is a case of.
fn first_letter(c: char) -> Option<u8> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(c.to_ascii_lowercase() as u8),
        '\u{17f}' => Some(b's'),
        '\u{212a}' => Some(b'k'),
        _ => None,
    }
}

/// `word` (ASCII lower case) as a whole word at `label[at]`, in any case: where it ends.
fn word_at(label: &str, at: usize, word: &str) -> Option<usize> {
    let mut chars = label[at..].chars();
    let mut end = at;
    for expected in word.bytes() {
        let c = chars.next()?;
        let same = if c.is_ascii() {
            c.to_ascii_lowercase() == char::from(expected)
        } else {
            (c == '\u{17f}' && expected == b's') || (c == '\u{212a}' && expected == b'k')
        };
        if !same {
            return None;
        }
        end += c.len_utf8();
    }
    let starts_word = label[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_character(c));
    let ends_word = chars.next().is_none_or(|c| !is_word_character(c));
    (starts_word && ends_word).then_some(end)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;

    use super::*;

    /// The expression the matcher replaces, as its reference.
    static JOIN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\bjoin\b.{0,40}?\b(meeting|meet|webinar|conference|call|webex|zoom|teams|lync|skype)\b|\bmeeting link\b",
        )
        .unwrap()
    });

    #[test]
    fn only_s_and_k_have_case_variants_outside_ascii() {
        let any_letter = Regex::new("(?i)^[a-z]$").unwrap();
        let variants: Vec<char> = ('\u{80}'..=char::MAX)
            .filter(|c| any_letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(variants, ['\u{17f}', '\u{212a}']);
    }

    #[test]
    fn invitation_block_labels() {
        for label in [
            "Click here to join the meeting",
            "Join Zoom Meeting",
            "Join Microsoft Teams Meeting",
            "JOIN WEBEX MEETING",
            "Meeting link",
            "Join the call",
            "Join Skype Meeting",
            "Join Teams",
        ] {
            assert!(introduces_join_link(label), "{label:?}");
        }
        for label in [
            "",
            "Learn More",
            "| Meeting options",
            "Joining instructions",
            "Join\nthe meeting",
            "Join our team's lunch",
            "Meeting links",
            "rejoin the meeting",
        ] {
            assert!(!introduces_join_link(label), "{label:?}");
        }
    }

    /// Pieces of labels, matching and not, that generated labels are made of.
    const PIECES: [&str; 27] = [
        "join",
        "JOIN",
        "Join",
        "joined",
        "rejoin",
        "meeting",
        "MEETING",
        "meet",
        "meetings",
        "webinar",
        "conference",
        "call",
        "webex",
        "zoom",
        "teams",
        "TEAM\u{17f}",
        "lync",
        "\u{17f}kype",
        "s\u{212a}ype",
        "link",
        "lin\u{212a}",
        "é",
        "한",
        "0123456789",
        "the",
        "Microsoft",
        "a-much-longer-word-between-the-two",
    ];

    /// What stands between two pieces.
    const SEPARATORS: [&str; 9] = [" ", " ", " ", "", "\n", "\u{a0}", "-", "_", " . "];

    #[test]
    fn the_matcher_reads_labels_as_the_regular_expression_did() {
        let mut rng = fastrand::Rng::with_seed(0x0123_4567_89ab_cdef);
        let mut matching = 0;
        for _ in 0..20_000 {
            let label: String = (0..1 + rng.usize(..8))
                .flat_map(|_| {
                    [
                        PIECES[rng.usize(..PIECES.len())],
                        SEPARATORS[rng.usize(..SEPARATORS.len())],
                    ]
                })
                .collect();
            let expected = JOIN_LABEL.is_match(&label);
            assert_eq!(introduces_join_link(&label), expected, "{label:?}");
            matching += usize::from(expected);
        }
        assert!(
            matching > 2_000,
            "the generated labels match often: {matching}"
        );
    }
}
