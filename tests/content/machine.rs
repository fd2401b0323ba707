//! The plug/unplug state machine, driven by hand with made-up instants: debounce, grace,
//! flapping, repeated connects, unplug while detecting, problems.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use room_console::content::{
    ContentEvent, ContentMachine, ContentState, InputError, InputInfo, InputKind, InputStatus,
    MachineConfig, SignalReading, VideoMode,
};

const FULL_HD: VideoMode = VideoMode {
    width: 1920,
    height: 1080,
    refresh_millihertz: 60_000,
};
const HD: VideoMode = VideoMode {
    width: 1280,
    height: 720,
    refresh_millihertz: 60_000,
};

fn info() -> InputInfo {
    InputInfo {
        id: "v4l2:/dev/video0".into(),
        name: "HDMI input".into(),
        kind: InputKind::V4l2,
        path: Some(PathBuf::from("/dev/video0")),
        status: InputStatus::Unknown,
        mode: None,
        can_preview: true,
        error: None,
    }
}

fn locked(mode: VideoMode) -> Result<SignalReading, InputError> {
    Ok(SignalReading::Locked { mode: Some(mode) })
}

fn absent() -> Result<SignalReading, InputError> {
    Ok(SignalReading::Absent)
}

fn show(mode: VideoMode) -> ContentEvent {
    ContentEvent::ShowContent {
        input: "v4l2:/dev/video0".into(),
        resolution: Some(mode),
        can_preview: true,
    }
}

fn hide() -> ContentEvent {
    ContentEvent::HideContent {
        input: "v4l2:/dev/video0".into(),
    }
}

struct Bench {
    machine: ContentMachine,
    t0: Instant,
}

impl Bench {
    fn new() -> Bench {
        Bench {
            machine: ContentMachine::new(&info(), MachineConfig::default()),
            t0: Instant::now(),
        }
    }

    fn at(&self, millis: u64) -> Instant {
        self.t0 + Duration::from_millis(millis)
    }

    fn read(
        &mut self,
        millis: u64,
        reading: Result<SignalReading, InputError>,
    ) -> Vec<ContentEvent> {
        let now = self.at(millis);
        self.machine.on_reading(now, reading)
    }

    fn tick(&mut self, millis: u64) -> Vec<ContentEvent> {
        let now = self.at(millis);
        self.machine.on_tick(now)
    }

    /// Plugs in at 0 ms and lets the debounce pass: the window is open.
    fn connected(mode: VideoMode) -> Bench {
        let mut bench = Bench::new();
        assert!(bench.read(0, locked(mode)).is_empty());
        assert_eq!(bench.tick(1000), vec![show(mode)]);
        bench
    }
}

#[test]
fn a_picture_must_hold_for_the_debounce_before_the_window_opens() {
    let mut bench = Bench::new();
    assert!(bench.read(0, locked(FULL_HD)).is_empty());
    assert_eq!(bench.machine.state(), ContentState::Detecting);
    assert_eq!(bench.machine.next_deadline(), Some(bench.at(1000)));
    assert!(bench.tick(999).is_empty());
    assert_eq!(bench.tick(1000), vec![show(FULL_HD)]);
    assert_eq!(bench.machine.state(), ContentState::Connected);
    assert_eq!(bench.machine.next_deadline(), None);
}

#[test]
fn a_reading_past_the_debounce_opens_the_window_without_a_tick() {
    let mut bench = Bench::new();
    bench.read(0, locked(FULL_HD));
    assert_eq!(bench.read(1200, locked(FULL_HD)), vec![show(FULL_HD)]);
}

#[test]
fn unplugging_while_detecting_never_opens_the_window() {
    let mut bench = Bench::new();
    bench.read(0, locked(FULL_HD));
    assert!(bench.read(600, absent()).is_empty());
    assert_eq!(bench.machine.state(), ContentState::Disconnected);
    assert_eq!(bench.machine.next_deadline(), None);
    assert!(bench.tick(5000).is_empty());
}

#[test]
fn an_unstable_picture_restarts_the_debounce() {
    let mut bench = Bench::new();
    bench.read(0, locked(FULL_HD));
    assert!(bench.read(500, Ok(SignalReading::Unstable)).is_empty());
    assert!(bench.read(800, locked(FULL_HD)).is_empty());
    assert!(bench.tick(1000).is_empty(), "the first lock must not count");
    assert_eq!(bench.tick(1800), vec![show(FULL_HD)]);
}

#[test]
fn the_window_closes_only_after_the_grace_period() {
    let mut bench = Bench::connected(FULL_HD);
    assert!(bench.read(5000, absent()).is_empty());
    assert_eq!(bench.machine.state(), ContentState::Lost);
    assert_eq!(bench.machine.next_deadline(), Some(bench.at(8000)));
    assert!(bench.tick(7999).is_empty());
    assert_eq!(bench.tick(8000), vec![hide()]);
    assert_eq!(bench.machine.state(), ContentState::Disconnected);
}

#[test]
fn grace_seconds_setting_is_honoured() {
    let mut machine = ContentMachine::new(&info(), MachineConfig::with_grace_seconds(10));
    let t0 = Instant::now();
    machine.on_reading(t0, locked(FULL_HD));
    machine.on_tick(t0 + Duration::from_secs(1));
    machine.on_reading(t0 + Duration::from_secs(2), absent());
    assert!(machine.on_tick(t0 + Duration::from_secs(11)).is_empty());
    assert_eq!(machine.on_tick(t0 + Duration::from_secs(12)), vec![hide()]);
}

