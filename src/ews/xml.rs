//! A streaming reader of EWS responses: the operation readers walk the document element
//! by element and fill their typed structs straight from quick-xml's events, borrowing
//! text from the input wherever it needs no change. An element's text is read straight
//! from the document, a run between two pieces of markup at a time, rather than as
//! quick-xml's one event per reference. Tolerant where Exchange is sloppy and strict
//! where a document could be hostile.
//!
//! - Elements and attributes are matched by local name only, so the `https://` namespace
//!   typos of Microsoft's published samples read like the real `http://` namespaces.
//! - Character references that XML 1.0 forbids (`&#x1A;`, `&#x0;` …), which Exchange
//!   copies from meeting subjects and bodies, are dropped instead of failing the document:
//!   the meeting survives with the stray control character removed.
//! - A DOCTYPE (the door to entity expansion) is refused, nesting is capped, and nothing is
//!   kept but what the readers ask for, so memory stays bounded by the (size-capped)
//!   response.
//! - Every element is read to its end, so a document cut off anywhere is an error.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};

use super::xml_text::{Fix, fixed, needs_no_fix, push_fixed};

/// How deep elements may nest. Real EWS responses stay below 20 levels.
pub(crate) const MAX_DEPTH: usize = 128;

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

/// The result of reading a part of a document.
pub type Read<T> = Result<T, XmlProblem>;

/// An element's start tag: its name and attributes, and whether it is empty (`<x/>`).
#[derive(Debug)]
pub struct Tag<'a> {
    start: BytesStart<'a>,
    /// The tag's text as a part of the document (always, when reading a document held in
    /// memory), so that attribute values can borrow from the document.
    in_document: Option<&'a str>,
    /// The document needs no fix (`XmlReader::clean`).
    clean: bool,
    empty: bool,
}

impl<'a> Tag<'a> {
    /// How attribute values are fixed: not at all in a clean document.
    fn fix(&self) -> Option<Fix> {
        (!self.clean).then_some(Fix::ForbiddenOnly)
    }

    /// The local name (prefix removed).
    pub fn name(&self) -> &str {
        self.start.local_name().into_inner()
    }

    /// The value of an attribute by local name, unescaped; namespace declarations are not
    /// attributes here.
    pub(crate) fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        let [value] = self.attrs([name]);
        value
    }

    /// The values of several attributes (the first of each name), in one pass over the
    /// tag; borrowed from the document unless unescaping changed them.
    pub(crate) fn attrs<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'a, str>>; N] {
        let name_len = self.start.name().as_ref().len();
        match self.in_document {
            Some(text) => attribute_values(Attributes::new(text, name_len), names, self.fix()),
            None => attribute_values(self.start.attributes(), names, self.fix())
                .map(|value| value.map(|v| Cow::Owned(v.into_owned()))),
        }
    }
}

/// The unescaped values of the named attributes (by local name, the first of each name),
/// borrowed from the tag's text where unescaping changes nothing; namespace declarations
/// are not attributes here.
fn attribute_values<'t, const N: usize>(
    mut attributes: Attributes<'t>,
    names: [&str; N],
    fix: Option<Fix>,
) -> [Option<Cow<'t, str>>; N] {
    let mut values = [const { None }; N];
    for attr in attributes.with_checks(false).flatten() {
        let key: &str = attr.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let key = local(key);
        let Some(slot) = names.iter().position(|name| *name == key) else {
            continue;
        };
        if let Some(value @ None) = values.get_mut(slot) {
            *value = Some(match attr.value {
                Cow::Borrowed(raw) => unescape(raw, fix),
                Cow::Owned(raw) => Cow::Owned(unescape(&raw, fix).into_owned()),
            });
        }
    }
    values
}

/// What an element contains, piece by piece.
pub(crate) enum Node<'a> {
    Element(Tag<'a>),
    Text(Cow<'a, str>),
}

/// Walks a document. Each element a caller is handed must be read to its end (by
/// `next_child`/`next_node` until None, `text` or `skip`) before reading on in its parent.
pub struct XmlReader<'a> {
    reader: Reader<&'a [u8]>,
    document: &'a str,
    /// No character of the document needs a fix (no carriage return, no character XML
    /// forbids), so its pieces of text are taken as they are.
    clean: bool,
    depth: usize,
}

