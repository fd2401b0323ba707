//! The plug/unplug state machine behind the share window, pure and clock-free: readings
//! and ticks go in with the time they happen, events for the UI come out.
//!
//! `Disconnected → Detecting → Connected → Lost → (Connected | Disconnected)`. A picture
//! must hold for the debounce (1 s) before the window opens, and a lost picture gets a
//! grace period (3 s) before it closes, so a laptop changing resolution or a loose cable
//! does not make the window flap.

use std::time::{Duration, Instant};

use super::reading::{InputError, InputInfo, SignalReading, VideoMode};

/// Timings of the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MachineConfig {
    /// How long a picture must hold before the window opens.
    pub debounce: Duration,
    /// How long a lost picture may stay away before the window closes (`GraceSeconds`).
    pub grace: Duration,
    /// How long a plugged-in cable may go without a stable picture before the admin is
    /// told.
    pub problem_after: Duration,
}

/// The default `GraceSeconds`.
pub(crate) const DEFAULT_GRACE_SECONDS: u32 = 3;

impl Default for MachineConfig {
    fn default() -> Self {
        MachineConfig {
            debounce: Duration::from_secs(1),
            grace: Duration::from_secs(u64::from(DEFAULT_GRACE_SECONDS)),
            problem_after: Duration::from_secs(10),
        }
    }
}

impl MachineConfig {
    /// The defaults with the `GraceSeconds` setting applied.
    pub fn with_grace_seconds(grace_seconds: u32) -> Self {
        MachineConfig {
            grace: Duration::from_secs(u64::from(grace_seconds)),
            ..MachineConfig::default()
        }
    }
}

/// What the UI does with the share window.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentEvent {
    /// Open the share window (or update it: sent again when the resolution changes).
    ShowContent {
        input: String,
        resolution: Option<VideoMode>,
        can_preview: bool,
    },
    /// Close the share window opened for `input`.
    HideContent { input: String },
    /// Something is wrong with `input`; `message` is for the admin and says the fix.
    InputProblem { input: String, message: String },
    /// The problem last reported for `input` is gone.
    ProblemCleared { input: String },
}

/// Where the machine is, for diagnostics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentState {
    Disconnected,
    Detecting,
    Connected,
    Lost,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Disconnected,
    Detecting {
        entered: Instant,
        locked_since: Option<Instant>,
        mode: Option<VideoMode>,
        waiting_reported: bool,
    },
    Connected {
        mode: Option<VideoMode>,
    },
    Lost {
        since: Instant,
        mode: Option<VideoMode>,
    },
}

/// A reading reduced to what the machine decides on.
enum Signal {
    /// A stable, showable picture.
    Locked(Option<VideoMode>),
    /// Something is plugged in but there is nothing to show yet.
    Pending,
    /// Nothing plugged in, or the source cannot be read.
    Gone,
}

/// The state machine of one content input.
#[derive(Debug, Clone)]
pub struct ContentMachine {
    input: String,
    name: String,
    can_preview: bool,
    config: MachineConfig,
    state: State,
    /// The last reading that was plugged-in but not showable, to word the problem.
    last_pending: Option<SignalReading>,
    reported_problem: Option<String>,
}

impl ContentMachine {
    /// A machine for `input`, starting disconnected.
    pub fn new(input: &InputInfo, config: MachineConfig) -> Self {
        ContentMachine {
            input: input.id.clone(),
            name: input.name.clone(),
            can_preview: input.can_preview,
            config,
            state: State::Disconnected,
            last_pending: None,
            reported_problem: None,
        }
    }

    pub fn state(&self) -> ContentState {
        match self.state {
            State::Disconnected => ContentState::Disconnected,
            State::Detecting { .. } => ContentState::Detecting,
            State::Connected { .. } => ContentState::Connected,
            State::Lost { .. } => ContentState::Lost,
        }
    }

    /// The id of the input this machine follows.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Feeds one reading taken at `now`.
    pub fn on_reading(
        &mut self,
        now: Instant,
        reading: Result<SignalReading, InputError>,
    ) -> Vec<ContentEvent> {
        let mut events = Vec::new();
        let signal = match reading {
            Err(error) => {
                self.report(error.to_string(), &mut events);
                Signal::Gone
            }
            Ok(SignalReading::Absent) => {
                self.clear_problem(&mut events);
                Signal::Gone
            }
            Ok(SignalReading::Locked { mode }) => Signal::Locked(mode),
            Ok(pending) => {
                if let SignalReading::OutOfRange { mode } = &pending {
                    let message = self.out_of_range_message(*mode);
                    self.report(message, &mut events);
                }
                self.last_pending = Some(pending);
                Signal::Pending
            }
        };
        self.apply(now, signal, &mut events);
        self.advance(now, &mut events);
        events
    }

