//! The content watcher: a tokio task that reads every input when it may have changed,
//! feeds one state machine per input, and sends the resulting events to the UI.

use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};

use super::machine::{ContentEvent, ContentMachine, MachineConfig};
use super::reading::{InputError, SignalReading};
use super::source::InputSource;

type Reading = (usize, Result<SignalReading, InputError>);

/// Drives [`ContentMachine`]s from [`InputSource`]s.
pub struct ContentWatcher {
    sources: Vec<Box<dyn InputSource>>,
    config: MachineConfig,
}

impl ContentWatcher {
    pub fn new(sources: Vec<Box<dyn InputSource>>, config: MachineConfig) -> Self {
        ContentWatcher { sources, config }
    }

    /// Runs [`ContentWatcher::run`] on the current tokio runtime.
    pub fn spawn(self, events: mpsc::Sender<ContentEvent>) -> JoinHandle<()> {
        tokio::spawn(self.run(events))
    }

    /// Watches until the receiver of `events` is dropped (or there is nothing to watch).
    /// Time is tokio's, so tests drive it with paused time.
    pub async fn run(self, events: mpsc::Sender<ContentEvent>) {
        let (readings_in, mut readings) = mpsc::channel::<Reading>(16);
        let mut machines = Vec::with_capacity(self.sources.len());
        // Dropping the set when `run` ends stops every reader.
        let mut readers = JoinSet::new();
        for (index, mut source) in self.sources.into_iter().enumerate() {
            machines.push(ContentMachine::new(&source.describe(), self.config));
            let readings_in = readings_in.clone();
            readers.spawn(async move {
                loop {
                    let reading = source.read();
                    if readings_in.send((index, reading)).await.is_err() {
                        return;
                    }
                    source.changed().await;
                }
            });
        }
        drop(readings_in);

        loop {
            let deadline = machines
                .iter()
                .filter_map(ContentMachine::next_deadline)
                .min();
            let emitted = tokio::select! {
                received = readings.recv() => match received {
                    Some((index, reading)) => machines
                        .get_mut(index)
                        .map(|machine| machine.on_reading(now(), reading))
                        .unwrap_or_default(),
                    None => return,
                },
                () = sleep_until(deadline) => {
                    let now = now();
                    machines.iter_mut().flat_map(|machine| machine.on_tick(now)).collect()
                }
                () = events.closed() => return,
            };
            for event in emitted {
                tracing::info!(?event, "content input");
                if events.send(event).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Tokio's now (virtual under paused test time) as a std instant for the machines.
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)).await,
        None => std::future::pending().await,
    }
}
