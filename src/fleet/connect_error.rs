//! Why a connection to the broker failed, in an admin's words with what to check: the
//! reason `status` and the admin screen show after `connecting` (as phrases, the screen
//! in its language), and the error the admin's `fleet` commands print.

use std::error::Error;
use std::io;

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};
use rustls::{AlertDescription, CertificateError};

use super::connection::Endpoint;
use crate::words::{Phrase, Wording};

/// The reason in a few words, for a connection to `endpoint`.
pub(super) fn describe(error: &ConnectionError, endpoint: &Endpoint) -> Wording {
    let broker = endpoint.address();
    if let Some(tls) = find_tls_error(error) {
        if endpoint.client_certificate.is_none() && is_refusal_alert(tls) {
            return Wording::phrase(Phrase::FleetClientCertificateWanted, [broker]);
        }
        return describe_tls(tls, broker);
    }
    match error {
        ConnectionError::ConnectionRefused(code) => {
            describe_refusal(*code, broker, endpoint.username.is_some())
        }
        ConnectionError::NetworkTimeout | ConnectionError::FlushTimeout => {
            Wording::phrase(Phrase::FleetNoAnswer, [broker])
        }
        ConnectionError::Io(io) => describe_io(io, broker),
        ConnectionError::Tls(rumqttc::TlsError::Io(io)) => describe_io(io, broker),
        ConnectionError::MqttState(StateError::Io(io)) => describe_io(io, broker),
        ConnectionError::MqttState(StateError::ConnectionAborted) => {
            Wording::phrase(Phrase::FleetClosedAtStart, [broker])
        }
        other => Wording::phrase(Phrase::FleetConnectionFailed, [broker, other.to_string()]),
    }
}

/// Mosquitto answers a wrong password with "not authorized": with a user name set, that
/// is what it means.
fn describe_refusal(
    code: ConnectReturnCode,
    broker: String,
    signs_in_with_password: bool,
) -> Wording {
    let phrase = match code {
        ConnectReturnCode::BadUserNamePassword | ConnectReturnCode::NotAuthorized
            if signs_in_with_password =>
        {
            Phrase::FleetPasswordRefused
        }
        ConnectReturnCode::BadUserNamePassword => Phrase::FleetPasswordWanted,
        ConnectReturnCode::NotAuthorized => Phrase::FleetNotAuthorized,
        ConnectReturnCode::BadClientId => Phrase::FleetBadClientId,
        ConnectReturnCode::ServiceUnavailable => Phrase::FleetUnavailable,
        ConnectReturnCode::RefusedProtocolVersion => Phrase::FleetWrongProtocol,
        ConnectReturnCode::Success => Phrase::FleetAnsweredOddly,
    };
    Wording::phrase(phrase, [broker])
}

fn describe_io(error: &io::Error, broker: String) -> Wording {
    let phrase = match error.kind() {
        io::ErrorKind::ConnectionRefused => Phrase::FleetNothingAnswers,
        io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof => {
            Phrase::FleetClosedConnection
        }
        io::ErrorKind::TimedOut => Phrase::FleetNoAnswer,
        _ if error.to_string().contains("lookup") || error.to_string().contains("resolve") => {
            Phrase::FleetHostUnknown
        }
        _ => return Wording::phrase(Phrase::FleetUnreachable, [broker, error.to_string()]),
    };
    Wording::phrase(phrase, [broker])
}

fn describe_tls(error: &rustls::Error, broker: String) -> Wording {
    let phrase = match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            Phrase::FleetUnknownIssuer
        }
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName)
        | rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. }) => {
            Phrase::FleetWrongName
        }
        rustls::Error::InvalidCertificate(CertificateError::Expired)
        | rustls::Error::InvalidCertificate(CertificateError::ExpiredContext { .. }) => {
            Phrase::FleetCertificateExpired
        }
        rustls::Error::InvalidCertificate(other) => {
            return Wording::phrase(
                Phrase::FleetCertificateUntrusted,
                [broker, format!("{other:?}")],
            );
        }
        refusal if is_refusal_alert(refusal) => Phrase::FleetCertificateRefused,
        other => return Wording::phrase(Phrase::FleetTlsFailed, [broker, other.to_string()]),
    };
    Wording::phrase(phrase, [broker])
}

/// Whether the broker ended the handshake over the client's certificate.
fn is_refusal_alert(error: &rustls::Error) -> bool {
    matches!(
        error,
        rustls::Error::AlertReceived(
            AlertDescription::CertificateRequired
                | AlertDescription::BadCertificate
                | AlertDescription::UnknownCA
                | AlertDescription::CertificateUnknown
                | AlertDescription::HandshakeFailure
                | AlertDescription::DecryptError,
        )
    )
}

/// The rustls error at the root of `error`, if TLS is what failed.
fn find_tls_error(error: &ConnectionError) -> Option<&rustls::Error> {
    let mut current: Option<&(dyn Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(io::Error::get_ref)
            && let Some(tls) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(broker: &str) -> Endpoint {
        Endpoint::bare(&format!("mqtts://{broker}"))
    }

    #[test]
    fn a_refused_connection_names_the_broker_and_what_to_check() {
        let error = ConnectionError::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let text = describe(&error, &endpoint("127.0.0.1:8883")).to_string();
        assert!(text.contains("127.0.0.1:8883"), "{text}");
        assert!(text.contains("running"), "{text}");
    }

    #[test]
    fn an_unknown_issuer_points_at_the_trusted_ca_file() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let error = ConnectionError::Io(io::Error::new(io::ErrorKind::InvalidData, tls));
        assert!(
            describe(&error, &endpoint("b:8883"))
                .to_string()
                .contains("TrustedCaFile")
        );
    }

    #[test]
    fn a_refused_password_names_the_settings() {
        let mut with_password = endpoint("b:8883");
        with_password.username = Some("saturn-01".into());
        for code in [
            ConnectReturnCode::BadUserNamePassword,
            ConnectReturnCode::NotAuthorized,
        ] {
            let error = ConnectionError::ConnectionRefused(code);
            assert!(
                describe(&error, &with_password)
                    .to_string()
                    .contains("Fleet/Password")
            );
        }
    }
}
