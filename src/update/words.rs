//! RAUC's own error text (its `LastError`) turned into what an admin can act on: wrong
//! compatible, untrusted signature, no space in the slot, another installation running.

use super::error::UpdateError;

/// The admin-facing error for RAUC's `LastError` text.
pub fn explain(last_error: &str) -> UpdateError {
    let lower = last_error.to_ascii_lowercase();
    let (what, fix) = if lower.contains("compatible mismatch") {
        (
            format!(
                "the bundle is made for another kind of device ({})",
                compatible_detail(last_error)
            ),
            "install the bundle built for this console model (its manifest's `compatible` must \
             equal the one in /etc/rauc/system.conf)"
                .to_owned(),
        )
    } else if lower.contains("signature")
        || lower.contains("verify error")
        || lower.contains("certificate")
        || lower.contains("keyring")
    {
        (
            format!("its signature is not trusted by this console ({last_error})"),
            "sign the bundle with your update key whose certificate is in the console's RAUC \
             keyring (the [keyring] path in /etc/rauc/system.conf), and check that the \
             certificate has not expired"
                .to_owned(),
        )
    } else if lower.contains("no space") || lower.contains("not enough space") {
        (
            format!("the image does not fit into the update slot ({last_error})"),
            "build a bundle whose image fits the console's partitions, or free space where \
             the bundle is unpacked"
                .to_owned(),
        )
    } else if lower.contains("already in progress")
        || lower.contains("already processing")
        || lower.contains("busy")
        || lower.contains("is mounted")
    {
        (
            format!("the update slot is busy ({last_error})"),
            "another installation is running: wait until it has finished (see `room-console \
             status`), then try again"
                .to_owned(),
        )
    } else {
        (
            format!("RAUC said: {last_error}"),
            "read the console's log (journalctl -u rauc) for details, then try again".to_owned(),
        )
    };
    UpdateError::Refused { what, fix }
}

/// "it is made for 'X', this console is 'Y'" from RAUC's "Expected 'Y' but bundle
/// manifest has 'X'".
fn compatible_detail(text: &str) -> String {
    let quoted: Vec<&str> = text.split('\'').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [expected, bundle, ..] => {
            format!("it is made for '{bundle}', this console is '{expected}'")
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> (String, String) {
        match explain(text) {
            UpdateError::Refused { what, fix } => (what, fix),
            other => panic!("not refused: {other}"),
        }
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
