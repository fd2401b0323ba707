//! Process start → first rendered home frame with 5,000 meetings cached, beside a minimal
//! Slint window of the same size on the same headless platform, in the same run. Both are
//! whole processes that render one frame and write it as PNG.
//!
//! Needs the yardstick built first: `cargo build --release --example minimal_window`
//! (the benchmark says so and skips when it is missing).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Duration, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use room_console::calendar::demo::synthetic_agenda;
use room_console::settings::{CalendarSource, Settings};
use room_console::store::Store;

const NOW: &str = "2026-11-23T13:20:00Z";

/// A data dir holding a configured room with 5,000 cached meetings.
fn data_dir_with_cache(dir: &Path) {
    let mut settings = Settings::demo();
    settings.calendar.source = CalendarSource::EwsRoomAccount;
    settings.room.exchange_address = "confrm2@contoso.com".into();
    settings.device.time_zone = Some("Europe/Stockholm".into());
    settings.save(dir).expect("settings are written");
    let tz: Tz = "Europe/Stockholm".parse().expect("known zone");
    let first = Utc
        .with_ymd_and_hms(2026, 10, 20, 6, 0, 0)
        .single()
        .expect("valid");
    let agenda = synthetic_agenda(first, 5_000, 60);
    Store::open(&dir.join("agenda.sqlite3"))
        .and_then(|mut store| store.replace_window(first, first + Duration::days(61), &agenda, &tz))
        .expect("the cache is written");
}

fn yardstick() -> Option<PathBuf> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let path = deps.parent()?.join("examples").join("minimal_window");
    path.exists().then_some(path)
}

fn first_frame(c: &mut Criterion) {
    let Some(minimal) = yardstick() else {
        eprintln!(
            "first_frame: skipped, build the yardstick first: cargo build --release --example minimal_window"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    data_dir_with_cache(&data);
    let console = env!("CARGO_BIN_EXE_room-console");
    let out = dir.path().join("frame.png");

    let mut group = c.benchmark_group("first_frame_1280x800");
    group.sample_size(20);
    group.bench_function("room-console home, 5000 meetings cached", |b| {
        b.iter(|| {
            let status = Command::new(console)
                .arg("--data-dir")
                .arg(&data)
                .args(["screenshot", "--now", NOW, "--out"])
                .arg(&out)
                .env("RUST_LOG", "error")
                .stdout(std::process::Stdio::null())
                .status()
                .expect("room-console runs");
            assert!(status.success());
        })
    });
    group.bench_function("minimal Slint window", |b| {
        b.iter(|| {
            let status = Command::new(&minimal)
                .arg(&out)
                .status()
                .expect("the yardstick runs");
            assert!(status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, first_frame);
criterion_main!(benches);
