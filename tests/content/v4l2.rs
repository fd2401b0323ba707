//! The pure V4L2 parts: detected timings → resolution and refresh rate, and what each
//! `VIDIOC_QUERY_DV_TIMINGS` outcome means.

use std::path::Path;

use nix::errno::Errno;
use room_console::content::v4l2::abi::{v4l2_bt_timings, v4l2_dv_timings, zeroed};
use room_console::content::v4l2::probe::answers_dv_timings;
use room_console::content::v4l2::timings::{mode_of, reading_of_query};
use room_console::content::{InputError, SignalReading, VideoMode};

/// CEA-861 timings: active, front porch, sync, back porch.
fn bt(width: u32, h: [u32; 3], height: u32, v: [u32; 3], pixelclock: u64) -> v4l2_bt_timings {
    let mut timings = zeroed::<v4l2_dv_timings>().bt;
    timings.width = width;
    timings.hfrontporch = h[0];
    timings.hsync = h[1];
    timings.hbackporch = h[2];
    timings.height = height;
    timings.vfrontporch = v[0];
    timings.vsync = v[1];
    timings.vbackporch = v[2];
    timings.pixelclock = pixelclock;
    timings
}

fn dv(bt: v4l2_bt_timings) -> v4l2_dv_timings {
    let mut timings = zeroed::<v4l2_dv_timings>();
    timings.bt = bt;
    timings
}

fn full_hd(pixelclock: u64) -> v4l2_bt_timings {
    bt(1920, [88, 44, 148], 1080, [4, 5, 36], pixelclock)
}

#[test]
fn full_hd_at_60_and_59_94() {
    assert_eq!(
        mode_of(&full_hd(148_500_000)),
        Some(VideoMode {
            width: 1920,
            height: 1080,
            refresh_millihertz: 60_000
        })
    );
    assert_eq!(
        mode_of(&full_hd(148_351_648)).map(|m| m.refresh_millihertz),
        Some(59_940)
    );
    assert_eq!(
        mode_of(&full_hd(74_250_000)).map(|m| m.refresh_millihertz),
        Some(30_000)
    );
}

#[test]
fn common_laptop_modes() {
    // 1280×720p60 (CEA VIC 4) and 1024×768 at 60 Hz (VESA DMT).
    let hd = bt(1280, [110, 40, 220], 720, [5, 5, 20], 74_250_000);
    assert_eq!(
        mode_of(&hd).map(|m| m.to_string()),
        Some("1280×720 at 60 Hz".into())
    );
    let xga = bt(1024, [24, 136, 160], 768, [3, 6, 29], 65_000_000);
    assert_eq!(
        mode_of(&xga).map(|m| m.to_string()),
        Some("1024×768 at 60 Hz".into())
    );
}

#[test]
fn interlaced_rate_is_the_field_rate() {
    // 1920×1080i60 (CEA VIC 5): two fields of 540 lines.
    let mut interlaced = bt(1920, [88, 44, 148], 1080, [2, 5, 15], 74_250_000);
    interlaced.interlaced = 1;
    interlaced.il_vfrontporch = 2;
    interlaced.il_vsync = 5;
    interlaced.il_vbackporch = 16;
    assert_eq!(
        mode_of(&interlaced).map(|m| m.refresh_millihertz),
        Some(60_000)
    );
}

#[test]
fn empty_or_broken_timings_do_not_panic() {
    assert_eq!(mode_of(&zeroed::<v4l2_dv_timings>().bt), None);
    // A size with no blanking and no clock: a mode without a rate.
    let bare = bt(800, [0, 0, 0], 600, [0, 0, 0], 0);
    assert_eq!(mode_of(&bare).map(|m| m.refresh_millihertz), Some(0));
    let absurd = bt(u32::MAX, [u32::MAX; 3], u32::MAX, [u32::MAX; 3], u64::MAX);
    assert!(mode_of(&absurd).is_some());
}

#[test]
fn query_outcomes_map_to_readings() {
    let path = Path::new("/dev/video0");
    assert_eq!(
        reading_of_query(path, Ok(dv(full_hd(148_500_000))), None),
        Ok(SignalReading::Locked {
            mode: Some(VideoMode {
                width: 1920,
                height: 1080,
                refresh_millihertz: 60_000
            })
        })
    );
    assert_eq!(
        reading_of_query(path, Err(Errno::ENOLINK), None),
        Ok(SignalReading::Absent)
    );
    assert_eq!(
        reading_of_query(path, Err(Errno::ENOLINK), Some(false)),
        Ok(SignalReading::Absent)
    );
    assert_eq!(
        reading_of_query(path, Err(Errno::ENOLINK), Some(true)),
        Ok(SignalReading::PluggedNoSignal)
    );
    assert_eq!(
        reading_of_query(path, Err(Errno::ENOLCK), Some(true)),
        Ok(SignalReading::Unstable)
    );
    assert_eq!(
        reading_of_query(path, Err(Errno::ERANGE), None),
        Ok(SignalReading::OutOfRange { mode: None })
    );
}

#[test]
fn query_errors_say_what_to_do() {
    let path = Path::new("/dev/video0");
    let error = |errno| reading_of_query(path, Err(errno), None).unwrap_err();
    assert!(matches!(
        error(Errno::ENODEV),
        InputError::DeviceGone { .. }
    ));
    assert!(matches!(
        error(Errno::ENOTTY),
        InputError::NotAReceiver { .. }
    ));
    assert_eq!(
        error(Errno::EACCES).to_string(),
        "room-console may not open /dev/video0: add the service user to the video group"
    );
    assert!(matches!(error(Errno::EIO), InputError::Io { .. }));
}

#[test]
fn only_not_supported_answers_rule_out_a_receiver() {
    assert!(answers_dv_timings(None));
    assert!(answers_dv_timings(Some(Errno::ENOLINK)));
    assert!(answers_dv_timings(Some(Errno::ENOLCK)));
    assert!(answers_dv_timings(Some(Errno::ERANGE)));
    assert!(!answers_dv_timings(Some(Errno::ENOTTY)));
    assert!(!answers_dv_timings(Some(Errno::ENODATA)));
    assert!(!answers_dv_timings(Some(Errno::EINVAL)));
}
