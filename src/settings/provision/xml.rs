//! Safe XML reading for the provisioning file: bytes → a small element tree with line
//! numbers. Knows nothing of which elements exist (that is `schema.rs`).
//!
//! Accepts UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark.
//! Refuses what could be used against the device: DOCTYPE and entity declarations, and
//! references to entities other than XML's five (`&amp;` …) and character references.
//! The size limit is enforced by the caller before the bytes get here; nesting is limited
//! here, so a pathological file cannot exhaust the stack when its tree is dropped.

use quick_xml::events::{BytesDecl, BytesRef, Event};
use quick_xml::reader::Reader;

/// The deepest nesting accepted. The format itself needs four levels.
const MAX_DEPTH: usize = 16;

/// One element: its name, the line its start tag is on, its child elements and the text
/// directly inside it (character references resolved, CDATA included).
#[derive(Debug)]
pub(super) struct Element {
    pub name: String,
    pub line: usize,
    pub children: Vec<Element>,
    pub text: String,
}

/// What is wrong with the document, and on which line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct XmlProblem {
    pub line: Option<usize>,
    pub message: String,
}

impl XmlProblem {
    fn at(line: usize, message: impl Into<String>) -> Self {
        XmlProblem {
            line: Some(line),
            message: message.into(),
        }
    }
}

/// Parses `bytes` into the root element.
pub(super) fn parse(bytes: &[u8]) -> Result<Element, XmlProblem> {
    let text = decode(bytes)?;
    Parser::new(&text).run()
}

/// Turns the file's bytes into text according to its byte-order mark.
fn decode(bytes: &[u8]) -> Result<String, XmlProblem> {
    const SAVE_AS_UTF8: &str = "save it as UTF-8 (Notepad: Save As → Encoding: UTF-8)";
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        if !bytes.len().is_multiple_of(2) {
            return Err(XmlProblem {
                line: None,
                message: format!("is cut short (an odd number of bytes in UTF-16); {SAVE_AS_UTF8}"),
            });
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| from([pair[0], pair[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| XmlProblem {
            line: None,
            message: format!("is not valid UTF-16 text; {SAVE_AS_UTF8}"),
        })
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest, SAVE_AS_UTF8),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(bytes, SAVE_AS_UTF8),
    }
}

fn utf8(bytes: &[u8], fix: &str) -> Result<String, XmlProblem> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        XmlProblem::at(
            line_of(valid, valid.len()),
            format!("is not UTF-8 text; {fix}"),
        )
    })
}

