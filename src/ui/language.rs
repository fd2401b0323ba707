//! Puts the screen in one of the console's languages: selects the bundled translation of
//! every `@tr` string and the font that has the language's glyphs (Inter has no Hangul;
//! Console Hangul, a subset of NanumGothic, has Hangul and Latin, so Korean screens use
//! it throughout).

use slint::ComponentHandle;

use super::{AppWindow, Locale};

/// The font family the screens use in `language`.
fn font_family(language: &str) -> &'static str {
    match language {
        "ko" => "Console Hangul",
        _ => "Inter",
    }
}

/// Shows every screen of `app` in `language` (`en`, `sv` or `ko`); an unknown language
/// falls back to English with a warning, never an error: the console must still show
/// the room's calendar.
pub fn apply(app: &AppWindow, language: &str) {
    let shown = match slint::select_bundled_translation(language) {
        Ok(()) => language,
        Err(err) => {
            tracing::warn!("cannot show the screens in {language:?}: {err}; showing English");
            let _ = slint::select_bundled_translation("en");
            "en"
        }
    };
    app.global::<Locale>()
        .set_font_family(font_family(shown).into());
}

#[cfg(test)]
mod tests {
    use super::font_family;

    #[test]
    fn korean_uses_a_font_with_hangul() {
        assert_eq!(font_family("ko"), "Console Hangul");
        assert_eq!(font_family("sv"), "Inter");
        assert_eq!(font_family("en"), "Inter");
    }
}
