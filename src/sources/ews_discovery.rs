//! Finding the EWS URL when the settings give none: SOAP Autodiscover, following its
//! redirections (at most `MAX_REDIRECTIONS`, never in a circle), and remembering the
//! answer in the data dir so that later passes and restarts go straight to EWS. When the
//! URL stops answering (404, no connection) the EWS source discovers it again, which
//! replaces the remembered one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use super::ews_error::source_error;
use crate::ews::{AutodiscoverOutcome, ErrorContext, EwsConfig, autodiscover_ews_url};
use crate::settings::files::write_atomically;
use crate::sync::source::{FailureKind, SourceError};
use crate::words::{Phrase, Wording};

/// Redirections followed before giving up (Microsoft's own clients stop at 10).
pub(crate) const MAX_REDIRECTIONS: usize = 10;
/// The file in the data dir that remembers the discovered URL.
pub(crate) const MEMORY_FILE: &str = "ews-autodiscover.json";

/// What was discovered, for which mailbox and Autodiscover endpoint: a change of either
/// in the settings makes it void.
#[derive(Debug, Serialize, Deserialize)]
struct Remembered {
    mailbox: String,
    autodiscover_url: Option<String>,
    ews_url: String,
}

/// How to discover the EWS URL of one mailbox.
#[derive(Debug)]
pub struct Discovery {
    /// Sign-in and TLS for the Autodiscover requests (its URL is replaced per request).
    config: EwsConfig,
    /// The `AutodiscoverUrl` setting; None: `https://autodiscover.<domain>/…`.
    endpoint: Option<Url>,
    mailbox: String,
    account: String,
    /// Where the discovered URL is remembered; None: not remembered.
    memory: Option<PathBuf>,
}

/// Asks Autodiscover again after the URL it gave failed: the URL it gives now; None
/// without `discovery` (a configured URL) or while Autodiscover fails too (logged).
pub(crate) async fn discover_again(discovery: Option<&Discovery>) -> Option<Url> {
    match discovery?.discover().await {
        Ok(url) => Some(url),
        Err(error) => {
            tracing::warn!("Autodiscover failed again: {}", error.message);
            None
        }
    }
}

impl Discovery {
    pub fn new(
        config: EwsConfig,
        endpoint: Option<Url>,
        mailbox: &str,
        account: &str,
        memory: Option<&Path>,
    ) -> Discovery {
        Discovery {
            config,
            endpoint,
            mailbox: mailbox.to_owned(),
            account: account.to_owned(),
            memory: memory.map(Path::to_path_buf),
        }
    }

    /// The URL an earlier discovery found for this mailbox and endpoint.
    pub fn remembered(&self) -> Option<Url> {
        let bytes = std::fs::read(self.memory.as_ref()?).ok()?;
        let remembered: Remembered = serde_json::from_slice(&bytes).ok()?;
        let same = remembered.mailbox.eq_ignore_ascii_case(&self.mailbox)
            && remembered.autodiscover_url == self.endpoint.as_ref().map(Url::to_string);
        same.then(|| Url::parse(&remembered.ews_url).ok())?
    }

