//! Reads what every EWS answer has in common, in one pass: the `ServerVersionInfo`
//! header, a SOAP fault as its typed error, and each response message's
//! `ResponseClass`/`ResponseCode`/`MessageText`/`MessageXml` as its status. What a
//! message carries besides (a CalendarView's root folder, GetItem's item, the changes of
//! SyncFolderItems, a subscription id …) is read by the operation's own module, through
//! the `read_child` it hands to [`read_messages`]; an answer of another shape
//! (Autodiscover's `Response`) is read by its module through [`read_envelope`]. Adding
//! an operation adds a module, nothing here.

use super::details::Details;
use super::error::EwsError;
use super::version::ServerVersionInfo;
use super::xml::{Read, Tag, XmlProblem, XmlReader, document_text};

/// A successful result together with what the server said it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<T> {
    pub server_version: Option<ServerVersionInfo>,
    pub value: T,
}

/// One EWS response message: its status and what the operation read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<T> {
    /// Ok for `Success` and `Warning`, else the typed error of its `ResponseCode`.
    pub status: Result<(), EwsError>,
    pub payload: T,
}

impl From<XmlProblem> for EwsError {
    fn from(problem: XmlProblem) -> EwsError {
        match problem {
            XmlProblem::Malformed(detail) => EwsError::MalformedXml { detail },
            XmlProblem::Refused(detail) => EwsError::HostileXml { detail },
            XmlProblem::NoRoot => EwsError::MalformedXml {
                detail: "no XML element at all".into(),
            },
        }
    }
}

/// Reads a SOAP answer: the `ServerVersionInfo` header, a fault as its typed error, else
/// the operation's response element (the first child of `Body`) with `read_operation`.
pub fn read_envelope<'a, T>(
    text: &'a str,
    read_operation: impl FnOnce(&mut XmlReader<'a>, &Tag<'a>) -> Read<T>,
) -> Result<Response<T>, EwsError> {
    let mut reader = XmlReader::new(text);
    let root = reader.root()?;
    if root.name() != "Envelope" {
        let name = root.name().to_string();
        reader.skip(&root)?;
        reader.finish()?;
        return Err(EwsError::UnexpectedResponse {
            detail: format!("a <{name}> document instead of a SOAP envelope"),
        });
    }
    let mut read_operation = Some(read_operation);
    let mut server_version = None;
    let mut body = None;
    while let Some(child) = reader.next_child(&root)? {
        match child.name() {
            "Header" => {
                while let Some(header) = reader.next_child(&child)? {
                    if header.name() == "ServerVersionInfo" && server_version.is_none() {
                        server_version = Some(ServerVersionInfo::read(&mut reader, &header)?);
                    } else {
                        reader.skip(&header)?;
                    }
                }
            }
            "Body" if body.is_none() => {
                body = Some(read_soap_body(&mut reader, &child, &mut read_operation)?);
            }
            _ => reader.skip(&child)?,
        }
    }
    reader.finish()?;
    let value = body
        .flatten()
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: "the SOAP envelope has an empty body".into(),
        })??;
    Ok(Response {
        server_version,
        value,
    })
}

/// Reads an EWS operation's answer: every `ResponseMessages/*` with its status, each
/// other child of a message offered to `read_child`, which returns true when it read it
/// into the message's payload (false: the child is passed over).
pub fn read_messages<'a, T: Default>(
    text: &'a str,
    mut read_child: impl FnMut(&mut XmlReader<'a>, &Tag<'a>, &mut T) -> Read<bool>,
) -> Result<Response<Vec<Message<T>>>, EwsError> {
    let response = read_envelope(text, |reader, operation| {
        let mut messages = None;
        while let Some(child) = reader.next_child(operation)? {
            if child.name() != "ResponseMessages" {
                reader.skip(&child)?;
                continue;
            }
            let mut read = Vec::new();
            while let Some(message) = reader.next_child(&child)? {
                read.push(read_message(reader, &message, &mut read_child)?);
            }
            messages = Some(read);
        }
        Ok(messages.ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> has no ResponseMessages", operation.name()),
        }))
    })?;
    Ok(Response {
        server_version: response.server_version,
        value: response.value?,
    })
}

