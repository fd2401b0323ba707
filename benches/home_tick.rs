//! What one clock tick of the idle home screen costs: rebuilding the view from the day's
//! meetings, updating the Slint models in place and redrawing only what changed. Also
//! prints how much of the screen a tick redraws.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use common::screens::{demo_room, start_home};
use criterion::{Criterion, criterion_group, criterion_main};

fn home_tick(c: &mut Criterion) {
    let start = Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 20, 0)
        .single()
        .expect("valid");
    let (headless, _app, _home, clock) = start_home(start, demo_room());
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
