//! A streaming reader of EWS responses: the operation readers walk the document element
//! by element and fill their typed structs straight from the markup the scanner
//! (`xml_markup`, which reads tags as quick-xml does) finds in the text, borrowing text
//! from the input wherever it needs no change. An element's text is read straight from
//! the document, a run between two pieces of markup at a time, its references resolved
//! in one pass. Tolerant where Exchange is sloppy and strict where a document could be
//! hostile.
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

use quick_xml::errors::IllFormedError;
use quick_xml::events::attributes::Attributes;

use super::xml_markup::{Markup, ScanError, Scanner, TextRun};
use super::xml_text::{Fix, fixed, needs_no_fix, push_fixed};
use crate::byte_words::equal_bytes;

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
    /// The tag's text between `<` and `>` (less the `/` of an empty tag), a part of the
    /// document, so that attribute values can borrow from it: the name, then attributes.
    text: &'a str,
    name_len: usize,
    /// The document needs no fix (`XmlReader::clean`).
    clean: bool,
    empty: bool,
}

impl<'a> Tag<'a> {
    /// How attribute values are fixed: not at all in a clean document.
    fn fix(&self) -> Option<Fix> {
        (!self.clean).then_some(Fix::ForbiddenOnly)
    }

    /// The local name (the prefix up to the first `:` removed, as quick-xml has it).
    pub fn name(&self) -> &'a str {
        let name = self.text.get(..self.name_len).unwrap_or_default();
        // Names are short: a plain loop, not a search.
        match name.bytes().position(|b| b == b':') {
            Some(colon) => name.get(colon + 1..).unwrap_or_default(),
            None => name,
        }
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
        plain_attribute_values(self.text, self.name_len, names, self.fix()).unwrap_or_else(|| {
            attribute_values(Attributes::new(self.text, self.name_len), names, self.fix())
        })
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
        if let Some(slot) = free_slot(&mut values, names, attr.key.as_ref()) {
            *slot = Some(match attr.value {
                Cow::Borrowed(raw) => unescape(raw, fix),
                Cow::Owned(raw) => Cow::Owned(unescape(&raw, fix).into_owned()),
            });
        }
    }
    values
}

/// `attribute_values` read straight from the tag's text (after its name) where it is
/// plainly written — each attribute `key="value"` after white space, keys without
/// quotes — as EWS writes its tags; None for anything else, which quick-xml's attribute
/// reader then reads with its recovery from mistakes.
fn plain_attribute_values<'t, const N: usize>(
    text: &'t str,
    name_len: usize,
    names: [&str; N],
    fix: Option<Fix>,
) -> Option<[Option<Cow<'t, str>>; N]> {
    let bytes = text.as_bytes();
    let mut values = [const { None }; N];
    let mut at = name_len;
    loop {
        let space = bytes.get(at..)?.iter().position(|&b| !is_space(b));
        let Some(space) = space else {
            return Some(values);
        };
        if space == 0 && at > name_len {
            // `a="1"b="2"`: left to quick-xml.
            return None;
        }
        let key_start = at + space;
        let key_len = bytes.get(key_start..)?.iter().position(|&b| b == b'=')?;
        let key = text.get(key_start..key_start + key_len)?;
        let value_start = key_start + key_len + 2;
        let plain_key =
            !key.is_empty() && !key.bytes().any(|b| is_space(b) || b == b'"' || b == b'\'');
        if !plain_key || bytes.get(value_start - 1) != Some(&b'"') {
            return None;
        }
        let value_len = memchr::memchr(b'"', bytes.get(value_start..)?)?;
        let raw = text.get(value_start..value_start + value_len)?;
        if let Some(slot) = free_slot(&mut values, names, key) {
            *slot = Some(unescape(raw, fix));
        }
        at = value_start + value_len + 1;
    }
}

