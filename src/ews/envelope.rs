//! Writes SOAP 1.1 request envelopes for EWS: the `t:RequestServerVersion` header, the
//! `t:ExchangeImpersonation` header when a service account acts for the room mailbox,
//! and a body written by the operation.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::version::RequestVersion;

pub const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const TYPES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
pub const MESSAGES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";

/// The XML writer operations write their bodies with.
pub(crate) type XmlWriter = Writer<Vec<u8>>;

/// What goes into the SOAP header of every EWS request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHeader {
    pub version: RequestVersion,
    /// The room mailbox the service account impersonates (SMTP address), if any.
    pub impersonate: Option<String>,
}

/// Writes a whole EWS envelope; `body` writes the operation element inside `soap:Body`.
pub(crate) fn ews_envelope(
    header: &RequestHeader,
    body: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
) -> Vec<u8> {
    let namespaces = [("xmlns:t", TYPES_NS), ("xmlns:m", MESSAGES_NS)];
    let write_header = |w: &mut XmlWriter| {
        w.create_element("t:RequestServerVersion")
            .with_attribute(("Version", header.version.as_str()))
            .write_empty()?;
        match &header.impersonate {
            Some(mailbox) => element(w, "t:ExchangeImpersonation", |w| {
                element(w, "t:ConnectingSID", |w| {
                    text_element(w, "t:SmtpAddress", mailbox)
                })
            }),
            None => Ok(()),
        }
    };
    soap_envelope(namespaces, write_header, body)
}

/// Writes a whole SOAP 1.1 envelope declaring `soap:` and `namespaces`: `header` writes
/// the children of `soap:Header`, `body` those of `soap:Body`.
pub(crate) fn soap_envelope<'a>(
    namespaces: impl IntoIterator<Item = (&'a str, &'a str)>,
    header: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
    body: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
) -> Vec<u8> {
    let namespaces = std::iter::once(("xmlns:soap", SOAP_NS)).chain(namespaces);
    document(|w| {
        element_with(w, "soap:Envelope", namespaces, |w| {
            element(w, "soap:Header", header)?;
            element(w, "soap:Body", body)
        })
    })
}

/// Runs `write` on a fresh writer after the XML declaration and returns the bytes.
pub fn document(write: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> Vec<u8> {
    let mut writer = Writer::new(Vec::with_capacity(2048));
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
        .and_then(|()| write(&mut writer))
        .expect("writing XML into a Vec cannot fail");
    writer.into_inner()
}

/// Writes `<name>` with what `children` writes inside it.
pub fn element(
    w: &mut XmlWriter,
    name: &str,
    children: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
) -> io::Result<()> {
    w.create_element(name).write_inner_content(children)?;
    Ok(())
}

/// Writes `<name a="…" …>` with `attributes` and what `children` writes inside it.
pub(crate) fn element_with<'a>(
    w: &mut XmlWriter,
    name: &str,
    attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    children: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
) -> io::Result<()> {
    w.create_element(name)
        .with_attributes(attributes)
        .write_inner_content(children)?;
    Ok(())
}

/// Writes an item's plain-text `<t:Body BodyType="Text">`.
pub fn text_body(w: &mut XmlWriter, text: &str) -> io::Result<()> {
    w.create_element("t:Body")
        .with_attribute(("BodyType", "Text"))
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// Writes `<name>text</name>`, escaped and with characters XML forbids left out.
pub(crate) fn text_element(w: &mut XmlWriter, name: &str, text: &str) -> io::Result<()> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    w.create_element(name)
        .write_text_content(BytesText::new(&clean))?;
    Ok(())
}

/// Writes `<t:DistinguishedFolderId Id="calendar">` naming the room's mailbox, so the
/// request works both with impersonation and with delegate access.
pub(crate) fn room_calendar_folder(w: &mut XmlWriter, mailbox: &str) -> io::Result<()> {
    element_with(w, "t:DistinguishedFolderId", [("Id", "calendar")], |w| {
        element(w, "t:Mailbox", |w| {
            text_element(w, "t:EmailAddress", mailbox)
        })
    })
}

/// Writes `<t:FieldURI FieldURI="…"/>`.
pub(crate) fn field_uri(w: &mut XmlWriter, uri: &str) -> io::Result<()> {
    w.create_element("t:FieldURI")
        .with_attribute(("FieldURI", uri))
        .write_empty()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impersonation_header_names_the_room() {
        let header = RequestHeader {
            version: RequestVersion::Exchange2010Sp2,
            impersonate: Some("confrm2@contoso.com".into()),
        };
        let xml = String::from_utf8(ews_envelope(&header, |_| Ok(()))).unwrap();
        assert!(xml.contains(r#"<t:RequestServerVersion Version="Exchange2010_SP2"/>"#));
        assert!(xml.contains(
            "<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>confrm2@contoso.com</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>"
        ));
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let xml = document(|w| text_element(w, "a", "x<&\u{1}y"));
        assert!(
            String::from_utf8(xml)
                .unwrap()
                .ends_with("<a>x&lt;&amp;y</a>")
        );
    }
}
