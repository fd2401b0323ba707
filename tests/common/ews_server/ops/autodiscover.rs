//! SOAP Autodiscover `GetUserSettings` at /autodiscover/autodiscover.svc: the EWS URL
//! (ExternalEwsUrl / InternalEwsUrl) and a few user settings for each mailbox asked about,
//! InvalidUser for addresses the server does not host.

use crate::common::ews_server::config::{ExchangeVersion, RedirectTarget};
use crate::common::ews_server::soap::read::Element;
use crate::common::ews_server::soap::write::{SOAP_NS, text};
use crate::common::ews_server::state::ServerState;

const AUTODISCOVER_NS: &str = "http://schemas.microsoft.com/exchange/2010/Autodiscover";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

fn autodiscover_version(version: ExchangeVersion) -> &'static str {
    match version {
        ExchangeVersion::Exchange2010Sp2 => "Exchange2010_SP2",
        ExchangeVersion::Exchange2013 => "Exchange2013",
        ExchangeVersion::Exchange2016
        | ExchangeVersion::Exchange2019
        | ExchangeVersion::SubscriptionEdition => "Exchange2015",
    }
}

fn supported_schemas(version: ExchangeVersion) -> &'static str {
    match version {
        ExchangeVersion::Exchange2010Sp2 => {
            "Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2"
        }
        ExchangeVersion::Exchange2013 => {
            "Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1"
        }
        ExchangeVersion::Exchange2016
        | ExchangeVersion::Exchange2019
        | ExchangeVersion::SubscriptionEdition => {
            "Exchange2007, Exchange2007_SP1, Exchange2010, Exchange2010_SP1, Exchange2010_SP2, Exchange2013, Exchange2013_SP1, Exchange2016"
        }
    }
}

fn setting(name: &str, value: &str) -> String {
    format!(
        r#"<UserSetting i:type="StringSetting"><Name>{name}</Name><Value>{}</Value></UserSetting>"#,
        text(value)
    )
}

/// The configured redirection for `address` asked at `host`, as a UserResponse.
fn redirect_response(state: &ServerState, address: &str, host: Option<&str>) -> Option<String> {
    let host_name = host.map(|h| h.rsplit_once(':').map_or(h, |(name, _)| name));
    let redirect = state.autodiscover_redirects.iter().find(|r| {
        r.address.eq_ignore_ascii_case(address)
            && r.host
                .as_deref()
                .is_none_or(|wanted| host_name.is_some_and(|h| h.eq_ignore_ascii_case(wanted)))
    })?;
    let (code, message, target) = match &redirect.target {
        RedirectTarget::Address(to) => ("RedirectAddress", "Redirection address.", to),
        RedirectTarget::Url(to) => ("RedirectUrl", "Redirection URL.", to),
    };
    Some(format!(
        r#"<UserResponse><ErrorCode>{code}</ErrorCode><ErrorMessage>{message}</ErrorMessage><RedirectTarget>{}</RedirectTarget><UserSettingErrors/><UserSettings/></UserResponse>"#,
        text(target)
    ))
}

fn user_response(
    state: &ServerState,
    address: &str,
    wanted: &[&str],
    host: Option<&str>,
) -> String {
    if let Some(redirect) = redirect_response(state, address, host) {
        return redirect;
    }
    let Some(number) = state.mailbox_number(address) else {
        return format!(
            r#"<UserResponse><ErrorCode>InvalidUser</ErrorCode><ErrorMessage>Invalid user: '{}'</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings/></UserResponse>"#,
            text(address)
        );
    };
    let mailbox = &state.mailboxes[number];
    let (major, minor, major_build, minor_build) = state.version.build();
    let mut settings = String::new();
    let mut errors = String::new();
    for name in wanted {
        let value = match *name {
            "ExternalEwsUrl" | "InternalEwsUrl" => state.ews_url.clone(),
            "AutoDiscoverSMTPAddress" => mailbox.smtp.clone(),
            "UserDisplayName" => mailbox.display_name.clone(),
            "CasVersion" => format!("{major}.{minor}.{major_build}.{minor_build}"),
            "EwsSupportedSchemas" => supported_schemas(state.version).to_string(),
            _ => {
                errors.push_str(&format!(
                    "<UserSettingError><ErrorCode>InvalidSetting</ErrorCode><ErrorMessage>The requested setting is not supported by this test server.</ErrorMessage><SettingName>{}</SettingName></UserSettingError>",
                    text(name)
                ));
                continue;
            }
        };
        settings.push_str(&setting(name, &value));
    }
    format!(
        r#"<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors>{errors}</UserSettingErrors><UserSettings>{settings}</UserSettings></UserResponse>"#
    )
}

/// The whole response envelope to a GetUserSettingsRequestMessage.
pub fn answer(state: &ServerState, request: &Element, host: Option<&str>) -> String {
    let message = request.child("Request");
    let mut users = Vec::new();
    if let Some(list) = message.and_then(|r| r.child("Users")) {
        for user in list.children_named("User") {
            if let Some(mailbox) = user.child("Mailbox") {
                users.push(mailbox.trimmed_text().to_string());
            }
        }
    }
    let wanted: Vec<&str> = message
        .and_then(|r| r.child("RequestedSettings"))
        .map(|settings| {
            settings
                .children_named("Setting")
                .map(Element::trimmed_text)
                .collect()
        })
        .unwrap_or_default();
    let responses: String = users
        .iter()
        .map(|address| user_response(state, address, &wanted, host))
        .collect();
    let (major, minor, major_build, minor_build) = state.version.build();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP_NS}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">{AUTODISCOVER_NS}/Autodiscover/GetUserSettingsResponse</a:Action><h:ServerVersionInfo xmlns:h="{AUTODISCOVER_NS}" xmlns:i="{XSI_NS}"><h:MajorVersion>{major}</h:MajorVersion><h:MinorVersion>{minor}</h:MinorVersion><h:MajorBuildNumber>{major_build}</h:MajorBuildNumber><h:MinorBuildNumber>{minor_build}</h:MinorBuildNumber><h:Version>{}</h:Version></h:ServerVersionInfo></s:Header><s:Body><GetUserSettingsResponseMessage xmlns="{AUTODISCOVER_NS}"><Response xmlns:i="{XSI_NS}"><ErrorCode>NoError</ErrorCode><ErrorMessage/><UserResponses>{responses}</UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#,
        autodiscover_version(state.version)
    )
}
