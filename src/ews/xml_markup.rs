//! The markup scanner under the EWS reader (`xml`): finds the document's tags and the
//! runs of text between them straight in the text, which was checked as UTF-8 once as a
//! whole, where quick-xml's reader checks every piece again and copies the name of every
//! element it opens.
//!
//! Tags are read as quick-xml reads them — a `>` inside a quoted attribute value does not
//! end a tag, an end tag must name the element it closes — and a document they cannot be
//! read from fails with quick-xml's own error at the same byte. The rare rest (comments,
//! CDATA sections, processing instructions, the XML declaration, a DOCTYPE) is handed to
//! quick-xml itself, one piece at a time.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::errors::{Error, IllFormedError, SyntaxError};
use quick_xml::events::Event;

/// The next piece of a document.
pub(super) enum Markup<'a> {
    /// A start tag (`empty`: an empty-element tag, `<x/>`): its text between `<` and `>`
    /// less the `/` of an empty one, and the length of the name it starts with.
    Start {
        text: &'a str,
        name_len: usize,
        empty: bool,
    },
    /// The end tag of the element open last.
    End,
    Text(TextRun<'a>),
    /// A CDATA section's content.
    CData(Cow<'a, str>),
    /// A comment, a processing instruction or the XML declaration.
    Ignorable,
    DocType,
    Eof,
}

/// Text up to the next markup (or the end of the document), as written: references are
/// left for the reader to resolve or check.
pub(super) struct TextRun<'a> {
    pub(super) run: &'a str,
    /// Where its first `&` is.
    pub(super) first_amp: Option<usize>,
    /// Where it starts, as an offset in errors.
    pub(super) at: u64,
}

/// Why the document cannot be read, and where: a byte offset counted as quick-xml counts
/// them (from after a byte-order mark). Boxed where it is returned, so that the results
/// of the pieces read without a problem stay small.
pub(super) struct ScanError {
    pub(super) error: Error,
    pub(super) at: u64,
}

