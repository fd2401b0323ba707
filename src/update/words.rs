//! RAUC's own error text (its `LastError`) turned into what an admin can act on: wrong
//! compatible, untrusted signature, no space in the slot, another installation running.

use super::error::UpdateError;
use crate::words::{Phrase, Wording};

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
    } else if lower.contains("signature")
        || lower.contains("verify error")
        || lower.contains("certificate")
        || lower.contains("keyring")
    {
        (
            Wording::phrase(Phrase::UpdateUntrusted, [last_error]),
            Phrase::UpdateUntrustedFix,
        )
    } else if lower.contains("no space") || lower.contains("not enough space") {
        (
            Wording::phrase(Phrase::UpdateDoesNotFit, [last_error]),
            Phrase::UpdateDoesNotFitFix,
        )
    } else if lower.contains("already in progress")
        || lower.contains("already processing")
        || lower.contains("busy")
        || lower.contains("is mounted")
    {
        (
            Wording::phrase(Phrase::UpdateSlotBusy, [last_error]),
            Phrase::UpdateSlotBusyFix,
        )
    } else {
        (
            Wording::phrase(Phrase::UpdateRaucSaid, [last_error]),
            Phrase::UpdateRaucSaidFix,
        )
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
