//! Meetings named in every script, end to end: the in-repo EWS server → `sync --once` →
//! the cache → `agenda --json` (each subject and organizer byte for byte) and
//! `room-console screenshot` of the home screen on the English, Swedish and Korean
//! screens at 1280x800, kept in `<target>/screenshots/` to be looked at; and the same
//! screens drawn by the aarch64 device build under qemu with the Debian Noto fonts
//! (`scripts/device-international-screens`, run by CI after the device build).

use crate::common::cli_console;
use crate::common::ews_server;
use crate::common::international;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cli_console::{Console, by_subject};
use ews_server::*;
use international::MEETINGS;

const ROOM: &str = "confrm2@contoso.com";
/// 08:10 in Stockholm: the first meeting of the day is on, the list starts with it.
const NOW: &str = "2026-11-23T07:10:00Z";
const DAY: &str = "2026-11-23";

/// The corpus as a day of half-hour meetings from 08:00 Stockholm time (07:00 UTC).
fn international_day() -> Mailbox {
    let first: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 11, 23, 7, 0, 0).unwrap();
    Mailbox::new(ROOM, "Conference Room 2").with_items(MEETINGS.iter().enumerate().map(
        |(i, (subject, organizer))| {
            let start = first + Duration::minutes(30 * i as i64);
            CalendarItem::new(subject, start, start + Duration::minutes(30))
                .organizer(organizer, &format!("person{i}@contoso.com"))
                .html_body("<html><body><p>Agenda</p></body></html>")
        },
    ))
}

/// A console that synced the day from the in-repo EWS server (Basic, the room's own
/// account), on its 8:10.
async fn synced_console() -> (EwsServer, Console) {
    let server = own_mailbox_server(("CONTOSO\\confrm2", "R00m!pw"), international_day()).await;
    let console = Console::new();
    console.provision_own_mailbox(ROOM, ("CONTOSO\\confrm2", "R00m!pw"), &server);
    console.sync_ok_at(NOW);
    (server, console)
}

/// Where the screenshots are kept to be looked at: `<target>/screenshots/`.
fn screenshots_dir() -> PathBuf {
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    shots
}

/// `screenshot` of the home screen at 1280x800 on `language`'s screen.
fn screenshot_args<'a>(language: &'a str, png: &'a Path) -> [&'a str; 9] {
    [
        "screenshot",
        "--now",
        NOW,
        "--size",
        "1280x800",
        "--language",
        language,
        "--out",
        png.to_str().unwrap(),
    ]
}

/// The desktop build's screenshot of the home screen on `language`'s screen, which must
/// succeed; the PNG's path.
fn desktop_screenshot(console: &Console, language: &str) -> PathBuf {
    let png = screenshots_dir().join(format!("home-international-{language}.png"));
    console.run_ok(&screenshot_args(language, &png));
    png
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_in_every_script_reach_the_screen_on_every_language() {
    let (_server, console) = synced_console().await;

    let agenda = console.agenda_of(DAY);
    assert_eq!(agenda.len(), MEETINGS.len());
    for (subject, organizer) in MEETINGS {
        assert_eq!(
            by_subject(&agenda, subject)["organizer"]["name"],
            *organizer
        );
    }

    for language in ["en", "sv", "ko"] {
        let png = desktop_screenshot(&console, language);
        assert!(std::fs::metadata(&png).unwrap().len() > 10_000);
    }
}

/// The device build draws the same screens: the aarch64 binary named by
/// `ROOM_CONSOLE_DEVICE_BINARY`, run under `qemu-aarch64 -L /` (its fonts found through
/// the arm64 libfontconfig, the Debian Noto fonts of the device image) on the data dir the
/// desktop build synced, gives the desktop build's pixels on every screen language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the aarch64 device binary: scripts/device-international-screens"]
async fn the_device_build_draws_them_the_same_under_qemu() {
    let device = std::env::var_os("ROOM_CONSOLE_DEVICE_BINARY").expect(
        "ROOM_CONSOLE_DEVICE_BINARY names the aarch64 device binary \
         (scripts/device-international-screens sets it)",
    );
    let (_server, console) = synced_console().await;
    let shots = screenshots_dir();
    for language in ["en", "sv", "ko"] {
        let desktop_png = desktop_screenshot(&console, language);

        let device_png = shots.join(format!("device-home-international-{language}.png"));
        let out = tokio::task::block_in_place(|| {
            Command::new("qemu-aarch64")
                .args(["-L", "/"])
                .arg(&device)
                .arg("--data-dir")
                .arg(console.data())
                .args(screenshot_args(language, &device_png))
                .env("RUST_LOG", "warn")
                .output()
                .expect("qemu-aarch64 runs (Debian qemu-user, scripts/packages)")
        });
        assert!(
            out.status.success(),
            "the device build's screenshot --language {language}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (desktop, device) = (pixels(&desktop_png), pixels(&device_png));
        assert_eq!(device.0, (1280, 800), "{}", device_png.display());
        let differing = desktop
            .1
            .chunks(4)
            .zip(device.1.chunks(4))
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(
            differing,
            0,
            "{} differs from {} in {differing} pixels",
            device_png.display(),
            desktop_png.display()
        );
    }
}

/// The size and the RGBA pixels of a PNG the console wrote.
fn pixels(png: &Path) -> ((u32, u32), Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    buffer.truncate(frame.buffer_size());
    ((frame.width, frame.height), buffer)
}
