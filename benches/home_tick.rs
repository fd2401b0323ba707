//! What one clock tick of the idle home screen costs: rebuilding the view from the day's
//! meetings, updating the Slint models in place and redrawing only what changed. Also
//! prints how much of the screen a tick redraws.

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{Criterion, criterion_group, criterion_main};
use room_console::calendar::demo::demo_agenda;
use room_console::clock::FixedClock;
use room_console::ui::AppWindow;
use room_console::ui::headless::Headless;
use room_console::ui::home::controller::{HomeController, RoomInfo};
use slint::{ComponentHandle, PhysicalSize};

fn home_tick(c: &mut Criterion) {
    let headless = Headless::install(PhysicalSize::new(1280, 800)).expect("headless platform");
    let app = AppWindow::new().expect("window");
    let start = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 20, 0)
        .single()
        .expect("valid");
    let clock = FixedClock::new(start);
    let _home = HomeController::start(
        &app,
        RoomInfo {
            name: "Conference Room 2".into(),
            tz: Tz::UTC,
            clock_24h: true,
            notice: None,
            join_command: None,
            share_command: None,
        },
        Box::new(clock.clone()),
        Box::new(|day: NaiveDate| Ok(demo_agenda(day, 1, &Tz::UTC))),
        None,
    );
    app.show().expect("shown");
    let full = headless.render_changes();
    clock.advance(chrono::Duration::seconds(1));
    headless.advance(Duration::from_secs(1));
    let same_minute = headless.render_changes();
    clock.advance(chrono::Duration::seconds(60));
    headless.advance(Duration::from_secs(60));
    let next_minute = headless.render_changes();
    eprintln!(
        "home_tick: first frame redrew {full} px; a tick within the minute redraws {same_minute} px; \
         the minute changing redraws {next_minute} px ({:.2} % of the screen)",
        100.0 * next_minute as f64 / full as f64
    );

    let mut group = c.benchmark_group("home_1280x800");
    group.bench_function("clock tick: update + partial redraw", |b| {
        b.iter(|| {
            clock.advance(chrono::Duration::seconds(1));
            headless.advance(Duration::from_secs(1));
            headless.render_changes()
        })
    });
    group.finish();
}

criterion_group!(benches, home_tick);
criterion_main!(benches);