/// Walks a document piece by piece, keeping the names of the open elements.
pub(super) struct Scanner<'a> {
    document: &'a str,
    /// Where the next piece starts.
    at: usize,
    /// Where offsets in errors count from: after a byte-order mark, which is skipped.
    origin: usize,
    /// The names of the open elements, each with whether it holds a quote (which an end
    /// tag's quick comparison cannot take).
    open: Vec<(&'a str, bool)>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(document: &'a str) -> Scanner<'a> {
        let origin = if document.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        };
        Scanner {
            document,
            at: origin,
            origin,
            open: Vec::new(),
        }
    }

    /// How many elements are open.
    pub(super) fn depth(&self) -> usize {
        self.open.len()
    }

    /// The part of the document still to be read.
    pub(super) fn rest(&self) -> &'a [u8] {
        self.document.as_bytes().get(self.at..).unwrap_or_default()
    }

    /// Where the next piece starts, as an offset in errors.
    fn position(&self) -> u64 {
        (self.at - self.origin) as u64
    }

    /// The next piece of the document.
    pub(super) fn next(&mut self) -> Result<Markup<'a>, Box<ScanError>> {
        match self.rest() {
            [] => Ok(Markup::Eof),
            [b'<', b'/', ..] => self.end_tag(),
            [b'<', b'!' | b'?', ..] => self.other_markup(),
            [b'<', ..] => self.start_tag(),
            _ => Ok(Markup::Text(self.text())),
        }
    }

    /// The text of the element open last when it is all there is to it up to its end
    /// tag, as most element text is: written without references and ended by
    /// `</name>` as the name was written. Both are read then; None leaves everything
    /// where it was, for `next` to read piece by piece.
    pub(super) fn simple_text(&mut self) -> Option<&'a str> {
        let lt = memchr::memchr2(b'<', b'&', self.rest())?;
        let end_tag = self.plain_end_tag_at(lt)?;
        let text = self.document.get(self.at..self.at + lt)?;
        self.open.pop();
        self.at += lt + end_tag;
        Some(text)
    }

    /// The length of `</name>` of the element open last, written as its name was and
    /// without quotes in the name, when it stands `at` bytes into the rest: one
    /// comparison, where such a name cannot end the tag elsewhere.
    fn plain_end_tag_at(&self, at: usize) -> Option<usize> {
        let &(expected, false) = self.open.last()? else {
            return None;
        };
        let rest = self.rest().get(at..)?;
        let len = expected.len();
        let ends = rest.get(..2) == Some(b"</")
            && rest.get(2..2 + len) == Some(expected.as_bytes())
            && rest.get(2 + len) == Some(&b'>');
        ends.then_some(len + 3)
    }

    /// Text up to the next `<`: one search finds both its end and its first `&` when
    /// it has none, as most runs do.
    fn text(&mut self) -> TextRun<'a> {
        let rest = self.rest();
        let first = memchr::memchr2(b'<', b'&', rest);
        let first_amp = first.filter(|&at| rest.get(at) == Some(&b'&'));
        let end = match first_amp {
            Some(amp) => rest
                .get(amp..)
                .and_then(|after| memchr::memchr(b'<', after))
                .map_or(rest.len(), |lt| amp + lt),
            None => first.unwrap_or(rest.len()),
        };
        let run = TextRun {
            run: self
                .document
                .get(self.at..self.at + end)
                .unwrap_or_default(),
            first_amp,
            at: self.position(),
        };
        self.at += end;
        run
    }

    fn start_tag(&mut self) -> Result<Markup<'a>, Box<ScanError>> {
        let end = self.tag_end()?;
        let text = self
            .document
            .get(self.at + 1..self.at + end)
            .unwrap_or_default();
        self.at += end + 1;
        let (text, empty) = match text.strip_suffix('/') {
            Some(text) => (text, true),
            None => (text, false),
        };
        let (mut name_len, mut quoted) = (text.len(), false);
        for (at, b) in text.bytes().enumerate() {
            match b {
                b' ' | b'\r' | b'\n' | b'\t' => {
                    name_len = at;
                    break;
                }
                b'"' | b'\'' => quoted = true,
                _ => {}
            }
        }
        if !empty {
            self.open
                .push((text.get(..name_len).unwrap_or_default(), quoted));
        }
        Ok(Markup::Start {
            text,
            name_len,
            empty,
        })
    }

    fn end_tag(&mut self) -> Result<Markup<'a>, Box<ScanError>> {
        // Nearly always `</name>` of the element open last, as it was written.
        if let Some(end_tag) = self.plain_end_tag_at(0) {
            self.open.pop();
            self.at += end_tag;
            return Ok(Markup::End);
        }
        let at = self.position();
        let end = self.tag_end()?;
        let content = self
            .document
            .get(self.at + 2..self.at + end)
            .unwrap_or_default();
        self.at += end + 1;
        // White space after the name is allowed; a name of white space only is kept.
        let name = match content.trim_end_matches([' ', '\r', '\n', '\t']) {
            "" => content,
            name => name,
        };
        let error = match self.open.pop() {
            Some((expected, _)) if expected == name => return Ok(Markup::End),
            Some((expected, _)) => IllFormedError::MismatchedEndTag {
                expected: expected.to_string(),
                found: name.to_string(),
            },
            None => IllFormedError::UnmatchedEndTag(name.to_string()),
        };
        Err(Box::new(ScanError {
            error: Error::IllFormed(error),
            at,
        }))
    }

    /// Where the `>` that ends the tag starting here is: the first one outside quotes.
    fn tag_end(&self) -> Result<usize, Box<ScanError>> {
        let rest = self.rest();
        let mut quote = None;
        for at in memchr::memchr3_iter(b'>', b'\'', b'"', rest) {
            match (quote, rest.get(at).copied()) {
                (None, Some(b'>')) => return Ok(at),
                (None, found) => quote = found,
                (Some(open), found) if found == Some(open) => quote = None,
                _ => {}
            }
        }
        let error = match quote {
            None => SyntaxError::UnclosedTag,
            Some(b'\'') => SyntaxError::UnclosedSingleQuotedAttributeValue,
            Some(_) => SyntaxError::UnclosedDoubleQuotedAttributeValue,
        };
        Err(Box::new(ScanError {
            error: Error::Syntax(error),
            at: self.position(),
        }))
    }

    /// `<!…>` or `<?…?>`, read by quick-xml from here.
    fn other_markup(&mut self) -> Result<Markup<'a>, Box<ScanError>> {
        let at = self.position();
        let mut reader = Reader::from_str(self.document.get(self.at..).unwrap_or_default());
        let markup = match reader.read_event() {
            Ok(Event::CData(data)) => Markup::CData(data.into_inner()),
            Ok(Event::DocType(_)) => Markup::DocType,
            Ok(_) => Markup::Ignorable,
            Err(error) => {
                return Err(Box::new(ScanError {
                    error,
                    at: at + reader.error_position(),
                }));
            }
        };
        let read = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        self.at = self.at.saturating_add(read).min(self.document.len());
        Ok(markup)
    }
}
