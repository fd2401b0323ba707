//! Soak: the real sync engine polls the in-repo EWS server through the injected clock
//! while meetings are added, changed and deleted every round, and the console's resident
//! memory (VmRSS) and open file descriptors must stay flat.
//!
//! The EWS server runs in a child process (this test binary again, running
//! `soak_server_child`), so the memory measured is the console's alone: the server keeps a
//! journal of every change, which would otherwise count as the console's growth. The
//! parent drives the churn over the child's stdin and reads its answers from stdout.
//!
//! CI runs a bounded 300 polls; the long run is
//! `ROOM_CONSOLE_SOAK_POLLS=10080 cargo test --release --test reliability soak::a_long_soak -- --ignored --nocapture`
//! Each soak runs alone in a process of its own (the other reliability tests would count
//! as the console's growth).
//! (a simulated week at one poll a minute). Figures are in RELIABILITY.md.

use crate::common::engine_rig;
use crate::common::ews_server;
use crate::common::process::{ran_alone, test_name};

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use engine_rig::*;
use ews_server::*;
use room_console::clock::{Clock, FixedClock};
use room_console::sync::engine::PassResult;

/// Set in the child's environment: only then does `soak_server_child` serve.
const CHILD_ENV: &str = "ROOM_CONSOLE_SOAK_SERVER";
/// Prefix of the child's protocol lines (the test harness writes its own lines too).
const PROTOCOL: &str = "soak-server:";

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

/// The server half of the soak: started by [`ServerProcess::spawn`] in a child process,
/// it serves the room's mailbox and applies the churn it is sent. Run directly (without
/// the child's environment variable) it has nothing to do.
#[test]
#[ignore = "the soak's server half, run in a child process by the soak tests"]
fn soak_server_child() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    // The server's tasks run on the runtime's worker; this thread reads the commands.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(EwsServer::start(server_config(mailbox(30))))
        .unwrap();
    let handle = server.mailbox(ROOM).unwrap();
    println!("{PROTOCOL} url {}", server.url());
    for line in server.ca_pem().lines() {
        println!("{PROTOCOL} ca {line}");
    }
    println!("{PROTOCOL} ready");
    let mut rng = fastrand::Rng::with_seed(3);
    for command in std::io::stdin().lines() {
        let command = command.unwrap();
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["churn", poll, now] => {
                let now: DateTime<Utc> = now.parse().unwrap();
                churn(&handle, &mut rng, poll, now);
                server.clear_requests(); // the request log is not the server's working set
                println!("{PROTOCOL} ok");
            }
            ["rss"] => println!("{PROTOCOL} rss {}", rss_kib()),
            _ => panic!("unknown soak command {command:?}"),
        }
    }
}

/// One meeting added ahead of `now`, one changed and one deleted (the count stays flat).
fn churn(handle: &MailboxHandle, rng: &mut fastrand::Rng, poll: &str, now: DateTime<Utc>) {
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
}

/// The EWS server in a child process, and the pipes to drive it.
struct ServerProcess {
    child: Child,
    commands: ChildStdin,
    answers: BufReader<ChildStdout>,
    url: String,
    ca_pem: String,
}

impl ServerProcess {
    fn spawn() -> ServerProcess {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                &test_name(module_path!(), "soak_server_child"),
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the soak server process");
        let commands = child.stdin.take().unwrap();
        let answers = BufReader::new(child.stdout.take().unwrap());
        let mut process = ServerProcess {
            child,
            commands,
            answers,
            url: String::new(),
            ca_pem: String::new(),
        };
        loop {
            let answer = process.answer();
            if let Some(url) = answer.strip_prefix("url ") {
                process.url = url.to_string();
            } else if let Some(line) = answer.strip_prefix("ca ") {
                process.ca_pem.push_str(line);
                process.ca_pem.push('\n');
            } else if answer == "ready" {
                return process;
            }
        }
    }

