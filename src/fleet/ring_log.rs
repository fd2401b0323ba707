//! The console's own log kept in memory for the fleet's `logs` command: a tracing layer
//! that copies every event that passes the log filter into a bounded ring of lines.
//! Nothing is written to disk; the oldest lines go first. Secrets never reach it: the
//! types that hold them print masked, as in the journal.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// The most lines kept.
pub(crate) const CAPACITY: usize = 2000;
/// The longest line kept, in characters; longer ones are cut with "…".
const MAX_LINE_CHARS: usize = 2000;

/// Lines, oldest first, at most [`CAPACITY`].
#[derive(Default)]
struct Ring {
    lines: VecDeque<String>,
}

impl Ring {
    fn push(&mut self, line: String) {
        if self.lines.len() == CAPACITY {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }

    fn last(&self, count: usize) -> Vec<String> {
        let skip = self.lines.len().saturating_sub(count);
        self.lines.iter().skip(skip).cloned().collect()
    }
}

/// The process's ring, filled once [`layer`] is installed.
fn ring() -> &'static Mutex<Ring> {
    static RING: OnceLock<Mutex<Ring>> = OnceLock::new();
    RING.get_or_init(Mutex::default)
}

/// The layer that feeds the ring; `logging::init` installs it.
pub fn layer() -> RingLayer {
    RingLayer
}

/// The last `count` lines of the log, oldest first.
pub(crate) fn last_lines(count: usize) -> Vec<String> {
    ring().lock().unwrap_or_else(|e| e.into_inner()).last(count)
}

/// Adds a line, dropping the oldest when full.
pub(super) fn push(line: String) {
    ring().lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Copies events into the ring as `2026-12-05T19:00:00Z INFO target: message k=v`.
pub struct RingLayer;

impl<S: Subscriber> Layer<S> for RingLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut line = format!(
            "{} {} {}: ",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            meta.level(),
            meta.target()
        );
        event.record(&mut LineWriter(&mut line));
        if line.chars().count() > MAX_LINE_CHARS {
            line = line.chars().take(MAX_LINE_CHARS).collect::<String>() + "…";
        }
        push(line);
    }
}

/// Writes the message first, then the other fields as `name=value`.
struct LineWriter<'a>(&'a mut String);

impl Visit for LineWriter<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ring_keeps_the_newest_lines_up_to_its_capacity() {
        let mut ring = Ring::default();
        for i in 0..CAPACITY + 5 {
            ring.push(format!("line {i}"));
        }
        let last = ring.last(3);
        assert_eq!(
            last,
            [
                format!("line {}", CAPACITY + 2),
                format!("line {}", CAPACITY + 3),
                format!("line {}", CAPACITY + 4)
            ]
        );
        assert_eq!(ring.last(usize::MAX).len(), CAPACITY);
    }
}
