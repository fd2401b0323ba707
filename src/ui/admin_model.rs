//! What the admin screens say, as plain strings: the PIN pad's message for each outcome
//! and the lockout countdown, and the factory-reset confirmation. No Slint here, so the
//! wording is unit-tested on its own.

use chrono::Duration;

use crate::device::pin::{FREE_ATTEMPTS, PIN_LENGTH, PinOutcome};
use crate::device::reset::Erasable;

/// "0:30", "1:05", "59:59": minutes and seconds, rounded up so the pad never shows 0:00
/// while it is still locked.
pub fn countdown(remaining: Duration) -> String {
    let seconds = (remaining.num_milliseconds().max(0) + 999) / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The message under the PIN dots while the pad is locked.
pub fn locked_message(remaining: Duration) -> String {
    format!(
        "Too many wrong PINs. Try again in {}.",
        countdown(remaining)
    )
}

/// The message after an entry that did not open the admin settings (`None` for
/// [`PinOutcome::Accepted`]).
pub fn pin_message(outcome: &PinOutcome, locked_for: Option<Duration>) -> Option<String> {
    if let Some(remaining) = locked_for {
        return Some(locked_message(remaining));
    }
    Some(match outcome {
        PinOutcome::Accepted => return None,
        PinOutcome::Wrong { attempts_left } => format!(
            "Wrong PIN. {attempts_left} of {FREE_ATTEMPTS} tries left before the pad locks."
        ),
        PinOutcome::LockedOut { remaining } => locked_message(*remaining),
        PinOutcome::NotAPin => format!(
            "A PIN has {} to {} digits.",
            PIN_LENGTH.start(),
            PIN_LENGTH.end()
        ),
        PinOutcome::NoPinSet => "This console has no admin PIN. Set one in the setup wizard \
                                 or a provisioning file (Device/AdminPin)."
            .to_owned(),
    })
}

/// The confirmation text: what a reset erases (only what is there) and what it keeps.
pub fn reset_confirmation(items: &[Erasable]) -> String {
    let erased: Vec<String> = items
        .iter()
        .filter(|item| item.present)
        .map(|item| format!("• {}", capitalised(item.what)))
        .collect();
    let erased = if erased.is_empty() {
        "• Nothing is stored yet.".to_owned()
    } else {
        erased.join("\n")
    };
    format!(
        "This erases, and cannot be undone:\n{erased}\n\nThe software and its version stay. \
         The console restarts in the setup wizard."
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn countdown_rounds_up_and_shows_minutes() {
        assert_eq!(countdown(Duration::seconds(30)), "0:30");
        assert_eq!(countdown(Duration::milliseconds(29_001)), "0:30");
        assert_eq!(countdown(Duration::seconds(65)), "1:05");
        assert_eq!(countdown(Duration::zero()), "0:00");
    }

    #[test]
    fn messages_say_what_happened() {
        assert_eq!(
            pin_message(&PinOutcome::Wrong { attempts_left: 3 }, None).as_deref(),
            Some("Wrong PIN. 3 of 5 tries left before the pad locks.")
        );
        assert_eq!(
            pin_message(
                &PinOutcome::Wrong { attempts_left: 0 },
                Some(Duration::seconds(30))
            )
            .as_deref(),
            Some("Too many wrong PINs. Try again in 0:30.")
        );
        assert_eq!(pin_message(&PinOutcome::Accepted, None), None);
        assert!(
            pin_message(&PinOutcome::NotAPin, None).is_some_and(|m| m.contains("4 to 8 digits"))
        );
    }

    #[test]
    fn confirmation_lists_only_what_is_there() {
        let item = |what, present| Erasable {
            what,
            path: PathBuf::from("/x"),
            present,
        };
        let text =
            reset_confirmation(&[item("the settings", true), item("the PIN lockout", false)]);
        assert!(text.contains("• The settings"));
        assert!(!text.contains("PIN lockout"));
        assert!(text.contains("setup wizard"));
    }
}
