//! The NTLM messages of the HTTP sign-in handshake (negotiate → challenge → authenticate),
//! built with the `ntlmclient` crate. The HTTP side of the handshake is in `transport`.

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use ntlmclient::{ChallengeMessage, Credentials, Flags, Message, NegotiateMessage, TargetInfoType};

use super::error::EwsError;

/// The workstation name the console reports to the domain controller.
const WORKSTATION: &str = "ROOM-CONSOLE";

/// Splits `DOMAIN\user` into domain and user; a UPN (`user@domain`) or a bare name is
/// sent whole with an empty domain, which Windows accepts.
pub(crate) fn split_account(account: &str) -> (String, String) {
    match account.split_once('\\') {
        Some((domain, user)) => (domain.to_string(), user.to_string()),
        None => (String::new(), account.to_string()),
    }
}

/// The `Authorization` value of the first leg (NTLM type 1).
pub(crate) fn negotiate_header() -> Result<String, EwsError> {
    let message = Message::Negotiate(NegotiateMessage {
        flags: Flags::NEGOTIATE_UNICODE
            | Flags::REQUEST_TARGET
            | Flags::NEGOTIATE_NTLM
            | Flags::NEGOTIATE_ALWAYS_SIGN
            | Flags::NEGOTIATE_NTLM2_KEY
            | Flags::NEGOTIATE_128BIT
            | Flags::NEGOTIATE_WORKSTATION_SUPPLIED,
        supplied_domain: String::new(),
        supplied_workstation: WORKSTATION.to_string(),
        os_version: Default::default(),
    });
    let bytes = message.to_bytes().map_err(|e| EwsError::Ntlm {
        detail: format!("cannot write the negotiate message: {e}"),
    })?;
    Ok(format!("NTLM {}", BASE64_STANDARD.encode(bytes)))
}

/// Finds the server's challenge (NTLM type 2) among the `WWW-Authenticate` values of a
/// 401 answer. None when the server offers no NTLM challenge at all.
pub(crate) fn find_challenge(
    www_authenticate: &[String],
) -> Result<Option<ChallengeMessage>, EwsError> {
    for value in www_authenticate {
        let Some((scheme, token)) = value.trim().split_once(' ') else {
            continue;
        };
        if !scheme.eq_ignore_ascii_case("NTLM") && !scheme.eq_ignore_ascii_case("Negotiate") {
            continue;
        }
        let Ok(bytes) = BASE64_STANDARD.decode(token.trim()) else {
            continue;
        };
        if !bytes.starts_with(b"NTLMSSP\0") {
            // A Kerberos/SPNEGO token: not for us.
            continue;
        }
        return match Message::try_from(bytes.as_slice()) {
            Ok(Message::Challenge(challenge)) => Ok(Some(challenge)),
            Ok(other) => Err(EwsError::Ntlm {
                detail: format!(
                    "the server sent NTLM message type {} instead of a challenge",
                    other.message_number()
                ),
            }),
            Err(e) => Err(EwsError::Ntlm {
                detail: format!("the server's NTLM challenge is unreadable: {e}"),
            }),
        };
    }
    Ok(None)
}

/// The `Authorization` value of the last leg (NTLM type 3, NTLMv2 response).
/// `now_ntlm_time` is used only when the server's challenge carries no timestamp.
pub(crate) fn authenticate_header(
    challenge: &ChallengeMessage,
    account: &str,
    password: &str,
    now_ntlm_time: impl FnOnce() -> i64,
) -> Result<String, EwsError> {
    let (domain, username) = split_account(account);
    let credentials = Credentials {
        username,
        password: password.to_string(),
        domain,
    };
    let target_info: Vec<u8> = challenge
        .target_information
        .iter()
        .flat_map(|entry| entry.to_bytes())
        .collect();
    // MS-NLMP: when the server sends a timestamp, the client must answer with it.
    let time = challenge
        .target_information
        .iter()
        .find(|entry| entry.entry_type == TargetInfoType::Timestamp)
        .and_then(|entry| <[u8; 8]>::try_from(entry.data.as_slice()).ok())
        .map(i64::from_le_bytes)
        .unwrap_or_else(now_ntlm_time);
    let response = ntlmclient::respond_challenge_ntlm_v2(
        challenge.challenge,
        &target_info,
        time,
        &credentials,
    );
    let message = response.to_message(
        &credentials,
        WORKSTATION,
        Flags::NEGOTIATE_UNICODE | Flags::NEGOTIATE_NTLM | Flags::NEGOTIATE_ALWAYS_SIGN,
    );
    let bytes = message.to_bytes().map_err(|e| EwsError::Ntlm {
        detail: format!("cannot write the authenticate message: {e}"),
    })?;
    Ok(format!("NTLM {}", BASE64_STANDARD.encode(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_split_into_domain_and_user() {
        assert_eq!(
            split_account("CONTOSO\\mailboxservice"),
            ("CONTOSO".to_string(), "mailboxservice".to_string())
        );
        assert_eq!(
            split_account("mailboxservice@contoso.com"),
            (String::new(), "mailboxservice@contoso.com".to_string())
        );
    }

    #[test]
    fn negotiate_is_an_ntlm_type_1_message() {
        let header = negotiate_header().unwrap();
        let token = header.strip_prefix("NTLM ").unwrap();
        let bytes = BASE64_STANDARD.decode(token).unwrap();
        assert!(matches!(
            Message::try_from(bytes.as_slice()),
            Ok(Message::Negotiate(_))
        ));
    }

    #[test]
    fn no_challenge_among_plain_schemes() {
        let offered = vec!["Negotiate".to_string(), "Basic realm=\"x\"".to_string()];
        assert_eq!(find_challenge(&offered), Ok(None));
    }
}
