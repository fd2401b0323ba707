//! RAUC's own error text (its `LastError`) turned into what an admin can act on: wrong
//! compatible, untrusted signature, no space in the slot, another installation running.

use super::error::UpdateError;
use crate::words::{Phrase, Wording};

/// The refusals RAUC words in ways the console knows: any of these (lower case) in its
/// text, what the console says (with RAUC's text) and the fix. Checked in order, after a
/// compatible mismatch.
const KNOWN_REFUSALS: [(&[&str], Phrase, Phrase); 3] = [
    (
        &["signature", "verify error", "certificate", "keyring"],
        Phrase::UpdateUntrusted,
        Phrase::UpdateUntrustedFix,
    ),
    (
        &["no space", "not enough space"],
        Phrase::UpdateDoesNotFit,
        Phrase::UpdateDoesNotFitFix,
    ),
    (
        &[
            "already in progress",
            "already processing",
            "busy",
            "is mounted",
        ],
        Phrase::UpdateSlotBusy,
        Phrase::UpdateSlotBusyFix,
    ),
];

/// The admin-facing error for RAUC's `LastError` text.
pub(crate) fn explain(last_error: &str) -> UpdateError {
    let lower = last_error.to_ascii_lowercase();
    let (what, fix) = if lower.contains("compatible mismatch") {
        let what = match compatibles(last_error) {
            Some((expected, bundle)) => {
                Wording::phrase(Phrase::UpdateWrongDevice, [bundle, expected])
            }
            None => Wording::phrase(Phrase::UpdateWrongDeviceSaying, [last_error]),
        };
        (what, Phrase::UpdateWrongDeviceFix)
    } else {
        let (what, fix) = KNOWN_REFUSALS
            .iter()
            .find(|(words, _, _)| words.iter().any(|word| lower.contains(word)))
            .map_or(
                (Phrase::UpdateRaucSaid, Phrase::UpdateRaucSaidFix),
                |&(_, what, fix)| (what, fix),
            );
        (Wording::phrase(what, [last_error]), fix)
    };
    UpdateError::Refused {
        words: what.then(fix.into()),
    }
}

/// The console's compatible and the bundle's, from RAUC's "Expected 'Y' but bundle
/// manifest has 'X'".
fn compatibles(text: &str) -> Option<(&str, &str)> {
    let quoted: Vec<&str> = text.split('\'').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [expected, bundle, ..] => Some((expected, bundle)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is wrong and the fix, as the command line prints them.
    fn words(text: &str) -> (String, String) {
        let error = explain(text);
        assert!(matches!(error, UpdateError::Refused { .. }), "{error}");
        let english = error.to_string();
        let refused = english
            .strip_prefix("the update was not installed: ")
            .expect("says the update was not installed");
        let (what, fix) = refused.split_once(". Fix: ").expect("has a fix");
        (what.to_owned(), fix.to_owned())
    }

    #[test]
    fn rauc_errors_become_admin_words() {
        let (what, fix) = words(
            "Installation error: Compatible mismatch: Expected 'room-console cx8' but bundle \
             manifest has 'other device'",
        );
        assert_eq!(
            what,
            "the bundle is made for another kind of device (it is made for 'other device', \
             this console is 'room-console cx8')"
        );
        assert!(fix.contains("compatible"));
        let (what, fix) =
            words("signature verification failed: Verify error: self-signed certificate");
        assert!(what.starts_with("its signature is not trusted"), "{what}");
        assert!(fix.contains("keyring"));
        let (what, _) = words("Failed writing image: No space left on device");
        assert!(what.starts_with("the image does not fit"), "{what}");
        let (what, _) = words("Already processing a different method");
        assert!(what.starts_with("the update slot is busy"), "{what}");
        let (what, fix) = words("Installation error: Failed mounting bundle");
        assert!(what.starts_with("RAUC said: Installation error"), "{what}");
        assert!(fix.contains("journalctl"));
        let (what, _) = words("Installation error: slot rootfs.1 is mounted");
        assert!(what.starts_with("the update slot is busy"), "{what}");
    }
}
