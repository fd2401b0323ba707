//! SOAP Autodiscover `GetUserSettings`: finds the EWS URL of a mailbox, or the address
//! or URL Autodiscover redirects to.

use std::io;

use super::envelope::{XmlWriter, element, soap_envelope, text_element};
use super::error::EwsError;
use super::response::{Response, read_envelope};
use super::xml::{Read, Tag, XmlReader, document_text};

pub const AUTODISCOVER_NS: &str = "http://schemas.microsoft.com/exchange/2010/Autodiscover";
const ADDRESSING_NS: &str = "http://www.w3.org/2005/08/addressing";
/// The SOAP action of GetUserSettings (also sent as the `SOAPAction` HTTP header).
pub(crate) const GET_USER_SETTINGS_ACTION: &str =
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
    let namespaces = [("xmlns:a", AUTODISCOVER_NS), ("xmlns:wsa", ADDRESSING_NS)];
    let write_header = |w: &mut XmlWriter| {
        text_element(w, "a:RequestedServerVersion", "Exchange2010")?;
        text_element(w, "wsa:Action", GET_USER_SETTINGS_ACTION)?;
        text_element(w, "wsa:To", to)
    };
    soap_envelope(namespaces, write_header, |w| {
        write_get_user_settings(w, mailbox)
    })
}

fn write_get_user_settings(w: &mut XmlWriter, mailbox: &str) -> io::Result<()> {
    element(w, "a:GetUserSettingsRequestMessage", |w| {
        element(w, "a:Request", |w| {
            element(w, "a:Users", |w| {
                element(w, "a:User", |w| text_element(w, "a:Mailbox", mailbox))
            })?;
            element(w, "a:RequestedSettings", |w| {
                text_element(w, "a:Setting", "InternalEwsUrl")?;
                text_element(w, "a:Setting", "ExternalEwsUrl")
            })
        })
    })
}

/// The `Response` of a GetUserSettings answer, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct AutodiscoverResponse {
    error: ErrorFields,
    /// The first `UserResponses/UserResponse`.
    user: Option<UserResponse>,
}

/// One user's answer: an error or redirection, or the settings asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct UserResponse {
    error: ErrorFields,
    redirect_target: Option<String>,
    /// `UserSettings/UserSetting` as (Name, Value).
    settings: Vec<(String, String)>,
}

/// The `ErrorCode` and `ErrorMessage` of a `Response` or a `UserResponse`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
}

impl ErrorFields {
    /// Reads `child` when it is one of the two; false for any other element.
    fn read<'a>(&mut self, reader: &mut XmlReader<'a>, child: &Tag<'a>) -> Read<bool> {
        match child.name() {
            "ErrorCode" => self.code = reader.trimmed_string(child)?,
            "ErrorMessage" => self.message = reader.trimmed_string(child)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `NoError` (or no code) is fine; any other code is Exchange's error.
    fn check(self) -> Result<(), EwsError> {
        match self.code.as_deref() {
            None | Some("NoError") => Ok(()),
            Some(code) => Err(EwsError::Exchange {
                code: code.to_string(),
                message: self.message.unwrap_or_default(),
            }),
        }
    }
}

/// Reads the first child of `parent` named `name` with `read`, passing over the others.
fn read_first<'a, T>(
    reader: &mut XmlReader<'a>,
    parent: &Tag<'a>,
    name: &str,
    mut read: impl FnMut(&mut XmlReader<'a>, &Tag<'a>) -> Read<T>,
) -> Read<Option<T>> {
    let mut first = None;
    while let Some(child) = reader.next_child(parent)? {
        if child.name() == name && first.is_none() {
            first = Some(read(reader, &child)?);
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(first)
}

/// Reads the `Response` element of a GetUserSettings answer.
fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<AutodiscoverResponse> {
    let mut response = AutodiscoverResponse::default();
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "UserResponses" => {
                response.user = read_first(reader, &child, "UserResponse", read_user)?;
            }
            _ if response.error.read(reader, &child)? => {}
            _ => reader.skip(&child)?,
        }
    }
    Ok(response)
}

fn read_user<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<UserResponse> {
    let mut user = UserResponse::default();
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "RedirectTarget" => user.redirect_target = reader.trimmed_string(&child)?,
            "UserSettings" => {
                while let Some(setting) = reader.next_child(&child)? {
                    if setting.name() != "UserSetting" {
                        reader.skip(&setting)?;
                    } else if let Some(pair) = read_setting(reader, &setting)? {
                        user.settings.push(pair);
                    }
                }
            }
            _ if user.error.read(reader, &child)? => {}
            _ => reader.skip(&child)?,
        }
    }
    Ok(user)
}

/// A `UserSetting`'s (Name, Value); None when it lacks either.
fn read_setting<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Option<(String, String)>> {
    let (mut name, mut value) = (None, None);
    while let Some(field) = reader.next_child(tag)? {
        match field.name() {
            "Name" => name = reader.trimmed_string(&field)?,
            "Value" => value = reader.trimmed_string(&field)?,
            _ => reader.skip(&field)?,
        }
    }
    Ok(name.zip(value))
}

/// Reads a GetUserSettings response.
pub fn parse(answer: &[u8]) -> Result<Response<AutodiscoverOutcome>, EwsError> {
    let envelope = read_envelope(&document_text(answer), |reader, operation| {
        let response = read_first(reader, operation, "Response", read)?;
        Ok(response.ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> without a Response", operation.name()),
        }))
    })?;
    let response = envelope.value?;
    response.error.check()?;
    let user = response.user.ok_or_else(|| EwsError::UnexpectedResponse {
        detail: "Autodiscover answered without a UserResponse".into(),
    })?;
    let target = user
        .redirect_target
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: "an Autodiscover redirection without a target".into(),
        });
    let outcome = match user.error.code.as_deref().unwrap_or("NoError") {
        "RedirectAddress" => AutodiscoverOutcome::RedirectAddress(target?),
        "RedirectUrl" => AutodiscoverOutcome::RedirectUrl(target?),
        _ => {
            user.error.check()?;
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
