//! `Secret`: a password, client secret or PIN that is never shown back in full: the
//! settings' secrets, the EWS password (`ews::Password`) and the Graph client secret
//! (`graph::ClientSecret`) alike.
//!
//! `Debug` and `Display` print `••••`, so a secret that slips into a log line or an error
//! reveals nothing. [`Secret::masked`] is what a settings screen may show: it never reveals
//! the length, and shows the last two characters only of a secret of at least eight
//! (enough for an admin to tell two passwords apart, too few to help guess one).
//! The value itself is reached only through [`Secret::expose`], so every use is visible
//! in the code.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What `Debug` and `Display` print instead of a secret.
const HIDDEN: &str = "••••";
/// The fixed run of dots [`Secret::masked`] starts with, whatever the secret's length.
const MASK_DOTS: &str = "••••••";
/// The shortest secret whose last characters [`Secret::masked`] shows.
const MIN_LEN_TO_SHOW_TAIL: usize = 8;
/// How many trailing characters [`Secret::masked`] shows.
const SHOWN_TAIL: usize = 2;

/// A secret string. Stored in plain text only in the secrets file (mode 0600).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: for signing in, never for showing or logging.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A form safe to show: `"••••••rd"` for a secret of eight characters or more ending
    /// in "rd", `"••••••"` otherwise. The number of dots is fixed, so the length stays hidden.
    pub(crate) fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < MIN_LEN_TO_SHOW_TAIL {
            return MASK_DOTS.to_owned();
        }
        let tail: String = chars[chars.len() - SHOWN_TAIL..].iter().collect();
        format!("{MASK_DOTS}{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(HIDDEN)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(HIDDEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let secret = Secret::new("hunter2-password");
        assert_eq!(format!("{secret:?}"), "••••");
        assert_eq!(secret.to_string(), "••••");
    }

    #[test]
    fn masked_shows_last_two_characters_of_long_secrets_only() {
        assert_eq!(Secret::new("password").masked(), "••••••rd");
        assert_eq!(Secret::new("a much longer passphrase").masked(), "••••••se");
        assert_eq!(Secret::new("2468").masked(), "••••••");
        assert_eq!(Secret::new("seven77").masked(), "••••••");
        assert_eq!(Secret::new("").masked(), "••••••");
    }

    #[test]
    fn masked_counts_characters_not_bytes() {
        assert_eq!(Secret::new("lösenordåä").masked(), "••••••åä");
    }

    #[test]
    fn serializes_as_a_plain_string_for_the_secrets_file() {
        let json = serde_json::to_string(&Secret::new("s3cret")).expect("serializes");
        assert_eq!(json, "\"s3cret\"");
    }
}
