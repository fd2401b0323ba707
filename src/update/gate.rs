//! The health gate after booting new software: the booted slot is marked good only once
//! the screen has drawn its first frame **and** the sync has made a pass that shows the
//! software works — it reached the server, or the server itself answered with an error.
//! A network or server outage is not the software's fault: the gate waits for it, up to
//! its limit. A fault of the console's own (it cannot write its agenda cache), or the
//! limit passing, fails the gate: the slot is marked bad and the console restarts into
//! the old software.

use chrono::{DateTime, Duration, Utc};

use crate::sync::status::SyncState;
use crate::words::{Phrase, Wording};

/// What one sync pass says about the software.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PassVerdict {
    /// The pass reached the server (or the server answered with an error of its own).
    Proves,
    /// The network or server was out of reach: says nothing either way.
    Inconclusive,
    /// A fault of the console's own.
    ConsoleFault,
}

impl PassVerdict {
    /// The verdict of the pass that left the sync in `state`.
    pub(crate) fn of(state: &SyncState) -> Option<PassVerdict> {
        Some(match state {
            SyncState::FirstSync => return None,
            SyncState::Ok
            | SyncState::SignInFailed
            | SyncState::PermissionDenied
            | SyncState::Throttled { .. }
            | SyncState::ServerError
            // Settings the admin has not completed are no fault of the new software.
            | SyncState::Misconfigured => PassVerdict::Proves,
            SyncState::Offline => PassVerdict::Inconclusive,
            SyncState::StorageError => PassVerdict::ConsoleFault,
        })
    }
}

/// What to do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GateDecision {
    Wait,
    MarkGood,
    /// Mark bad and restart, for this reason (shown in status and on the admin screen).
    MarkBad(Wording),
}

/// The gate's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthGate {
    deadline: DateTime<Utc>,
    frame_drawn: bool,
    /// `true` when there is no sync to wait for (the wizard, the demo).
    sync_proven: bool,
    fault: Option<Wording>,
}

impl HealthGate {
    /// A gate opened at `started` that fails after `limit`; `needs_sync` is false on a
    /// console without a calendar yet (the wizard), where the first frame is enough.
    pub fn new(started: DateTime<Utc>, limit: Duration, needs_sync: bool) -> Self {
        HealthGate {
            deadline: started + limit,
            frame_drawn: false,
            sync_proven: !needs_sync,
            fault: None,
        }
    }

    /// The home screen or the wizard drew its first frame.
    pub fn frame_drawn(&mut self) {
        self.frame_drawn = true;
    }

    /// A sync pass ended in `state` (the message is the sync's last error, if any).
    pub fn sync_pass(&mut self, state: &SyncState, message: Option<&str>) {
        match PassVerdict::of(state) {
            Some(PassVerdict::Proves) => self.sync_proven = true,
            Some(PassVerdict::ConsoleFault) if !self.sync_proven => {
                self.fault = Some(Wording::phrase(
                    Phrase::UpdateGateSyncFailed,
                    [message.map_or_else(|| state.label(), str::to_owned)],
                ));
            }
            _ => {}
        }
    }

    /// The decision at `now`.
    pub(crate) fn decide(&self, now: DateTime<Utc>) -> GateDecision {
        if let Some(fault) = &self.fault {
            return GateDecision::MarkBad(fault.clone());
        }
        if self.frame_drawn && self.sync_proven {
            return GateDecision::MarkGood;
        }
        if now < self.deadline {
            return GateDecision::Wait;
        }
        GateDecision::MarkBad(Wording::from(if self.frame_drawn {
            Phrase::UpdateGateNoSync
        } else {
            Phrase::UpdateGateNoFrame
        }))
    }

    /// When the gate gives up.
    pub fn deadline(&self) -> DateTime<Utc> {
        self.deadline
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn good_only_after_the_frame_and_a_pass_that_reached_the_server() {
        let mut gate = HealthGate::new(t0(), Duration::minutes(10), true);
        assert_eq!(gate.decide(t0()), GateDecision::Wait);
        gate.frame_drawn();
        assert_eq!(gate.decide(t0()), GateDecision::Wait);
        gate.sync_pass(&SyncState::Offline, Some("no network"));
        assert_eq!(gate.decide(t0() + Duration::minutes(5)), GateDecision::Wait);
        gate.sync_pass(&SyncState::ServerError, Some("Exchange answered 500"));
        assert_eq!(
            gate.decide(t0() + Duration::minutes(6)),
            GateDecision::MarkGood
        );
    }

    #[test]
    fn an_outage_past_the_limit_fails_the_gate() {
        let mut gate = HealthGate::new(t0(), Duration::minutes(10), true);
        gate.frame_drawn();
        gate.sync_pass(&SyncState::Offline, None);
        assert_eq!(gate.decide(t0() + Duration::minutes(9)), GateDecision::Wait);
        assert!(matches!(
            gate.decide(t0() + Duration::minutes(10)),
            GateDecision::MarkBad(reason) if reason.english().contains("no calendar sync")
        ));
    }

    #[test]
    fn a_fault_of_the_console_fails_at_once_and_no_frame_fails_in_time() {
        let mut gate = HealthGate::new(t0(), Duration::minutes(10), true);
        gate.frame_drawn();
        gate.sync_pass(&SyncState::StorageError, Some("disk I/O error"));
        assert!(matches!(
            gate.decide(t0()),
            GateDecision::MarkBad(reason) if reason.english().contains("disk I/O error")
        ));
        let wizard = HealthGate::new(t0(), Duration::minutes(10), false);
        assert!(matches!(
            wizard.decide(t0() + Duration::minutes(10)),
            GateDecision::MarkBad(reason) if reason.english().contains("did not draw")
        ));
        let mut wizard = wizard;
        wizard.frame_drawn();
        assert_eq!(wizard.decide(t0()), GateDecision::MarkGood);
    }
}