/// The 1-based line of byte offset `pos` in `bytes`.
fn line_of(bytes: &[u8], pos: usize) -> usize {
    let end = pos.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

struct Parser<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// Elements opened and not yet closed, outermost first.
    open: Vec<Element>,
    root: Option<Element>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            reader: Reader::from_str(text),
            open: Vec::new(),
            root: None,
        }
    }

    fn run(mut self) -> Result<Element, XmlProblem> {
        loop {
            let start = self.position();
            let event = self.reader.read_event().map_err(|e| {
                let at = usize::try_from(self.reader.error_position()).unwrap_or(usize::MAX);
                XmlProblem::at(
                    line_of(self.text.as_bytes(), at),
                    format!("is not well-formed XML: {e}"),
                )
            })?;
            let line = self.line_of_tag_at(start);
            match event {
                Event::Decl(decl) => check_declared_encoding(&decl, line)?,
                Event::DocType(_) => {
                    return Err(XmlProblem::at(
                        line,
                        "has a <!DOCTYPE …> declaration, which is not accepted (it can define entities); remove it",
                    ));
                }
                Event::Start(tag) => self.open_element(tag.local_name().into_inner(), line)?,
                Event::Empty(tag) => {
                    self.open_element(tag.local_name().into_inner(), line)?;
                    self.close_element();
                }
                Event::End(_) => self.close_element(),
                Event::Text(text) => self.add_text(&text.xml10_content(), line)?,
                Event::CData(cdata) => self.add_text(&cdata.into_inner(), line)?,
                Event::GeneralRef(reference) => {
                    let resolved = resolve_reference(&reference, line)?;
                    self.add_text(&resolved, line)?;
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(unclosed) = self.open.last() {
            return Err(XmlProblem::at(
                line_of(self.text.as_bytes(), self.text.len()),
                format!(
                    "ends before <{}> (opened on line {}) is closed",
                    unclosed.name, unclosed.line
                ),
            ));
        }
        self.root.ok_or(XmlProblem {
            line: None,
            message: "holds no XML elements (is it empty?)".into(),
        })
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// The line of the first `<` at or after `start`: the tag the next event reads.
    fn line_of_tag_at(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let tag = bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'<'))
            .map_or(start, |offset| start + offset);
        line_of(bytes, tag)
    }

    fn open_element(&mut self, name: &str, line: usize) -> Result<(), XmlProblem> {
        if self.open.is_empty() && self.root.is_some() {
            return Err(XmlProblem::at(
                line,
                format!(
                    "has a second top-level element <{name}>; everything belongs inside one <RoomConsoleSettings>"
                ),
            ));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(XmlProblem::at(
                line,
                format!(
                    "nests elements more than {MAX_DEPTH} deep at <{name}>; a provisioning file needs four levels"
                ),
            ));
        }
        self.open.push(Element {
            name: name.to_owned(),
            line,
            children: Vec::new(),
            text: String::new(),
        });
        Ok(())
    }

    fn close_element(&mut self) {
        // quick-xml checks that end tags match, so there is always an open element here.
        if let Some(element) = self.open.pop() {
            match self.open.last_mut() {
                Some(parent) => parent.children.push(element),
                None => self.root = Some(element),
            }
        }
    }

    fn add_text(&mut self, text: &str, line: usize) -> Result<(), XmlProblem> {
        match self.open.last_mut() {
            Some(element) => {
                element.text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(XmlProblem::at(
                line,
                "has text outside <RoomConsoleSettings>; everything belongs inside it",
            )),
        }
    }
}

fn check_declared_encoding(decl: &BytesDecl<'_>, line: usize) -> Result<(), XmlProblem> {
    let Some(Ok(encoding)) = decl.encoding() else {
        return Ok(());
    };
    let lower = encoding.to_ascii_lowercase();
    if ["utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii"].contains(&lower.as_str()) {
        Ok(())
    } else {
        Err(XmlProblem::at(
            line,
            format!(
                "declares encoding=\"{encoding}\"; save the file as UTF-8 and declare encoding=\"UTF-8\""
            ),
        ))
    }
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and character references; nothing else.
fn resolve_reference(reference: &BytesRef<'_>, line: usize) -> Result<String, XmlProblem> {
    let bad_char_ref = || {
        XmlProblem::at(
            line,
            format!("has an invalid character reference &{};", &**reference),
        )
    };
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            _ => Err(bad_char_ref()),
        };
    }
    let resolved = match &**reference {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => {
            return Err(XmlProblem::at(
                line,
                format!(
                    "uses the entity &{other};, which is not defined; write &amp; for a literal &"
                ),
            ));
        }
    };
    Ok(resolved.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_with_lines_and_text() {
        let root =
            parse(b"<A>\n  <B>one &amp; two</B>\n  <C/>\n  <D><![CDATA[<x>]]>&#65;</D>\n</A>")
                .expect("parses");
        assert_eq!(root.name, "A");
        assert_eq!(root.line, 1);
        let names: Vec<_> = root
            .children
            .iter()
            .map(|c| (c.name.as_str(), c.line))
            .collect();
        assert_eq!(names, vec![("B", 2), ("C", 3), ("D", 4)]);
        assert_eq!(root.children[0].text, "one & two");
        assert_eq!(root.children[1].text, "");
        assert_eq!(root.children[2].text, "<x>A");
    }

    #[test]
    fn utf8_and_utf16_byte_order_marks_are_tolerated() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<A>Å</A>";
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(parse(&utf16le).expect("utf-16le").text, "Å");
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(xml.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(parse(&utf16be).expect("utf-16be").text, "Å");
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend(b"<?xml version=\"1.0\" encoding=\"utf-8\"?><A>x</A>");
        assert_eq!(parse(&utf8).expect("utf-8 bom").text, "x");
    }

    #[test]
    fn doctype_and_undefined_entities_are_refused() {
        let doctype =
            parse(b"<?xml version=\"1.0\"?>\n<!DOCTYPE A [<!ENTITY x \"y\">]>\n<A>&x;</A>")
                .unwrap_err();
        assert_eq!(doctype.line, Some(2));
        assert!(doctype.message.contains("DOCTYPE"), "{}", doctype.message);
        let entity = parse(b"<A>\n&x;</A>").unwrap_err();
        assert_eq!(entity.line, Some(2));
        assert!(entity.message.contains("&x;"), "{}", entity.message);
    }

    #[test]
    fn malformed_documents_name_the_line() {
        let mismatched = parse(b"<A>\n<B>\n</C>\n</A>").unwrap_err();
        assert_eq!(mismatched.line, Some(3), "{}", mismatched.message);
        let unclosed = parse(b"<A>\n<B>x</B>\n").unwrap_err();
        assert!(unclosed.message.contains("<A>"), "{}", unclosed.message);
        assert!(parse(b"").unwrap_err().message.contains("no XML elements"));
        assert!(
            parse(b"<A/><B/>")
                .unwrap_err()
                .message
                .contains("second top-level")
        );
        assert!(parse(b"\xFF\xFF<A/>").is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("<A>{}</A>", "<B>".repeat(100_000));
        let problem = parse(deep.as_bytes()).unwrap_err();
        assert!(
            problem.message.contains("more than 16 deep"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn other_declared_encodings_are_refused() {
        let problem = parse(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><A/>").unwrap_err();
        assert!(problem.message.contains("UTF-8"), "{}", problem.message);
    }
}
