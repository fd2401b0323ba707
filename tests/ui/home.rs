//! UI tests of the home screen on the headless platform: the screen a visitor sees,
//! tapped like a finger would, with the clock under the test's control.

use crate::common::fifo_command::FifoCommand;
use crate::common::screens;
use screens::*;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use room_console::clock::FixedClock;
use room_console::ui::headless::Headless;
use room_console::ui::home::controller::{HomeController, RoomInfo};
use room_console::ui::home::model::BannerMessage;
use room_console::ui::{AppWindow, HomeAdapter, HomeStatus, JoinOverlayAdapter};
use slint::{ComponentHandle, Rgb8Pixel, SharedPixelBuffer};

fn utc(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
}

fn start(now: DateTime<Utc>) -> (Headless, AppWindow, HomeController, FixedClock) {
    start_with_join_command(now, None)
}

fn start_with_join_command(
    now: DateTime<Utc>,
    join_command: Option<PathBuf>,
) -> (Headless, AppWindow, HomeController, FixedClock) {
    start_room(now, join_command, None)
}

fn start_room(
    now: DateTime<Utc>,
    join_command: Option<PathBuf>,
    notice: Option<BannerMessage>,
) -> (Headless, AppWindow, HomeController, FixedClock) {
    start_home(
        now,
        RoomInfo {
            join_command,
            notice,
            ..demo_room()
        },
    )
}

/// The centre of the largest area painted in the accent colour (the Join buttons).
fn find_accent_button(buffer: &SharedPixelBuffer<Rgb8Pixel>) -> Option<(f32, f32)> {
    let hits = accent_pixels(buffer);
    // The first button from the top: rows of the first contiguous band.
    let top = hits.iter().map(|(_, y)| *y).min()?;
    let band: Vec<&(usize, usize)> = hits.iter().filter(|(_, y)| *y < top + 40).collect();
    let (min_x, max_x) = (
        band.iter().map(|(x, _)| *x).min()?,
        band.iter().map(|(x, _)| *x).max()?,
    );
    let max_y = band.iter().map(|(_, y)| *y).max()?;
    Some(((min_x + max_x) as f32 / 2.0, (top + max_y) as f32 / 2.0))
}

#[test]
fn status_follows_the_clock() {
    let (headless, app, _controller, clock) = start(utc(13, 20));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_status_kind(), HomeStatus::InUseUntil);
    assert_eq!(home.get_status_until(), "15:30");
    assert_eq!(home.get_status_subject(), "Design review: lobby signage");
    assert_eq!(home.get_clock(), "13:20");

    clock.set(utc(15, 45));
    headless.advance(Duration::from_secs(1));
    assert_eq!(home.get_clock(), "15:45");
    assert_eq!(
        home.get_status_kind(),
        HomeStatus::AvailableUntil,
        "available until the 16:00 workshop"
    );
    assert_eq!(home.get_status_until(), "16:00");
    assert!(!home.get_now_card().present);
    assert_eq!(home.get_next_card().title, "Budget workshop");
}

/// Whether the highlighted row of the meeting in progress is in sight in the agenda panel
/// (the right half of the screen): at least 48 of its 64 pixel lines are drawn.
fn current_row_in_sight(buffer: &SharedPixelBuffer<Rgb8Pixel>) -> bool {
    let current_row = Rgb8Pixel::new(0x23, 0x3b, 0x5a);
    let width = buffer.width() as usize;
    let highlighted_lines = buffer
        .as_slice()
        .chunks(width)
        .filter(|line| {
            line[width / 2..]
                .iter()
                .filter(|p| **p == current_row)
                .count()
                > 100
        })
        .count();
    highlighted_lines >= 48
}

#[test]
fn the_agenda_keeps_the_meeting_in_progress_in_sight() {
    let (headless, app, _controller, _clock) = start(utc(13, 20));
    let home = app.global::<HomeAdapter>();
    assert_eq!(
        home.get_agenda_focus(),
        3,
        "the row before the 13:00 design review"
    );
    assert!(current_row_in_sight(&headless.render()));
}

#[test]
fn the_agenda_scrolls_down_when_a_meeting_further_down_starts() {
    // Under the demo banner, at 08:40 the list shows the top of the day and the last
    // meeting (17:00) is below the rows that fit. When it starts, the list scrolls to it.
    let (headless, app, _controller, clock) =
        start_room(utc(8, 40), None, Some(BannerMessage::DemoCalendar));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_agenda_focus(), 0);
    assert!(current_row_in_sight(&headless.render()));

    clock.set(utc(17, 10));
    headless.advance(Duration::from_secs(1));
    assert_eq!(home.get_agenda_focus(), 6);
    assert!(
        current_row_in_sight(&headless.render()),
        "the 17:00 retrospective in progress is in sight"
    );
}

#[test]
fn tapping_join_shows_the_link_and_its_qr_code() {
    let (headless, app, _controller, _clock) = start(utc(13, 20));
    let overlay = app.global::<JoinOverlayAdapter>();
    assert!(!overlay.get_shown());

    let buffer = headless.render();
    let (x, y) = find_accent_button(&buffer).expect("a Join button is on screen");
    headless.tap(x, y);

    assert!(overlay.get_shown(), "the join overlay opened");
    assert_eq!(
        overlay.get_url(),
        "https://meet.contoso.com/erik.nilsson/K7QX2P4M",
        "the Now card's meeting is joined"
    );
    assert!(overlay.get_qr_code().size().width > 20);

    overlay.invoke_close();
    assert!(!overlay.get_shown());
}

#[test]
fn private_meeting_is_shown_as_private() {
    let (_headless, app, _controller, _clock) = start(utc(10, 40));
    let home = app.global::<HomeAdapter>();
    assert_eq!(home.get_status_kind(), HomeStatus::InUseUntil);
    assert_eq!(home.get_status_subject(), "Private meeting");
    let card = home.get_now_card();
    assert!(card.private);
    assert_eq!(card.title, "Private meeting");
}

#[test]
fn tapping_join_runs_the_join_command_with_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let join = FifoCommand::new(dir.path(), "join", 1);

    let (headless, app, _controller, _clock) =
        start_with_join_command(utc(13, 20), Some(join.script.clone()));
    let buffer = headless.render();
    let (x, y) = find_accent_button(&buffer).expect("a Join button is on screen");
    headless.tap(x, y);

    let joined = join.read();
    assert_eq!(joined, "https://meet.contoso.com/erik.nilsson/K7QX2P4M");
    assert!(
        !app.global::<JoinOverlayAdapter>().get_shown(),
        "no overlay when the console joins by itself"
    );
}
