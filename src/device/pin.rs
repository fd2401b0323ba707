//! The admin PIN check and its lockout: 4 to 8 digits compared with the PIN in the
//! secrets file; after [`FREE_ATTEMPTS`] wrong PINs in a row the pad locks for
//! [`FIRST_LOCKOUT`], and each further wrong PIN doubles the delay (up to
//! [`LONGEST_LOCKOUT`]). The count and the end of the lockout are kept in
//! `<data-dir>/pin-lockout.json`, so switching the console off and on does not reset them.
//! The clock is injected: tests never wait.

use std::fs;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::device::paths::DataDir;
use crate::settings::Secret;
use crate::settings::files::{OWNER_ONLY, write_atomically};

/// The lockout state's file name inside the data directory.
pub const PIN_LOCKOUT_FILE_NAME: &str = "pin-lockout.json";
/// Wrong PINs allowed before the pad locks.
pub(crate) const FREE_ATTEMPTS: u32 = 5;
/// The first lockout; each further wrong PIN doubles it.
pub(crate) const FIRST_LOCKOUT: Duration = Duration::seconds(30);
/// The longest lockout.
pub(crate) const LONGEST_LOCKOUT: Duration = Duration::hours(1);
/// The shortest and longest PIN.
pub(crate) const PIN_LENGTH: std::ops::RangeInclusive<usize> = 4..=8;

/// What the persisted file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct LockoutState {
    /// Wrong PINs in a row since the last right one.
    failures: u32,
    /// While set and in the future, no PIN is checked.
    locked_until: Option<DateTime<Utc>>,
}

/// The answer to one PIN entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PinOutcome {
    /// The right PIN: the admin settings open.
    Accepted,
    /// A wrong PIN; `attempts_left` more before the pad locks (0: it just locked).
    Wrong { attempts_left: u32 },
    /// The pad is locked; no PIN is checked for `remaining`.
    LockedOut { remaining: Duration },
    /// Not 4 to 8 digits: not counted as an attempt.
    NotAPin,
    /// The console has no admin PIN: the admin settings stay closed.
    NoPinSet,
}

/// Checks PINs and keeps the lockout.
pub(crate) struct PinGate {
    path: PathBuf,
    clock: Arc<dyn Clock>,
    state: LockoutState,
}

impl PinGate {
    /// The gate of `data_dir`, with the lockout saved there (a damaged lockout file is
    /// read as "locked for the first delay", so damaging it gains nothing).
    pub(crate) fn open(data_dir: &DataDir, clock: Arc<dyn Clock>) -> PinGate {
        let path = data_dir.path().join(PIN_LOCKOUT_FILE_NAME);
        let state = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), "the PIN lockout file is damaged ({e}); locking the pad");
                LockoutState {
                    failures: FREE_ATTEMPTS,
                    locked_until: Some(clock.now() + FIRST_LOCKOUT),
                }
            }),
            Err(_) => LockoutState::default(),
        };
        PinGate { path, clock, state }
    }

    /// How long the pad stays locked from now; `None` when it is not locked.
    pub(crate) fn locked_for(&self) -> Option<Duration> {
        let until = self.state.locked_until?;
        let remaining = until - self.clock.now();
        (remaining > Duration::zero()).then_some(remaining)
    }

    /// Checks `entered` against `expected` (the admin PIN from the secrets file).
    pub(crate) fn check(&mut self, entered: &str, expected: Option<&Secret>) -> PinOutcome {
        if let Some(remaining) = self.locked_for() {
            return PinOutcome::LockedOut { remaining };
        }
        let Some(expected) = expected else {
            return PinOutcome::NoPinSet;
        };
        if !is_pin_shaped(entered) {
            return PinOutcome::NotAPin;
        }
        if same_in_constant_time(entered.as_bytes(), expected.expose().as_bytes()) {
            self.state = LockoutState::default();
            self.save();
            return PinOutcome::Accepted;
        }
        self.state.failures = self.state.failures.saturating_add(1);
        let outcome = if self.state.failures >= FREE_ATTEMPTS {
            let delay = lockout_after(self.state.failures);
            self.state.locked_until = Some(self.clock.now() + delay);
            PinOutcome::Wrong { attempts_left: 0 }
        } else {
            PinOutcome::Wrong {
                attempts_left: FREE_ATTEMPTS - self.state.failures,
            }
        };
        self.save();
        outcome
    }

    /// Writes the state (or removes the file when there is nothing to remember). A failed
    /// write is logged: the lockout still holds in memory for this run.
    fn save(&self) {
        let result = if self.state == LockoutState::default() {
            fs::remove_file(&self.path).or_else(|e| {
                if e.kind() == io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            })
        } else {
            serde_json::to_vec(&self.state)
                .map_err(io::Error::other)
                .and_then(|json| write_atomically(&self.path, &json, OWNER_ONLY))
        };
        if let Err(e) = result {
            tracing::error!(path = %self.path.display(), "cannot save the PIN lockout: {e}");
        }
    }
}

