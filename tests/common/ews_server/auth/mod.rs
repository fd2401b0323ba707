//! Who is calling: Basic on every request, or NTLM (also offered as Negotiate) whose
//! result sticks to the TCP connection as with IIS, so a client must keep it alive.

pub mod basic;
pub mod ntlm;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::config::Account;
use super::http::{HttpRequest, HttpResponse};
use super::state::ServerState;

/// NTLM state of one TCP connection.
#[derive(Debug, Default)]
pub struct ConnectionAuth {
    /// The account NTLM authenticated on this connection.
    pub account: Option<String>,
    pending_challenge: Option<[u8; 8]>,
}

pub enum AuthOutcome {
    Accepted(Account),
    /// Answer with this (a 401) and do not serve the request.
    Refused(HttpResponse),
}

const UNAUTHORIZED_PAGE: &str = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n<title>401 - Unauthorized: Access is denied due to invalid credentials.</title>\r\n</head>\r\n<body>\r\n<div id=\"header\"><h1>Server Error</h1></div>\r\n<div id=\"content\">\r\n <fieldset><h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2>\r\n  <h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3>\r\n </fieldset></div>\r\n</body>\r\n</html>\r\n";

/// The 401 IIS sends when credentials are missing or wrong, offering every scheme.
pub fn unauthorized(state: &ServerState) -> HttpResponse {
    let mut response = HttpResponse::html(401, UNAUTHORIZED_PAGE);
    if state.auth.offers_ntlm() {
        response = response
            .with_header("WWW-Authenticate", "Negotiate")
            .with_header("WWW-Authenticate", "NTLM");
    }
    if state.auth.offers_basic() {
        response = response.with_header("WWW-Authenticate", "Basic realm=\"127.0.0.1\"");
    }
    response
}

fn ntlm_account<'a>(state: &'a ServerState, user: &str, domain: &str) -> Option<&'a Account> {
    state.accounts.iter().find(|account| {
        let (account_user, account_domain) = account.ntlm_user_and_domain();
        let by_logon_name = account_user.eq_ignore_ascii_case(user)
            && (domain.is_empty() || account_domain.eq_ignore_ascii_case(domain));
        let by_upn = account
            .upn
            .as_deref()
            .is_some_and(|upn| upn.eq_ignore_ascii_case(user));
        by_logon_name || by_upn
    })
}

/// Decides whether `request` may be served on this connection.
pub fn authenticate(
    state: &ServerState,
    connection: &mut ConnectionAuth,
    request: &HttpRequest,
    challenge: [u8; 8],
) -> AuthOutcome {
    let Some(header) = request.header("authorization") else {
        let known = connection
            .account
            .as_deref()
            .and_then(|name| state.account(name));
        return match known {
            Some(account) => AuthOutcome::Accepted(account.clone()),
            None => AuthOutcome::Refused(unauthorized(state)),
        };
    };
    let (scheme, credential) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("Basic") && state.auth.offers_basic() {
        let accepted = basic::decode(credential).and_then(|(user, password)| {
            state
                .account(&user)
                .filter(|account| account.password == password)
        });
        return match accepted {
            Some(account) => AuthOutcome::Accepted(account.clone()),
            None => AuthOutcome::Refused(unauthorized(state)),
        };
    }
    let is_ntlm_scheme =
        scheme.eq_ignore_ascii_case("NTLM") || scheme.eq_ignore_ascii_case("Negotiate");
    if !is_ntlm_scheme || !state.auth.offers_ntlm() {
        return AuthOutcome::Refused(unauthorized(state));
    }
    let token = BASE64.decode(credential.trim()).unwrap_or_default();
    match ntlm::message_type(&token) {
        Some(1) => {
            connection.pending_challenge = Some(challenge);
            connection.account = None;
            let type2 = BASE64.encode(ntlm::challenge_message(challenge, "CONTOSO", "EXCH01"));
            let mut response = HttpResponse::new(401, None, Vec::new());
            response
                .headers
                .push(("WWW-Authenticate".into(), format!("{scheme} {type2}")));
            AuthOutcome::Refused(response)
        }
        Some(3) => {
            let pending = connection.pending_challenge.take();
            let verified = pending.zip(ntlm::parse_authenticate(&token)).and_then(
                |(server_challenge, answer)| {
                    ntlm_account(state, &answer.user, &answer.domain).filter(|account| {
                        ntlm::verify_ntlm_v2(&answer, &account.password, server_challenge)
                    })
                },
            );
            match verified {
                Some(account) => {
                    connection.account = Some(account.username.clone());
                    AuthOutcome::Accepted(account.clone())
                }
                None => AuthOutcome::Refused(unauthorized(state)),
            }
        }
        _ => AuthOutcome::Refused(unauthorized(state)),
    }
}
