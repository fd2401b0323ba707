//! Text from outside (meeting subjects, organizer names, the room's name) as the screens
//! show it: every character visible, right-to-left names kept in their place.

use std::borrow::Cow;

use icu_properties::CodePointMapData;
use icu_properties::props::BidiClass;

use super::coverage::has_glyph;

/// What stands for a character no font draws, best first: the replacement character,
/// a white square, and the question mark that Inter always has.
const REPLACEMENTS: [char; 3] = ['\u{FFFD}', '\u{25A1}', '?'];

/// `text` with every character that no font of the screens draws replaced by a visible
/// one (U+FFFD where a font has it), never left as an empty gap.
pub fn for_screen(text: &str) -> Cow<'_, str> {
    // Inter draws every printable ASCII character; ASCII controls need no glyph.
    if text.is_ascii() || text.chars().all(has_glyph) {
        return Cow::Borrowed(text);
    }
    let replacement = REPLACEMENTS
        .into_iter()
        .find(|&ch| has_glyph(ch))
        .unwrap_or('?');
    Cow::Owned(
        text.chars()
            .map(|ch| if has_glyph(ch) { ch } else { replacement })
            .collect(),
    )
}

/// `part` of a left-to-right line (an organizer's name, a location) isolated when it
/// holds right-to-left letters: it is shaped and ordered right to left within itself,
/// while the line around it keeps its left-to-right order ("דנה כהן · Microsoft Teams").
pub(crate) fn isolated(part: &str) -> Cow<'_, str> {
    let bidi = CodePointMapData::<BidiClass>::new();
    if part.chars().any(|ch| {
        matches!(
            bidi.get(ch),
            BidiClass::RightToLeft | BidiClass::ArabicLetter
        )
    }) {
        // FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode bidi algorithm, X5c).
        Cow::Owned(format!("\u{2068}{part}\u{2069}"))
    } else {
        Cow::Borrowed(part)
    }
}

#[cfg(test)]
mod tests {
    use super::isolated;

    #[test]
    fn right_to_left_names_are_isolated_and_others_left_alone() {
        assert_eq!(isolated("محمد العلي"), "\u{2068}محمد العلي\u{2069}");
        assert_eq!(isolated("דנה כהן"), "\u{2068}דנה כהן\u{2069}");
        assert_eq!(isolated("Ana Lindqvist"), "Ana Lindqvist");
        assert_eq!(isolated("李 明"), "李 明");
    }
}