    /// Asks Autodiscover, following redirections, and remembers the answer.
    pub async fn discover(&self) -> Result<Url, SourceError> {
        let mut address = self.mailbox.clone();
        let mut endpoint = match &self.endpoint {
            Some(url) => url.clone(),
            None => default_endpoint(&address)?,
        };
        let mut asked: Vec<(Url, String)> = Vec::new();
        loop {
            if asked
                .iter()
                .any(|(url, a)| *url == endpoint && a.eq_ignore_ascii_case(&address))
            {
                asked.push((endpoint, address));
                return Err(redirection_error(
                    Phrase::AutodiscoverCircle,
                    [redirection_path(&asked)],
                ));
            }
            if asked.len() > MAX_REDIRECTIONS {
                return Err(redirection_error(
                    Phrase::AutodiscoverTooManyRedirects,
                    [MAX_REDIRECTIONS.to_string(), redirection_path(&asked)],
                ));
            }
            asked.push((endpoint.clone(), address.clone()));
            match self.ask(&endpoint, &address).await? {
                AutodiscoverOutcome::RedirectAddress(to) => {
                    tracing::info!(from = %address, %to, "Autodiscover redirects to another address");
                    address = to;
                    if self.endpoint.is_none() {
                        endpoint = default_endpoint(&address)?;
                    }
                }
                AutodiscoverOutcome::RedirectUrl(to) => {
                    tracing::info!(%to, "Autodiscover redirects to another server");
                    endpoint = Url::parse(&to).map_err(|_| {
                        SourceError::new(
                            FailureKind::ServerError,
                            Wording::phrase(
                                Phrase::AutodiscoverBadRedirect,
                                [endpoint.to_string(), to.clone()],
                            ),
                        )
                    })?;
                }
                found => {
                    let url = found
                        .ews_url()
                        .and_then(|u| Url::parse(u).ok())
                        .ok_or_else(|| no_ews_url(&endpoint, &self.mailbox))?;
                    self.remember(&url);
                    return Ok(url);
                }
            }
        }
    }

    async fn ask(&self, endpoint: &Url, address: &str) -> Result<AutodiscoverOutcome, SourceError> {
        let mut config = self.config.clone();
        config.url = endpoint.clone();
        let context = ErrorContext {
            service_account: self.account.clone(),
            mailbox: address.to_owned(),
            url: endpoint.to_string(),
        };
        autodiscover_ews_url(&config, address)
            .await
            .map(|response| response.value)
            .map_err(|e| source_error(&e, &context))
    }

    fn remember(&self, url: &Url) {
        let Some(path) = &self.memory else { return };
        let remembered = Remembered {
            mailbox: self.mailbox.clone(),
            autodiscover_url: self.endpoint.as_ref().map(Url::to_string),
            ews_url: url.to_string(),
        };
        let written = serde_json::to_vec_pretty(&remembered)
            .map_err(std::io::Error::other)
            .and_then(|json| write_atomically(path, &json, 0o600));
        if let Err(e) = written {
            tracing::warn!(path = %path.display(), "cannot remember the discovered EWS URL: {e}");
        }
    }
}

/// `https://autodiscover.<domain>/autodiscover/autodiscover.svc` for an address.
fn default_endpoint(address: &str) -> Result<Url, SourceError> {
    let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or(address);
    Url::parse(&format!(
        "https://autodiscover.{domain}/autodiscover/autodiscover.svc"
    ))
    .map_err(|_| {
        SourceError::new(
            FailureKind::Misconfigured,
            Wording::phrase(Phrase::AutodiscoverNoDomain, [address]),
        )
        .with_fix(Phrase::SetEwsUrl)
    })
}

fn no_ews_url(endpoint: &Url, mailbox: &str) -> SourceError {
    SourceError::new(
        FailureKind::Misconfigured,
        Wording::phrase(
            Phrase::AutodiscoverNoEwsUrl,
            [endpoint.to_string(), mailbox.to_owned()],
        ),
    )
    .with_fix(Phrase::SetEwsUrl)
}

/// Redirections that went wrong: `phrase` with `args` and the fix.
fn redirection_error<const N: usize>(phrase: Phrase, args: [String; N]) -> SourceError {
    SourceError::new(FailureKind::Misconfigured, Wording::phrase(phrase, args))
        .with_fix(Phrase::CheckAutodiscoverRedirects)
}

/// "a@contoso.com at https://… → b@contoso.com at https://…": where Autodiscover went.
fn redirection_path(asked: &[(Url, String)]) -> String {
    let path: Vec<String> = asked
        .iter()
        .map(|(url, address)| format!("{address} at {url}"))
        .collect();
    path.join(" → ")
}
