//! Unwraps Microsoft Defender "Safe Links": Exchange Online rewrites every link in a
//! message to `https://<region>.safelinks.protection.outlook.com/?url=<original>&data=…`,
//! so the meeting link is the percent-encoded `url` parameter.

use url::Url;

/// Safe Links hosts in the commercial, US government and China clouds.
const SAFELINKS_DOMAINS: [&str; 3] = [
    "safelinks.protection.outlook.com",
    "safelinks.protection.office365.us",
    "safelinks.protection.partner.outlook.cn",
];

/// A link rewritten twice (forwarded between tenants) is unwrapped twice; more layers
/// than this are not followed.
const MAX_LAYERS: usize = 4;

/// The original link behind a Safe Links redirect, or the link itself when it is not one
/// (or its `url` parameter is missing or not a web link).
pub(super) fn unwrap(mut link: Url) -> Url {
    for _ in 0..MAX_LAYERS {
        match wrapped_target(&link) {
            Some(target) => link = target,
            None => break,
        }
    }
    link
}

fn wrapped_target(link: &Url) -> Option<Url> {
    let host = link.host_str()?.as_bytes();
    let is_safelinks = SAFELINKS_DOMAINS.iter().any(|domain| {
        host.len() > domain.len()
            && host[host.len() - domain.len() - 1] == b'.'
            && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain.as_bytes())
    });
    if !is_safelinks {
        return None;
    }
    let (_, target) = link.query_pairs().find(|(name, _)| name == "url")?;
    let target = Url::parse(target.trim()).ok()?;
    matches!(target.scheme(), "http" | "https").then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unwrap_str(link: &str) -> String {
        unwrap(Url::parse(link).expect("test URL")).to_string()
    }

    #[test]
    fn unwraps_the_url_parameter() {
        assert_eq!(
            unwrap_str(
                "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_abc%2540thread.v2%2F0%3Fcontext%3D%257b%257d&data=05%7C02%7C&sdata=abc%3D&reserved=0"
            ),
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d"
        );
    }

    #[test]
    fn unwraps_government_cloud_and_nested_links() {
        let inner = "https%3A%2F%2Facme.zoom.us%2Fj%2F123456789";
        let outer = format!(
            "https://gcc02.safelinks.protection.office365.us/?url={}&data=1",
            url::form_urlencoded::byte_serialize(
                format!("https://eur01.safelinks.protection.outlook.com/?url={inner}&data=2")
                    .as_bytes()
            )
            .collect::<String>()
        );
        assert_eq!(unwrap_str(&outer), "https://acme.zoom.us/j/123456789");
    }

    #[test]
    fn leaves_other_links_and_unsafe_targets_alone() {
        assert_eq!(
            unwrap_str("https://acme.zoom.us/j/1?url=https%3A%2F%2Fevil.example"),
            "https://acme.zoom.us/j/1?url=https%3A%2F%2Fevil.example"
        );
        let javascript =
            "https://nam02.safelinks.protection.outlook.com/?url=javascript%3Aalert(1)&data=1";
        assert_eq!(unwrap_str(javascript), javascript);
        let missing = "https://nam02.safelinks.protection.outlook.com/?data=1";
        assert_eq!(unwrap_str(missing), missing);
        let lookalike =
            "https://safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fa.b";
        assert_eq!(unwrap_str(lookalike), lookalike);
        let bare_domain = "https://safelinks.protection.outlook.com/?url=https%3A%2F%2Fa.b";
        assert_eq!(unwrap_str(bare_domain), bare_domain);
    }
}
