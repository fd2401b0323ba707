//! Checks for single setting values, shared by the provisioning file and the setup wizard.
//!
//! Each check takes the text an admin typed and returns the value to store, or the rest
//! of a sentence saying what is expected ("must be 4 to 8 digits"). The caller names the
//! setting in front of it and, for values that are not secret, what was typed.

use std::fs;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use url::{Host, Url};

use chrono::NaiveTime;

use super::model::{
    BLANK_AFTER_SECONDS, DIM_AFTER_SECONDS, GRACE_SECONDS, LANGUAGES, SYNC_INTERVAL_SECONDS,
};

/// A problem with a value: the end of a sentence that starts with the setting's name.
pub type Problem = String;

/// A display name: any text without control characters, at most 64 characters.
pub fn display_name(text: &str) -> Result<String, Problem> {
    const MAX_CHARS: usize = 64;
    if text.chars().any(char::is_control) {
        return Err("must be a single line of text".into());
    }
    if text.chars().count() > MAX_CHARS {
        return Err(format!("must be at most {MAX_CHARS} characters"));
    }
    Ok(text.to_owned())
}

/// An e-mail address such as `room@contoso.com`.
pub fn email_address(text: &str) -> Result<String, Problem> {
    const EXPECTED: &str = "must be an e-mail address such as room@contoso.com";
    let Some((local, domain)) = text.split_once('@') else {
        return Err(EXPECTED.into());
    };
    let local_ok = !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "@<>()[],;:\"\\".contains(c));
    if local_ok && is_dotted_domain(domain) {
        Ok(text.to_owned())
    } else {
        Err(EXPECTED.into())
    }
}

/// A sign-in name: `DOMAIN\user` or an e-mail address (user principal name).
pub fn account_name(text: &str) -> Result<String, Problem> {
    const EXPECTED: &str = "must be a sign-in name such as CONTOSO\\room or room@contoso.com";
    if let Some((domain, user)) = text.split_once('\\') {
        let part_ok = |part: &str| {
            !part.is_empty()
                && !part
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "\\/@".contains(c))
        };
        return if part_ok(domain) && part_ok(user) {
            Ok(text.to_owned())
        } else {
            Err(EXPECTED.into())
        };
    }
    email_address(text).map_err(|_| EXPECTED.into())
}

/// An `https://` address. Plain http is refused: it would carry passwords in the clear.
pub fn https_url(text: &str) -> Result<Url, Problem> {
    let url = Url::parse(text)
        .map_err(|_| Problem::from("must be a web address starting with https://"))?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" => Err(format!(
            "must use https:// (http would send passwords in the clear); write https://{}",
            text.trim_start_matches("http://")
        )),
        _ => Err("must be a web address starting with https://".into()),
    }
}

/// An IANA time zone name such as `Europe/Stockholm`.
pub fn time_zone(text: &str) -> Result<String, Problem> {
    text.parse::<Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| "must be an IANA time zone name such as Europe/Stockholm".into())
}

/// An admin PIN: 4 to 8 digits.
pub fn admin_pin(text: &str) -> Result<String, Problem> {
    let digits = text.chars().count();
    if (4..=8).contains(&digits) && text.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err("must be 4 to 8 digits".into())
    }
}

/// A UI language the console ships: `en`, `sv` or `ko`.
pub fn language(text: &str) -> Result<String, Problem> {
    let lower = text.to_ascii_lowercase();
    if LANGUAGES.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(format!("must be one of {}", LANGUAGES.join(", ")))
    }
}

/// Seconds between calendar syncs, within [`SYNC_INTERVAL_SECONDS`].
pub fn sync_interval_seconds(text: &str) -> Result<u32, Problem> {
    seconds_within(
        text,
        SYNC_INTERVAL_SECONDS.start(),
        SYNC_INTERVAL_SECONDS.end(),
    )
}

/// Seconds of content-signal loss tolerated, within [`GRACE_SECONDS`].
pub fn grace_seconds(text: &str) -> Result<u32, Problem> {
    seconds_within(text, GRACE_SECONDS.start(), GRACE_SECONDS.end())
}

/// Seconds without a touch before the screen dims at night, within [`DIM_AFTER_SECONDS`].
pub fn dim_after_seconds(text: &str) -> Result<u32, Problem> {
    seconds_within(text, DIM_AFTER_SECONDS.start(), DIM_AFTER_SECONDS.end())
}

/// Seconds without a touch before the screen blanks at night, within
/// [`BLANK_AFTER_SECONDS`].
pub fn blank_after_seconds(text: &str) -> Result<u32, Problem> {
    seconds_within(text, BLANK_AFTER_SECONDS.start(), BLANK_AFTER_SECONDS.end())
}

/// A local wall-clock time written `HH:MM` on the 24-hour clock, e.g. `19:00`.
pub fn time_of_day(text: &str) -> Result<NaiveTime, Problem> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| "must be a time of day written HH:MM on the 24-hour clock, e.g. 19:00".into())
}

fn seconds_within(text: &str, min: &u32, max: &u32) -> Result<u32, Problem> {
    text.parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(&n))
        .ok_or_else(|| format!("must be a number of seconds between {min} and {max}"))
}

/// `true` or `false` (also `1` or `0`, as in XML Schema).
pub fn boolean(text: &str) -> Result<bool, Problem> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

/// An absolute file path.
pub fn absolute_path(text: &str) -> Result<PathBuf, Problem> {
    let path = PathBuf::from(text);
    if path.is_absolute() {
        Ok(path)
    } else {
        Err("must be an absolute path, starting with /".into())
    }
}

