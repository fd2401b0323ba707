//! The translations of the phrases and the fact labels, read from `translations/{sv,ko}/LC_MESSAGES/
//! room-console.po` as the build bundles them: a phrase without a Swedish or a Korean
//! text fails the test here, so a new or changed message cannot reach a screen in
//! English only.

use std::collections::HashMap;
use std::path::Path;

use super::{Fact, Phrase};

/// The languages besides English every phrase must have.
const LANGUAGES: [&str; 2] = ["sv", "ko"];

/// The translated entries of a `.po` file: msgid → msgstr, without the fuzzy ones (the
/// build does not use them) and without empty msgstrs.
fn translations(po: &str) -> HashMap<String, String> {
    let mut entries = HashMap::new();
    // The entry being read: its msgid, its msgstr once begun, and whether it is fuzzy.
    let (mut id, mut text, mut fuzzy) = (String::new(), None::<String>, false);
    for line in po.lines().map(str::trim).chain([""]) {
        if line.is_empty() {
            if let Some(text) = text.take().filter(|t| !t.is_empty() && !fuzzy) {
                entries.insert(std::mem::take(&mut id), text);
            }
            fuzzy = false;
        } else if line.starts_with("#,") && line.contains("fuzzy") {
            fuzzy = true;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            id = unquoted(rest);
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            text = Some(unquoted(rest));
        } else if line.starts_with('"') {
            match text.as_mut() {
                Some(text) => text.push_str(&unquoted(line)),
                None => id.push_str(&unquoted(line)),
            }
        }
    }
    entries
}

/// The text of a quoted `.po` string, its escapes undone.
fn unquoted(quoted: &str) -> String {
    let quoted = quoted.trim();
    let inner = quoted.strip_prefix('"').unwrap_or(quoted);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut text = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some(other) => text.push(other),
                None => {}
            },
            (c, false) => text.push(c),
        }
    }
    text
}

#[test]
fn every_phrase_has_its_swedish_and_korean_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for language in LANGUAGES {
        let path = root.join(format!(
            "translations/{language}/LC_MESSAGES/room-console.po"
        ));
        let po = std::fs::read_to_string(&path).expect("reads the catalogue");
        let catalogue = translations(&po);
        let missing: Vec<&str> = Phrase::ALL
            .iter()
            .map(|phrase| phrase.english())
            .chain(Fact::ALL.iter().map(|fact| fact.label()))
            .filter(|english| !catalogue.contains_key(*english))
            .collect();
        assert!(
            missing.is_empty(),
            "{} lacks these phrases or fact labels (add them to the .pot and both .po files):\n{}",
            path.display(),
            missing.join("\n")
        );
    }
}

#[test]
fn the_catalogue_reader_takes_translated_entries_only() {
    let po = r#"msgid ""
msgstr "header"

msgid "Say "
"\"{0}\"."
msgstr ""
"Säg "
"\"{0}\"."

#, fuzzy
msgid "Guessed"
msgstr "Gissat"

msgid "Untranslated"
msgstr ""
"#;
    let entries = translations(po);
    assert_eq!(
        entries.get("Say \"{0}\"."),
        Some(&"Säg \"{0}\".".to_owned())
    );
    assert!(!entries.contains_key("Guessed"));
    assert!(!entries.contains_key("Untranslated"));
}
