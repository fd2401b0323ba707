//! Where and as whom the console talks to Graph: the endpoint (global or a national
//! cloud), the Entra ID authority, the app registration, and how TLS is verified.

use std::time::Duration;

use url::Url;

use super::error::GraphError;

/// The global cloud's Graph endpoint.
pub(crate) const GLOBAL_GRAPH_URL: &str = "https://graph.microsoft.com";
/// The global cloud's sign-in authority.
pub(crate) const GLOBAL_AUTHORITY_URL: &str = "https://login.microsoftonline.com";

/// The Graph hosts of Microsoft's clouds (global, US Government L4 and L5 (DoD), China
/// operated by 21Vianet). Each one's resource, whose `.default` scope an app-only token
/// asks for, is the host's own https origin.
const MICROSOFT_GRAPH_HOSTS: [&str; 4] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
];

/// An app registration's client secret that never shows in Debug output or logs.
pub type ClientSecret = crate::secret::Secret;

/// How to reach Graph for one tenant and app registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphConfig {
    /// The Graph endpoint root, e.g. `https://graph.microsoft.com` (`/v1.0` is added
    /// unless the URL already names a version).
    pub graph_url: Url,
    /// The sign-in authority root, e.g. `https://login.microsoftonline.com`.
    pub authority_url: Url,
    /// The tenant's ID (GUID) or domain.
    pub tenant_id: String,
    /// The app registration's application (client) ID.
    pub client_id: String,
    pub client_secret: ClientSecret,
    /// The scope the token request asks for (setting GraphScope); `None` derives it from
    /// `graph_url` (see [`GraphConfig::scope`]).
    pub scope: Option<String>,
    /// A PEM file's contents with private root CA(s), trusted on top of the system's.
    pub trusted_ca_pem: Option<Vec<u8>>,
    /// Allows plain `http://` URLs (labs only: the secret would travel in clear).
    pub allow_insecure_http: bool,
    /// The time limit for one request.
    pub timeout: Duration,
    /// Answers larger than this fail.
    pub max_response_bytes: usize,
}

impl GraphConfig {
    /// A configuration for the global cloud.
    pub fn new(
        tenant_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: ClientSecret,
    ) -> GraphConfig {
        GraphConfig {
            graph_url: Url::parse(GLOBAL_GRAPH_URL).expect("valid URL"),
            authority_url: Url::parse(GLOBAL_AUTHORITY_URL).expect("valid URL"),
            tenant_id: tenant_id.into(),
            client_id: client_id.into(),
            client_secret,
            scope: None,
            trusted_ca_pem: None,
            allow_insecure_http: false,
            timeout: Duration::from_secs(30),
            max_response_bytes: 16 * 1024 * 1024,
        }
    }

    /// The API root with its version, ending in `/`: `https://graph.microsoft.com/v1.0/`.
    pub(crate) fn api_base(&self) -> Url {
        let mut base = self.graph_url.clone();
        let path = base.path().trim_end_matches('/').to_owned();
        let versioned = path.ends_with("/v1.0") || path.ends_with("/beta");
        let path = if versioned {
            format!("{path}/")
        } else {
            format!("{path}/v1.0/")
        };
        base.set_path(&path);
        base.set_query(None);
        base
    }

    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub(crate) fn token_url(&self) -> Result<Url, GraphError> {
        let mut url = self.authority_url.clone();
        url.set_query(None);
        url.path_segments_mut()
            .map_err(|_| GraphError::InvalidConfig {
                detail: format!("{} cannot be a sign-in authority", self.authority_url),
            })?
            .pop_if_empty()
            .extend([self.tenant_id.as_str(), "oauth2", "v2.0", "token"]);
        Ok(url)
    }

