//! Reads a SOAP response in one pass: the `ServerVersionInfo` header, faults as typed
//! errors, and the operation's response element with the per-message
//! `ResponseClass`/`ResponseCode` and whatever each message carries (a CalendarView's
//! root folder, GetItem's item, SyncFolderItems' changes, Autodiscover's settings).

use std::borrow::Cow;

use super::autodiscover::{self, AutodiscoverResponse};
use super::error::EwsError;
use super::find_item::{self, RootFolder};
use super::item::{self, CalendarItem};
use super::sync_folder_items::{self, Change};
use super::version::ServerVersionInfo;
use super::xml::{Node, Read, Tag, XmlProblem, XmlReader, document_text, trim};

/// A successful result together with what the server said it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<T> {
    pub server_version: Option<ServerVersionInfo>,
    pub value: T,
}

/// A SOAP envelope, read; the items in it borrow from the response's bytes (`'a`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub server_version: Option<ServerVersionInfo>,
    /// The operation's response element: the first child of `Body`.
    pub body: Body<'a>,
}

/// An operation's response element (`FindItemResponse`, `GetUserSettingsResponseMessage` …).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body<'a> {
    /// The element's local name.
    pub name: String,
    /// `ResponseMessages/*` of an EWS operation.
    pub messages: Option<Vec<ResponseMessage<'a>>>,
    /// `Response` of SOAP Autodiscover.
    pub autodiscover: Option<AutodiscoverResponse>,
}

/// One EWS response message: its status and the parts of it the operations read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMessage<'a> {
    /// Ok for `Success` and `Warning`, else the typed error of its `ResponseCode`.
    pub status: Result<(), EwsError>,
    /// FindItem's `RootFolder`.
    pub root_folder: Option<RootFolder<'a>>,
    /// The first item of GetItem's `Items` (GetItem answers one item per message; any
    /// further one is checked and passed over).
    pub item: Option<Result<CalendarItem<'a>, EwsError>>,
    /// SyncFolderItems' `SyncState`, trimmed.
    pub sync_state: Option<String>,
    /// SyncFolderItems' `IncludesLastItemInRange`.
    pub includes_last_item_in_range: Option<bool>,
    /// SyncFolderItems' `Changes`.
    pub changes: Vec<Change>,
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

impl<'a> Envelope<'a> {
    /// Reads an envelope; a SOAP fault becomes its typed error. Its text borrows from
    /// `bytes`; invalid UTF-8 is replaced, not fatal (what is read from such a response
    /// is then owned).
    pub fn parse(bytes: &'a [u8]) -> Result<Envelope<'a>, EwsError> {
        match document_text(bytes) {
            Cow::Borrowed(text) => Envelope::read(text),
            Cow::Owned(text) => Envelope::read(&text).map(Envelope::into_owned),
        }
    }

    /// The same envelope, no longer borrowing from the response.
    pub fn into_owned(self) -> Envelope<'static> {
        Envelope {
            server_version: self.server_version,
            body: self.body.into_owned(),
        }
    }

    fn read(text: &'a str) -> Result<Envelope<'a>, EwsError> {
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
                "Body" if body.is_none() => body = Some(read_soap_body(&mut reader, &child)?),
                _ => reader.skip(&child)?,
            }
        }
        reader.finish()?;
        let body = body
            .flatten()
            .ok_or_else(|| EwsError::UnexpectedResponse {
                detail: "the SOAP envelope has an empty body".into(),
            })??;
        Ok(Envelope {
            server_version,
            body,
        })
    }
}

impl<'a> Body<'a> {
    /// Reads a document whose root is an operation's response element, without an
    /// envelope (as some samples are published).
    pub fn parse(bytes: &'a [u8]) -> Result<Body<'a>, EwsError> {
        match document_text(bytes) {
            Cow::Borrowed(text) => Body::read_document(text),
            Cow::Owned(text) => Body::read_document(&text).map(Body::into_owned),
        }
    }

    /// The same body, no longer borrowing from the response.
    pub fn into_owned(self) -> Body<'static> {
        Body {
            name: self.name,
            messages: self
                .messages
                .map(|m| m.into_iter().map(ResponseMessage::into_owned).collect()),
            autodiscover: self.autodiscover,
        }
    }

