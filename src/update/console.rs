//! The updater's part in the running console, on the background runtime: read the slots
//! for the admin screen, run the health gate after booting new software, then restart
//! into planned updates when their time comes. Without RAUC it reads the slots once and
//! stops: nothing else changes.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use tokio::runtime::Handle;

use super::{AfterBoot, GateInputs, Rauc, after_boot, prove, refresh_slots, restart_when_due};
use crate::clock::{Clock, SystemClock};
use crate::device::paths::DataDir;
use crate::sync::task::SyncHandle;

/// What the updater watches in the console.
pub struct ConsoleSignals {
    /// Set once the screen (home or wizard) has drawn its first frame.
    pub frame_drawn: Arc<AtomicBool>,
    /// The running sync; `None` in the wizard and the demo.
    pub sync: Option<SyncHandle>,
    /// Whether content is being shown (or offered) now.
    pub content_shown: Arc<dyn Fn() -> bool + Send + Sync>,
}

/// Starts the updater's background work.
pub fn spawn(runtime: &Handle, data_dir: DataDir, signals: ConsoleSignals) {
    runtime.spawn(async move {
        if refresh_slots(&data_dir).await.slots.is_none() {
            tracing::info!("updates are not available on this system (no RAUC on the D-Bus)");
            return;
        }
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let Ok(rauc) = Rauc::system().await else {
            return;
        };
        let needs_sync = signals.sync.is_some();
        match after_boot(&rauc, &data_dir, clock.now(), needs_sync).await {
            Ok(AfterBoot::Prove(gate)) => {
                let sync = signals.sync.clone();
                let inputs = GateInputs {
                    frame_drawn: signals.frame_drawn.clone(),
                    sync_status: sync
                        .map(|sync| Box::new(move || sync.status()) as Box<dyn Fn() -> _ + Send>),
                };
                match prove(&rauc, &data_dir, gate, inputs, clock.as_ref()).await {
                    Ok(state) => tracing::info!(?state, "health gate done"),
                    Err(err) => tracing::error!("health gate: {err}"),
                }
                refresh_slots(&data_dir).await;
            }
            Ok(AfterBoot::Nothing) => {}
            Err(err) => tracing::error!("cannot check the booted software: {err}"),
        }
        restart_when_due(data_dir, clock, signals.content_shown).await;
    });
}
