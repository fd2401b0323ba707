//! Which font of the screens draws a character. It asks Slint's shared font collection
//! what Slint's text shaping (parley) asks it: the screens' font, the generic sans-serif
//! and system-ui families (the fallback chain first), then fontconfig's font for the
//! character's script; and it keeps only fonts with outlines, the only glyphs Slint's
//! software renderer draws (a colour bitmap emoji font maps emoji but draws nothing).
//!
//! Answers are kept per character, and a font file is read only when a character that
//! the fonts before it lack is asked for.

use std::cell::RefCell;
use std::collections::HashMap;

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, Script, WhiteSpace};
use icu_properties::{CodePointMapData, CodePointSetData, PropertyNamesShort};
use slint::fontique_011::fontique::{
    self, Attributes, FallbackKey, FamilyId, GenericFamily, QueryFamily, QueryFont, QueryStatus,
};

use super::chain;

/// The family the screens' text asks for first (`default-font-family` in ui/app.slint).
const SCREEN_FAMILY: &str = chain::CHAIN[0];

/// Whether `ch` is drawn at all: spaces, controls and the invisible format characters
/// (zero-width joiner, variation selectors, direction marks, emoji tags) need no glyph.
pub fn needs_glyph(ch: char) -> bool {
    !(CodePointSetData::new::<WhiteSpace>().contains(ch)
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(ch)
        || CodePointMapData::<GeneralCategory>::new().get(ch) == GeneralCategory::Control)
}

/// Whether the screens draw `ch` with a glyph of some font (or it needs none).
/// Needs the window of the screens created on this thread (it registers the embedded
/// fonts).
pub fn has_glyph(ch: char) -> bool {
    !needs_glyph(ch) || with_lookup(|lookup| lookup.family_for(ch).is_some())
}

/// The family whose glyph the screens draw for `ch`; None when no font has one.
pub fn drawing_family(ch: char) -> Option<String> {
    with_lookup(|lookup| {
        let family = lookup.family_for(ch)?;
        lookup.collection.family_name(family).map(str::to_owned)
    })
}

/// Installs the fallback chain in Slint's shared font collection on this thread (once the
/// first window has registered the embedded fonts). [`has_glyph`] does it by itself for
/// the first character Inter lacks, so a Latin-only day keeps Slint's short font list:
/// every text Slint shapes sets up a query over the whole list.
pub(crate) fn install_chain() {
    with_lookup(Lookup::install_chain);
}

struct Lookup {
    collection: fontique::Collection,
    sources: fontique::SourceCache,
    chain_installed: bool,
    /// Per character, the family that draws it.
    found: HashMap<char, Option<FamilyId>>,
    /// Per font (blob id, index in the file): whether it has outlines.
    outlines: HashMap<(u64, u32), bool>,
}

thread_local! {
    static LOOKUP: RefCell<Option<Lookup>> = const { RefCell::new(None) };
}

fn with_lookup<R>(f: impl FnOnce(&mut Lookup) -> R) -> R {
    LOOKUP.with_borrow_mut(|slot| {
        let lookup = slot.get_or_insert_with(|| Lookup {
            collection: slint::fontique_011::shared_collection(),
            sources: fontique::SourceCache::default(),
            chain_installed: false,
            found: HashMap::new(),
            outlines: HashMap::new(),
        });
        f(lookup)
    })
}

impl Lookup {
    fn install_chain(&mut self) {
        if !self.chain_installed && self.collection.family_id(SCREEN_FAMILY).is_some() {
            chain::install(&mut self.collection);
            self.chain_installed = true;
            self.found.clear();
        }
    }

    fn family_for(&mut self, ch: char) -> Option<FamilyId> {
        if let Some(found) = self.found.get(&ch) {
            return *found;
        }
        // Not before the window registered the embedded fonts: nothing is known yet.
        let screen_family = self.collection.family_id(SCREEN_FAMILY)?;
        let found = if self.draws(screen_family, ch) {
            Some(screen_family)
        } else {
            self.install_chain();
            self.candidates(ch)
                .into_iter()
                .find(|&family| self.draws(family, ch))
        };
        self.found.insert(ch, found);
        found
    }

    /// The families Slint's text shaping tries for `ch`, in its order.
    fn candidates(&mut self, ch: char) -> Vec<FamilyId> {
        let mut families: Vec<FamilyId> = self
            .collection
            .family_id(SCREEN_FAMILY)
            .into_iter()
            .collect();
        families.extend(self.collection.generic_families(GenericFamily::SansSerif));
        families.extend(self.collection.generic_families(GenericFamily::SystemUi));
        if let Some(script) = script_of(ch) {
            families.extend(
                self.collection
                    .fallback_families(FallbackKey::new(script, None)),
            );
        }
        families
    }

    fn draws(&mut self, family: FamilyId, ch: char) -> bool {
        let mut query = self.collection.query(&mut self.sources);
        query.set_families(std::iter::once(QueryFamily::Id(family)));
        query.set_attributes(Attributes::default());
        let mut font = None;
        query.matches_with(|candidate| {
            font = Some(candidate.clone());
            QueryStatus::Stop
        });
        drop(query);
        let Some(font) = font else { return false };
        let mapped = font
            .charmap()
            .and_then(|charmap| charmap.map(ch))
            .is_some_and(|glyph| glyph != 0);
        mapped && self.has_outlines(&font)
    }

    fn has_outlines(&mut self, font: &QueryFont) -> bool {
        *self
            .outlines
            .entry((font.blob.id(), font.index))
            .or_insert_with(|| {
                skrifa::FontRef::from_index(font.blob.data(), font.index).is_ok_and(|font| {
                    [b"glyf", b"CFF ", b"CFF2"]
                        .iter()
                        .any(|tag| font.table_data(skrifa::Tag::new(tag)).is_some())
                })
            })
    }
}

/// The script fontconfig picks a fallback font for; None for characters shared by
/// scripts (punctuation, digits, symbols, emoji), which the chain covers.
fn script_of(ch: char) -> Option<fontique::Script> {
    let script = CodePointMapData::<Script>::new().get(ch);
    if matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
        return None;
    }
    let name = PropertyNamesShort::<Script>::new().get(script)?;
    fontique::Script::parse(name).ok()
}

#[cfg(test)]
mod tests {
    use super::{needs_glyph, script_of};

    #[test]
    fn invisible_characters_need_no_glyph() {
        for ch in [
            ' ',
            '\u{3000}',
            '\u{200D}',
            '\u{FE0F}',
            '\u{2068}',
            '\u{E0067}',
            '\n',
        ] {
            assert!(!needs_glyph(ch), "{:04X}", u32::from(ch));
        }
        for ch in [
            'a',
            '会',
            '한',
            'م',
            '\u{0301}',
            '🎉',
            '\u{1F3FD}',
            '\u{FFFD}',
        ] {
            assert!(needs_glyph(ch), "{:04X}", u32::from(ch));
        }
    }

    #[test]
    fn scripts_are_named_as_fontconfig_knows_them() {
        let name = |ch| script_of(ch).map(|s| s.as_str().to_owned());
        assert_eq!(name('한').as_deref(), Some("Hang"));
        assert_eq!(name('ท').as_deref(), Some("Thai"));
        assert_eq!(name('ம').as_deref(), Some("Taml"));
        assert_eq!(name(':'), None);
        assert_eq!(name('🎉'), None);
    }
}