    fn read_document(text: &'a str) -> Result<Body<'a>, EwsError> {
        let mut reader = XmlReader::new(text);
        let root = reader.root()?;
        let body = Body::read(&mut reader, &root)?;
        reader.finish()?;
        Ok(body)
    }

    fn read(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Body<'a>> {
        let mut body = Body {
            name: tag.name().to_string(),
            ..Body::default()
        };
        while let Some(child) = reader.next_child(tag)? {
            match child.name() {
                "ResponseMessages" => {
                    let mut messages = Vec::new();
                    while let Some(message) = reader.next_child(&child)? {
                        messages.push(ResponseMessage::read(reader, &message)?);
                    }
                    body.messages = Some(messages);
                }
                "Response" => body.autodiscover = Some(autodiscover::read(reader, &child)?),
                _ => reader.skip(&child)?,
            }
        }
        Ok(body)
    }
}

/// The first element of `soap:Body`: a fault as its error, or the operation's response;
/// None when the body is empty.
fn read_soap_body<'a>(
    reader: &mut XmlReader<'a>,
    body: &Tag<'a>,
) -> Read<Option<Result<Body<'a>, EwsError>>> {
    let mut first = None;
    while let Some(child) = reader.next_child(body)? {
        if first.is_some() {
            reader.skip(&child)?;
        } else if child.name() == "Fault" {
            first = Some(Err(read_fault(reader, &child)?));
        } else {
            first = Some(Ok(Body::read(reader, &child)?));
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

/// The values in a `MessageXml` or a fault's `detail`: `<t:Value Name="…">` by their
/// `Name`, and elements without children by their own name (the `e:Line` form of older
/// faults), in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details(Vec<(String, String)>);

impl Details {
    /// The first value called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Details> {
        let mut details = Details::default();
        details.walk(reader, tag)?;
        Ok(details)
    }

    fn walk<'a>(&mut self, reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<()> {
        let (mut text, mut leaf) = (String::new(), true);
        while let Some(node) = reader.next_node(tag)? {
            match node {
                Node::Text(piece) => text.push_str(&piece),
                Node::Element(child) => {
                    leaf = false;
                    self.walk(reader, &child)?;
                }
            }
        }
        let value = text.trim();
        if value.is_empty() {
            return Ok(());
        }
        if tag.name() == "Value" {
            if let Some(name) = tag.attr("Name") {
                self.0.push((name.into_owned(), value.to_string()));
            }
        } else if leaf {
            self.0.push((tag.name().to_string(), value.to_string()));
        }
        Ok(())
    }
}

impl<'a> ResponseMessage<'a> {
    /// The same message, no longer borrowing from the response.
    pub fn into_owned(self) -> ResponseMessage<'static> {
        ResponseMessage {
            status: self.status,
            root_folder: self.root_folder.map(RootFolder::into_owned),
            item: self.item.map(|item| item.map(CalendarItem::into_owned)),
            sync_state: self.sync_state,
            includes_last_item_in_range: self.includes_last_item_in_range,
            changes: self.changes,
        }
    }

    fn read(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<ResponseMessage<'a>> {
        let class = tag.attr("ResponseClass");
        let (mut code, mut text, mut details) = (None, None, Details::default());
        let mut message = ResponseMessage {
            status: Ok(()),
            root_folder: None,
            item: None,
            sync_state: None,
            includes_last_item_in_range: None,
            changes: Vec::new(),
        };
        while let Some(child) = reader.next_child(tag)? {
            match child.name() {
                "ResponseCode" => code = Some(reader.text(&child)?),
                "MessageText" => text = reader.trimmed_string(&child)?,
                "MessageXml" => details = Details::read(reader, &child)?,
                "RootFolder" => {
                    message.root_folder = Some(find_item::read_root_folder(reader, &child)?)
                }
                "Items" => message.item = item::read_first_item(reader, &child)?,
                "SyncState" => {
                    message.sync_state = Some(trim(&reader.text(&child)?).to_string());
                }
                "IncludesLastItemInRange" => {
                    message.includes_last_item_in_range = parse_bool(&reader.text(&child)?);
                }
                "Changes" => message.changes = sync_folder_items::read_changes(reader, &child)?,
                _ => reader.skip(&child)?,
            }
        }
        let code = code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let code = code.unwrap_or("NoError");
        let class = class.as_deref().unwrap_or("");
        if class == "Error" || (class.is_empty() && code != "NoError") {
            message.status = Err(EwsError::from_code(
                code,
                text.as_deref().unwrap_or(""),
                &details,
            ));
        }
        Ok(message)
    }
}

/// The response messages of an operation response (`ResponseMessages/*`).
pub fn response_messages<'b, 'a>(
    body: &'b Body<'a>,
) -> Result<&'b [ResponseMessage<'a>], EwsError> {
    body.messages
        .as_deref()
        .ok_or_else(|| no_response_messages(&body.name))
}

fn no_response_messages(operation: &str) -> EwsError {
    EwsError::UnexpectedResponse {
        detail: format!("<{operation}> has no ResponseMessages"),
    }
}

/// Checks one response message: an error `ResponseClass` is its typed error. A warning
/// is treated as success, as EWS clients do.
pub fn check_message(message: &ResponseMessage) -> Result<(), EwsError> {
    message.status.clone()
}

/// The single response message of an operation that addresses one folder, checked.
pub fn single_message(body: Body<'_>) -> Result<ResponseMessage<'_>, EwsError> {
    let Some(messages) = body.messages else {
        return Err(no_response_messages(&body.name));
    };
    let message = messages
        .into_iter()
        .next()
        .ok_or_else(|| EwsError::UnexpectedResponse {
            detail: format!("<{}> has no response message", body.name),
        })?;
    message.status.clone()?;
    Ok(message)
}

/// Parses an `xs:boolean`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match trim(text) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}