/// White space as XML has it.
#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The slot for the value of the attribute `key` when it is one of `names` (by local
/// name) and the first of that name; namespace declarations are not attributes here.
fn free_slot<'v, 't, const N: usize>(
    values: &'v mut [Option<Cow<'t, str>>; N],
    names: [&str; N],
    key: &str,
) -> Option<&'v mut Option<Cow<'t, str>>> {
    if key == "xmlns" || key.starts_with("xmlns:") {
        return None;
    }
    let key = local(key);
    let slot = names.iter().position(|name| *name == key)?;
    values.get_mut(slot).filter(|value| value.is_none())
}

/// What an element contains, piece by piece.
pub(crate) enum Node<'a> {
    Element(Tag<'a>),
    Text(Cow<'a, str>),
}

/// Walks a document. Each element a caller is handed must be read to its end (by
/// `next_child`/`next_node` until None, `text` or `skip`) before reading on in its parent.
pub struct XmlReader<'a> {
    scanner: Scanner<'a>,
    /// No character of the document needs a fix (no carriage return, no character XML
    /// forbids), so its pieces of text are taken as they are.
    clean: bool,
}

impl<'a> XmlReader<'a> {
    pub fn new(text: &'a str) -> XmlReader<'a> {
        XmlReader {
            scanner: Scanner::new(text),
            clean: needs_no_fix(text.as_bytes()),
        }
    }

    /// The root element.
    pub fn root(&mut self) -> Read<Tag<'a>> {
        loop {
            match self.event()? {
                Markup::Start {
                    text,
                    name_len,
                    empty,
                } => return Ok(self.tag(text, name_len, empty)),
                Markup::Text(run) => self.check(&run)?,
                Markup::Eof => return Err(XmlProblem::NoRoot),
                Markup::End | Markup::CData(_) | Markup::Ignorable | Markup::DocType => {}
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
                Markup::Start {
                    text,
                    name_len,
                    empty,
                } => return Ok(Some(self.tag(text, name_len, empty))),
                Markup::End => return Ok(None),
                Markup::Text(run) => self.check(&run)?,
                Markup::Eof => return Err(cut_off(parent)),
                Markup::CData(_) | Markup::Ignorable | Markup::DocType => {}
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
                Markup::Start {
                    text,
                    name_len,
                    empty,
                } => Node::Element(self.tag(text, name_len, empty)),
                Markup::End => return Ok(None),
                Markup::Text(run) => Node::Text(self.resolve(&run)?),
                Markup::CData(data) => Node::Text(self.fixed(data)),
                Markup::Eof => return Err(cut_off(parent)),
                Markup::Ignorable | Markup::DocType => continue,
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
        if let Some(text) = self.scanner.simple_text() {
            return Ok(self.fixed(Cow::Borrowed(text)));
        }
        let mut text = Cow::Borrowed("");
        loop {
            match self.event()? {
                Markup::Text(run) => {
                    let piece = self.resolve(&run)?;
                    self.append(&mut text, piece, None);
                }
                Markup::CData(piece) => self.append(&mut text, piece, self.text_fix()),
                Markup::Start {
                    text: child,
                    name_len,
                    empty,
                } => {
                    let child = self.tag(child, name_len, empty);
                    self.skip(&child)?;
                }
                Markup::End => return Ok(text),
                Markup::Eof => return Err(cut_off(tag)),
                Markup::Ignorable | Markup::DocType => {}
            }
        }
    }

    /// A run of element text with its references resolved and fixed as needed, read
    /// straight from the document in one pass, where quick-xml would hand it over as one
    /// event per reference and per stretch between them (an escaped HTML body is dozens).
    fn resolve(&self, run: &TextRun<'a>) -> Read<Cow<'a, str>> {
        resolve_text(run.run, run.first_amp, self.text_fix())
            .map_err(|amp| unclosed_reference(run.at + amp as u64))
    }

    /// Checks the references of a run of text that is passed over.
    fn check(&self, run: &TextRun<'a>) -> Read<()> {
        check_references(run.run, run.first_amp)
            .map_err(|amp| unclosed_reference(run.at + amp as u64))
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

    /// Adds a piece of text, with `fix` applied (a resolved run needs none): the first
    /// one is kept as it is (borrowed, most often), the second makes room for all that
    /// can still come before the next markup, which is never shorter than the text it
    /// reads as.
    fn append(&self, text: &mut Cow<'a, str>, piece: Cow<'a, str>, fix: Option<Fix>) {
        if piece.is_empty() {
            return;
        }
        if text.is_empty() {
            *text = match fix {
                Some(fix) => fixed(piece, fix),
                None => piece,
            };
            return;
        }
        if let Cow::Borrowed(first) = *text {
            let rest = self.scanner.rest();
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
        let outside = self.scanner.depth().saturating_sub(1);
        loop {
            match self.event()? {
                Markup::End if self.scanner.depth() == outside => return Ok(()),
                Markup::Text(run) => self.check(&run)?,
                Markup::Eof => return Err(cut_off(tag)),
                Markup::Start { .. }
                | Markup::End
                | Markup::CData(_)
                | Markup::Ignorable
                | Markup::DocType => {}
            }
        }
    }

    /// How many bytes of the document are still to be read.
    pub(crate) fn bytes_left(&self) -> usize {
        self.scanner.rest().len()
    }

    /// Reads what follows the root element: nothing but comments and white space.
    pub fn finish(&mut self) -> Read<()> {
        loop {
            match self.event()? {
                Markup::Eof => return Ok(()),
                Markup::Start { .. } => {
                    return Err(XmlProblem::Malformed("more than one root element".into()));
                }
                Markup::Text(run) => self.check(&run)?,
                Markup::End | Markup::CData(_) | Markup::Ignorable | Markup::DocType => {}
            }
        }
    }

    fn tag(&self, text: &'a str, name_len: usize, empty: bool) -> Tag<'a> {
        Tag {
            text,
            name_len,
            clean: self.clean,
            empty,
        }
    }

    /// The next piece of the document; a DOCTYPE and nesting deeper than `MAX_DEPTH` are
    /// refused.
    fn event(&mut self) -> Read<Markup<'a>> {
        match self.scanner.next() {
            Ok(Markup::DocType) => Err(XmlProblem::Refused(
                "the response declares a DOCTYPE, which EWS never sends".into(),
            )),
            Ok(Markup::Start { empty: false, .. }) if self.scanner.depth() > MAX_DEPTH => Err(
                XmlProblem::Refused(format!("elements nest more than {MAX_DEPTH} levels deep")),
            ),
            Ok(markup) => Ok(markup),
            Err(problem) => {
                let ScanError { error, at } = *problem;
                Err(XmlProblem::Malformed(format!("{error} (at byte {at})")))
            }
        }
    }
}

/// A `&` at `at` without its `;`.
fn unclosed_reference(at: u64) -> XmlProblem {
    let problem = quick_xml::Error::IllFormed(IllFormedError::UnclosedReference);
    XmlProblem::Malformed(format!("{problem} (at byte {at})"))
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
    match fix {
        None => resolve_clean(run, first).map(Cow::Owned),
        Some(fix) => resolve_fixing(run, first, fix).map(Cow::Owned),
    }
}

/// Checks that each reference of a run of text, whose first `&` is at `first_amp`, has
/// its `;` (before the next `&`); the error is where one without is.
fn check_references(run: &str, first_amp: Option<usize>) -> Result<(), usize> {
    let mut next = first_amp;
    while let Some(amp) = next {
        let (_, done) = reference_at(run, amp)?;
        let rest = run.as_bytes().get(done..).unwrap_or_default();
        next = memchr::memchr(b'&', rest).map(|at| done + at);
    }
    Ok(())
}

/// `resolve_text` in a clean document, in one pass into a buffer sized once: an escaped
/// HTML body is mostly short stretches between `&lt;`, `&gt;` and `&quot;`, so the
/// stretches are copied eight bytes at a time (a whole word, the part past the next `&`
/// then written over) and the predefined entities recognised on the spot (`reference_at`
/// is inlined), with no call per stretch or reference.
fn resolve_clean(run: &str, first: usize) -> Result<String, usize> {
    let bytes = run.as_bytes();
    // A reference never reads longer than it is written, so the output never overtakes
    // the input: a word read whole always fits where it is written.
    let mut out = vec![0; run.len()];
    let mut written = copy_to(&mut out, 0, bytes.get(..first).unwrap_or_default());
    let mut at = first;
    loop {
        // `at` is at a `&`.
        let (reference, next) = reference_at(run, at)?;
        match reference {
            Reference::Char(c) => {
                if let Some(slot) = out.get_mut(written) {
                    *slot = c;
                }
                written += 1;
            }
            Reference::Text(text) => written = copy_to(&mut out, written, text.as_bytes()),
        }
        at = next;
        loop {
            let word = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>);
            let slot = out
                .get_mut(written..)
                .and_then(<[u8]>::first_chunk_mut::<8>);
            let (Some(word), Some(slot)) = (word, slot) else {
                let tail = bytes.get(at..).unwrap_or_default();
                let stretch = tail.iter().position(|&b| b == b'&').unwrap_or(tail.len());
                written = copy_to(&mut out, written, tail.get(..stretch).unwrap_or_default());
                at += stretch;
                break;
            };
            *slot = *word;
            let flags = equal_bytes(u64::from_le_bytes(*word), b'&');
            let stretch = if flags == 0 {
                8
            } else {
                flags.trailing_zeros() as usize / 8
            };
            written += stretch;
            at += stretch;
            if stretch < 8 {
                break;
            }
        }
        if at >= bytes.len() {
            out.truncate(written);
            // Cut only before a `&` or at the end, never inside a character: this is UTF-8.
            return Ok(String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()));
        }
    }
}

/// Copies `piece` into `out` at `at`; where the copy ends.
#[inline]
fn copy_to(out: &mut [u8], at: usize, piece: &[u8]) -> usize {
    let end = at + piece.len();
    if let Some(slot) = out.get_mut(at..end) {
        slot.copy_from_slice(piece);
    }
    end
}

/// `resolve_text` where the literal text needs `fix` (a resolved reference never does).
fn resolve_fixing(run: &str, first: usize, fix: Fix) -> Result<String, usize> {
    let mut out = String::with_capacity(run.len());
    let (mut done, mut amp) = (0, first);
    loop {
        push_fixed(&mut out, run.get(done..amp).unwrap_or_default(), fix);
        done = match reference_at(run, amp)? {
            (Reference::Char(c), next) => {
                out.push(char::from(c));
                next
            }
            (Reference::Text(text), next) => {
                out.push_str(&text);
                next
            }
        };
        match memchr::memchr(b'&', run.as_bytes().get(done..).unwrap_or_default()) {
            Some(next) => amp = done + next,
            None => {
                push_fixed(&mut out, run.get(done..).unwrap_or_default(), fix);
                return Ok(out);
            }
        }
    }
}

/// What a reference stands for: one of the predefined entities (an ASCII character) or
/// any other text.
enum Reference {
    Char(u8),
    Text(Cow<'static, str>),
}

/// The reference whose `&` is at `amp` in `run` and the index just past its `;`; the
/// error is `amp` when the reference has no `;` before the next `&` or the run's end.
#[inline]
fn reference_at(run: &str, amp: usize) -> Result<(Reference, usize), usize> {
    let after = run.as_bytes().get(amp + 1..).unwrap_or_default();
    match predefined_entity(after) {
        Some((c, len)) => Ok((Reference::Char(c), amp + 1 + len)),
        None => other_reference(run, amp).map(|(text, next)| (Reference::Text(text), next)),
    }
}

/// The character of the predefined entity `after` (what follows a `&`) starts with and
/// how long the entity is written, `;` included.
#[inline]
fn predefined_entity(after: &[u8]) -> Option<(u8, usize)> {
    match after {
        [b'l', b't', b';', ..] => Some((b'<', 3)),
        [b'g', b't', b';', ..] => Some((b'>', 3)),
        [b'q', b'u', b'o', b't', b';', ..] => Some((b'"', 5)),
        [b'a', b'm', b'p', b';', ..] => Some((b'&', 4)),
        [b'a', b'p', b'o', b's', b';', ..] => Some((b'\'', 5)),
        _ => None,
    }
}

/// `reference_at` for a reference other than a predefined entity.
fn other_reference(run: &str, amp: usize) -> Result<(Cow<'static, str>, usize), usize> {
    let after = run.as_bytes().get(amp + 1..).unwrap_or_default();
    match memchr::memchr2(b';', b'&', after) {
        Some(end) if after.get(end) == Some(&b';') => {
            let name = run.get(amp + 1..amp + 1 + end).unwrap_or_default();
            Ok((resolve_reference(name), amp + 1 + end + 1))
        }
        _ => Err(amp),
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
    use quick_xml::Reader;
    use quick_xml::events::Event;

    use super::*;

    /// `resolve_text` as it was before the one-pass version (a search and a call per
    /// reference and per stretch): the reference the one-pass version is held to.
    fn resolve_text_before(
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

    #[test]
    fn one_pass_resolution_agrees_with_the_reference_on_generated_runs() {
        let pieces = [
            "&lt;",
            "&gt;",
            "&quot;",
            "&amp;",
            "&apos;",
            "&#x1A;",
            "&#233;",
            "&#x10000;",
            "&foo;",
            "&;",
            "&",
            "&l",
            "&lt",
            "&quot",
            "&ap;",
            "&amp&",
            ";",
            "a",
            "é",
            "会",
            "\r\n",
            "\r",
            "\u{1}",
            "\u{FFFE}",
            " ",
            "div style=",
            "https://x/?a=1",
        ];
        let mut rng = fastrand::Rng::with_seed(15);
        for _ in 0..20_000 {
            let run: String = (0..rng.usize(0..12))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            let first_amp = run.find('&');
            for fix in [None, Some(Fix::ForbiddenOnly), Some(Fix::LineEndsToo)] {
                let expected = resolve_text_before(&run, first_amp, fix);
                assert_eq!(
                    resolve_text(&run, first_amp, fix),
                    expected,
                    "{run:?} {fix:?}"
                );
            }
        }
    }

    #[test]
    fn ampersands_are_found_at_every_position_of_a_word() {
        for len in 0..40 {
            for at in 0..len {
                let mut run = "x".repeat(len);
                run.replace_range(at..at + 1, "&");
                let reference = run.replace('&', "&amp;&lt;");
                for tail in ["", "&gt;", "yé&gt;z"] {
                    let run = format!("{reference}{tail}");
                    let first = run.find('&');
                    assert_eq!(
                        resolve_text(&run, first, None),
                        resolve_text_before(&run, first, None),
                        "{run:?}"
                    );
                }
            }
        }
    }

    /// What quick-xml's own reader makes of a document, as `reader_trace` writes it:
    /// the reference the reader's scanner is held to.
    fn quick_xml_trace(doc: &str) -> Vec<String> {
        let mut reader = Reader::from_str(doc);
        reader.config_mut().check_end_names = true;
        let (mut trace, mut text, mut depth, mut rooted) = (Vec::new(), String::new(), 0, false);
        loop {
            let event = reader.read_event();
            if matches!(event, Ok(Event::Start(_) | Event::Empty(_) | Event::End(_)))
                && !text.is_empty()
            {
                trace.push(format!("text {text:?}"));
                text.clear();
            }
            match event {
                Ok(Event::Start(_) | Event::Empty(_)) if depth == 0 && rooted => {
                    trace.push("more than one root element".into());
                    break;
                }
                Ok(Event::Start(start)) => {
                    (depth, rooted) = (depth + 1, true);
                    if depth > MAX_DEPTH {
                        trace.push("refused".into());
                        break;
                    }
                    let name = start.local_name().into_inner().to_string();
                    trace.push(format!("start {name} {:?}", &*start));
                }
                Ok(Event::Empty(start)) => {
                    rooted = true;
                    let name = start.local_name().into_inner().to_string();
                    trace.push(format!("empty {name} {:?}", &*start));
                }
                Ok(Event::End(_)) => {
                    depth -= 1;
                    trace.push("end".into());
                }
                Ok(Event::Text(piece)) if depth > 0 => {
                    push_fixed(&mut text, &piece.into_inner(), Fix::LineEndsToo);
                }
                Ok(Event::GeneralRef(reference)) if depth > 0 => {
                    text.push_str(&resolve_reference(&reference));
                }
                Ok(Event::CData(piece)) if depth > 0 => {
                    push_fixed(&mut text, &piece.into_inner(), Fix::LineEndsToo);
                }
                Ok(Event::DocType(_)) => {
                    trace.push("refused".into());
                    break;
                }
                Ok(Event::Eof) => {
                    trace.push(if depth > 0 { "cut off" } else { "eof" }.into());
                    break;
                }
                Ok(_) => {}
                Err(error) => {
                    trace.push(format!("{error} (at byte {})", reader.error_position()));
                    break;
                }
            }
        }
        trace
    }

    /// Every element (name and tag text), every element's text and how the document
    /// ends, as the reader reads them.
    fn reader_trace(doc: &str) -> Vec<String> {
        fn walk<'a>(
            reader: &mut XmlReader<'a>,
            tag: &Tag<'a>,
            trace: &mut Vec<String>,
        ) -> Read<()> {
            let kind = if tag.empty { "empty" } else { "start" };
            trace.push(format!("{kind} {} {:?}", tag.name(), tag.text));
            let mut text = String::new();
            while let Some(node) = reader.next_node(tag)? {
                match node {
                    Node::Text(piece) => text.push_str(&piece),
                    Node::Element(child) => {
                        if !text.is_empty() {
                            trace.push(format!("text {text:?}"));
                            text.clear();
                        }
                        walk(reader, &child, trace)?;
                    }
                }
            }
            if !text.is_empty() {
                trace.push(format!("text {text:?}"));
            }
            if !tag.empty {
                trace.push("end".into());
            }
            Ok(())
        }
        let mut reader = XmlReader::new(doc);
        let mut trace = Vec::new();
        let read = reader.root().and_then(|root| {
            walk(&mut reader, &root, &mut trace)?;
            reader.finish()
        });
        trace.push(match read {
            Ok(()) | Err(XmlProblem::NoRoot) => "eof".into(),
            Err(XmlProblem::Refused(_)) => "refused".into(),
            Err(XmlProblem::Malformed(detail)) if detail.ends_with("it was cut off") => {
                "cut off".into()
            }
            Err(XmlProblem::Malformed(detail)) => detail,
        });
        trace
    }

    /// The own text of each child of the root, read with `text` or piece by piece with
    /// `next_node` (which `text`'s shortcut for plain text must agree with), then how the
    /// document ends.
    fn root_children_texts(doc: &str, with_text: bool) -> Vec<String> {
        fn own_text<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<String> {
            let mut text = String::new();
            while let Some(node) = reader.next_node(tag)? {
                match node {
                    Node::Text(piece) => text.push_str(&piece),
                    Node::Element(child) => reader.skip(&child)?,
                }
            }
            Ok(text)
        }
        let mut reader = XmlReader::new(doc);
        let mut texts = Vec::new();
        let mut read = || -> Read<()> {
            let root = reader.root()?;
            while let Some(child) = reader.next_child(&root)? {
                texts.push(if with_text {
                    reader.text(&child)?.into_owned()
                } else {
                    own_text(&mut reader, &child)?
                });
            }
            reader.finish()
        };
        let end = format!("{:?}", read());
        texts.push(end);
        texts
    }

    #[test]
    fn the_scanner_reads_generated_documents_as_quick_xml_does() {
        let markup = [
            "<a>",
            "</a>",
            "<t:b Id=\"1>2\" K='x'>",
            "</t:b>",
            "</t:b >",
            "<c/>",
            "<c />",
            "<d x='/>'/>",
            "text",
            " ",
            "&amp;",
            "&lt;p&gt;",
            "&#x1A;",
            "&#233;",
            "&foo;",
            "&bad",
            "&",
            ";",
            "<!--c-->",
            "<!-->",
            "<![CDATA[x<y]]>",
            "<![CDATA[",
            "<?pi x?>",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE a>",
            "<!x>",
            "\r\n",
            "é",
            "<",
            ">",
            "</",
            "<a",
            "\"",
            "'",
            "</ >",
            "<>",
            "\u{1}",
            "<q\"x>",
            "</q\"x>",
            "</a\t>",
            "</r>",
        ];
        let mut rng = fastrand::Rng::with_seed(4);
        let mut compared = 0;
        for round in 0..30_000 {
            // A well-formed tree, then (most of the time) spoiled somewhere.
            let mut doc = String::from(if round % 7 == 0 { "\u{FEFF}" } else { "" });
            let mut open = Vec::new();
            doc.push_str("<r>");
            for _ in 0..rng.usize(0..14) {
                match rng.usize(0..6) {
                    0 if open.len() < 3 => {
                        let name = ["a", "t:b", "m:c"][rng.usize(0..3)];
                        doc.push_str(&format!("<{name} Id=\"v{}\">", rng.u8(..)));
                        open.push(name);
                    }
                    1 => {
                        if let Some(name) = open.pop() {
                            doc.push_str(&format!("</{name}>"));
                        }
                    }
                    _ => doc.push_str(markup[rng.usize(..markup.len())]),
                }
            }
            while let Some(name) = open.pop() {
                doc.push_str(&format!("</{name}>"));
            }
            doc.push_str("</r>");
            match rng.usize(0..4) {
                0 => {}
                1 => {
                    let cut = rng.usize(0..=doc.len());
                    if doc.is_char_boundary(cut) {
                        doc.truncate(cut);
                    }
                }
                _ => {
                    let at = rng.usize(0..=doc.len());
                    if doc.is_char_boundary(at) {
                        doc.insert_str(at, markup[rng.usize(..markup.len())]);
                    }
                }
            }
            let expected = quick_xml_trace(&doc);
            assert_eq!(reader_trace(&doc), expected, "{doc:?}");
            assert_eq!(
                root_children_texts(&doc, true),
                root_children_texts(&doc, false),
                "{doc:?}"
            );
            compared += usize::from(expected.last().is_some_and(|end| end == "eof"));
        }
        // Both well-formed documents and broken ones were compared.
        assert!(compared > 2_000 && compared < 28_000, "{compared}");
    }

    #[test]
    fn plain_attributes_read_as_quick_xml_reads_them() {
        let pieces = [
            " Id=\"AAMk=\"",
            " ChangeKey=\"k&amp;\"",
            "Id=\"x\"",
            " xmlns:t=\"urn\"",
            " t:Id=\"p\"",
            " Id='single'",
            " Id = \"spaced\"",
            " Id",
            "\"",
            "=",
            " ",
            "\t\r\n",
            " Other=\"a>b\"",
            " Id=\"&#x1;z\"",
            " ChangeKey=\"\u{1}\"",
            " Id=\"\"",
            " =\"v\"",
            " xmlns=\"urn\"",
            " Id=\"é\"",
        ];
        let mut rng = fastrand::Rng::with_seed(9);
        let mut plain = 0;
        for _ in 0..20_000 {
            let mut text = String::from(["t:ItemId", "Body", "a"][rng.usize(0..3)]);
            let name_len = text.len();
            for _ in 0..rng.usize(0..5) {
                text.push_str(pieces[rng.usize(..pieces.len())]);
            }
            for fix in [None, Some(Fix::ForbiddenOnly)] {
                let names = ["Id", "ChangeKey", "Other"];
                let Some(read) = plain_attribute_values(&text, name_len, names, fix) else {
                    continue;
                };
                plain += 1;
                let expected = attribute_values(Attributes::new(&text, name_len), names, fix);
                assert_eq!(read, expected, "{text:?} {fix:?}");
            }
        }
        // Most tags were plain enough to be read without quick-xml.
        assert!(plain > 10_000, "{plain}");
    }

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
