//! Checks for single setting values, shared by the provisioning file and the setup wizard.
//!
//! Each check takes the text an admin typed and returns the value to store, or what is
//! expected instead ([`Expected`]): in English the rest of a sentence ("must be 4 to 8
//! digits") that the provisioning file puts after the setting's name; the setup wizard
//! words it in the screen's language (`ui/wizard/expected.rs`).

use std::fs;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use url::{Host, Url};

use chrono::NaiveTime;

use super::model::HEALTH_INTERVAL_SECONDS;
use super::model::{
    BLANK_AFTER_SECONDS, DIM_AFTER_SECONDS, GRACE_SECONDS, LANGUAGES, SYNC_INTERVAL_SECONDS,
};
use super::model::{GRAPH_FAST_POLL_SECONDS, GRAPH_SLOW_POLL_SECONDS, PUSH_SYNC_INTERVAL_SECONDS};

/// A problem with a value: the end of a sentence that starts with the setting's name.
pub(crate) type Problem = String;

/// What a value should have been. `Display` gives the English end of a sentence that
/// starts with the setting's name, as the provisioning file reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    SingleLine,
    AtMostChars(usize),
    EmailAddress,
    AccountName,
    HttpsUrl,
    /// An http:// address: the https:// one to write instead.
    HttpsNotHttp(String),
    TimeZone,
    AdminPin,
    Language,
    SecondsBetween(u32, u32),
    TimeOfDay,
    Boolean,
    AbsolutePath,
    HostNames,
    ContentInput,
    TenantId,
    ClientId,
    /// The file cannot be read: the system's reason.
    UnreadableFile(String),
    PemCertificate,
    /// Only in the provisioning file: no screen asks for it.
    GraphScope,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::SingleLine => write!(f, "must be a single line of text"),
            Expected::AtMostChars(n) => write!(f, "must be at most {n} characters"),
            Expected::EmailAddress => {
                write!(f, "must be an e-mail address such as room@contoso.com")
            }
            Expected::AccountName => write!(
                f,
                "must be a sign-in name such as CONTOSO\\room or room@contoso.com"
            ),
            Expected::HttpsUrl => write!(f, "must be a web address starting with https://"),
            Expected::HttpsNotHttp(url) => write!(
                f,
                "must use https:// (http would send passwords in the clear); write {url}"
            ),
            Expected::TimeZone => {
                write!(f, "must be an IANA time zone name such as Europe/Stockholm")
            }
            Expected::AdminPin => write!(f, "must be 4 to 8 digits"),
            Expected::Language => write!(f, "must be one of {}", LANGUAGES.join(", ")),
            Expected::SecondsBetween(min, max) => {
                write!(f, "must be a number of seconds between {min} and {max}")
            }
            Expected::TimeOfDay => write!(
                f,
                "must be a time of day written HH:MM on the 24-hour clock, e.g. 19:00"
            ),
            Expected::Boolean => write!(f, "must be true or false"),
            Expected::AbsolutePath => write!(f, "must be an absolute path, starting with /"),
            Expected::HostNames => write!(
                f,
                "must be host names separated by spaces, such as meet.contoso.com dialin.contoso.com"
            ),
            Expected::ContentInput => write!(
                f,
                "must be auto, none, v4l2:/dev/video0, drm:card0-HDMI-A-1 or file:/path/to/picture"
            ),
            Expected::TenantId => write!(
                f,
                "must be the tenant's ID (a GUID) or domain, such as contoso.onmicrosoft.com"
            ),
            Expected::ClientId => write!(
                f,
                "must be the application (client) ID, a GUID such as 00000000-0000-0000-0000-000000000000"
            ),
            Expected::UnreadableFile(why) => write!(f, "names a file that cannot be read ({why})"),
            Expected::PemCertificate => write!(
                f,
                "must name a PEM file holding a certificate (-----BEGIN CERTIFICATE-----)"
            ),
            Expected::GraphScope => write!(
                f,
                "must be a resource followed by /.default, such as https://graph.microsoft.com/.default"
            ),
        }
    }
}

impl From<Expected> for Problem {
    fn from(expected: Expected) -> Problem {
        expected.to_string()
    }
}

/// A display name: any text without control characters, at most 64 characters.
pub fn display_name(text: &str) -> Result<String, Expected> {
    const MAX_CHARS: usize = 64;
    if text.chars().any(char::is_control) {
        return Err(Expected::SingleLine);
    }
    if text.chars().count() > MAX_CHARS {
        return Err(Expected::AtMostChars(MAX_CHARS));
    }
    Ok(text.to_owned())
}

/// An e-mail address such as `room@contoso.com`.
pub(crate) fn email_address(text: &str) -> Result<String, Expected> {
    let Some((local, domain)) = text.split_once('@') else {
        return Err(Expected::EmailAddress);
    };
    let local_ok = !local.is_empty()
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "@<>()[],;:\"\\".contains(c));
    if local_ok && is_dotted_domain(domain) {
        Ok(text.to_owned())
    } else {
        Err(Expected::EmailAddress)
    }
}

