//! Compiles the Slint UI into Rust at build time, with the embedded fonts and the bundled
//! translations (`translations/<lang>/LC_MESSAGES/room-console.po`) and, in debug builds,
//! the elements' names for the UI tests' element lookup; and links the programs with
//! packed relative relocations on x86_64 GNU/Linux.

fn main() {
    pack_relative_relocations();
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

/// A position-independent executable carries one relocation per pointer in its
/// read-only data (78,000 in the console: 1.9 MB of `.rela.dyn`, all read by the dynamic
/// loader at every start and then kept in memory). Packed (RELR, `-z
/// pack-relative-relocs`) they take 29 KB, which cut peak memory by about that 1.9 MB
/// (BENCHMARKS.md). Only on x86_64 GNU/Linux: its linkers (lld, GNU ld 2.38+) pack them,
/// while Debian 12's cross linker for the device (GNU ld 2.40, aarch64) ignores the
/// option with a warning. Needs glibc 2.36 at run time (the binaries already need 2.35).
fn pack_relative_relocations() {
    let var = |name| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
    {
        println!("cargo:rustc-link-arg=-Wl,-z,pack-relative-relocs");
    }
}