    /// Lets time pass: call at [`ContentMachine::next_deadline`] (calling more often is
    /// harmless).
    pub fn on_tick(&mut self, now: Instant) -> Vec<ContentEvent> {
        let mut events = Vec::new();
        self.advance(now, &mut events);
        events
    }

    /// When the machine next needs [`ContentMachine::on_tick`], if ever.
    pub fn next_deadline(&self) -> Option<Instant> {
        match &self.state {
            State::Detecting {
                locked_since: Some(since),
                ..
            } => Some(*since + self.config.debounce),
            State::Detecting {
                entered,
                locked_since: None,
                waiting_reported: false,
                ..
            } => Some(*entered + self.config.problem_after),
            State::Lost { since, .. } => Some(*since + self.config.grace),
            _ => None,
        }
    }

    fn apply(&mut self, now: Instant, signal: Signal, events: &mut Vec<ContentEvent>) {
        self.state = match (
            std::mem::replace(&mut self.state, State::Disconnected),
            signal,
        ) {
            (State::Disconnected, Signal::Gone) => State::Disconnected,
            (State::Disconnected, Signal::Pending) => State::Detecting {
                entered: now,
                locked_since: None,
                mode: None,
                waiting_reported: false,
            },
            (State::Disconnected, Signal::Locked(mode)) => State::Detecting {
                entered: now,
                locked_since: Some(now),
                mode,
                waiting_reported: false,
            },
            (State::Detecting { .. }, Signal::Gone) => State::Disconnected,
            (
                State::Detecting {
                    entered,
                    waiting_reported,
                    ..
                },
                Signal::Pending,
            ) => State::Detecting {
                entered,
                locked_since: None,
                mode: None,
                waiting_reported,
            },
            (
                State::Detecting {
                    entered,
                    locked_since,
                    waiting_reported,
                    ..
                },
                Signal::Locked(mode),
            ) => State::Detecting {
                entered,
                locked_since: Some(locked_since.unwrap_or(now)),
                mode,
                waiting_reported,
            },
            (State::Connected { mode } | State::Lost { mode, .. }, Signal::Locked(new_mode)) => {
                if new_mode != mode {
                    events.push(self.show(new_mode));
                }
                State::Connected { mode: new_mode }
            }
            (State::Connected { mode }, Signal::Pending | Signal::Gone) => {
                State::Lost { since: now, mode }
            }
            (lost @ State::Lost { .. }, Signal::Pending | Signal::Gone) => lost,
        };
    }

    fn advance(&mut self, now: Instant, events: &mut Vec<ContentEvent>) {
        match &mut self.state {
            State::Detecting {
                locked_since: Some(since),
                mode,
                ..
            } if now >= *since + self.config.debounce => {
                let mode = *mode;
                self.state = State::Connected { mode };
                self.clear_problem(events);
                events.push(self.show(mode));
            }
            State::Detecting {
                entered,
                locked_since: None,
                waiting_reported,
                ..
            } if !*waiting_reported && now >= *entered + self.config.problem_after => {
                *waiting_reported = true;
                if let Some(message) = self.waiting_message() {
                    self.report(message, events);
                }
            }
            State::Lost { since, .. } if now >= *since + self.config.grace => {
                self.state = State::Disconnected;
                events.push(ContentEvent::HideContent {
                    input: self.input.clone(),
                });
            }
            _ => {}
        }
    }

    fn show(&self, resolution: Option<VideoMode>) -> ContentEvent {
        ContentEvent::ShowContent {
            input: self.input.clone(),
            resolution,
            can_preview: self.can_preview,
        }
    }

    fn report(&mut self, message: String, events: &mut Vec<ContentEvent>) {
        if self.reported_problem.as_deref() != Some(message.as_str()) {
            events.push(ContentEvent::InputProblem {
                input: self.input.clone(),
                message: message.clone(),
            });
            self.reported_problem = Some(message);
        }
    }

    fn clear_problem(&mut self, events: &mut Vec<ContentEvent>) {
        if self.reported_problem.take().is_some() {
            events.push(ContentEvent::ProblemCleared {
                input: self.input.clone(),
            });
        }
    }

    fn waiting_message(&self) -> Option<String> {
        match self.last_pending.as_ref()? {
            SignalReading::PluggedNoSignal => Some(format!(
                "a cable is plugged into {} but no picture arrives: wake the laptop and turn \
                 on its external display (Windows+P, or the display settings)",
                self.name
            )),
            SignalReading::Unstable => Some(format!(
                "the picture on {} does not settle: try another cable, or a lower \
                 resolution on the laptop",
                self.name
            )),
            // Out-of-range pictures are reported as soon as they are seen.
            _ => None,
        }
    }

    fn out_of_range_message(&self, mode: Option<VideoMode>) -> String {
        let what = mode.map_or_else(|| "a picture".to_string(), |m| format!("{m}"));
        format!(
            "the laptop sends {what}, which {} cannot take: set the laptop's display to \
             1920×1080 at 60 Hz or lower",
            self.name
        )
    }
}