    /// The scope of an app-only token: the explicit one when set; else, for a Graph
    /// host of one of Microsoft's clouds, that cloud's Graph (`https://graph.microsoft.us/.default`);
    /// for any other host (a proxy in front of Graph, a test host) the global Graph's
    /// `https://graph.microsoft.com/.default`, since Entra ID knows no resource by a
    /// proxy's name and would refuse it (AADSTS500011).
    pub fn scope(&self) -> String {
        if let Some(scope) = &self.scope {
            return scope.clone();
        }
        let host = self.graph_url.host_str().unwrap_or_default();
        let cloud = MICROSOFT_GRAPH_HOSTS
            .iter()
            .find(|known| host.eq_ignore_ascii_case(known))
            .unwrap_or(&MICROSOFT_GRAPH_HOSTS[0]);
        format!("https://{cloud}/.default")
    }

    /// Refuses URLs the client must not talk to.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), GraphError> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_insecure_http => Ok(()),
            "http" => Err(GraphError::InsecureUrl {
                url: url.to_string(),
            }),
            other => Err(GraphError::InvalidConfig {
                detail: format!("{url} is not a web address ({other}:)"),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> GraphConfig {
        GraphConfig::new(
            "contoso.onmicrosoft.com",
            "6731de76-14a6-49ae-97bc-6eba6914391e",
            ClientSecret::new("s3cret~value"),
        )
    }

    #[test]
    fn global_cloud_endpoints() {
        let c = config();
        assert_eq!(c.api_base().as_str(), "https://graph.microsoft.com/v1.0/");
        assert_eq!(
            c.token_url().unwrap().as_str(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(c.scope(), "https://graph.microsoft.com/.default");
    }

    #[test]
    fn national_cloud_and_versioned_urls() {
        let mut c = config();
        c.graph_url = Url::parse("https://graph.microsoft.us/v1.0").unwrap();
        c.authority_url = Url::parse("https://login.microsoftonline.us/").unwrap();
        assert_eq!(c.api_base().as_str(), "https://graph.microsoft.us/v1.0/");
        assert_eq!(c.scope(), "https://graph.microsoft.us/.default");
        assert_eq!(
            c.token_url().unwrap().as_str(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
    }

    #[test]
    fn each_microsoft_cloud_signs_in_for_its_own_graph() {
        let mut c = config();
        for (graph_url, scope) in [
            (
                "https://graph.microsoft.com/beta",
                "https://graph.microsoft.com/.default",
            ),
            (
                "https://graph.microsoft.us",
                "https://graph.microsoft.us/.default",
            ),
            (
                "https://DoD-Graph.microsoft.us/v1.0/",
                "https://dod-graph.microsoft.us/.default",
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn",
                "https://microsoftgraph.chinacloudapi.cn/.default",
            ),
        ] {
            c.graph_url = Url::parse(graph_url).unwrap();
            assert_eq!(c.scope(), scope, "{graph_url}");
        }
    }

    #[test]
    fn a_proxy_or_test_host_signs_in_for_the_global_graph() {
        let mut c = config();
        for graph_url in [
            "https://graph-proxy.contoso.com:8443/v1.0",
            "https://127.0.0.1:40123",
            // Only the host itself is Microsoft's, not a name that ends like it.
            "https://evilgraph.microsoft.com.contoso.net",
        ] {
            c.graph_url = Url::parse(graph_url).unwrap();
            assert_eq!(
                c.scope(),
                "https://graph.microsoft.com/.default",
                "{graph_url}"
            );
        }
    }

    #[test]
    fn an_explicit_scope_wins() {
        let mut c = config();
        c.graph_url = Url::parse("https://graph-proxy.contoso.com").unwrap();
        c.scope = Some("https://graph.microsoft.us/.default".to_owned());
        assert_eq!(c.scope(), "https://graph.microsoft.us/.default");
    }

    #[test]
    fn plain_http_is_refused_unless_allowed() {
        let mut c = config();
        let url = Url::parse("http://127.0.0.1:8080/v1.0/").unwrap();
        assert!(matches!(
            c.check_url(&url),
            Err(GraphError::InsecureUrl { .. })
        ));
        c.allow_insecure_http = true;
        assert!(c.check_url(&url).is_ok());
    }

    #[test]
    fn secret_is_masked_in_debug() {
        let shown = format!("{:?}", config());
        assert!(!shown.contains("s3cret~value"), "{shown}");
    }
}
