//! Reads a SOAP response: the `ServerVersionInfo` header, faults as typed errors, and the
//! per-message `ResponseClass`/`ResponseCode` of EWS response messages.

use super::error::EwsError;
use super::version::ServerVersionInfo;
use super::xml::{self, Element, XmlProblem};

/// A successful result together with what the server said it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<T> {
    pub server_version: Option<ServerVersionInfo>,
    pub value: T,
}

/// The parts of a SOAP envelope an operation reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub server_version: Option<ServerVersionInfo>,
    /// The operation's response element: the first child of `Body`.
    pub body: Element,
}

impl Envelope {
    /// Reads an envelope; a SOAP fault becomes its typed error.
    pub fn parse(bytes: &[u8]) -> Result<Envelope, EwsError> {
        let root = xml::parse(bytes).map_err(|problem| match problem {
            XmlProblem::Malformed(detail) => EwsError::MalformedXml { detail },
            XmlProblem::Refused(detail) => EwsError::HostileXml { detail },
            XmlProblem::NoRoot => EwsError::MalformedXml {
                detail: "no XML element at all".into(),
            },
        })?;
        if root.name != "Envelope" {
            return Err(EwsError::UnexpectedResponse {
                detail: format!("a <{}> document instead of a SOAP envelope", root.name),
            });
        }
        let server_version = root
            .path(&["Header", "ServerVersionInfo"])
            .map(ServerVersionInfo::from_element);
        let mut root = root;
        let body = root
            .children
            .iter_mut()
            .find(|c| c.name == "Body")
            .filter(|b| !b.children.is_empty())
            .map(|b| b.children.swap_remove(0))
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: "the SOAP envelope has an empty body".into(),
            })?;
        if body.name == "Fault" {
            return Err(fault_error(&body));
        }
        Ok(Envelope {
            server_version,
            body,
        })
    }

    /// Wraps an operation's result with the server version of this envelope.
    pub fn respond<T>(&self, value: T) -> Response<T> {
        Response {
            server_version: self.server_version.clone(),
            value,
        }
    }
}

/// Turns a `soap:Fault` into an error: the EWS code in `detail/ResponseCode` if there is
/// one, else an EWS code in `faultcode`, else the plain SOAP fault.
fn fault_error(fault: &Element) -> EwsError {
    let detail = fault.child("detail");
    let faultcode = fault.child_text("faultcode").unwrap_or("");
    let local_code = faultcode.rsplit(':').next().unwrap_or(faultcode);
    let message = fault.child_text("faultstring").unwrap_or("");
    let code = detail
        .and_then(|d| d.child_text("ResponseCode"))
        .unwrap_or(local_code);
    if code.starts_with("Error") {
        EwsError::from_code(code, message, detail)
    } else {
        EwsError::SoapFault {
            code: faultcode.to_string(),
            message: message.to_string(),
        }
    }
}

/// The response messages of an operation response (`ResponseMessages/*`).
pub fn response_messages(body: &Element) -> Result<&[Element], EwsError> {
    body.child("ResponseMessages")
        .map(|m| m.children.as_slice())
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> has no ResponseMessages", body.name),
        })
}

/// Checks one response message: an error `ResponseClass` becomes its typed error.
/// A warning is treated as success, as EWS clients do.
pub fn check_message(message: &Element) -> Result<(), EwsError> {
    let code = message.child_text("ResponseCode").unwrap_or("NoError");
    let class = message.attr("ResponseClass").unwrap_or("");
    if class == "Error" || (class.is_empty() && code != "NoError") {
        return Err(EwsError::from_code(
            code,
            message.child_text("MessageText").unwrap_or(""),
            message.child("MessageXml"),
        ));
    }
    Ok(())
}

/// Reads the single response message of an operation that addresses one folder.
pub fn single_message(body: &Element) -> Result<&Element, EwsError> {
    let message = response_messages(body)?
        .first()
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> has no response message", body.name),
        })?;
    check_message(message)?;
    Ok(message)
}

/// Parses an `xs:boolean`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}
