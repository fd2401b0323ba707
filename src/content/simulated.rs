//! A simulated content input for the desktop and demos: `room-console content connect`
//! (through the control socket) plugs in a pretend laptop, `… disconnect` unplugs it.

use tokio::sync::watch;

use super::reading::{InputError, InputInfo, InputKind, SignalReading};
use super::source::{Changed, InputSource};

/// The id of the simulated input in events.
pub(crate) const SIMULATED_ID: &str = "simulated";

/// The input side: read by the watcher.
pub struct SimulatedSource {
    plugged_in: watch::Receiver<bool>,
}

/// The switch side: flipped by control-socket commands. Cheap to clone.
#[derive(Clone)]
pub struct SimulatedSwitch {
    plugged_in: watch::Sender<bool>,
}

/// A new simulated input, unplugged.
pub fn simulated_input() -> (SimulatedSource, SimulatedSwitch) {
    let (sender, receiver) = watch::channel(false);
    (
        SimulatedSource {
            plugged_in: receiver,
        },
        SimulatedSwitch { plugged_in: sender },
    )
}

impl SimulatedSwitch {
    /// Plugs the pretend laptop in (`true`) or out (`false`).
    pub fn set(&self, plugged_in: bool) {
        self.plugged_in.send_replace(plugged_in);
    }

    /// Whether the pretend laptop is plugged in.
    pub fn is_plugged_in(&self) -> bool {
        *self.plugged_in.borrow()
    }
}

impl InputSource for SimulatedSource {
    fn id(&self) -> &str {
        SIMULATED_ID
    }

    fn describe(&self) -> InputInfo {
        InputInfo::unread(
            SIMULATED_ID,
            "Simulated input (room-console content connect)".to_string(),
            InputKind::Simulated,
            None,
        )
    }

    fn read(&mut self) -> Result<SignalReading, InputError> {
        Ok(if *self.plugged_in.borrow_and_update() {
            SignalReading::CONNECTED
        } else {
            SignalReading::Absent
        })
    }

    fn changed(&mut self) -> Changed<'_> {
        Box::pin(async move {
            if self.plugged_in.changed().await.is_err() {
                // Every switch is gone: nothing will ever change again.
                std::future::pending::<()>().await;
            }
        })
    }
}