#[test]
fn a_flapping_cable_does_not_flap_the_window() {
    let mut bench = Bench::connected(FULL_HD);
    let mut all = Vec::new();
    // Contact lost and back every 700 ms for ten seconds: never longer than the grace.
    for step in 0..14u64 {
        let t = 2000 + step * 700;
        let reading = if step % 2 == 0 {
            absent()
        } else {
            locked(FULL_HD)
        };
        all.extend(bench.read(t, reading));
        all.extend(bench.tick(t + 350));
    }
    assert!(all.is_empty(), "no event while flapping: {all:?}");
    assert_eq!(bench.machine.state(), ContentState::Connected);
}

#[test]
fn lost_time_is_measured_from_the_first_loss() {
    let mut bench = Bench::connected(FULL_HD);
    bench.read(2000, absent());
    // More bad readings do not push the deadline back.
    bench.read(3000, Ok(SignalReading::Unstable));
    bench.read(4000, absent());
    assert_eq!(bench.tick(5000), vec![hide()]);
}

#[test]
fn repeated_readings_of_the_same_picture_emit_nothing() {
    let mut bench = Bench::connected(FULL_HD);
    for t in (1500..10_000).step_by(500) {
        assert!(bench.read(t, locked(FULL_HD)).is_empty());
    }
}

#[test]
fn a_resolution_change_updates_the_window_without_closing_it() {
    let mut bench = Bench::connected(FULL_HD);
    // The laptop switches mode: the receiver loses lock for a moment.
    assert!(bench.read(3000, Ok(SignalReading::Unstable)).is_empty());
    assert_eq!(bench.read(4000, locked(HD)), vec![show(HD)]);
    assert!(bench.tick(9000).is_empty());
    // A change while connected is reported too.
    assert_eq!(bench.read(9500, locked(FULL_HD)), vec![show(FULL_HD)]);
}

#[test]
fn reconnecting_after_the_window_closed_opens_it_again() {
    let mut bench = Bench::connected(FULL_HD);
    bench.read(2000, absent());
    assert_eq!(bench.tick(5000), vec![hide()]);
    assert!(bench.read(6000, locked(FULL_HD)).is_empty());
    assert_eq!(bench.tick(7000), vec![show(FULL_HD)]);
}

#[test]
fn a_device_error_is_reported_once_and_closes_the_window_after_grace() {
    let mut bench = Bench::connected(FULL_HD);
    let gone = || {
        Err(InputError::DeviceGone {
            path: PathBuf::from("/dev/video0"),
        })
    };
    let events = bench.read(2000, gone());
    assert_eq!(events.len(), 1);
    assert!(
        matches!(&events[0], ContentEvent::InputProblem { message, .. }
        if message.contains("/dev/video0") && message.contains("went away"))
    );
    assert!(bench.read(2500, gone()).is_empty(), "reported once");
    assert_eq!(bench.tick(5000), vec![hide()]);
    // The device comes back with nothing plugged in: the problem is over.
    assert_eq!(
        bench.read(6000, absent()),
        vec![ContentEvent::ProblemCleared {
            input: "v4l2:/dev/video0".into()
        }]
    );
}

#[test]
fn permission_denied_says_how_to_fix_it() {
    let mut bench = Bench::new();
    let events = bench.read(
        0,
        Err(InputError::PermissionDenied {
            path: PathBuf::from("/dev/video0"),
            hint: "add the service user to the video group",
        }),
    );
    assert_eq!(
        events,
        vec![ContentEvent::InputProblem {
            input: "v4l2:/dev/video0".into(),
            message:
                "room-console may not open /dev/video0: add the service user to the video group"
                    .into(),
        }]
    );
    assert_eq!(bench.machine.state(), ContentState::Disconnected);
}

#[test]
fn an_unsupported_picture_is_reported_at_once_and_never_shown() {
    let mut bench = Bench::new();
    let events = bench.read(0, Ok(SignalReading::OutOfRange { mode: None }));
    assert!(
        matches!(&events[..], [ContentEvent::InputProblem { message, .. }]
        if message.contains("cannot take") && message.contains("1920×1080"))
    );
    assert!(bench.tick(20_000).is_empty());
    assert_eq!(bench.machine.state(), ContentState::Detecting);
    // The laptop drops to a supported mode: the window opens and the problem clears.
    bench.read(21_000, locked(HD));
    assert_eq!(
        bench.tick(22_000),
        vec![
            ContentEvent::ProblemCleared {
                input: "v4l2:/dev/video0".into()
            },
            show(HD)
        ]
    );
}

#[test]
fn a_cable_without_picture_is_reported_after_a_while() {
    let mut bench = Bench::new();
    assert!(bench.read(0, Ok(SignalReading::PluggedNoSignal)).is_empty());
    assert_eq!(bench.machine.next_deadline(), Some(bench.at(10_000)));
    assert!(bench.tick(9_999).is_empty());
    let events = bench.tick(10_000);
    assert!(
        matches!(&events[..], [ContentEvent::InputProblem { message, .. }]
        if message.contains("no picture arrives"))
    );
    assert_eq!(bench.machine.next_deadline(), None, "reported once");
    assert!(bench.tick(30_000).is_empty());
}

#[test]
fn video_modes_read_naturally() {
    assert_eq!(FULL_HD.to_string(), "1920×1080 at 60 Hz");
    let ntsc = VideoMode {
        refresh_millihertz: 59_940,
        ..FULL_HD
    };
    assert_eq!(ntsc.to_string(), "1920×1080 at 59.94 Hz");
    assert_eq!(ntsc.as_tuple(), (1920, 1080, 59.94));
    let unknown = VideoMode {
        refresh_millihertz: 0,
        ..HD
    };
    assert_eq!(unknown.to_string(), "1280×720");
}
