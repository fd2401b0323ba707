//! Reads a request body into a small element tree addressed by local names, so the
//! operations can look up `Body/FindItem/CalendarView` whatever prefixes the client chose
//! (`m:`, `messages:`, a default namespace…), the way Exchange's parser is indifferent to them.

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// One element: its local name, attributes (local names too), text and children.
#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follows a path of local names from this element.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names
            .iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The value of an attribute, by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The trimmed text of the element.
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }

    /// Every descendant (depth first) with this local name.
    pub fn descendants_named<'a>(&'a self, name: &str, found: &mut Vec<&'a Element>) {
        for child in &self.children {
            if child.name == name {
                found.push(child);
            }
            child.descendants_named(name, found);
        }
    }
}

/// Why a body could not be read: the words Exchange would put in an ErrorSchemaValidation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedXml(pub String);

/// Parses a whole document and returns its root element.
pub fn parse_document(bytes: &[u8]) -> Result<Element, MalformedXml> {
    let mut reader = Reader::from_reader(bytes);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut buffer = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|error| {
            MalformedXml(format!("The request is not well-formed XML: {error}"))
        })?;
        match event {
            Event::Start(start) => stack.push(element_from(&start)?),
            Event::Empty(start) => {
                let element = element_from(&start)?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| MalformedXml("Unexpected closing tag.".into()))?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(character)) => character.to_string(),
                    Ok(None) => resolve_predefined_entity(&reference)
                        .ok_or_else(|| {
                            MalformedXml(format!(
                                "Reference to undeclared entity '{}'.",
                                &*reference
                            ))
                        })?
                        .to_string(),
                    Err(error) => {
                        return Err(MalformedXml(format!(
                            "Invalid character reference: {error}"
                        )));
                    }
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if !stack.is_empty() {
        return Err(MalformedXml(
            "Unexpected end of file: an element is not closed.".into(),
        ));
    }
    root.ok_or_else(|| MalformedXml("Root element is missing.".into()))
}

fn element_from(start: &BytesStart<'_>) -> Result<Element, MalformedXml> {
    let name = start.local_name().as_ref().to_string();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|error| MalformedXml(format!("Invalid attribute: {error}")))?;
        if attribute.key.as_ref().starts_with("xmlns") {
            continue;
        }
        let key = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| MalformedXml(format!("Invalid attribute value: {error}")))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
) -> Result<(), MalformedXml> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(MalformedXml("There are multiple root elements.".into())),
    }
    Ok(())
}
