//! Compiles the Slint UI into Rust at build time, with the embedded fonts and the bundled
//! translations (`translations/<lang>/LC_MESSAGES/room-console.po`) and, in debug builds,
//! the elements' names for the UI tests' element lookup.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent-dark".into())
        .with_bundled_translations("translations")
        // One translation per English string, whichever component shows it.
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        // Debug builds (the tests) name their elements, so the UI tests can find a
        // button or a key by its label and tap it where it is drawn; release builds
        // stay lean.
        .with_debug_info(std::env::var("PROFILE").as_deref() != Ok("release"));
    if let Err(err) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("Slint compilation failed: {err}");
        std::process::exit(1);
    }
}
