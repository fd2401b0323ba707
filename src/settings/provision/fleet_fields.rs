//! The provisioning file's `<Fleet>` section and `<Device><RebootCommand>`: where the
//! console reports to (an MQTT broker), who it is there and how it proves it, and what
//! the fleet's `reboot` command runs. The values are checked here, so a file with a bad
//! one is refused whole, naming the element and its line.

use std::path::PathBuf;

use url::Url;

use super::field::{Field, Getter, setting};
use crate::settings::model::DEFAULT_REBOOT_COMMAND;
use crate::settings::validate::{self, Problem};

/// The longest device id and topic prefix accepted (each is one level of a topic).
const MAX_TOPIC_LEVEL_CHARS: usize = 64;

pub(super) const FLEET: &[Field] = &[
    setting!(optional "Fleet/Broker", fleet.broker, broker_url),
    setting!(optional "Fleet/DeviceId", fleet.device_id, topic_level),
    setting!(optional "Fleet/TrustedCaFile", fleet.trusted_ca_file, validate::trusted_ca_file),
    // The same check as a CA file: a readable PEM file with a certificate.
    setting!(optional "Fleet/ClientCertificate", fleet.client_certificate,
        validate::trusted_ca_file),
    setting!(optional "Fleet/ClientKey", fleet.client_key, private_key_file),
    setting!(optional "Fleet/Username", fleet.username, validate::display_name),
    setting!(secret "Fleet/Password", fleet_password),
    setting!(required "Fleet/TopicPrefix", fleet.topic_prefix, topic_prefix),
    setting!(required "Fleet/HealthIntervalSeconds", fleet.health_interval_seconds,
        validate::health_interval_seconds),
];

/// `<Device><RebootCommand>`, listed with the device's settings.
pub(super) const REBOOT_COMMAND: Field = Field {
    path: "Device/RebootCommand",
    get: Getter::Shown(|d| Some(d.settings.device.reboot_command.clone())),
    set: |d, v| {
        d.settings.device.reboot_command = match v {
            Some(command) => reboot_command(command)?,
            None => DEFAULT_REBOOT_COMMAND.to_owned(),
        };
        Ok(())
    },
};

/// `mqtts://host[:port]` (or `mqtt://`, which `run` uses only with `--allow-insecure-mqtt`).
fn broker_url(text: &str) -> Result<Url, Problem> {
    let url = Url::parse(text).map_err(|_| broker_example())?;
    match url.scheme() {
        "mqtts" | "mqtt" if url.host().is_some() && url.path().trim_matches('/').is_empty() => {
            Ok(url)
        }
        _ => Err(broker_example()),
    }
}

fn broker_example() -> Problem {
    "must be the broker's address such as mqtts://fleet.contoso.com:8883".into()
}

/// One topic level: letters, digits, `-`, `_` and `.`, such as `saturn-01`.
fn topic_level(text: &str) -> Result<String, Problem> {
    let valid = !text.is_empty()
        && text.chars().count() <= MAX_TOPIC_LEVEL_CHARS
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "must be at most {MAX_TOPIC_LEVEL_CHARS} letters, digits, '-', '_' or '.', such as saturn-01"
        ))
    }
}

/// One or more topic levels separated by `/`, such as `room-console` or `contoso/rooms`.
fn topic_prefix(text: &str) -> Result<String, Problem> {
    text.split('/')
        .map(topic_level)
        .collect::<Result<Vec<_>, _>>()
        .map(|levels| levels.join("/"))
        .map_err(|_| "must be topic levels of letters, digits, '-', '_' or '.' separated by '/', such as room-console".into())
}

/// An absolute path to a readable file holding a PEM private key.
fn private_key_file(text: &str) -> Result<PathBuf, Problem> {
    let path = validate::absolute_path(text)?;
    let bytes =
        std::fs::read(&path).map_err(|e| format!("names a file that cannot be read ({e})"))?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----") {
        Ok(path)
    } else {
        Err("must name a PEM file holding a private key (-----BEGIN PRIVATE KEY-----)".into())
    }
}

/// A program given by its absolute path, with its arguments: `systemctl reboot`, or
/// `/usr/sbin/reboot` … `systemctl` alone is taken from the system's path.
fn reboot_command(text: &str) -> Result<String, Problem> {
    let program = text.split_whitespace().next().unwrap_or_default();
    if program.starts_with('/') || program == "systemctl" {
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Err("must be a program with its absolute path (or systemctl) and its arguments, such as systemctl reboot".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::validate::takes_only;

    #[test]
    fn brokers_are_mqtt_addresses_without_a_path() {
        takes_only(
            broker_url,
            &["mqtts://fleet.contoso.com:8883", "mqtt://127.0.0.1:1883"],
            &[
                "https://fleet.contoso.com",
                "mqtts://fleet.contoso.com/topic",
                "fleet.contoso.com",
            ],
        );
    }

    #[test]
    fn device_ids_and_prefixes_are_plain_topic_levels() {
        assert_eq!(topic_level("saturn-01").as_deref(), Ok("saturn-01"));
        assert!(topic_level("a/b").is_err());
        assert!(topic_level("+").is_err());
        assert!(topic_level("#").is_err());
        assert_eq!(
            topic_prefix("contoso/rooms").as_deref(),
            Ok("contoso/rooms")
        );
        assert!(topic_prefix("contoso//rooms").is_err());
    }

    #[test]
    fn reboot_commands_name_their_program_exactly() {
        assert_eq!(
            reboot_command("  systemctl   reboot ").as_deref(),
            Ok("systemctl reboot")
        );
        assert!(reboot_command("/sbin/reboot -f").is_ok());
        assert!(reboot_command("reboot").is_err());
    }
}
