//! UI test of the shared-content window: the content state machine (with an injected
//! clock) drives the window on the headless platform; it pops up after the debounce
//! and closes by itself after the grace period once the laptop is unplugged.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use room_console::content::{
    ContentMachine, InputInfo, InputKind, InputStatus, MachineConfig, SignalReading,
};
use room_console::ui::content::ContentPanel;
use room_console::ui::headless::Headless;
use room_console::ui::{AppWindow, ContentAdapter};
use slint::{ComponentHandle, PhysicalSize, Rgb8Pixel, SharedPixelBuffer};

fn hdmi() -> InputInfo {
    InputInfo {
        id: "file:/run/hdmi".into(),
        name: "HDMI input".into(),
        kind: InputKind::StatusFile,
        path: None,
        status: InputStatus::Unknown,
        mode: None,
        can_preview: false,
        error: None,
    }
}

/// The share of dark pixels: the content window darkens the whole screen.
fn dark_share(frame: &SharedPixelBuffer<Rgb8Pixel>) -> f64 {
    let dark = frame
        .as_slice()
        .iter()
        .filter(|p| u16::from(p.r) + u16::from(p.g) + u16::from(p.b) < 60)
        .count();
    dark as f64 / frame.as_slice().len() as f64
}

#[test]
fn window_pops_up_on_plug_in_and_closes_after_the_grace_period() {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).unwrap();
    let app = AppWindow::new().unwrap();
    app.show().unwrap();
    let names = HashMap::from([(hdmi().id, hdmi().name)]);
    let mut machine = ContentMachine::new(&hdmi(), MachineConfig::with_grace_seconds(3));
    let mut panel = ContentPanel::default();
    let t0 = Instant::now();
    let mut feed = |events: Vec<_>| {
        for event in events {
            panel.on_event(&event, true, &names);
        }
        panel.apply(&app);
    };
    let adapter = app.global::<ContentAdapter>();
    let empty = dark_share(&headless.render());

    feed(machine.on_reading(t0, Ok(SignalReading::Locked { mode: None })));
    assert!(
        !adapter.get_shown(),
        "not before the signal has held for the debounce"
    );
    feed(machine.on_tick(t0 + Duration::from_millis(1100)));
    assert!(adapter.get_shown(), "pops up once the signal held");
    assert_eq!(adapter.get_input_name(), "HDMI input");
    let shown = dark_share(&headless.render());
    assert!(
        shown > empty + 0.3,
        "the window covers the screen: {empty} → {shown}"
    );

    // A loose cable for a second does not flap the window.
    feed(machine.on_reading(t0 + Duration::from_secs(5), Ok(SignalReading::Absent)));
    feed(machine.on_reading(
        t0 + Duration::from_secs(6),
        Ok(SignalReading::Locked { mode: None }),
    ));
    feed(machine.on_tick(t0 + Duration::from_secs(10)));
    assert!(
        adapter.get_shown(),
        "a short loss within the grace period keeps the window"
    );

    // Unplugged: the window closes by itself after the grace period.
    feed(machine.on_reading(t0 + Duration::from_secs(20), Ok(SignalReading::Absent)));
    feed(machine.on_tick(t0 + Duration::from_secs(22)));
    assert!(adapter.get_shown(), "still within the grace period");
    feed(machine.on_tick(t0 + Duration::from_millis(23_100)));
    assert!(!adapter.get_shown(), "closed after the grace period");
    assert!(!adapter.get_offered());
    let closed = dark_share(&headless.render());
    assert!(
        (closed - empty).abs() < 0.01,
        "the screen is back: {empty} vs {closed}"
    );
}