impl<'a> XmlReader<'a> {
    pub fn new(text: &'a str) -> XmlReader<'a> {
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        XmlReader {
            reader,
            document: text,
            clean: needs_no_fix(text.as_bytes()),
            depth: 0,
        }
    }

    /// The root element.
    pub fn root(&mut self) -> Read<Tag<'a>> {
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start),
                Event::Empty(start) => return Ok(self.tag(start, true)),
                Event::Eof => return Err(XmlProblem::NoRoot),
                _ => {}
            }
        }
    }

    /// The next child element of `parent`, None at its end; text between is passed over.
    pub(crate) fn next_child(&mut self, parent: &Tag<'a>) -> Read<Option<Tag<'a>>> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            match self.event()? {
                Event::Start(start) => return self.open(start).map(Some),
                Event::Empty(start) => return Ok(Some(self.tag(start, true))),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => return Err(cut_off(parent)),
                _ => {}
            }
        }
    }

    /// The next piece of `parent`'s content, None at its end. Text comes with references
    /// resolved and characters XML forbids left out.
    pub(crate) fn next_node(&mut self, parent: &Tag<'a>) -> Read<Option<Node<'a>>> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let node = match self.event()? {
                Event::Start(start) => Node::Element(self.open(start)?),
                Event::Empty(start) => Node::Element(self.tag(start, true)),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Text(text) => Node::Text(self.fixed(text.into_inner())),
                Event::CData(data) => Node::Text(self.fixed(data.into_inner())),
                Event::GeneralRef(reference) => Node::Text(resolve_reference(&reference)),
                Event::Eof => return Err(cut_off(parent)),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => continue,
            };
            return Ok(Some(node));
        }
    }

    /// The element's own text, all pieces joined; text inside child elements is not part
    /// of it. Borrowed from the document when it is a single piece with nothing to
    /// resolve or fix.
    pub fn text(&mut self, tag: &Tag<'a>) -> Read<Cow<'a, str>> {
        if tag.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text = self.text_run()?;
        loop {
            match self.event()? {
                // quick-xml hands text over itself only where `text_run` did not read it.
                Event::Text(piece) => self.append(&mut text, piece.into_inner(), self.text_fix()),
                Event::GeneralRef(reference) => {
                    self.append(&mut text, resolve_reference(&reference), None);
                }
                Event::CData(piece) => {
                    self.append(&mut text, piece.into_inner(), self.text_fix());
                    self.append_run(&mut text)?;
                }
                Event::Start(start) => {
                    let child = self.open(start)?;
                    self.skip(&child)?;
                    self.append_run(&mut text)?;
                }
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(text);
                }
                Event::Eof => return Err(cut_off(tag)),
                Event::Empty(_)
                | Event::Decl(_)
                | Event::PI(_)
                | Event::Comment(_)
                | Event::DocType(_) => self.append_run(&mut text)?,
            }
        }
    }

    /// The text from here to the next markup (or the end of the document), references
    /// resolved and fixed as needed, read straight from the document in one pass, where
    /// quick-xml would hand it over as one event per reference and per stretch between
    /// them (an escaped HTML body is dozens). Called only right after markup, where
    /// quick-xml is about to read text; its position moves past the run, so positions
    /// in its errors stay right.
    fn text_run(&mut self) -> Read<Cow<'a, str>> {
        let rest: &'a [u8] = self.reader.get_ref();
        let start = self.document.len().saturating_sub(rest.len());
        let rest = self.document.get(start..).unwrap_or_default();
        // Most runs hold no reference: one search finds both their end and that.
        let first = memchr::memchr2(b'<', b'&', rest.as_bytes());
        let first_amp = first.filter(|&at| rest.as_bytes().get(at) == Some(&b'&'));
        let end = match first_amp {
            Some(amp) => rest
                .as_bytes()
                .get(amp..)
                .and_then(|after| memchr::memchr(b'<', after))
                .map_or(rest.len(), |lt| amp + lt),
            None => first.unwrap_or(rest.len()),
        };
        let run = rest.get(..end).unwrap_or_default();
        let text = resolve_text(run, first_amp, self.text_fix()).map_err(|at| {
            let position = self.reader.buffer_position() + at as u64;
            let problem = quick_xml::Error::IllFormed(IllFormedError::UnclosedReference);
            XmlProblem::Malformed(format!("{problem} (at byte {position})"))
        })?;
        self.reader.stream().consume(run.len());
        Ok(text)
    }

    /// Adds the text run that follows a piece of markup inside an element's text.
    fn append_run(&mut self, text: &mut Cow<'a, str>) -> Read<()> {
        let run = self.text_run()?;
        if !run.is_empty() {
            self.append(text, run, None);
        }
        Ok(())
    }

    /// How a piece of element text is fixed: not at all in a clean document.
    fn text_fix(&self) -> Option<Fix> {
        (!self.clean).then_some(Fix::LineEndsToo)
    }

    /// A piece of element text, fixed as needed.
    fn fixed(&self, piece: Cow<'a, str>) -> Cow<'a, str> {
        match self.text_fix() {
            Some(fix) => fixed(piece, fix),
            None => piece,
        }
    }

    /// Adds a piece of text, with `fix` applied (a resolved reference needs none): the
    /// first one is kept as it is (borrowed, most often), the second makes room for all
    /// that can still come before the next markup, which is never shorter than the text
    /// it reads as.
    fn append(&self, text: &mut Cow<'a, str>, piece: Cow<'a, str>, fix: Option<Fix>) {
        if text.is_empty() {
            *text = match fix {
                Some(fix) => fixed(piece, fix),
                None => piece,
            };
            return;
        }
        if let Cow::Borrowed(first) = *text {
            let rest: &[u8] = self.reader.get_ref();
            let still_to_come = memchr::memchr(b'<', rest).unwrap_or(rest.len());
            let mut owned = String::with_capacity(first.len() + piece.len() + still_to_come);
            owned.push_str(first);
            *text = Cow::Owned(owned);
        }
        if let Cow::Owned(owned) = text {
            push_text(owned, &piece, fix);
        }
    }

    /// The element's text trimmed, None when nothing is left; borrowed from the document
    /// when it is a single piece.
    pub fn trimmed_text(&mut self, tag: &Tag<'a>) -> Read<Option<Cow<'a, str>>> {
        let text = trimmed(self.text(tag)?);
        Ok((!text.is_empty()).then_some(text))
    }

    /// The element's text trimmed and owned, None when nothing is left.
    pub(crate) fn trimmed_string(&mut self, tag: &Tag<'a>) -> Read<Option<String>> {
        Ok(self.trimmed_text(tag)?.map(Cow::into_owned))
    }

    /// Reads past the element, checking it on the way.
    pub fn skip(&mut self, tag: &Tag<'a>) -> Read<()> {
        if tag.empty {
            return Ok(());
        }
        let outside = self.depth - 1;
        loop {
            match self.event()? {
                Event::Start(start) => {
                    self.open(start)?;
                }
                Event::End(_) => {
                    self.depth -= 1;
                    if self.depth == outside {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(cut_off(tag)),
                _ => {}
            }
        }
    }

    /// How many bytes of the document are still to be read.
    pub(crate) fn bytes_left(&self) -> usize {
        self.reader.get_ref().len()
    }

    /// Reads what follows the root element: nothing but comments and white space.
    pub fn finish(&mut self) -> Read<()> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(XmlProblem::Malformed("more than one root element".into()));
                }
                _ => {}
            }
        }
    }

    fn open(&mut self, start: BytesStart<'a>) -> Read<Tag<'a>> {
        if self.depth >= MAX_DEPTH {
            return Err(XmlProblem::Refused(format!(
                "elements nest more than {MAX_DEPTH} levels deep"
            )));
        }
        self.depth += 1;
        Ok(self.tag(start, false))
    }

    fn tag(&self, start: BytesStart<'a>, empty: bool) -> Tag<'a> {
        Tag {
            in_document: self.in_document(&start),
            clean: self.clean,
            start,
            empty,
        }
    }

    /// `part` as the part of the document it is, None when it is not one (quick-xml
    /// hands out borrowed parts of a document held in memory, so that does not happen).
    fn in_document(&self, part: &str) -> Option<&'a str> {
        let offset = (part.as_ptr() as usize).checked_sub(self.document.as_ptr() as usize)?;
        self.document.get(offset..offset.checked_add(part.len())?)
    }

    fn event(&mut self) -> Read<Event<'a>> {
        match self.reader.read_event() {
            Ok(Event::DocType(_)) => Err(XmlProblem::Refused(
                "the response declares a DOCTYPE, which EWS never sends".into(),
            )),
            Ok(event) => Ok(event),
            Err(e) => Err(XmlProblem::Malformed(format!(
                "{e} (at byte {})",
                self.reader.error_position()
            ))),
        }
    }
}

