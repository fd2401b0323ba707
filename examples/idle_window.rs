//! The yardstick for `scripts/bench-idle-cpu`: a minimal Slint window (desktop backend,
//! same size as the console) with one label that changes every second, as the home
//! screen's clock does. Its peak RSS and idle CPU are what Slint costs by itself.
//! `cargo run --release --example idle_window` (needs a display, e.g. Xvfb).

use std::process::ExitCode;
use std::time::Duration;

use slint::{ComponentHandle, Timer, TimerMode};

slint::slint! {
    export component IdleWindow inherits Window {
        width: 1280px;
        height: 800px;
        background: #0f141b;
        in property <int> seconds;
        Text { text: "room-console " + seconds; width: 400px; color: white; font-size: 32px; }
    }
}

fn main() -> ExitCode {
    let result = (|| -> anyhow::Result<()> {
        let window = IdleWindow::new()?;
        let weak = window.as_weak();
        let timer = Timer::default();
        timer.start(TimerMode::Repeated, Duration::from_secs(1), move || {
            if let Some(window) = weak.upgrade() {
                window.set_seconds(window.get_seconds() + 1);
            }
        });
        window.run()?;
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("idle_window: {err:#}");
            ExitCode::FAILURE
        }
    }
}