/// A sign-in name: `DOMAIN\user` or an e-mail address (user principal name).
pub(crate) fn account_name(text: &str) -> Result<String, Expected> {
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
            Err(Expected::AccountName)
        };
    }
    email_address(text).map_err(|_| Expected::AccountName)
}

/// An `https://` address. Plain http is refused: it would carry passwords in the clear.
pub(crate) fn https_url(text: &str) -> Result<Url, Expected> {
    let url = Url::parse(text).map_err(|_| Expected::HttpsUrl)?;
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" => Err(Expected::HttpsNotHttp(format!(
            "https://{}",
            text.trim_start_matches("http://")
        ))),
        _ => Err(Expected::HttpsUrl),
    }
}

/// An IANA time zone name such as `Europe/Stockholm`.
pub fn time_zone(text: &str) -> Result<String, Expected> {
    text.parse::<Tz>()
        .map(|tz| tz.name().to_owned())
        .map_err(|_| Expected::TimeZone)
}

/// An admin PIN: 4 to 8 digits.
pub fn admin_pin(text: &str) -> Result<String, Expected> {
    let digits = text.chars().count();
    if (4..=8).contains(&digits) && text.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err(Expected::AdminPin)
    }
}

/// A UI language the console ships: `en`, `sv` or `ko`.
pub fn language(text: &str) -> Result<String, Expected> {
    let lower = text.to_ascii_lowercase();
    if LANGUAGES.contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(Expected::Language)
    }
}

/// Seconds between calendar syncs, within [`SYNC_INTERVAL_SECONDS`].
pub fn sync_interval_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &SYNC_INTERVAL_SECONDS)
}

/// Seconds between safety-net syncs while push streams, within [`PUSH_SYNC_INTERVAL_SECONDS`].
pub fn push_sync_interval_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &PUSH_SYNC_INTERVAL_SECONDS)
}

/// Seconds between fast Microsoft 365 delta polls, within [`GRAPH_FAST_POLL_SECONDS`].
pub(crate) fn graph_fast_poll_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &GRAPH_FAST_POLL_SECONDS)
}

/// Seconds between slow Microsoft 365 delta polls, within [`GRAPH_SLOW_POLL_SECONDS`].
pub(crate) fn graph_slow_poll_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &GRAPH_SLOW_POLL_SECONDS)
}

/// Seconds of content-signal loss tolerated, within [`GRACE_SECONDS`].
pub fn grace_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &GRACE_SECONDS)
}

/// Seconds without a touch before the screen dims at night, within [`DIM_AFTER_SECONDS`].
pub fn dim_after_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &DIM_AFTER_SECONDS)
}

/// Seconds without a touch before the screen blanks at night, within
/// [`BLANK_AFTER_SECONDS`].
pub fn blank_after_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &BLANK_AFTER_SECONDS)
}

/// A local wall-clock time written `HH:MM` on the 24-hour clock, e.g. `19:00`.
pub(crate) fn time_of_day(text: &str) -> Result<NaiveTime, Expected> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| Expected::TimeOfDay)
}

/// Seconds between a fleet health report and the next, within [`HEALTH_INTERVAL_SECONDS`].
pub(crate) fn health_interval_seconds(text: &str) -> Result<u32, Expected> {
    seconds_within(text, &HEALTH_INTERVAL_SECONDS)
}

fn seconds_within(text: &str, range: &RangeInclusive<u32>) -> Result<u32, Expected> {
    text.parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or(Expected::SecondsBetween(*range.start(), *range.end()))
}

/// `true` or `false` (also `1` or `0`, as in XML Schema).
pub(crate) fn boolean(text: &str) -> Result<bool, Expected> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(Expected::Boolean),
    }
}

/// An absolute file path.
pub(crate) fn absolute_path(text: &str) -> Result<PathBuf, Expected> {
    let path = PathBuf::from(text);
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(Expected::AbsolutePath)
    }
}

/// Host names separated by spaces or commas, such as `meet.contoso.com dialin.contoso.com`.
pub(crate) fn host_names(text: &str) -> Result<Vec<String>, Expected> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|name| !name.is_empty())
        .map(|name| {
            if is_dotted_domain(name) {
                Ok(name.to_ascii_lowercase())
            } else {
                Err(Expected::HostNames)
            }
        })
        .collect()
}

/// The content input: `auto`, `none`, `v4l2:/dev/videoN`, `drm:<connector>` or `file:/path`.
pub(crate) fn content_input(text: &str) -> Result<String, Expected> {
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
        Err(Expected::ContentInput)
    }
}

/// A Microsoft Entra tenant: its GUID or one of its domain names.
pub fn tenant_id(text: &str) -> Result<String, Expected> {
    if is_guid(text) || is_dotted_domain(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Expected::TenantId)
    }
}

/// An app registration's application (client) ID: a GUID.
pub fn client_id(text: &str) -> Result<String, Expected> {
    if is_guid(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Expected::ClientId)
    }
}

