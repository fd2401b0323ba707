//! Compiles the Slint UI into Rust at build time, with the embedded fonts.

fn main() {
    let config = slint_build::CompilerConfiguration::new().with_style("fluent-dark".into());
    if let Err(err) = slint_build::compile_with_config("ui/app.slint", config) {
        eprintln!("Slint compilation failed: {err}");
        std::process::exit(1);
    }
}
