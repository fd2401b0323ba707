//! The yardstick for the first-frame benchmark: a minimal Slint window of the same size,
//! on the same headless platform, rendered once and written as PNG, like
//! `room-console screenshot` does with the home screen.
//! `cargo run --release --example minimal_window -- OUT.png [WIDTHxHEIGHT]`

use std::process::ExitCode;

use room_console::ui::headless::{Headless, write_png};
use slint::{ComponentHandle, PhysicalSize};

slint::slint! {
    export component MinimalWindow inherits Window {
        background: #0f141b;
        Text { text: "room-console"; color: white; font-size: 32px; }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: minimal_window OUT.png [WIDTHxHEIGHT]");
        return ExitCode::from(2);
    };
    let (w, h) = args
        .get(1)
        .and_then(|s| s.split_once('x'))
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .unwrap_or((1280, 800));
    let result = (|| -> anyhow::Result<()> {
        let headless = Headless::install(PhysicalSize::new(w, h))?;
        let window = MinimalWindow::new()?;
        window.show()?;
        write_png(&headless.render(), std::path::Path::new(out))
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("minimal_window: {err:#}");
            ExitCode::FAILURE
        }
    }
}