/// The scope of the Graph token request: a resource (an https:// address, an `api://`
/// application ID URI or an application ID) followed by `/.default`, the only form the
/// client-credentials sign-in accepts.
pub fn graph_scope(text: &str) -> Result<String, Expected> {
    let resource = text
        .strip_suffix("/.default")
        .filter(|r| !r.chars().any(|c| c.is_whitespace() || c.is_control()))
        .ok_or(Expected::GraphScope)?;
    let known_form = match Url::parse(resource) {
        Ok(url) => matches!(url.scheme(), "https" | "api") && url.has_host(),
        Err(_) => is_guid(resource),
    };
    if known_form {
        Ok(text.to_owned())
    } else {
        Err(Expected::GraphScope)
    }
}

/// A CA file the Exchange server's certificate chains to: an absolute path to a readable
/// PEM file holding at least one certificate. Checked when applied, not copied.
pub fn trusted_ca_file(text: &str) -> Result<PathBuf, Expected> {
    let path = absolute_path(text)?;
    let bytes = fs::read(&path).map_err(|e| Expected::UnreadableFile(e.to_string()))?;
    match reqwest::Certificate::from_pem_bundle(&bytes) {
        Ok(certificates) if !certificates.is_empty() => Ok(path),
        _ => Err(Expected::PemCertificate),
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

/// Asserts that `check` takes each of `good` and refuses each of `bad`.
#[cfg(test)]
pub(crate) fn takes_only<T: std::fmt::Debug, E: std::fmt::Debug>(
    check: impl Fn(&str) -> Result<T, E>,
    good: &[&str],
    bad: &[&str],
) {
    for text in good {
        assert!(check(text).is_ok(), "{text}: {:?}", check(text));
    }
    for text in bad {
        assert!(check(text).is_err(), "{text}: {:?}", check(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses() {
        takes_only(
            email_address,
            &["confrm2@contoso.com"],
            &[
                "confrm2",
                "@contoso.com",
                "a b@contoso.com",
                "room@localhost",
            ],
        );
    }

    #[test]
    fn account_names() {
        takes_only(
            account_name,
            &["CONTOSO\\confrm2", "svc@contoso.com"],
            &["CONTOSO\\", "just-a-name"],
        );
    }

    #[test]
    fn graph_scopes() {
        for good in [
            "https://graph.microsoft.us/.default",
            "api://contoso-graph-proxy/.default",
            "00000003-0000-0000-c000-000000000000/.default",
        ] {
            assert_eq!(graph_scope(good).as_deref(), Ok(good));
        }
        for bad in [
            "https://graph.microsoft.com",
            "https://graph.microsoft.com/Calendars.Read",
            "/.default",
            "graph.microsoft.com/.default",
            "https://graph microsoft.com/.default",
            "http://graph.microsoft.com/.default",
        ] {
            assert_eq!(graph_scope(bad), Err(Expected::GraphScope), "{bad}");
        }
    }

    #[test]
    fn urls_must_be_https() {
        assert!(https_url("https://mail.contoso.com/EWS/Exchange.asmx").is_ok());
        let refused = https_url("http://mail.contoso.com/EWS/Exchange.asmx")
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("https://mail.contoso.com/EWS/Exchange.asmx"),
            "{refused}"
        );
        assert!(https_url("mail.contoso.com").is_err());
        assert!(https_url("ftp://mail.contoso.com").is_err());
    }

    #[test]
    fn pins_languages_and_seconds() {
        takes_only(
            admin_pin,
            &["2468", "12345678"],
            &["123", "123456789", "12a4"],
        );
        assert_eq!(language("SV"), Ok("sv".into()));
        assert!(language("de").is_err());
        assert_eq!(sync_interval_seconds("15"), Ok(15));
        assert_eq!(sync_interval_seconds("3600"), Ok(3600));
        assert!(sync_interval_seconds("14").is_err());
        assert!(sync_interval_seconds("soon").is_err());
        assert_eq!(push_sync_interval_seconds("900"), Ok(900));
        assert!(push_sync_interval_seconds("7200").is_err());
        assert_eq!(graph_fast_poll_seconds("1"), Ok(1));
        assert!(graph_fast_poll_seconds("0").is_err());
        assert_eq!(graph_slow_poll_seconds("15"), Ok(15));
        assert!(graph_slow_poll_seconds("1").is_err());
        assert_eq!(grace_seconds("0"), Ok(0));
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(time_zone("Europe/Stockholm"), Ok("Europe/Stockholm".into()));
        assert!(time_zone("CET+1").is_err());
    }

    #[test]
    fn content_inputs() {
        takes_only(
            content_input,
            &[
                "auto",
                "none",
                "v4l2:/dev/video0",
                "drm:card0-HDMI-A-1",
                "file:/srv/slide.png",
            ],
            &["hdmi", "v4l2:video0", "drm:", "file:relative.png"],
        );
    }

    #[test]
    fn graph_ids() {
        takes_only(
            client_id,
            &["6731de76-14a6-49ae-97bc-6eba6914391e"],
            &["not-a-guid"],
        );
        takes_only(
            tenant_id,
            &[
                "contoso.onmicrosoft.com",
                "72f988bf-86f1-41af-91ab-2d7cd011db47",
            ],
            &["contoso"],
        );
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
