//! Soak: the real sync engine polls the in-repo EWS server through the injected clock
//! while meetings are added, changed and deleted every round, and the process's resident
//! memory (VmRSS) and open file descriptors must stay flat.
//!
//! A test rather than a bench binary because the EWS server is test code (tests/support).
//! CI runs a bounded 300 polls; the long run is
//! `ROOM_CONSOLE_SOAK_POLLS=10080 cargo test --release --test soak -- --ignored --nocapture`
//! (a simulated week at one poll a minute). Figures are in RELIABILITY.md.

mod engine_rig;
mod support;

use std::time::Duration;

use engine_rig::*;
use room_console::clock::Clock;
use room_console::sync::engine::PassResult;
use support::*;

/// Resident memory of this process in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("/proc/self/fd")
        .count()
}

/// Runs `polls` passes with churn; returns (polls done, rss after warm-up, rss at end,
/// fds after warm-up, fds at end, highest rss).
async fn soak(polls: usize) -> (u64, u64, usize, usize, u64) {
    let mut rig = rig(mailbox(30), Duration::from_secs(10)).await;
    let handle = rig.server.mailbox(ROOM).unwrap();
    let mut rng = fastrand::Rng::with_seed(3);
    let warm_up = polls / 10;
    let (mut rss_start, mut fds_start, mut rss_peak) = (0, 0, 0);
    for poll in 0..polls {
        // Churn: one meeting added ahead, one changed, one deleted (the count stays flat).
        let now = rig.clock.now();
        let start = now + chrono::Duration::minutes(rng.i64(30..6 * 60));
        handle.add(
            CalendarItem::new(
                &format!("Churn {poll}"),
                start,
                start + chrono::Duration::minutes(30),
            )
            .organizer("Ana", "ana@contoso.com")
            .text_body("Agenda"),
        );
        let ids = handle.item_ids();
        let changed = &ids[rng.usize(..ids.len())];
        handle.modify(changed, |item| item.subject = format!("Changed {poll}"));
        handle.delete(&ids[0]);

        let (result, wait) = rig.pass().await;
        assert!(
            !matches!(result, PassResult::Failed(_)),
            "poll {poll}: {result:?}"
        );
        rig.server.clear_requests(); // the server's request log is not the console's memory
        rig.clock.advance(chrono::Duration::from_std(wait).unwrap());
        if poll == warm_up {
            (rss_start, fds_start) = (rss_kib(), open_fds());
        }
        rss_peak = rss_peak.max(rss_kib());
        if poll % (polls / 10).max(1) == 0 {
            eprintln!(
                "poll {poll:>6} at {}: VmRSS {} KiB, {} fds",
                rig.clock.now().to_rfc3339(),
                rss_kib(),
                open_fds()
            );
        }
    }
    (rss_start, rss_kib(), fds_start, open_fds(), rss_peak)
}

fn assert_flat(polls: usize, figures: (u64, u64, usize, usize, u64)) {
    let (rss_start, rss_end, fds_start, fds_end, rss_peak) = figures;
    eprintln!(
        "{polls} polls: VmRSS {rss_start} KiB after warm-up, {rss_end} KiB at the end, \
         peak {rss_peak} KiB; fds {fds_start} -> {fds_end}"
    );
    assert!(
        rss_end <= rss_start + 8 * 1024,
        "memory grew from {rss_start} KiB to {rss_end} KiB"
    );
    assert!(
        fds_end <= fds_start + 4,
        "file descriptors grew from {fds_start} to {fds_end}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_keeps_memory_and_descriptors_flat() {
    let polls = 300;
    assert_flat(polls, soak(polls).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the long soak: ROOM_CONSOLE_SOAK_POLLS=10080 (a simulated week)"]
async fn a_long_soak_keeps_memory_and_descriptors_flat() {
    let polls = std::env::var("ROOM_CONSOLE_SOAK_POLLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_080);
    assert_flat(polls, soak(polls).await);
}
