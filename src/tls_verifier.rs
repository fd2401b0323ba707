//! How the console checks a server's certificate: against the trusted CA file
//! (TrustedCaFile, a private root CA) first, and against the platform's roots only when a
//! chain needs them. Reading the platform's roots means parsing hundreds of files in
//! /etc/ssl/certs: it happens at most once per process, at the first handshake that
//! needs it, never for a server the trusted CA file vouches for.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// The platform's root certificates, read once per process.
static PLATFORM_ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();

pub(crate) fn platform_roots() -> &'static [CertificateDer<'static>] {
    PLATFORM_ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!("cannot read a system CA certificate: {error}");
        }
        found.certs
    })
}

/// Whether the platform's roots were read in this process (for tests).
pub fn platform_roots_read() -> bool {
    PLATFORM_ROOTS.get().is_some()
}

/// A rustls client configuration that trusts the certificates of `trusted_ca_pem` and
/// the platform's roots, with `alpn` protocols. The error says what is wrong with the CA
/// file.
pub(crate) fn client_config(
    trusted_ca_pem: Option<&[u8]>,
    alpn: &[&[u8]],
) -> Result<rustls::ClientConfig, String> {
    let trusted: Vec<CertificateDer<'static>> = match trusted_ca_pem {
        Some(pem) => CertificateDer::pem_slice_iter(pem)
            .collect::<Result<_, _>>()
            .ok()
            .filter(|c: &Vec<_>| !c.is_empty())
            .ok_or("the trusted CA file holds no PEM certificate")?,
        None => Vec::new(),
    };
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = TrustedFirst::new(trusted, provider.clone())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

/// WebPKI verification against the trusted CA file alone, then, when that fails,
/// against the platform's roots and the file together.
#[derive(Debug)]
struct TrustedFirst {
    trusted: Vec<CertificateDer<'static>>,
    /// The trusted CA file's roots alone; None without a file.
    trusted_only: Option<Arc<WebPkiServerVerifier>>,
    /// The platform's roots with the file's, built at the first chain that needs them.
    with_platform: OnceLock<Result<Arc<WebPkiServerVerifier>, rustls::Error>>,
    provider: Arc<CryptoProvider>,
}

fn webpki(
    roots: &[CertificateDer<'static>],
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, rustls::Error> {
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(roots.iter().cloned());
    if store.is_empty() {
        return Err(rustls::Error::General(
            "no CA certificates: the system has none and no trusted CA file is set".into(),
        ));
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
        .build()
        .map_err(|e| rustls::Error::General(e.to_string()))
}

impl TrustedFirst {
    fn new(
        trusted: Vec<CertificateDer<'static>>,
        provider: Arc<CryptoProvider>,
    ) -> Result<TrustedFirst, String> {
        let trusted_only = if trusted.is_empty() {
            None
        } else {
            let mut store = RootCertStore::empty();
            for certificate in &trusted {
                store.add(certificate.clone()).map_err(|e| {
                    format!("the trusted CA file holds an unusable certificate: {e}")
                })?;
            }
            Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
                    .build()
                    .map_err(|e| format!("cannot set up TLS verification: {e}"))?,
            )
        };
        Ok(TrustedFirst {
            trusted,
            trusted_only,
            with_platform: OnceLock::new(),
            provider,
        })
    }

    fn with_platform(&self) -> Result<&Arc<WebPkiServerVerifier>, rustls::Error> {
        self.with_platform
            .get_or_init(|| {
                let mut roots = self.trusted.clone();
                roots.extend_from_slice(platform_roots());
                webpki(&roots, &self.provider)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for TrustedFirst {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(trusted_only) = &self.trusted_only
            && let Ok(verified) = trusted_only.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            )
        {
            return Ok(verified);
        }
        self.with_platform()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
