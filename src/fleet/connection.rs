//! How to reach the broker: its address, the CA it is trusted through, the identity the
//! client proves (a certificate and key, or a user name and password), turned into
//! rumqttc's options with TLS through rustls and the project's one crypto provider
//! (aws-lc-rs). Shared by the console's agent and the admin's `fleet` commands.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rumqttc::{MqttOptions, TlsConfiguration, Transport};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use url::Url;

use crate::settings::{FleetSettings, Secret, Secrets};

/// The standard port of MQTT over TLS.
const MQTTS_PORT: u16 = 8883;
/// The standard port of plain MQTT.
const MQTT_PORT: u16 = 1883;
/// The largest message sent or received: an `apply-settings` request carries a whole
/// provisioning file (at most 1 MiB) and a `logs` reply up to a few thousand lines.
pub(crate) const MAX_PACKET_BYTES: usize = 4 * 1024 * 1024;
/// How long a connection attempt may take before it counts as failed.
const CONNECT_TIMEOUT_SECONDS: u64 = 10;

/// Everything needed to connect, wherever it came from.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub broker: Url,
    pub trusted_ca_file: Option<PathBuf>,
    pub client_certificate: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// Allow `mqtt://` (no TLS): a lab only.
    pub allow_insecure: bool,
}

impl Endpoint {
    /// The console's endpoint from its settings; `None` while no broker is set.
    pub(crate) fn of_console(
        fleet: &FleetSettings,
        secrets: &Secrets,
        allow_insecure: bool,
    ) -> Option<Endpoint> {
        Some(Endpoint {
            broker: fleet.broker.clone()?,
            trusted_ca_file: fleet.trusted_ca_file.clone(),
            client_certificate: fleet.client_certificate.clone(),
            client_key: fleet.client_key.clone(),
            username: fleet.username.clone(),
            password: secrets.fleet_password.clone(),
            allow_insecure,
        })
    }

    /// `host:port`, as messages name the broker.
    pub fn address(&self) -> String {
        let (host, port) = self.host_and_port();
        format!("{host}:{port}")
    }

    fn host_and_port(&self) -> (String, u16) {
        let default_port = if self.broker.scheme() == "mqtt" {
            MQTT_PORT
        } else {
            MQTTS_PORT
        };
        let host = self.broker.host_str().unwrap_or_default();
        // An IPv6 literal comes bracketed; the socket address wants it bare.
        let host = host.trim_start_matches('[').trim_end_matches(']');
        (host.to_owned(), self.broker.port().unwrap_or(default_port))
    }

    /// rumqttc's options for a client called `client_id`; the error says what to fix.
    pub fn mqtt_options(
        &self,
        client_id: &str,
        keep_alive: Duration,
    ) -> Result<MqttOptions, String> {
        let (host, port) = self.host_and_port();
        if host.is_empty() {
            return Err(format!(
                "the broker address {} has no host name",
                self.broker
            ));
        }
        let mut options = MqttOptions::new(client_id, host, port);
        options
            .set_keep_alive(keep_alive)
            .set_clean_session(true)
            .set_max_packet_size(MAX_PACKET_BYTES, MAX_PACKET_BYTES);
        match self.broker.scheme() {
            "mqtts" => {
                let tls = self.tls_config()?;
                options.set_transport(Transport::tls_with_config(TlsConfiguration::Rustls(
                    Arc::new(tls),
                )));
            }
            "mqtt" if self.allow_insecure => {}
            "mqtt" => {
                return Err(format!(
                    "{} is plain MQTT: everything, passwords too, would cross the network in the clear. \
                     Use mqtts:// (a lab only: --allow-insecure-mqtt)",
                    self.broker
                ));
            }
            other => {
                return Err(format!(
                    "the broker address must start with mqtts://, not {other}://"
                ));
            }
        }
        if let Some(username) = &self.username {
            let password = self
                .password
                .as_ref()
                .map(Secret::expose)
                .unwrap_or_default();
            options.set_credentials(username.clone(), password.to_owned());
        }
        Ok(options)
    }