fn cut_off(tag: &Tag<'_>) -> XmlProblem {
    XmlProblem::Malformed(format!(
        "the document ends inside <{}>: it was cut off",
        tag.name()
    ))
}

/// The text without white space at either end (as `str::trim`), answered at once when
/// both ends are plainly not white space, as they nearly always are.
pub fn trim(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    if plain(text.as_bytes().first()) && plain(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

/// The text without white space at either end (as `trim`), still borrowed when it was
/// and not copied when there is nothing to cut.
pub fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(trim(text)),
        Cow::Owned(text) if trim(&text).len() == text.len() => Cow::Owned(text),
        Cow::Owned(text) => Cow::Owned(trim(&text).to_string()),
    }
}

/// Parses an `xs:boolean`.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match trim(text) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The local part of a qualified name.
fn local(qname: &str) -> &str {
    match qname.rfind(':') {
        Some(colon) => qname.get(colon + 1..).unwrap_or(qname),
        None => qname,
    }
}

/// A response's bytes as text: borrowed when they are UTF-8 (checked in one pass over
/// the whole document, which is much faster than the replacing check), else with each
/// invalid sequence replaced by U+FFFD rather than refusing the answer.
pub(crate) fn document_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Unescapes an attribute value: predefined entities and character references; a
/// reference to a forbidden character is dropped, an unknown entity is kept as written.
/// With `fix`, forbidden characters written as they are are dropped too.
fn unescape(raw: &str, fix: Option<Fix>) -> Cow<'_, str> {
    if !raw.contains('&') {
        return match fix {
            Some(fix) => fixed(Cow::Borrowed(raw), fix),
            None => Cow::Borrowed(raw),
        };
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_text(&mut out, &rest[..amp], fix);
        let after = &rest[amp + 1..];
        match after.find(';') {
            Some(semi) if semi <= 32 => {
                out.push_str(&resolve_reference(&after[..semi]));
                rest = &after[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_text(&mut out, rest, fix);
    Cow::Owned(out)
}

/// Appends `text` with `fix` applied, if any.
fn push_text(out: &mut String, text: &str, fix: Option<Fix>) {
    match fix {
        Some(fix) => push_fixed(out, text, fix),
        None => out.push_str(text),
    }
}

/// Element text between two pieces of markup, whose first `&` is at `first_amp`, with
/// its references resolved (a reference ends at the first `;`, as quick-xml reads them)
/// and `fix` applied to the rest; borrowed when nothing changes. The error is where a
/// `&` without its `;` is.
fn resolve_text(
    run: &str,
    first_amp: Option<usize>,
    fix: Option<Fix>,
) -> Result<Cow<'_, str>, usize> {
    let Some(first) = first_amp else {
        return Ok(match fix {
            Some(fix) => fixed(Cow::Borrowed(run), fix),
            None => Cow::Borrowed(run),
        });
    };
    // A reference never reads longer than it is written.
    let mut out = String::with_capacity(run.len());
    let (mut done, mut amp) = (0, first);
    loop {
        push_text(&mut out, run.get(done..amp).unwrap_or_default(), fix);
        let after = run.get(amp + 1..).unwrap_or_default();
        match memchr::memchr2(b';', b'&', after.as_bytes()) {
            Some(end) if after.as_bytes().get(end) == Some(&b';') => {
                out.push_str(&resolve_reference(after.get(..end).unwrap_or_default()));
                done = amp + 1 + end + 1;
            }
            _ => return Err(amp),
        }
        match run
            .get(done..)
            .and_then(|rest| memchr::memchr(b'&', rest.as_bytes()))
        {
            Some(next) => amp = done + next,
            None => {
                push_text(&mut out, run.get(done..).unwrap_or_default(), fix);
                return Ok(Cow::Owned(out));
            }
        }
    }
}

/// The text a reference (`amp`, `#x1A`, `#233` …, without `&` and `;`) stands for.
fn resolve_reference(name: &str) -> Cow<'static, str> {
    match name {
        "lt" => Cow::Borrowed("<"),
        "gt" => Cow::Borrowed(">"),
        "amp" => Cow::Borrowed("&"),
        "apos" => Cow::Borrowed("'"),
        "quot" => Cow::Borrowed("\""),
        _ => match name.strip_prefix('#') {
            // A reference to a character XML forbids (or to no character at all) is dropped.
            Some(number) => char_from_reference(number)
                .filter(|c| is_xml_char(*c))
                .map_or(Cow::Borrowed(""), |c| Cow::Owned(c.to_string())),
            None => Cow::Owned(format!("&{name};")),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the first child of the root.
    fn first_child_text(doc: &str) -> Read<String> {
        let mut reader = XmlReader::new(doc);
        let root = reader.root()?;
        let child = reader.next_child(&root)?.expect("a child");
        let text = reader.text(&child)?.into_owned();
        while let Some(other) = reader.next_child(&root)? {
            reader.skip(&other)?;
        }
        reader.finish()?;
        Ok(text)
    }

    fn read_all(doc: &str) -> Read<()> {
        let mut reader = XmlReader::new(doc);
        let root = reader.root()?;
        reader.skip(&root)?;
        reader.finish()
    }

    #[test]
    fn forbidden_character_references_are_dropped_not_fatal() {
        assert_eq!(
            first_child_text("<a><s>Budget&#x1A; review&#0;&#65;&amp;&lt;</s></a>").unwrap(),
            "Budget reviewA&<"
        );
    }

    #[test]
    fn single_piece_text_is_borrowed() {
        let doc = "<a><s>plain text</s></a>";
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        let child = reader.next_child(&root).unwrap().unwrap();
        assert!(matches!(
            reader.text(&child).unwrap(),
            Cow::Borrowed("plain text")
        ));
    }

    /// The text of the first child of the root as quick-xml hands it over piece by piece
    /// (each piece fixed, each reference resolved): what `text` must agree with.
    fn piece_by_piece(doc: &str) -> Result<String, ()> {
        let mut reader = Reader::from_str(doc);
        let mut depth = 0;
        let mut text = String::new();
        loop {
            match reader.read_event().map_err(|_| ())? {
                Event::Start(_) => depth += 1,
                Event::Text(piece) if depth == 2 => {
                    push_fixed(&mut text, &piece.into_inner(), Fix::LineEndsToo);
                }
                Event::GeneralRef(reference) if depth == 2 => {
                    text.push_str(&resolve_reference(&reference));
                }
                Event::End(_) if depth == 2 => return Ok(text),
                Event::End(_) => depth -= 1,
                Event::Eof => return Err(()),
                _ => {}
            }
        }
    }

    #[test]
    fn text_runs_read_as_quick_xml_reads_them_piece_by_piece() {
        let parts = [
            "plain",
            "&amp;",
            "&lt;p&gt;",
            "&#x1A;",
            "&#13;",
            "&#x10000;",
            "&foo;",
            "&;",
            "&",
            "&&lt;",
            "&amp",
            "\r\n",
            "\r",
            "\u{1}",
            "é",
            " ",
            ";",
        ];
        for first in parts {
            for second in parts {
                for third in ["", "x", "&gt;", "\r"] {
                    let doc = format!("<a><s>{first}{second}{third}</s></a>");
                    let read = first_child_text(&doc).map_err(|_| ());
                    assert_eq!(read, piece_by_piece(&doc), "{doc:?}");
                }
            }
        }
    }

    #[test]
    fn a_reference_without_its_semicolon_is_malformed_where_it_starts() {
        let Err(XmlProblem::Malformed(detail)) = first_child_text("<a><s>AT&T</s></a>") else {
            panic!("AT&T read");
        };
        assert!(detail.contains("reference not closed"), "{detail}");
        assert!(detail.ends_with("(at byte 8)"), "{detail}");
    }

    #[test]
    fn errors_after_text_runs_name_the_right_byte() {
        let doc = "<a><s>x &amp; y</s><s>z</t></a>";
        let mut quick = Reader::from_str(doc);
        quick.config_mut().check_end_names = true;
        while !matches!(quick.read_event(), Err(_) | Ok(Event::Eof)) {}
        let expected = format!("(at byte {})", quick.error_position());
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        let mut result = Ok(());
        while let Some(child) = reader.next_child(&root).unwrap() {
            if let Err(error) = reader.text(&child) {
                result = Err(error);
                break;
            }
        }
        let Err(XmlProblem::Malformed(detail)) = result else {
            panic!("{result:?}");
        };
        assert!(detail.ends_with(&expected), "{detail} vs {expected}");
    }

    #[test]
    fn raw_control_characters_are_dropped() {
        assert_eq!(first_child_text("<a><s>x\u{1}y</s></a>").unwrap(), "xy");
    }

    #[test]
    fn raw_forbidden_characters_are_dropped_from_attribute_values() {
        let doc = "<a Id=\"x\u{1}y\u{FFFE}z\" Key=\"plain\"/>";
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        let [id, key] = root.attrs(["Id", "Key"]);
        assert_eq!(id.as_deref(), Some("xyz"));
        assert!(matches!(key, Some(Cow::Borrowed("plain"))));
    }

    #[test]
    fn attribute_values_borrow_from_the_document() {
        let doc = r#"<a Id="AAMk=" Key="k&amp;"/>"#;
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        let [id, key] = root.attrs(["Id", "Key"]);
        assert!(matches!(id, Some(Cow::Borrowed("AAMk="))));
        assert!(matches!(key, Some(Cow::Owned(k)) if k == "k&"));
    }

    #[test]
    fn attribute_values_are_unescaped() {
        let doc = r#"<a xmlns:Id="urn:x" Id="x&amp;y&#x1;z&foo;" />"#;
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        assert_eq!(root.attr("Id").as_deref(), Some("x&yz&foo;"));
    }

    #[test]
    fn several_attributes_are_read_in_one_pass_first_one_wins() {
        let doc = r#"<a xmlns:t="urn:x" t:Id=" one " ChangeKey="k&amp;" Id="two" />"#;
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        let [id, key, missing] = root.attrs(["Id", "ChangeKey", "Other"]);
        assert_eq!(
            (id.as_deref(), key.as_deref(), missing),
            (Some(" one "), Some("k&"), None)
        );
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{A0}a",
            "a\u{3000}",
            "\tBusy\r\n",
            "Busy",
            "é",
            " é ",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn text_in_many_pieces_is_joined_with_line_ends_read_as_xml_says() {
        let doc = "<a><s>&lt;p&gt;one\r\ntwo&#13;&#x1A;<!--c--><![CDATA[<x>\r]]>&amp;</s></a>";
        assert_eq!(first_child_text(doc).unwrap(), "<p>one\ntwo\r<x>\n&");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        assert!(matches!(
            document_text(b"<a>ok</a>"),
            Cow::Borrowed("<a>ok</a>")
        ));
        assert_eq!(document_text(b"<a>\xFFok</a>"), "<a>\u{FFFD}ok</a>");
    }

    #[test]
    fn doctype_is_refused() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;</a>"#;
        assert!(matches!(read_all(doc), Err(XmlProblem::Refused(_))));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let doc = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(read_all(&doc), Err(XmlProblem::Refused(_))));
        let fits = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert_eq!(read_all(&fits), Ok(()));
    }

    #[test]
    fn cut_off_document_is_malformed() {
        assert!(matches!(
            read_all("<s:Envelope><s:Body><x>"),
            Err(XmlProblem::Malformed(_))
        ));
        assert!(matches!(
            first_child_text("<a><s>text"),
            Err(XmlProblem::Malformed(_))
        ));
        assert!(matches!(
            read_all("<a></a><b/>"),
            Err(XmlProblem::Malformed(_))
        ));
        assert_eq!(read_all("  "), Err(XmlProblem::NoRoot));
    }

    #[test]
    fn prefixes_are_ignored() {
        let doc = r#"<s:Envelope xmlns:s="https://typo/"><m:R t:A="1"/></s:Envelope>"#;
        let mut reader = XmlReader::new(doc);
        let root = reader.root().unwrap();
        assert_eq!(root.name(), "Envelope");
        let child = reader.next_child(&root).unwrap().unwrap();
        assert_eq!((child.name(), child.attr("A").as_deref()), ("R", Some("1")));
    }
}
