//! Software updates that cannot brick a room, through RAUC's A/B slots:
//!
//! - [`start`]: fetch a bundle (file or HTTPS), check its SHA-256, install it with RAUC,
//!   then plan the restart into a free period of the room's calendar ([`plan`]) or restart
//!   at once; one call for the CLI, the admin screen and the fleet's `update` command;
//! - [`restart_when_due`]: in the running console, restarts when the planned time comes
//!   and the room is still free;
//! - [`after_boot`] and [`prove`]: after booting the new slot, the health gate ([`gate`])
//!   marks it good, or bad and restarts into the old software;
//! - [`state`]: where it all stands, for `status`, the admin screen and fleet health.

pub mod console;
pub mod error;
pub mod fetch;
pub mod gate;
pub mod plan;
pub mod rauc;
pub mod reboot;
pub mod state;
pub mod words;

#[cfg(test)]
mod mock_installer;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub use error::UpdateError;
use fetch::BundleSource;
use gate::{GateDecision, HealthGate};
use plan::{RestartPlan, busy_periods, plan_restart};
pub use rauc::{Rauc, Slot};
pub use state::UpdateState;

use crate::clock::Clock;
use crate::device::paths::DataDir;
use crate::settings::Settings;
use crate::store::Store;
use crate::sync::status::SyncStatus;
use crate::words::{Phrase, Wording};

/// The slots as RAUC on the system bus reports them now; no RAUC is "not available".
pub(crate) async fn read_slots() -> state::SlotsSnapshot {
    let slots = match Rauc::system().await {
        Ok(rauc) => rauc.slots().await.ok(),
        Err(_) => None,
    };
    state::SlotsSnapshot { slots }
}

/// Reads the slots and keeps them for the admin screen ([`state::SlotsSnapshot`]).
pub(crate) async fn refresh_slots(data_dir: &DataDir) -> state::SlotsSnapshot {
    let snapshot = read_slots().await;
    snapshot.save(data_dir.path());
    snapshot
}

/// The folder in the data dir that downloads go to.
pub const DOWNLOAD_DIR: &str = "update-download";

/// What to install and when to restart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRequest {
    /// An `https://` address or a file path.
    pub source: String,
    /// The bundle's expected SHA-256 (hex).
    pub sha256: Option<String>,
    /// Restart at once instead of in a free period.
    pub restart_now: bool,
}

/// Installs an update through RAUC on the system bus and plans (or does) the restart;
/// `report` hears every change of state. The fleet's `update` command is
/// `update::start(&data_dir, &request, &clock, &mut |_| {}).await`.
pub async fn start(
    data_dir: &DataDir,
    request: &UpdateRequest,
    clock: &dyn Clock,
    report: &mut (dyn FnMut(&UpdateState) + Send),
) -> Result<UpdateState, UpdateError> {
    let rauc = Rauc::system().await?;
    start_with(&rauc, data_dir, request, clock, report).await
}

/// [`start`] with a given RAUC connection.
pub async fn start_with(
    rauc: &Rauc,
    data_dir: &DataDir,
    request: &UpdateRequest,
    clock: &dyn Clock,
    report: &mut (dyn FnMut(&UpdateState) + Send),
) -> Result<UpdateState, UpdateError> {
    let settings = Settings::load(data_dir.path()).ok().flatten();
    let result = install(rauc, data_dir, settings.as_ref(), request, report).await;
    let (version, slot) = match result {
        Ok(installed) => installed,
        Err(error) => {
            let failed = UpdateState::Failed {
                message: error.to_string(),
                at: clock.now(),
                words: Some(error.wording()),
            };
            save(data_dir, &failed, report);
            return Err(error);
        }
    };
    let plan = if request.restart_now {
        None
    } else {
        plan_for(data_dir, settings.as_ref(), clock.now(), false)
    };
    let waiting = UpdateState::AwaitingRestart {
        version,
        slot,
        plan,
    };
    save(data_dir, &waiting, report);
    if request.restart_now {
        reboot::reboot(&reboot::reboot_command(settings.as_ref()))
            .map_err(|e| UpdateError::Local(e.to_string()))?;
    }
    Ok(waiting)
}