    /// The network options: how long a connection attempt may take.
    pub(crate) fn network_options() -> rumqttc::NetworkOptions {
        let mut network = rumqttc::NetworkOptions::new();
        network.set_connection_timeout(CONNECT_TIMEOUT_SECONDS);
        network
    }

    /// rustls with aws-lc-rs: the trusted CA file alone when one is set (a private
    /// fleet CA), else the system's trusted roots; the client certificate when set.
    fn tls_config(&self) -> Result<rustls::ClientConfig, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?;
        let builder = match &self.trusted_ca_file {
            Some(path) => {
                let mut roots = rustls::RootCertStore::empty();
                for certificate in certificates(path, "trusted CA file")? {
                    roots.add(certificate).map_err(|e| {
                        format!(
                            "the trusted CA file {} holds a certificate that cannot be used: {e}",
                            path.display()
                        )
                    })?;
                }
                builder.with_root_certificates(roots)
            }
            None => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add_parsable_certificates(
                    crate::tls_verifier::platform_roots().iter().cloned(),
                );
                if roots.is_empty() {
                    return Err("the system has no trusted certificates: set Fleet/TrustedCaFile to the fleet's CA".into());
                }
                builder.with_root_certificates(roots)
            }
        };
        match (&self.client_certificate, &self.client_key) {
            (Some(certificate), Some(key)) => {
                let chain = certificates(certificate, "client certificate")?;
                let key = private_key(key)?;
                builder.with_client_auth_cert(chain, key).map_err(|e| {
                    format!(
                        "the client certificate {} and its key do not go together: {e}",
                        certificate.display()
                    )
                })
            }
            (Some(_), None) => {
                Err("a client certificate is set without its key: set ClientKey (--key) too".into())
            }
            (None, Some(_)) => Err(
                "a client key is set without its certificate: set ClientCertificate (--cert) too"
                    .into(),
            ),
            (None, None) => Ok(builder.with_no_client_auth()),
        }
    }
}

/// The certificates of a PEM file; `what` names the file in messages.
fn certificates(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))?;
    let certificates: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    if certificates.is_empty() {
        return Err(format!(
            "the {what} {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certificates)
}

fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the client key {}: {e}", path.display()))?;
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
        format!(
            "the client key {} holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
            path.display()
        )
    })
}

#[cfg(test)]
impl Endpoint {
    /// `broker` with nothing else set: no CA, no client certificate, no password.
    pub(super) fn bare(broker: &str) -> Endpoint {
        Endpoint {
            broker: broker.parse().expect("url"),
            trusted_ca_file: None,
            client_certificate: None,
            client_key: None,
            username: None,
            password: None,
            allow_insecure: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_mqtt_is_refused_unless_allowed() {
        let plain = Endpoint::bare("mqtt://127.0.0.1");
        let refused = plain
            .mqtt_options("c", Duration::from_secs(30))
            .expect_err("refused");
        assert!(refused.contains("--allow-insecure-mqtt"), "{refused}");
        let allowed = Endpoint {
            allow_insecure: true,
            ..plain
        };
        let options = allowed
            .mqtt_options("c", Duration::from_secs(30))
            .expect("allowed in a lab");
        assert_eq!(options.broker_address(), ("127.0.0.1".into(), 1883));
    }

    #[test]
    fn a_missing_ca_file_is_named() {
        let mut tls = Endpoint::bare("mqtts://fleet.contoso.com");
        tls.trusted_ca_file = Some("/nonexistent/fleet-ca.pem".into());
        let error = tls
            .mqtt_options("c", Duration::from_secs(30))
            .expect_err("no CA");
        assert!(error.contains("/nonexistent/fleet-ca.pem"), "{error}");
        assert_eq!(tls.address(), "fleet.contoso.com:8883");
    }
}
