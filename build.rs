//! Compiles the Slint UI into Rust at build time, with the embedded fonts and the bundled
//! translations (`translations/<lang>/LC_MESSAGES/room-console.po`).

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent-dark".into())
        .with_bundled_translations("translations")
        // One translation per English string, whichever component shows it.
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    if let Err(err) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("Slint compilation failed: {err}");
        std::process::exit(1);
    }
}