/// Fetches, checks and installs; answers the version and the slot (bootname) it went to.
async fn install(
    rauc: &Rauc,
    data_dir: &DataDir,
    settings: Option<&Settings>,
    request: &UpdateRequest,
    report: &mut (dyn FnMut(&UpdateState) + Send),
) -> Result<(String, String), UpdateError> {
    let bundle = match BundleSource::parse(&request.source)? {
        BundleSource::File(path) => {
            if !path.is_file() {
                return Err(UpdateError::Local(format!(
                    "there is no update file at {}",
                    path.display()
                )));
            }
            std::path::absolute(&path).unwrap_or(path)
        }
        BundleSource::Https(url) => {
            let trusted_ca = match settings.and_then(|s| s.calendar.trusted_ca_file.as_ref()) {
                Some(file) => Some(std::fs::read(file).map_err(|e| {
                    UpdateError::Local(format!(
                        "cannot read the trusted CA file {}: {e}",
                        file.display()
                    ))
                })?),
                None => None,
            };
            let mut last_percent = None;
            fetch::download(
                &url,
                &data_dir.path().join(DOWNLOAD_DIR),
                trusted_ca.as_deref(),
                |done, total| {
                    let percent = total.filter(|t| *t > 0).map(|t| done * 100 / t);
                    if percent != last_percent || percent.is_none() && done % (8 << 20) == 0 {
                        last_percent = percent;
                        save(
                            data_dir,
                            &UpdateState::Downloading {
                                source: url.to_string(),
                                done_bytes: done,
                                total_bytes: total,
                            },
                            report,
                        );
                    }
                },
            )
            .await?
        }
    };
    if let Some(expected) = &request.sha256 {
        let path = bundle.clone();
        let expected = expected.clone();
        tokio::task::spawn_blocking(move || fetch::check_sha256(&path, &expected))
            .await
            .map_err(|e| UpdateError::Local(format!("the checksum check stopped: {e}")))??;
    }
    save(
        data_dir,
        &UpdateState::Installing {
            percent: 0,
            step: "starting".into(),
        },
        report,
    );
    rauc.install(&bundle, |progress| {
        save(
            data_dir,
            &UpdateState::Installing {
                percent: progress.percent,
                step: progress.step,
            },
            report,
        );
    })
    .await?;
    if bundle.starts_with(data_dir.path().join(DOWNLOAD_DIR)) {
        // Installed: the download's room goes back to the agenda cache.
        if let Err(err) = std::fs::remove_file(&bundle) {
            tracing::warn!(
                "cannot remove the installed download {}: {err}",
                bundle.display()
            );
        }
    }
    let primary = rauc.primary().await?;
    let slots = rauc.slots().await?;
    state::SlotsSnapshot {
        slots: Some(slots.clone()),
    }
    .save(data_dir.path());
    // The slot the bootloader starts next is the one just written; RAUC keeps the
    // bundle's version in its status.
    let installed = slots.into_iter().find(|slot| slot.name == primary);
    let version = installed
        .as_ref()
        .and_then(|slot| slot.version.clone())
        .unwrap_or_else(|| "the new software".to_owned());
    let slot = installed.and_then(|slot| slot.bootname).unwrap_or(primary);
    Ok((version, slot))
}

/// Saves the state (a failure to save is logged: the update itself goes on) and tells it.
fn save(data_dir: &DataDir, state: &UpdateState, report: &mut (dyn FnMut(&UpdateState) + Send)) {
    if let Err(err) = state.save(data_dir.path()) {
        tracing::error!("cannot save the update state: {err}");
    }
    report(state);
}

/// The room's time zone from the settings (the system's when unset).
pub(crate) fn room_tz(settings: Option<&Settings>) -> Tz {
    crate::clock::device_time_zone(settings.and_then(|s| s.device.time_zone.as_deref()))
}

/// The restart plan from the cached agenda at `now`.
pub(crate) fn plan_for(
    data_dir: &DataDir,
    settings: Option<&Settings>,
    now: DateTime<Utc>,
    content_shown: bool,
) -> Option<RestartPlan> {
    let tz = room_tz(settings);
    let meetings = if data_dir.agenda_db().exists() {
        Store::open(&data_dir.agenda_db())
            .and_then(|store| {
                store.meetings_between(now - chrono::Duration::days(1), now + plan::HORIZON)
            })
            .unwrap_or_else(|err| {
                tracing::error!("cannot read the agenda to plan the restart: {err}");
                Vec::new()
            })
    } else {
        Vec::new()
    };
    let hours = settings
        .map(|s| s.updates.maintenance_hours)
        .unwrap_or_default();
    plan_restart(
        now,
        &tz,
        &busy_periods(&meetings, &tz),
        hours,
        content_shown,
    )
}

/// How often the running console looks whether a planned restart is due.
const RESTART_CHECK_EVERY: Duration = Duration::from_secs(30);

/// In the running console: restarts when the planned time has come and the room is still
/// free (a meeting booked since, or content being shown, moves the plan). Runs forever.
pub(crate) async fn restart_when_due(
    data_dir: DataDir,
    clock: Arc<dyn Clock>,
    content_shown: Arc<dyn Fn() -> bool + Send + Sync>,
) {
    loop {
        if let Some(UpdateState::AwaitingRestart {
            version,
            slot,
            plan: Some(plan),
        }) = UpdateState::load(data_dir.path())
        {
            let now = clock.now();
            if now >= plan.at {
                let settings = Settings::load(data_dir.path()).ok().flatten();
                let fresh = plan_for(&data_dir, settings.as_ref(), now, content_shown());
                if fresh.is_some_and(|fresh| fresh.at <= now) {
                    if let Err(err) = reboot::reboot(&reboot::reboot_command(settings.as_ref())) {
                        tracing::error!("{err}");
                    }
                } else {
                    let moved = UpdateState::AwaitingRestart {
                        version,
                        slot,
                        plan: fresh,
                    };
                    save(&data_dir, &moved, &mut |_| {});
                }
            }
        }
        tokio::time::sleep(RESTART_CHECK_EVERY).await;
    }
}

