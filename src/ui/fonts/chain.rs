//! The font fallback chain of every screen, whatever the screen's language, and its
//! installation in Slint's shared font collection.

use slint::fontique_011::fontique::{self, GenericFamily};

/// The families asked, in this order, for a character: the UI font, Hangul (embedded),
/// then the device image's fonts (Debian `fonts-noto-cjk`, `fonts-noto-core`,
/// `fonts-symbola`, `fonts-unifont`; README, "Fonts on the device"): the scripts the
/// issue names, Latin/Greek/Cyrillic beyond Inter, symbols and emoji (Symbola up to
/// Unicode 9, Unifont Upper's pixel glyphs for newer ones), then the other living scripts
/// of South and South-East Asia, the Caucasus and Ethiopia. Every family the search
/// passes has its files read once, so emoji come before the scripts that are rarer on a
/// room's calendar. The scripts are listed rather than left to fontconfig, whose
/// sans-serif list comes after the chain and would draw Tamil with Unifont's pixel
/// glyphs. A family that is not installed is skipped. Simplified Chinese comes first
/// among the CJK faces: they all cover the same characters and differ only in the
/// regional shapes of some ideographs.
pub(crate) const CHAIN: &[&str] = &[
    "Inter",
    "Console Hangul",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Thai",
    "Noto Sans Devanagari",
    "Noto Sans",
    "Noto Sans Symbols",
    "Noto Sans Symbols2",
    "Noto Sans Math",
    "Symbola",
    "Unifont Upper",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Telugu",
    "Noto Sans Kannada",
    "Noto Sans Malayalam",
    "Noto Sans Gujarati",
    "Noto Sans Gurmukhi",
    "Noto Sans Oriya",
    "Noto Sans Sinhala",
    "Noto Sans Khmer",
    "Noto Sans Lao",
    "Noto Sans Myanmar",
    "Noto Sans Georgian",
    "Noto Sans Armenian",
    "Noto Sans Ethiopic",
    "Noto Sans Thaana",
    "Noto Sans Syriac",
];

/// Puts [`CHAIN`] in front of the generic sans-serif family of `collection`, which Slint
/// asks right after a text's own font (fontconfig's sans-serif list stays behind it).
/// Looks up names only: no font file is read.
pub fn install(collection: &mut fontique::Collection) {
    let families: Vec<_> = CHAIN
        .iter()
        .filter_map(|name| collection.family_id(name))
        .collect();
    collection.set_generic_families(GenericFamily::SansSerif, families.into_iter());
}
