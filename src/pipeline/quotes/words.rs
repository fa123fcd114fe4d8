//! The quote stage's word lists, read once from their data files:
//! `resources/words/quote_cues.txt` (cue words by kind, plus the auxiliaries that join a
//! cue) and `resources/words/quote_phrases.txt` (function words tagged by how the
//! phrase readers use them). Keeping them as data lets the one loader in
//! [`crate::text::words`] reject a word listed twice, the mistake hand-kept Rust arrays
//! had accumulated.

use std::sync::LazyLock;

use crate::text::words::{WordList, WordSet, QUOTE_CUES, QUOTE_LABELS, QUOTE_PHRASES};

/// Cue words by kind (`verb`, `weak`, `participle`), tagged `addressee` where the verb
/// takes an addressee before its clause; and the `auxiliary` and `passive` words.
pub static CUE_WORDS: LazyLock<WordList> = LazyLock::new(|| QUOTE_CUES.load());

static PHRASE_WORDS: LazyLock<WordList> = LazyLock::new(|| QUOTE_PHRASES.load());

fn phrase_words(tag: &str) -> WordSet {
    WordSet::new(PHRASE_WORDS.tagged(tag))
}

/// Words between the subject and the verb that belong to the cue (`has also said`).
pub static AUXILIARIES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(CUE_WORDS.kind("auxiliary")));
/// The auxiliaries of a passive (`it was reported`).
pub static PASSIVE_AUX: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(CUE_WORDS.kind("passive")));

/// Personal pronouns: a speaker phrase of one word.
pub static PRONOUNS: LazyLock<WordSet> = LazyLock::new(|| phrase_words("pronoun"));
/// Words that open a noun phrase.
pub static DETERMINERS: LazyLock<WordSet> = LazyLock::new(|| phrase_words("determiner"));
/// Words that end a noun phrase (compared case-insensitively).
pub static STOP: LazyLock<WordSet> = LazyLock::new(|| phrase_words("stop"));
/// Head nouns that follow a name inside a phrase (`the Clinton campaign`).
pub static GROUP_NOUNS: LazyLock<WordSet> = LazyLock::new(|| phrase_words("group_noun"));
/// Time words that may sit between a subject and its verb (`Kerry on Wednesday said`).
pub static TIME: LazyLock<WordSet> = LazyLock::new(|| phrase_words("time"));
/// Words that open a reported clause (`that`, `whether`).
pub static COMPLEMENTIZERS: LazyLock<WordSet> = LazyLock::new(|| phrase_words("complementizer"));
/// Section labels that open a paragraph with a colon (`READ MORE:`), not speakers.
pub static SECTION_LABELS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(QUOTE_LABELS.load().kind("")));
/// Words that open an adverbial between a cue and its clause (`said in a statement that`).
pub static CLAUSE_LEADS: LazyLock<WordSet> = LazyLock::new(|| phrase_words("clause_lead"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_has_its_words() {
        assert!(PRONOUNS.contains("She") && !PRONOUNS.contains("the"));
        assert!(STOP.contains("he") && STOP.contains("Monday"));
        assert!(TIME.contains("monday") && !TIME.contains("in"));
        assert!(DETERMINERS.contains("his") && GROUP_NOUNS.contains("campaign"));
        assert!(COMPLEMENTIZERS.contains("whether") && CLAUSE_LEADS.contains("in"));
        assert!(AUXILIARIES.contains("has") && PASSIVE_AUX.contains("was"));
        let verbs: Vec<_> = CUE_WORDS.kind("verb").collect();
        assert!(verbs.contains(&"said") && !verbs.contains(&"believes"));
        assert!(CUE_WORDS.tagged("addressee").any(|w| w == "told"));
    }
}
