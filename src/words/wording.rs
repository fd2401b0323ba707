//! A finding or a fix as the console says it: up to four sentences, each a [`Phrase`]
//! with its arguments, or a text shown as it came (a setting's or another module's words
//! the screens have no translation for). `diagnose` prints [`Wording::english`]; the
//! screens put the same sentences in their language (`PhraseWords.text`).

use serde::{Deserialize, Serialize};

use super::phrases::Phrase;

/// The most sentences a wording has (what `PhraseWords.text` shows).
pub const MAX_SENTENCES: usize = 4;

/// One sentence: a phrase and its arguments, or verbatim text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// None: `args[0]` is the text, shown as it is.
    pub phrase: Option<Phrase>,
    pub args: Vec<String>,
}

impl Sentence {
    /// `phrase` with `args` in its places.
    pub fn new(phrase: Phrase, args: impl IntoIterator<Item = impl Into<String>>) -> Sentence {
        Sentence {
            phrase: Some(phrase),
            args: args.into_iter().map(Into::into).collect(),
        }
    }

    /// `text` as it is, in every language.
    pub(crate) fn verbatim(text: impl Into<String>) -> Sentence {
        Sentence {
            phrase: None,
            args: vec![text.into()],
        }
    }

    /// The sentence in English.
    pub fn english(&self) -> String {
        match self.phrase {
            Some(phrase) => phrase.fill(&self.args),
            None => self.args.concat(),
        }
    }

    /// The key the screens know the phrase by; -1 for verbatim text.
    pub fn key(&self) -> i32 {
        self.phrase.map_or(-1, Phrase::key)
    }
}

/// A finding or a fix: sentences separated by a space. Serialized as the list of its
/// sentences (phrase names and arguments), never as English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Wording {
    sentences: Vec<Sentence>,
}

impl Wording {
    /// One phrase with its arguments.
    pub fn phrase(phrase: Phrase, args: impl IntoIterator<Item = impl Into<String>>) -> Wording {
        Wording {
            sentences: vec![Sentence::new(phrase, args)],
        }
    }

    /// `text` as it is, in every language.
    pub(crate) fn verbatim(text: impl Into<String>) -> Wording {
        Wording {
            sentences: vec![Sentence::verbatim(text)],
        }
    }

    /// `self` followed by `more`; past [`MAX_SENTENCES`] the rest becomes one verbatim
    /// sentence, so nothing is lost.
    pub fn then(mut self, more: Wording) -> Wording {
        self.sentences.extend(more.sentences);
        if self.sentences.len() > MAX_SENTENCES {
            let rest = self.sentences.split_off(MAX_SENTENCES - 1);
            self.sentences
                .push(Sentence::verbatim(Wording { sentences: rest }.english()));
        }
        self
    }

    /// `self`, or `expected` verbatim when `self` does not say exactly `expected` in
    /// English: the screens never show a sentence the command line does not print.
    pub(crate) fn or_verbatim(self, expected: &str) -> Wording {
        if self.english() == expected {
            self
        } else {
            Wording::verbatim(expected)
        }
    }

    /// Whether it says nothing at all, in any language.
    pub fn is_empty(&self) -> bool {
        self.english().is_empty()
    }

    /// The sentences, in order.
    pub(crate) fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The wording in English, as `diagnose` prints it.
    pub fn english(&self) -> String {
        self.sentences
            .iter()
            .map(Sentence::english)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::fmt::Display for Wording {
    /// The wording in English.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

impl From<Phrase> for Wording {
    /// A phrase without arguments.
    fn from(phrase: Phrase) -> Wording {
        Wording::phrase(phrase, Vec::<String>::new())
    }
}

impl From<&str> for Wording {
    fn from(text: &str) -> Wording {
        Wording::verbatim(text)
    }
}

impl From<String> for Wording {
    fn from(text: String) -> Wording {
        Wording::verbatim(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_with_a_space_in_english() {
        let wording =
            Wording::phrase(Phrase::SignedIn, ["svc@contoso.com"]).then(Wording::verbatim("More."));
        assert_eq!(wording.english(), "svc@contoso.com signed in. More.");
        assert_eq!(wording.sentences()[0].key(), Phrase::SignedIn.key());
        assert_eq!(wording.sentences()[1].key(), -1);
    }

    #[test]
    fn more_than_four_sentences_keep_all_their_words() {
        let mut wording = Wording::verbatim("1.");
        for n in 2..=6 {
            wording = wording.then(Wording::verbatim(format!("{n}.")));
        }
        assert_eq!(wording.sentences().len(), MAX_SENTENCES);
        assert_eq!(wording.english(), "1. 2. 3. 4. 5. 6.");
    }

    #[test]
    fn a_wording_is_stored_as_phrase_names_and_arguments() {
        let wording = Wording::phrase(Phrase::EwsSignInFailed, ["svc"])
            .then(Wording::phrase(Phrase::EwsServerOffers, ["NTLM"]))
            .then(Wording::verbatim("As it came."));
        let json = serde_json::to_value(&wording).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!([
                {"phrase": "EwsSignInFailed", "args": ["svc"]},
                {"phrase": "EwsServerOffers", "args": ["NTLM"]},
                {"phrase": null, "args": ["As it came."]},
            ])
        );
        assert_eq!(serde_json::from_value::<Wording>(json).ok(), Some(wording));
    }

    #[test]
    fn a_wording_that_drifted_from_the_expected_english_is_shown_verbatim() {
        let wording = Wording::phrase(Phrase::SignedIn, ["svc"]);
        assert_eq!(wording.clone().or_verbatim("svc signed in."), wording);
        let drifted = wording.or_verbatim("svc has signed in.");
        assert_eq!(drifted.sentences()[0].phrase, None);
        assert_eq!(drifted.english(), "svc has signed in.");
    }
}