/// What booting found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterBoot {
    /// Nothing to prove (no update pending, or RAUC absent).
    Nothing,
    /// The new software runs on trial: run [`prove`] with this gate.
    Prove(HealthGate),
}

/// At start-up: if the console restarted into freshly installed software, opens its health
/// gate; if it came back up in the old slot instead, reports the rollback.
pub async fn after_boot(
    rauc: &Rauc,
    data_dir: &DataDir,
    now: DateTime<Utc>,
    needs_sync: bool,
) -> Result<AfterBoot, UpdateError> {
    let settings = Settings::load(data_dir.path()).ok().flatten();
    let limit = settings
        .as_ref()
        .map(|s| s.updates.health_gate())
        .unwrap_or_else(|| crate::settings::UpdateSettings::default().health_gate());
    let booted = rauc.boot_slot().await?;
    let (version, slot, deadline) = match UpdateState::load(data_dir.path()) {
        Some(UpdateState::AwaitingRestart { version, slot, .. }) if slot == booted => {
            (version, slot, now + limit)
        }
        Some(UpdateState::Proving {
            version,
            slot,
            deadline,
        }) => {
            if slot != booted {
                let reason = Wording::phrase(Phrase::UpdateCameBackInPrevious, [booted]);
                let rolled = UpdateState::RolledBack {
                    version,
                    reason: reason.english(),
                    at: now,
                    words: Some(reason),
                };
                save(data_dir, &rolled, &mut |_| {});
                return Ok(AfterBoot::Nothing);
            }
            (version, slot, deadline)
        }
        _ => return Ok(AfterBoot::Nothing),
    };
    save(
        data_dir,
        &UpdateState::Proving {
            version,
            slot,
            deadline,
        },
        &mut |_| {},
    );
    Ok(AfterBoot::Prove(HealthGate::new(
        deadline - limit,
        limit,
        needs_sync,
    )))
}

/// What the health gate watches in the running console.
pub struct GateInputs {
    /// Set once the home screen or the wizard drew its first frame.
    pub frame_drawn: Arc<AtomicBool>,
    /// The sync's latest status; `None` without a sync (the wizard, the demo).
    pub sync_status: Option<Box<dyn Fn() -> SyncStatus + Send>>,
}

/// How often the gate looks at the screen and the sync.
const GATE_CHECK_EVERY: Duration = Duration::from_secs(1);

/// Runs the health gate to its end: marks the booted slot good, or bad and restarts
/// through the reboot command. Answers the final state.
pub async fn prove(
    rauc: &Rauc,
    data_dir: &DataDir,
    mut gate: HealthGate,
    inputs: GateInputs,
    clock: &dyn Clock,
) -> Result<UpdateState, UpdateError> {
    let opened = clock.now();
    let mut seen_attempt: Option<DateTime<Utc>> = None;
    let decision = loop {
        if inputs.frame_drawn.load(Ordering::SeqCst) {
            gate.frame_drawn();
        }
        if let Some(status) = &inputs.sync_status {
            let status = status();
            // Only passes made by this software count, each once.
            if status.last_attempt.is_some_and(|t| t >= opened)
                && status.last_attempt != seen_attempt
            {
                seen_attempt = status.last_attempt;
                let message = status.last_error.as_ref().map(|e| e.message.english());
                gate.sync_pass(&status.state, message.as_deref());
            }
        }
        match gate.decide(clock.now()) {
            GateDecision::Wait => tokio::time::sleep(GATE_CHECK_EVERY).await,
            decided => break decided,
        }
    };
    let version = match UpdateState::load(data_dir.path()) {
        Some(UpdateState::Proving { version, .. }) => version,
        _ => "the new software".to_owned(),
    };
    let settings = Settings::load(data_dir.path()).ok().flatten();
    let state = match decision {
        GateDecision::MarkBad(reason) => {
            tracing::error!(reason = %reason.english(), "the new software failed its health gate; rolling back");
            rauc.mark_booted(false).await?;
            let state = UpdateState::RolledBack {
                version,
                reason: reason.english(),
                at: clock.now(),
                words: Some(reason),
            };
            save(data_dir, &state, &mut |_| {});
            reboot::reboot(&reboot::reboot_command(settings.as_ref()))
                .map_err(|e| UpdateError::Local(e.to_string()))?;
            state
        }
        _ => {
            rauc.mark_booted(true).await?;
            tracing::info!(%version, "the new software passed its health gate");
            let state = UpdateState::Kept {
                version,
                at: clock.now(),
            };
            save(data_dir, &state, &mut |_| {});
            state
        }
    };
    Ok(state)
}
