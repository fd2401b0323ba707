//! The values Exchange adds to an error (a response message's `MessageXml`, a SOAP
//! fault's `detail`): the back-off time of ErrorServerBusy, the violation of
//! ErrorSchemaValidation … `EwsError::from_code` reads them by name.

use super::xml::{Node, Read, Tag, XmlReader};

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

    /// Reads the values inside `tag`.
    pub(crate) fn read<'a>(reader: &mut XmlReader<'a>, tag: &Tag<'a>) -> Read<Details> {
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
