//! A finding or a fix as the console says it: up to four sentences, each a [`Phrase`]
//! with its arguments, or a text shown as it came (a setting's or another module's words
//! the screens have no translation for). `diagnose` prints [`Wording::english`]; the
//! screens put the same sentences in their language (`PhraseWords.text`).

use super::phrases::Phrase;

/// The most sentences a wording has (what `PhraseWords.text` shows).
pub const MAX_SENTENCES: usize = 4;

/// One sentence: a phrase and its arguments, or verbatim text.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub fn verbatim(text: impl Into<String>) -> Sentence {
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

/// A finding or a fix: sentences separated by a space.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub fn verbatim(text: impl Into<String>) -> Wording {
        Wording {
            sentences: vec![Sentence::verbatim(text)],
        }
    }

    /// `english` in phrases when phrases say exactly that (see [`Phrase::recognise`]):
    /// the whole text, or each of its sentences; otherwise verbatim.
    pub fn recognised(english: impl Into<String>) -> Wording {
        let english = english.into();
        if let Some((phrase, args)) = Phrase::recognise(&english) {
            return Wording::phrase(phrase, args);
        }
        let sentences: Option<Vec<Sentence>> = sentences_of(&english)
            .map(|text| Phrase::recognise(text).map(|(phrase, args)| Sentence::new(phrase, args)))
            .collect();
        match sentences {
            Some(sentences) if (2..=MAX_SENTENCES).contains(&sentences.len()) => {
                Wording { sentences }
            }
            _ => Wording::verbatim(english),
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
    pub fn or_verbatim(self, expected: &str) -> Wording {
        if self.english() == expected {
            self
        } else {
            Wording::verbatim(expected)
        }
    }

    /// The sentences, in order.
    pub fn sentences(&self) -> &[Sentence] {
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

/// The sentences of `text`: split after a full stop followed by a space and a capital.
fn sentences_of(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .match_indices(". ")
            .map(|(i, _)| i + 1)
            .find(|&i| rest[i + 1..].starts_with(char::is_uppercase))
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        rest = rest[end..].strip_prefix(' ').unwrap_or(&rest[end..]);
        Some(sentence)
    })
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
    fn a_text_of_several_phrased_sentences_is_recognised_sentence_by_sentence() {
        let english = "Sign-in to Exchange as svc failed (HTTP 401): a wrong password, an \
                       expired password, a locked account, or the wrong sign-in method. The \
                       server offers: NTLM, Negotiate.";
        let wording = Wording::recognised(english);
        assert_eq!(wording.english(), english);
        let phrases: Vec<_> = wording.sentences().iter().map(|s| s.phrase).collect();
        assert_eq!(
            phrases,
            [Some(Phrase::EwsSignInFailed), Some(Phrase::EwsServerOffers)]
        );
        let unknown = "Sign-in to Exchange as svc failed (HTTP 401): a wrong password, an \
                       expired password, a locked account, or the wrong sign-in method. Then \
                       something else.";
        assert_eq!(Wording::recognised(unknown), Wording::verbatim(unknown));
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