/// The lockout after the `failures`-th wrong PIN in a row (at least [`FREE_ATTEMPTS`]).
pub(crate) fn lockout_after(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(FREE_ATTEMPTS).min(16);
    let delay = FIRST_LOCKOUT * 2_i32.pow(doublings);
    delay.min(LONGEST_LOCKOUT)
}

/// 4 to 8 ASCII digits.
pub(crate) fn is_pin_shaped(text: &str) -> bool {
    PIN_LENGTH.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// Compares without stopping at the first difference, so timing does not tell how many
/// leading digits were right.
fn same_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::clock::FixedClock;

    fn gate(dir: &Path, clock: &FixedClock) -> PinGate {
        PinGate::open(&DataDir::at(dir), Arc::new(clock.clone()))
    }

    fn clock() -> FixedClock {
        FixedClock::new("2026-11-23T09:00:00Z".parse().expect("instant"))
    }

    /// A gate on an empty data dir (kept while the test runs) and its clock.
    fn fresh_gate() -> (tempfile::TempDir, FixedClock, PinGate) {
        let temp = tempfile::tempdir().expect("temp dir");
        let clock = clock();
        let gate = gate(temp.path(), &clock);
        (temp, clock, gate)
    }

    #[test]
    fn right_pin_is_accepted_and_wrong_pins_count_down() {
        let (_temp, _clock, mut gate) = fresh_gate();
        let pin = Secret::new("2468");
        assert_eq!(
            gate.check("1111", Some(&pin)),
            PinOutcome::Wrong { attempts_left: 4 }
        );
        assert_eq!(gate.check("2468", Some(&pin)), PinOutcome::Accepted);
        assert_eq!(
            gate.check("1111", Some(&pin)),
            PinOutcome::Wrong { attempts_left: 4 },
            "a right PIN starts the count again"
        );
    }

    #[test]
    fn five_wrong_pins_lock_with_a_growing_delay_that_survives_a_restart() {
        let (temp, clock, mut gate) = fresh_gate();
        let pin = Secret::new("2468");
        for left in (0..FREE_ATTEMPTS).rev() {
            assert_eq!(
                gate.check("0000", Some(&pin)),
                PinOutcome::Wrong {
                    attempts_left: left
                }
            );
        }
        assert_eq!(
            gate.check("2468", Some(&pin)),
            PinOutcome::LockedOut {
                remaining: FIRST_LOCKOUT
            },
            "even the right PIN is not checked while locked"
        );

        let mut restarted = super::tests::gate(temp.path(), &clock);
        assert_eq!(restarted.locked_for(), Some(FIRST_LOCKOUT));
        clock.advance(Duration::seconds(10));
        assert_eq!(restarted.locked_for(), Some(Duration::seconds(20)));
        clock.advance(Duration::seconds(20));
        assert_eq!(restarted.locked_for(), None);
        restarted.check("0000", Some(&pin));
        assert_eq!(restarted.locked_for(), Some(Duration::seconds(60)));
        clock.advance(Duration::seconds(60));
        assert_eq!(restarted.check("2468", Some(&pin)), PinOutcome::Accepted);
        assert!(!temp.path().join(PIN_LOCKOUT_FILE_NAME).exists());
    }

    #[test]
    fn delay_doubles_up_to_an_hour() {
        assert_eq!(lockout_after(5), Duration::seconds(30));
        assert_eq!(lockout_after(6), Duration::seconds(60));
        assert_eq!(lockout_after(8), Duration::seconds(240));
        assert_eq!(lockout_after(20), LONGEST_LOCKOUT);
        assert_eq!(lockout_after(u32::MAX), LONGEST_LOCKOUT);
    }

    #[test]
    fn malformed_entries_and_missing_pin_are_not_attempts() {
        let (_temp, _clock, mut gate) = fresh_gate();
        let pin = Secret::new("2468");
        assert_eq!(gate.check("12", Some(&pin)), PinOutcome::NotAPin);
        assert_eq!(gate.check("123456789", Some(&pin)), PinOutcome::NotAPin);
        assert_eq!(gate.check("12a4", Some(&pin)), PinOutcome::NotAPin);
        assert_eq!(gate.check("2468", None), PinOutcome::NoPinSet);
        assert_eq!(
            gate.check("1111", Some(&pin)),
            PinOutcome::Wrong { attempts_left: 4 }
        );
    }

    #[test]
    fn a_damaged_lockout_file_locks_the_pad() {
        let temp = tempfile::tempdir().expect("temp dir");
        fs::write(temp.path().join(PIN_LOCKOUT_FILE_NAME), b"garbage").expect("write");
        let clock = clock();
        let gate = gate(temp.path(), &clock);
        assert_eq!(gate.locked_for(), Some(FIRST_LOCKOUT));
    }
}
