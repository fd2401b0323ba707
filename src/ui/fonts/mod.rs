//! Fonts for text from outside: every meeting subject and organizer name readable in
//! every script, on every screen language.
//!
//! The design, in short:
//! - One fallback chain for every screen language ([`chain::CHAIN`]): Inter (the UI font,
//!   embedded) first, then Console Hangul (embedded, so Korean never depends on the
//!   device's fonts), then the Noto fonts of the device image, script by script (CJK,
//!   Arabic, Hebrew, Thai, Devanagari, Latin/Greek/Cyrillic, symbols), Symbola and
//!   Unifont Upper for emoji, then the other living scripts of South and South-East Asia,
//!   the Caucasus and Ethiopia. It is installed in front of the generic `sans-serif` family
//!   of Slint's shared font collection (fontique), which Slint's text shaping (parley)
//!   asks right after the text's own font; rarer scripts go on to fontconfig's
//!   sans-serif list and its font for the script, as before.
//! - Emoji are drawn in monochrome: Slint's software renderer draws glyph outlines only,
//!   so the colour bitmaps of Noto Color Emoji draw nothing; Symbola's outlines do.
//! - Nothing is loaded at start: the chain is installed by the first text that Inter
//!   cannot draw (or a Korean screen), and fontique reads a font file the first time a
//!   text needs a character that the fonts before it lack, so a Latin-only day touches
//!   Inter only and keeps Slint's short font list.
//!   Embedding the CJK fonts is not an option: they alone are larger than the device
//!   binary may grow (BENCHMARKS.md).
//! - Text from outside goes through [`screen_text::for_screen`] before it reaches the
//!   screen: a character no font draws becomes U+FFFD (never an invisible gap), and
//!   right-to-left names inside a left-to-right line are isolated
//!   ([`screen_text::isolated`]) so the line keeps its order.

pub mod chain;
pub mod coverage;
pub mod screen_text;
