//! Reads an EWS response into a small element tree, tolerant where Exchange is sloppy and
//! strict where a document could be hostile.
//!
//! - Elements are matched by local name only, so the `https://` namespace typos of
//!   Microsoft's published samples parse like the real `http://` namespaces.
//! - Character references that XML 1.0 forbids (`&#x1A;`, `&#x0;` …), which Exchange
//!   copies from meeting subjects and bodies, are dropped instead of failing the document:
//!   the meeting survives with the stray control character removed.
//! - A DOCTYPE (the door to entity expansion) is refused, nesting is capped, and the tree
//!   holds nothing but what the document itself contains, so memory stays bounded by the
//!   (size-capped) response.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// How deep elements may nest. Real EWS responses stay below 20 levels.
pub const MAX_DEPTH: usize = 128;

/// One element of the response: its local name, attributes and content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The local name (prefix removed).
    pub name: String,
    /// Attributes by local name (prefix removed), values unescaped.
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text, all text pieces concatenated, references resolved.
    pub text: String,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlProblem {
    /// Not well-formed (or cut off before its end).
    Malformed(String),
    /// Well-formed maybe, but refused for safety: DOCTYPE, excessive nesting.
    Refused(String),
    /// No root element at all.
    NoRoot,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follows a path of local names from this element.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, name| el.child(name))
    }

    /// The value of an attribute by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the child `name`, None when the child is absent or empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// The first element with this local name in a depth-first walk (self included).
    pub fn descendant(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.descendant(name))
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlProblem> {
    let text = String::from_utf8_lossy(bytes);
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            XmlProblem::Malformed(format!(
                "{e} (at byte {})",
                reader.error_position().min(bytes.len() as u64)
            ))
        })?;
        match event {
            Event::DocType(_) => {
                return Err(XmlProblem::Refused(
                    "the response declares a DOCTYPE, which EWS never sends".into(),
                ));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlProblem::Refused(format!(
                        "elements nest more than {MAX_DEPTH} levels deep"
                    )));
                }
                stack.push(element_from(&start));
            }
            Event::Empty(start) => {
                let element = element_from(&start);
                attach(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlProblem::Malformed("closing tag without opening".into()))?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    push_clean(&mut top.text, &text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(top) = stack.last_mut() {
                    push_clean(&mut top.text, &data.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(top) = stack.last_mut() {
                    resolve_reference(&reference, &mut top.text);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlProblem::Malformed(format!(
            "the document ends inside <{}>: it was cut off",
            stack.last().map(|e| e.name.as_str()).unwrap_or_default()
        )));
    }
    root.ok_or(XmlProblem::NoRoot)
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
) -> Result<(), XmlProblem> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => {
            return Err(XmlProblem::Malformed(
                "more than one root element".to_string(),
            ));
        }
    }
    Ok(())
}

fn element_from(start: &BytesStart<'_>) -> Element {
    let name = local(start.name().as_ref());
    let attributes = start
        .attributes()
        .with_checks(false)
        .flatten()
        .filter_map(|attr| {
            let key: &str = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                return None;
            }
            Some((local(key), unescape(&attr.value)))
        })
        .collect();
    Element {
        name,
        attributes,
        ..Element::default()
    }
}

/// The local part of a qualified name.
fn local(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or(qname).to_string()
}

/// Unescapes an attribute value: predefined entities and character references; a
/// reference to a forbidden character is dropped, an unknown entity is kept as written.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_clean(&mut out, &rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';') {
            Some(semi) if semi <= 32 => {
                resolve_reference(&after[..semi], &mut out);
                rest = &after[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_clean(&mut out, rest);
    out
}

/// Appends the text a reference (`amp`, `#x1A`, `#233` …, without `&` and `;`) stands for.
fn resolve_reference(name: &str, out: &mut String) {
    let predefined = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    };
    if let Some(c) = predefined {
        out.push(c);
    } else if let Some(number) = name.strip_prefix('#') {
        // A reference to a character XML forbids (or to no character at all) is dropped.
        if let Some(c) = char_from_reference(number).filter(|c| is_xml_char(*c)) {
            out.push(c);
        }
    } else {
        out.push('&');
        out.push_str(name);
        out.push(';');
    }
}

fn char_from_reference(number: &str) -> Option<char> {
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse::<u32>().ok()?,
    };
    char::from_u32(code)
}

/// Whether XML 1.0 allows this character in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends text, leaving out characters XML 1.0 forbids (raw control characters).
fn push_clean(out: &mut String, text: &str) {
    out.extend(text.chars().filter(|c| is_xml_char(*c)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_character_references_are_dropped_not_fatal() {
        let root = parse(b"<a><s>Budget&#x1A; review&#0;&#65;&amp;&lt;</s></a>").unwrap();
        assert_eq!(root.child("s").unwrap().text, "Budget reviewA&<");
    }

    #[test]
    fn attribute_values_are_unescaped() {
        let root = parse(br#"<a Id="x&amp;y&#x1;z&foo;" />"#).unwrap();
        assert_eq!(root.attr("Id"), Some("x&yz&foo;"));
    }

    #[test]
    fn doctype_is_refused() {
        let doc = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>"#;
        assert!(matches!(parse(doc), Err(XmlProblem::Refused(_))));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let doc = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(parse(doc.as_bytes()), Err(XmlProblem::Refused(_))));
    }

    #[test]
    fn cut_off_document_is_malformed() {
        assert!(matches!(
            parse(b"<s:Envelope><s:Body><x>"),
            Err(XmlProblem::Malformed(_))
        ));
        assert_eq!(parse(b"  "), Err(XmlProblem::NoRoot));
    }

    #[test]
    fn prefixes_are_ignored() {
        let root = parse(
            br#"<s:Envelope xmlns:s="https://typo/"><s:Body><m:R t:A="1"/></s:Body></s:Envelope>"#,
        )
        .unwrap();
        assert_eq!(root.path(&["Body", "R"]).unwrap().attr("A"), Some("1"));
    }
}
