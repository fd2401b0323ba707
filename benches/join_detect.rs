//! Join-link detection on one invitation body, as every item of a sync runs it: the Teams
//! HTML body of the 5,000-meeting week of `sync_pass` (about 1.1 KB), and the repo's
//! sample bodies (tests/common/fixtures/join/) one after another. The instruction counts
//! of the whole pass (callgrind) are in BENCHMARKS.md; this is the time per body.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use room_console::join::{JoinSources, detect};

/// The Teams invitation of `sync_pass`'s busy week, for meeting `n`.
fn teams_body(n: usize) -> String {
    format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div><p>Agenda: budget, staffing and the Q3 roadmap.</p></div><div style=\"width:100%\"><span style=\"white-space:nowrap;color:#5F5F5F;opacity:.36\">________________________________________________________________________________</span></div><div class=\"me-email-text\" lang=\"en-US\"><div style=\"margin-bottom:24px;overflow:hidden;white-space:nowrap\"><span style=\"font-size:24px;font-weight:700\">Microsoft Teams meeting</span></div><div><a class=\"me-email-headline\" href=\"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{n:06}%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d\" target=\"_blank\">Join the meeting now</a></div><div><span>Meeting ID: </span><span>{n:06} 123 456</span></div><div><span>Passcode: </span><span>ab12cd</span></div></div></body></html>"
    )
}

/// The sample invitation bodies, each with whether it is HTML.
fn sample_bodies() -> Vec<(String, bool)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/fixtures/join");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the join fixtures are in the repository")
        .map(|entry| entry.expect("a readable fixture").path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let body = std::fs::read_to_string(&path).expect("a UTF-8 fixture");
            (body, path.extension().is_some_and(|ext| ext == "html"))
        })
        .collect()
}

fn join_detect(c: &mut Criterion) {
    let mut group = c.benchmark_group("join_detect");
    let teams = teams_body(42);
    group.throughput(Throughput::Bytes(teams.len() as u64));
    group.bench_function("teams_html_body", |b| {
        b.iter(|| {
            detect(&JoinSources {
                body: Some(black_box(&teams)),
                body_is_html: true,
                ..JoinSources::default()
            })
        })
    });
    let samples = sample_bodies();
    let bytes: usize = samples.iter().map(|(body, _)| body.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("all_sample_bodies", |b| {
        b.iter(|| {
            for (body, is_html) in &samples {
                let found = detect(&JoinSources {
                    body: Some(black_box(body)),
                    body_is_html: *is_html,
                    ..JoinSources::default()
                });
                black_box(found.is_ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, join_detect);
criterion_main!(benches);
