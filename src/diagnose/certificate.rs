//! What an untrusted server presents: when TLS verification failed, a second handshake
//! with a verifier that records the certificates and then refuses them (so no request
//! is ever sent over it) fetches the chain, and the leaf's subject, issuer and SHA-256
//! fingerprint go into the failed check with the fix: trust the issuing CA.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use url::Url;

use super::result::CheckResult;
use crate::words::Phrase;
use crate::words::Wording;

/// The time limit for connecting and the handshake.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The leaf certificate a server presented, as an admin compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PresentedCertificate {
    /// The subject's distinguished name, e.g. `CN=mail.contoso.com`.
    pub subject: String,
    /// The issuer's distinguished name.
    pub issuer: String,
    /// SHA-256 of the DER, as colon-separated upper-case hex pairs.
    pub sha256: String,
}

impl PresentedCertificate {
    /// Reads a DER certificate; None when it cannot be parsed.
    pub(super) fn from_der(der: &[u8]) -> Option<PresentedCertificate> {
        let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
        Some(PresentedCertificate {
            subject: certificate.subject().to_string(),
            issuer: certificate.issuer().to_string(),
            sha256: fingerprint(der),
        })
    }
}

/// SHA-256 of `der` as `AB:CD:…`.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// `result` with what the server at `url` presents added to its message, and the fix
/// for an untrusted issuer; `result` unchanged when the chain cannot be fetched.
pub(super) async fn with_certificate(result: CheckResult, url: &Url) -> CheckResult {
    let Some(leaf) = presented_certificate(url).await else {
        return result;
    };
    let PresentedCertificate {
        subject,
        issuer,
        sha256,
    } = leaf;
    let presents = Wording::phrase(
        Phrase::CertificatePresented,
        [subject, issuer.clone(), sha256],
    );
    let message = result.wording.clone().then(presents);
    let fix = Wording::phrase(Phrase::CertificateFix, [issuer]);
    result.with_message_and_fix(message, fix)
}

/// The leaf certificate the server at `url` presents, trusted or not.
pub(super) async fn presented_certificate(url: &Url) -> Option<PresentedCertificate> {
    let chain = presented_chain(url).await?;
    PresentedCertificate::from_der(chain.first()?.as_ref())
}

/// The certificates the server at `url` presents, leaf first; None when it cannot be
/// reached or presents none.
async fn presented_chain(url: &Url) -> Option<Vec<CertificateDer<'static>>> {
    let host = url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = url.port_or_known_default()?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let recorder = Arc::new(ChainRecorder {
        presented: Mutex::new(Vec::new()),
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).ok()?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = async {
        let tcp = TcpStream::connect((host, port)).await.ok()?;
        // The recorder refuses every chain: this handshake always fails, by design.
        let _refused = connector.connect(name, tcp).await;
        Some(())
    };
    tokio::time::timeout(PROBE_TIMEOUT, handshake)
        .await
        .ok()??;
    let chain = recorder
        .presented
        .lock()
        .map(|chain| chain.clone())
        .unwrap_or_default();
    (!chain.is_empty()).then_some(chain)
}

/// Records the chain the server presents and trusts nothing.
#[derive(Debug)]
struct ChainRecorder {
    presented: Mutex<Vec<CertificateDer<'static>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ChainRecorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut presented) = self.presented.lock() {
            *presented = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        Err(rustls::Error::General(
            "certificate recorded for diagnosis, not trusted".into(),
        ))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("nothing is trusted here".into()))
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("nothing is trusted here".into()))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_colon_separated_upper_hex() {
        // SHA-256 of the empty input.
        assert_eq!(
            fingerprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(PresentedCertificate::from_der(b"not a certificate"), None);
    }
}