/// Host names separated by spaces or commas, such as `meet.contoso.com dialin.contoso.com`.
pub fn host_names(text: &str) -> Result<Vec<String>, Problem> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|name| !name.is_empty())
        .map(|name| {
            if is_dotted_domain(name) {
                Ok(name.to_ascii_lowercase())
            } else {
                Err("must be host names separated by spaces, such as meet.contoso.com dialin.contoso.com".into())
            }
        })
        .collect()
}

/// The content input: `auto`, `none`, `v4l2:/dev/videoN`, `drm:<connector>` or `file:/path`.
pub fn content_input(text: &str) -> Result<String, Problem> {
    const EXPECTED: &str =
        "must be auto, none, v4l2:/dev/video0, drm:card0-HDMI-A-1 or file:/path/to/picture";
    let ok = match text.split_once(':') {
        None => text == "auto" || text == "none",
        Some(("v4l2", device)) => device.starts_with("/dev/") && device.len() > "/dev/".len(),
        Some(("drm", connector)) => {
            !connector.is_empty()
                && connector
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        Some(("file", path)) => Path::new(path).is_absolute(),
        Some(_) => false,
    };
    if ok {
        Ok(text.to_owned())
    } else {
        Err(EXPECTED.into())
    }
}

/// A Microsoft Entra tenant: its GUID or one of its domain names.
pub fn tenant_id(text: &str) -> Result<String, Problem> {
    if is_guid(text) || is_dotted_domain(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err("must be the tenant's ID (a GUID) or domain, such as contoso.onmicrosoft.com".into())
    }
}

/// An app registration's application (client) ID: a GUID.
pub fn client_id(text: &str) -> Result<String, Problem> {
    if is_guid(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err("must be the application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000".into())
    }
}

/// A CA file the Exchange server's certificate chains to: an absolute path to a readable
/// PEM file holding at least one certificate. Checked when applied, not copied.
pub fn trusted_ca_file(text: &str) -> Result<PathBuf, Problem> {
    let path = absolute_path(text)?;
    let bytes = fs::read(&path).map_err(|e| format!("names a file that cannot be read ({e})"))?;
    match reqwest::Certificate::from_pem_bundle(&bytes) {
        Ok(certificates) if !certificates.is_empty() => Ok(path),
        _ => Err("must name a PEM file holding a certificate (-----BEGIN CERTIFICATE-----)".into()),
    }
}

/// A DNS name with at least two labels, such as `contoso.com`.
fn is_dotted_domain(text: &str) -> bool {
    matches!(Host::parse(text), Ok(Host::Domain(domain))
        if domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'))
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses() {
        assert!(email_address("confrm2@contoso.com").is_ok());
        assert!(email_address("confrm2").is_err());
        assert!(email_address("@contoso.com").is_err());
        assert!(email_address("a b@contoso.com").is_err());
        assert!(email_address("room@localhost").is_err());
    }

    #[test]
    fn account_names() {
        assert!(account_name("CONTOSO\\confrm2").is_ok());
        assert!(account_name("svc@contoso.com").is_ok());
        assert!(account_name("CONTOSO\\").is_err());
        assert!(account_name("just-a-name").is_err());
    }

    #[test]
    fn urls_must_be_https() {
        assert!(https_url("https://mail.contoso.com/EWS/Exchange.asmx").is_ok());
        let refused = https_url("http://mail.contoso.com/EWS/Exchange.asmx").unwrap_err();
        assert!(
            refused.contains("https://mail.contoso.com/EWS/Exchange.asmx"),
            "{refused}"
        );
        assert!(https_url("mail.contoso.com").is_err());
        assert!(https_url("ftp://mail.contoso.com").is_err());
    }

    #[test]
    fn pins_languages_and_seconds() {
        assert!(admin_pin("2468").is_ok());
        assert!(admin_pin("12345678").is_ok());
        assert!(admin_pin("123").is_err());
        assert!(admin_pin("123456789").is_err());
        assert!(admin_pin("12a4").is_err());
        assert_eq!(language("SV"), Ok("sv".into()));
        assert!(language("de").is_err());
        assert_eq!(sync_interval_seconds("15"), Ok(15));
        assert_eq!(sync_interval_seconds("3600"), Ok(3600));
        assert!(sync_interval_seconds("14").is_err());
        assert!(sync_interval_seconds("soon").is_err());
        assert_eq!(grace_seconds("0"), Ok(0));
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(time_zone("Europe/Stockholm"), Ok("Europe/Stockholm".into()));
        assert!(time_zone("CET+1").is_err());
    }

    #[test]
    fn content_inputs() {
        for good in [
            "auto",
            "none",
            "v4l2:/dev/video0",
            "drm:card0-HDMI-A-1",
            "file:/srv/slide.png",
        ] {
            assert!(content_input(good).is_ok(), "{good}");
        }
        for bad in ["hdmi", "v4l2:video0", "drm:", "file:relative.png"] {
            assert!(content_input(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn graph_ids() {
        assert!(client_id("6731de76-14a6-49ae-97bc-6eba6914391e").is_ok());
        assert!(client_id("not-a-guid").is_err());
        assert!(tenant_id("contoso.onmicrosoft.com").is_ok());
        assert!(tenant_id("72f988bf-86f1-41af-91ab-2d7cd011db47").is_ok());
        assert!(tenant_id("contoso").is_err());
    }

    #[test]
    fn host_name_lists() {
        assert_eq!(
            host_names("meet.contoso.com  dialin.contoso.com,x.example.org"),
            Ok(vec![
                "meet.contoso.com".into(),
                "dialin.contoso.com".into(),
                "x.example.org".into()
            ])
        );
        assert!(host_names("meet.contoso.com https://x").is_err());
    }
}