/// The single message of an operation on one folder, item or subscription, checked: an
/// error `ResponseClass` is its typed error.
pub fn single<T>(response: Response<Vec<Message<T>>>) -> Result<Response<T>, EwsError> {
    let message =
        response
            .value
            .into_iter()
            .next()
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: "the answer has no response message".into(),
            })?;
    message.status?;
    Ok(Response {
        server_version: response.server_version,
        value: message.payload,
    })
}

/// The answer of an operation on one item or subscription that carries nothing but its
/// status (DeleteItem, DeclineItem, Unsubscribe): success, or its typed error.
pub(crate) fn single_status(answer: &[u8]) -> Result<Response<()>, EwsError> {
    let messages = read_messages(&document_text(answer), |_, _, _: &mut ()| Ok(false))?;
    single(messages)
}

/// The first element of `soap:Body`: a fault as its error, or the operation's response;
/// None when the body is empty.
fn read_soap_body<'a, T>(
    reader: &mut XmlReader<'a>,
    body: &Tag<'a>,
    read_operation: &mut Option<impl FnOnce(&mut XmlReader<'a>, &Tag<'a>) -> Read<T>>,
) -> Read<Option<Result<T, EwsError>>> {
    let mut first = None;
    while let Some(child) = reader.next_child(body)? {
        if first.is_some() {
            reader.skip(&child)?;
        } else if child.name() == "Fault" {
            first = Some(Err(read_fault(reader, &child)?));
        } else if let Some(read) = read_operation.take() {
            first = Some(Ok(read(reader, &child)?));
        } else {
            reader.skip(&child)?;
        }
    }
    Ok(first)
}

/// Turns a `soap:Fault` into an error: the EWS code in `detail/ResponseCode` if there is
/// one, else an EWS code in `faultcode`, else the plain SOAP fault.
fn read_fault<'a>(reader: &mut XmlReader<'a>, fault: &Tag<'a>) -> Read<EwsError> {
    let (mut faultcode, mut message, mut details) = (None, None, Details::default());
    while let Some(child) = reader.next_child(fault)? {
        match child.name() {
            "faultcode" => faultcode = reader.trimmed_string(&child)?,
            "faultstring" => message = reader.trimmed_string(&child)?,
            "detail" => details = Details::read(reader, &child)?,
            _ => reader.skip(&child)?,
        }
    }
    let faultcode = faultcode.unwrap_or_default();
    let message = message.unwrap_or_default();
    let local_code = faultcode.rsplit(':').next().unwrap_or(&faultcode);
    let code = details.get("ResponseCode").unwrap_or(local_code);
    Ok(if code.starts_with("Error") {
        EwsError::from_code(code, &message, &details)
    } else {
        EwsError::SoapFault {
            code: faultcode.clone(),
            message,
        }
    })
}

/// Reads one response message: its status from `ResponseClass`, `ResponseCode`,
/// `MessageText` and `MessageXml`, the rest through `read_child`.
fn read_message<'a, T: Default>(
    reader: &mut XmlReader<'a>,
    tag: &Tag<'a>,
    read_child: &mut impl FnMut(&mut XmlReader<'a>, &Tag<'a>, &mut T) -> Read<bool>,
) -> Read<Message<T>> {
    let class = tag.attr("ResponseClass");
    let (mut code, mut text, mut details) = (None, None, Details::default());
    let mut payload = T::default();
    while let Some(child) = reader.next_child(tag)? {
        match child.name() {
            "ResponseCode" => code = Some(reader.text(&child)?),
            "MessageText" => text = reader.trimmed_string(&child)?,
            "MessageXml" => details = Details::read(reader, &child)?,
            _ => {
                if !read_child(reader, &child, &mut payload)? {
                    reader.skip(&child)?;
                }
            }
        }
    }
    let code = code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let code = code.unwrap_or("NoError");
    let class = class.as_deref().unwrap_or("");
    let status = if class == "Error" || (class.is_empty() && code != "NoError") {
        Err(EwsError::from_code(
            code,
            text.as_deref().unwrap_or(""),
            &details,
        ))
    } else {
        Ok(())
    };
    Ok(Message { status, payload })
}
