//! Why a connection to the broker failed, in an admin's words with what to check: the
//! reason `status` and the admin screen show after `connecting`, and the error the
//! admin's `fleet` commands print.

use std::error::Error;
use std::io;

use rumqttc::{ConnectReturnCode, ConnectionError, StateError};
use rustls::{AlertDescription, CertificateError};

use super::connection::Endpoint;

/// The reason in a few words, for a connection to `endpoint`.
pub(super) fn describe(error: &ConnectionError, endpoint: &Endpoint) -> String {
    let broker = &endpoint.address();
    if let Some(tls) = find_tls_error(error) {
        if endpoint.client_certificate.is_none() && is_refusal_alert(tls) {
            return format!(
                "the broker at {broker} asks for a client certificate and none is set: \
                 set Fleet/ClientCertificate and Fleet/ClientKey (--cert, --key)"
            );
        }
        return describe_tls(tls, broker);
    }
    match error {
        ConnectionError::ConnectionRefused(code) => {
            describe_refusal(*code, broker, endpoint.username.is_some())
        }
        ConnectionError::NetworkTimeout | ConnectionError::FlushTimeout => {
            format!("no answer from the broker at {broker}: check the address and the firewall")
        }
        ConnectionError::Io(io) => describe_io(io, broker),
        ConnectionError::Tls(rumqttc::TlsError::Io(io)) => describe_io(io, broker),
        ConnectionError::MqttState(StateError::Io(io)) => describe_io(io, broker),
        ConnectionError::MqttState(StateError::ConnectionAborted) => format!(
            "the broker at {broker} closed the connection (if it just started, this passes; \
             otherwise check that it accepts this console's identity)"
        ),
        other => format!("the connection to the broker at {broker} failed: {other}"),
    }
}

/// Mosquitto answers a wrong password with "not authorized": with a user name set, that
/// is what it means.
fn describe_refusal(code: ConnectReturnCode, broker: &str, signs_in_with_password: bool) -> String {
    match code {
        ConnectReturnCode::BadUserNamePassword | ConnectReturnCode::NotAuthorized
            if signs_in_with_password =>
        {
            format!(
                "the broker at {broker} refused the user name or password (Fleet/Username, Fleet/Password)"
            )
        }
        ConnectReturnCode::BadUserNamePassword => format!(
            "the broker at {broker} asks for a user name and password: set Fleet/Username and Fleet/Password"
        ),
        ConnectReturnCode::NotAuthorized => format!(
            "the broker at {broker} does not let this console in: check its certificate's name \
             or user name against the broker's users and ACL"
        ),
        ConnectReturnCode::BadClientId => {
            format!("the broker at {broker} refused the device id as a client id")
        }
        ConnectReturnCode::ServiceUnavailable => {
            format!("the broker at {broker} is unavailable for now")
        }
        ConnectReturnCode::RefusedProtocolVersion => {
            format!("the broker at {broker} does not speak MQTT 3.1.1")
        }
        ConnectReturnCode::Success => format!("the broker at {broker} answered oddly"),
    }
}

fn describe_io(error: &io::Error, broker: &str) -> String {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => format!(
            "nothing answers at {broker}: is the broker (Mosquitto) running and listening there?"
        ),
        io::ErrorKind::ConnectionReset | io::ErrorKind::UnexpectedEof => format!(
            "the broker at {broker} closed the connection: it may have refused this console's certificate"
        ),
        io::ErrorKind::TimedOut => {
            format!("no answer from the broker at {broker}: check the address and the firewall")
        }
        _ if error.to_string().contains("lookup") || error.to_string().contains("resolve") => {
            format!("cannot find the broker's host name in {broker}: check Fleet/Broker and DNS")
        }
        _ => format!("cannot reach the broker at {broker}: {error}"),
    }
}

fn describe_tls(error: &rustls::Error, broker: &str) -> String {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => format!(
            "the broker at {broker} shows a certificate that is not signed by the trusted CA: \
             check Fleet/TrustedCaFile (--ca)"
        ),
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName)
        | rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. }) => {
            format!(
                "the broker's certificate is not made out to the name in Fleet/Broker ({broker})"
            )
        }
        rustls::Error::InvalidCertificate(CertificateError::Expired)
        | rustls::Error::InvalidCertificate(CertificateError::ExpiredContext { .. }) => {
            format!(
                "the broker's certificate at {broker} has expired (or this console's clock is wrong)"
            )
        }
        rustls::Error::InvalidCertificate(other) => {
            format!("the broker's certificate at {broker} is not trusted: {other:?}")
        }
        refusal if is_refusal_alert(refusal) => format!(
            "the broker at {broker} refused this console's certificate: check Fleet/ClientCertificate \
             and Fleet/ClientKey (--cert, --key) and that the fleet CA signed it"
        ),
        other => format!("TLS with the broker at {broker} failed: {other}"),
    }
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
        Endpoint {
            broker: format!("mqtts://{broker}").parse().expect("url"),
            trusted_ca_file: None,
            client_certificate: None,
            client_key: None,
            username: None,
            password: None,
            allow_insecure: false,
        }
    }

    #[test]
    fn a_refused_connection_names_the_broker_and_what_to_check() {
        let error = ConnectionError::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let text = describe(&error, &endpoint("127.0.0.1:8883"));
        assert!(text.contains("127.0.0.1:8883"), "{text}");
        assert!(text.contains("running"), "{text}");
    }

    #[test]
    fn an_unknown_issuer_points_at_the_trusted_ca_file() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let error = ConnectionError::Io(io::Error::new(io::ErrorKind::InvalidData, tls));
        assert!(describe(&error, &endpoint("b:8883")).contains("TrustedCaFile"));
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
            assert!(describe(&error, &with_password).contains("Fleet/Password"));
        }
    }
}
