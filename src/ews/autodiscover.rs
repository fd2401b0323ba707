//! SOAP Autodiscover `GetUserSettings`: finds the EWS URL of a mailbox, or the address
//! or URL Autodiscover redirects to.

use std::io;

use super::envelope::{SOAP_NS, XmlWriter, document, text_element};
use super::error::EwsError;
use super::response::{Envelope, Response};

pub const AUTODISCOVER_NS: &str = "http://schemas.microsoft.com/exchange/2010/Autodiscover";
const ADDRESSING_NS: &str = "http://www.w3.org/2005/08/addressing";
/// The SOAP action of GetUserSettings (also sent as the `SOAPAction` HTTP header).
pub const GET_USER_SETTINGS_ACTION: &str =
    "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings";

/// What Autodiscover answered for a mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutodiscoverOutcome {
    /// The EWS URLs for use inside and outside the company network.
    EwsUrls {
        internal: Option<String>,
        external: Option<String>,
    },
    /// Ask again for this e-mail address instead.
    RedirectAddress(String),
    /// Ask this Autodiscover URL instead.
    RedirectUrl(String),
}

impl AutodiscoverOutcome {
    /// The EWS URL to use: the internal one (a room console sits inside the company
    /// network), else the external one.
    pub fn ews_url(&self) -> Option<&str> {
        match self {
            AutodiscoverOutcome::EwsUrls { internal, external } => {
                internal.as_deref().or(external.as_deref())
            }
            _ => None,
        }
    }
}

/// The GetUserSettings request for `mailbox`, addressed to the Autodiscover service at `to`.
pub fn request(mailbox: &str, to: &str) -> Vec<u8> {
    document(|w| {
        w.create_element("soap:Envelope")
            .with_attributes([
                ("xmlns:soap", SOAP_NS),
                ("xmlns:a", AUTODISCOVER_NS),
                ("xmlns:wsa", ADDRESSING_NS),
            ])
            .write_inner_content(|w| {
                w.create_element("soap:Header").write_inner_content(|w| {
                    text_element(w, "a:RequestedServerVersion", "Exchange2010")?;
                    text_element(w, "wsa:Action", GET_USER_SETTINGS_ACTION)?;
                    text_element(w, "wsa:To", to)
                })?;
                w.create_element("soap:Body")
                    .write_inner_content(|w| write_get_user_settings(w, mailbox))?;
                Ok(())
            })?;
        Ok(())
    })
}

fn write_get_user_settings(w: &mut XmlWriter, mailbox: &str) -> io::Result<()> {
    w.create_element("a:GetUserSettingsRequestMessage")
        .write_inner_content(|w| {
            w.create_element("a:Request").write_inner_content(|w| {
                w.create_element("a:Users").write_inner_content(|w| {
                    w.create_element("a:User")
                        .write_inner_content(|w| text_element(w, "a:Mailbox", mailbox))?;
                    Ok(())
                })?;
                w.create_element("a:RequestedSettings")
                    .write_inner_content(|w| {
                        text_element(w, "a:Setting", "InternalEwsUrl")?;
                        text_element(w, "a:Setting", "ExternalEwsUrl")
                    })?;
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// Reads a GetUserSettings response.
pub fn parse(envelope: &Envelope) -> Result<Response<AutodiscoverOutcome>, EwsError> {
    let response = envelope
        .body
        .child("Response")
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> without a Response", envelope.body.name),
        })?;
    check_code(
        response.child_text("ErrorCode"),
        response.child_text("ErrorMessage"),
    )?;
    let user = response
        .path(&["UserResponses", "UserResponse"])
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: "Autodiscover answered without a UserResponse".into(),
        })?;
    let target = || {
        user.child_text("RedirectTarget")
            .map(str::to_string)
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: "an Autodiscover redirection without a target".into(),
            })
    };
    let outcome = match user.child_text("ErrorCode").unwrap_or("NoError") {
        "RedirectAddress" => AutodiscoverOutcome::RedirectAddress(target()?),
        "RedirectUrl" => AutodiscoverOutcome::RedirectUrl(target()?),
        code => {
            check_code(Some(code), user.child_text("ErrorMessage"))?;
            let setting = |name: &str| {
                user.child("UserSettings")?
                    .children_named("UserSetting")
                    .find(|s| s.child_text("Name") == Some(name))?
                    .child_text("Value")
                    .map(str::to_string)
            };
            let internal = setting("InternalEwsUrl");
            let external = setting("ExternalEwsUrl");
            if internal.is_none() && external.is_none() {
                return Err(EwsError::UnexpectedResponse {
                    detail: "Autodiscover knows no EWS URL for the mailbox".into(),
                });
            }
            AutodiscoverOutcome::EwsUrls { internal, external }
        }
    };
    Ok(envelope.respond(outcome))
}

fn check_code(code: Option<&str>, message: Option<&str>) -> Result<(), EwsError> {
    match code {
        None | Some("NoError") => Ok(()),
        Some(code) => Err(EwsError::Exchange {
            code: code.to_string(),
            message: message.unwrap_or("").to_string(),
        }),
    }
}
