//! SOAP Autodiscover `GetUserSettings`: finds the EWS URL of a mailbox, or the address
//! or URL Autodiscover redirects to.

use std::io;

use super::envelope::{SOAP_NS, XmlWriter, document, text_element};
use super::error::EwsError;
use super::response::{Response, read_envelope};
use super::xml::{Read, Tag, XmlReader, document_text};

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

/// The `Response` of a GetUserSettings answer, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct AutodiscoverResponse {
    error_code: Option<String>,
    error_message: Option<String>,
    /// The first `UserResponses/UserResponse`.
    user: Option<UserResponse>,
}

/// One user's answer: an error or redirection, or the settings asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct UserResponse {
    error_code: Option<String>,
    error_message: Option<String>,
    redirect_target: Option<String>,
    /// `UserSettings/UserSetting` as (Name, Value).
    settings: Vec<(String, String)>,
}

/// Reads the `Response` element of a GetUserSettings answer.
fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<AutodiscoverResponse> {
    let mut response = AutodiscoverResponse::default();
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "ErrorCode" => response.error_code = reader.trimmed_string(&child)?,
            "ErrorMessage" => response.error_message = reader.trimmed_string(&child)?,
            "UserResponses" => {
                while let Some(user) = reader.next_child(&child)? {
                    if user.name() == "UserResponse" && response.user.is_none() {
                        response.user = Some(read_user(reader, &user)?);
                    } else {
                        reader.skip(&user)?;
                    }
                }
            }
            _ => reader.skip(&child)?,
        }
    }
    Ok(response)
}

fn read_user<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<UserResponse> {
    let mut user = UserResponse::default();
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "ErrorCode" => user.error_code = reader.trimmed_string(&child)?,
            "ErrorMessage" => user.error_message = reader.trimmed_string(&child)?,
            "RedirectTarget" => user.redirect_target = reader.trimmed_string(&child)?,
            "UserSettings" => {
                while let Some(setting) = reader.next_child(&child)? {
                    if setting.name() != "UserSetting" {
                        reader.skip(&setting)?;
                        continue;
                    }
                    let (mut name, mut value) = (None, None);
                    while let Some(field) = reader.next_child(&setting)? {
                        match field.name() {
                            "Name" => name = reader.trimmed_string(&field)?,
                            "Value" => value = reader.trimmed_string(&field)?,
                            _ => reader.skip(&field)?,
                        }
                    }
                    if let (Some(name), Some(value)) = (name, value) {
                        user.settings.push((name, value));
                    }
                }
            }
            _ => reader.skip(&child)?,
        }
    }
    Ok(user)
}

/// Reads a GetUserSettings response.
pub fn parse(answer: &[u8]) -> Result<Response<AutodiscoverOutcome>, EwsError> {
    let envelope = read_envelope(&document_text(answer), |reader, operation| {
        let mut response = None;
        while let Some(child) = reader.next_child(operation)? {
            if child.name() == "Response" {
                response = Some(read(reader, &child)?);
            } else {
                reader.skip(&child)?;
            }
        }
        Ok(response.ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> without a Response", operation.name()),
        }))
    })?;
    let response = envelope.value?;
    check_code(response.error_code, response.error_message)?;
    let user = response.user.ok_or_else(|| EwsError::UnexpectedResponse {
        detail: "Autodiscover answered without a UserResponse".into(),
    })?;
    let target = user
        .redirect_target
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: "an Autodiscover redirection without a target".into(),
        });
    let outcome = match user.error_code.as_deref().unwrap_or("NoError") {
        "RedirectAddress" => AutodiscoverOutcome::RedirectAddress(target?),
        "RedirectUrl" => AutodiscoverOutcome::RedirectUrl(target?),
        _ => {
            check_code(user.error_code, user.error_message)?;
            let setting = |name: &str| {
                user.settings
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
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
    Ok(Response {
        server_version: envelope.server_version,
        value: outcome,
    })
}

fn check_code(code: Option<String>, message: Option<String>) -> Result<(), EwsError> {
    match code.as_deref() {
        None | Some("NoError") => Ok(()),
        Some(code) => Err(EwsError::Exchange {
            code: code.to_string(),
            message: message.unwrap_or_default(),
        }),
    }
}