    /// The child's next protocol line, without its prefix.
    fn answer(&mut self) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            let read = self.answers.read_line(&mut line).unwrap();
            assert!(read > 0, "the soak server process ended");
            if let Some(answer) = line.strip_prefix(PROTOCOL) {
                return answer.trim().to_string();
            }
        }
    }

    fn churn(&mut self, poll: usize, now: DateTime<Utc>) {
        writeln!(self.commands, "churn {poll} {}", now.to_rfc3339()).unwrap();
        assert_eq!(self.answer(), "ok");
    }

    fn rss_kib(&mut self) -> u64 {
        writeln!(self.commands, "rss").unwrap();
        let answer = self.answer();
        answer
            .strip_prefix("rss ")
            .and_then(|kib| kib.parse().ok())
            .unwrap_or_else(|| panic!("not an rss answer: {answer:?}"))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Memory and descriptors at one moment: the console's, and the server process's memory.
#[derive(Debug, Clone, Copy)]
struct Sample {
    rss_kib: u64,
    fds: usize,
    server_rss_kib: u64,
}

fn sample(server: &mut ServerProcess) -> Sample {
    Sample {
        rss_kib: rss_kib(),
        fds: open_fds(),
        server_rss_kib: server.rss_kib(),
    }
}

/// Runs `polls` passes with churn; returns the samples after the warm-up tenth and at the
/// end, and the console's highest RSS.
fn soak(polls: usize) -> (Sample, Sample, u64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut server = ServerProcess::spawn();
    let clock = FixedClock::new(at(23, 7, 0));
    let mut engine = runtime.block_on(async {
        engine_at(
            &server.url,
            &server.ca_pem,
            PASSWORD,
            Duration::from_secs(10),
            &clock,
        )
    });
    let warm_up = polls / 10;
    let (mut after_warm_up, mut rss_peak) = (None, 0);
    for poll in 0..polls {
        server.churn(poll, clock.now());
        let (result, wait) = runtime.block_on(engine.pass(clock.now()));
        assert!(
            !matches!(result, PassResult::Failed(_)),
            "poll {poll}: {result:?}"
        );
        clock.advance(chrono::Duration::from_std(wait).unwrap());
        if poll == warm_up {
            after_warm_up = Some(sample(&mut server));
        }
        rss_peak = rss_peak.max(rss_kib());
        if poll % (polls / 10).max(1) == 0 {
            eprintln!(
                "poll {poll:>6} at {}: {:?}",
                clock.now().to_rfc3339(),
                sample(&mut server)
            );
        }
    }
    let end = sample(&mut server);
    drop(engine);
    (after_warm_up.unwrap(), end, rss_peak)
}

fn assert_flat(polls: usize, (start, end, rss_peak): (Sample, Sample, u64)) {
    eprintln!(
        "{polls} polls: console VmRSS {} KiB after warm-up, {} KiB at the end, peak {rss_peak} \
         KiB; fds {} -> {}; server process VmRSS {} -> {} KiB",
        start.rss_kib, end.rss_kib, start.fds, end.fds, start.server_rss_kib, end.server_rss_kib
    );
    assert!(
        end.rss_kib <= start.rss_kib + 2 * 1024,
        "the console's memory grew from {} KiB to {} KiB",
        start.rss_kib,
        end.rss_kib
    );
    assert!(
        end.fds <= start.fds + 4,
        "file descriptors grew from {} to {}",
        start.fds,
        end.fds
    );
}

#[test]
fn a_short_soak_keeps_memory_and_descriptors_flat() {
    // The console's memory and descriptors are this process's: no other test may share it.
    if ran_alone(
        module_path!(),
        "a_short_soak_keeps_memory_and_descriptors_flat",
    ) {
        return;
    }
    let polls = 300;
    assert_flat(polls, soak(polls));
}

#[test]
#[ignore = "the long soak: ROOM_CONSOLE_SOAK_POLLS=10080 (a simulated week)"]
fn a_long_soak_keeps_memory_and_descriptors_flat() {
    if ran_alone(
        module_path!(),
        "a_long_soak_keeps_memory_and_descriptors_flat",
    ) {
        return;
    }
    let polls = std::env::var("ROOM_CONSOLE_SOAK_POLLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_080);
    assert_flat(polls, soak(polls));
}
