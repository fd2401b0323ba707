//! How long the sync task waits before the next attempt: the server's own word when it
//! gives one (BackOffMilliseconds, Retry-After) honoured exactly; otherwise exponential
//! back-off with jitter, capped, so 200 consoles do not hammer a recovering server at once.

use std::time::Duration;

use super::source::FailureKind;

/// The retry policy of the sync task.
#[derive(Debug, Clone)]
pub struct Backoff {
    /// The first wait after a network or server failure.
    pub base: Duration,
    /// The longest wait between attempts.
    pub cap: Duration,
    /// The wait after a refused sign-in or permission: the admin has to act, but the
    /// console keeps trying so it recovers by itself once they have.
    pub after_refusal: Duration,
    /// The wait when the server asked to wait without saying how long.
    pub throttled_default: Duration,
    rng: fastrand::Rng,
}

impl Backoff {
    /// The default policy; `seed` makes the jitter reproducible (tests pass a constant).
    pub fn new(seed: u64) -> Self {
        Backoff {
            base: Duration::from_secs(5),
            cap: Duration::from_secs(300),
            after_refusal: Duration::from_secs(300),
            throttled_default: Duration::from_secs(60),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// The wait before the next attempt after the `failures`-th failure in a row (1 = first).
    pub fn delay(&mut self, kind: &FailureKind, failures: u32) -> Duration {
        match kind {
            FailureKind::Throttled {
                retry_after: Some(wait),
            } => *wait,
            FailureKind::Throttled { retry_after: None } => self.throttled_default,
            FailureKind::SignInFailed | FailureKind::PermissionDenied => self.after_refusal,
            FailureKind::Misconfigured => self.cap,
            FailureKind::Offline | FailureKind::ServerError | FailureKind::Storage => {
                let exponent = failures.saturating_sub(1).min(16);
                let raw = self.base.saturating_mul(1u32 << exponent).min(self.cap);
                // Full range jitter over the upper half: between raw/2 and raw.
                let half = raw / 2;
                let jitter = half.mul_f64(self.rng.f64());
                (half + jitter).max(Duration::from_secs(1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_wait_is_honoured_exactly() {
        let mut b = Backoff::new(1);
        let kind = FailureKind::Throttled {
            retry_after: Some(Duration::from_millis(29_571)),
        };
        assert_eq!(b.delay(&kind, 1), Duration::from_millis(29_571));
        assert_eq!(b.delay(&kind, 7), Duration::from_millis(29_571));
    }

    #[test]
    fn network_failures_back_off_exponentially_with_jitter_up_to_the_cap() {
        let mut b = Backoff::new(7);
        let mut previous_upper = Duration::ZERO;
        for failures in 1..=10 {
            let d = b.delay(&FailureKind::Offline, failures);
            let upper = (b.base * 2u32.pow(failures - 1)).min(b.cap);
            assert!(
                d <= upper && d >= upper / 2,
                "{failures}: {d:?} not in [{:?}, {upper:?}]",
                upper / 2
            );
            assert!(upper >= previous_upper);
            previous_upper = upper;
        }
        assert!(b.delay(&FailureKind::Offline, 40) <= b.cap);
    }

    #[test]
    fn jitter_spreads_consoles_apart() {
        let delays: std::collections::BTreeSet<Duration> = (0..20)
            .map(|seed| Backoff::new(seed).delay(&FailureKind::ServerError, 4))
            .collect();
        assert!(delays.len() > 10, "{delays:?}");
    }

    #[test]
    fn refusals_wait_for_the_admin_but_keep_trying() {
        let mut b = Backoff::new(1);
        assert_eq!(
            b.delay(&FailureKind::SignInFailed, 1),
            Duration::from_secs(300)
        );
        assert_eq!(
            b.delay(&FailureKind::PermissionDenied, 9),
            Duration::from_secs(300)
        );
    }
}
