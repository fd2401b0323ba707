//! Puts the screen in one of the console's languages: selects the bundled translation of
//! every `@tr` string. The font does not change with the language: Inter draws Latin,
//! and Korean (and every other script) comes from the fallback chain of
//! [`super::fonts`], the same on every screen. A Korean screen needs it at once for its
//! own words; elsewhere the first text that Inter cannot draw installs it.

/// Shows every screen of `app` in `language` (`en`, `sv` or `ko`); an unknown language
/// falls back to English with a warning, never an error: the console must still show
/// the room's calendar.
pub fn apply(_app: &super::AppWindow, language: &str) {
    let shown = match slint::select_bundled_translation(language) {
        Ok(()) => language,
        Err(err) => {
            tracing::warn!("cannot show the screens in {language:?}: {err}; showing English");
            let _ = slint::select_bundled_translation("en");
            "en"
        }
    };
    if shown == "ko" {
        super::fonts::coverage::install_chain();
    }
}
