//! Abbreviations that keep their period: the tokenizer attaches the period to the word,
//! and the sentence splitter knows which of them may still end a sentence.
//!
//! The words are data: `resources/words/abbreviations.txt` (by kind),
//! `resources/words/sentence_openers.txt`, and the titles tagged `abbreviation` in the
//! one titles list (`resources/words/titles.txt`). They are parsed once, on first use,
//! into read-only sets (the tokenizer is a free function that many callers use, so the
//! sets cannot be handed to it by a stage).

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::text::titles;
use crate::text::words::{WordList, WordSet, ABBREVIATIONS, SENTENCE_OPENERS};

struct Sets {
    /// Titles before a name ("Mr", "Sen", "St"), lower case, without the period.
    titles: WordSet,
    months: WordSet,
    /// May end a sentence when the next word begins one.
    terminal: WordSet,
    other: WordSet,
    /// Matched as written: "The" opens a sentence, "the" does not.
    openers: FxHashSet<&'static str>,
}

static SETS: LazyLock<Sets> = LazyLock::new(|| {
    let list: WordList = ABBREVIATIONS.load();
    Sets {
        titles: titles::abbreviations(),
        months: WordSet::new(list.kind("month")),
        terminal: WordSet::new(list.kind("terminal")),
        other: WordSet::new(list.kind("other")),
        openers: SENTENCE_OPENERS.load().kind("").collect(),
    }
});

/// Is `word` (without its period) an abbreviation that takes a period?
pub fn is_abbreviation(word: &str) -> bool {
    let s = &*SETS;
    s.titles.contains(word)
        || s.months.contains(word)
        || s.terminal.contains(word)
        || s.other.contains(word)
}

/// Titles before a name ("Mr.", "Sen."): a sentence never ends after one.
pub fn is_title(word: &str) -> bool {
    SETS.titles.contains(word.trim_end_matches('.'))
}

/// Month abbreviations ("Sept."): no sentence end when a number follows.
pub fn is_month(word: &str) -> bool {
    SETS.months.contains(word.trim_end_matches('.'))
}

/// Abbreviations that often end a sentence ("Inc.", "U.S.", "Jr.").
pub fn may_end_sentence(word: &str) -> bool {
    SETS.terminal.contains(word.trim_end_matches('.')) || is_initialism(word)
}

/// Dotted initialisms: "U.S.", "J.R.R.", "a.m.".
pub fn is_initialism(word: &str) -> bool {
    let mut letters = 0;
    let mut expect_letter = true;
    for c in word.chars() {
        if expect_letter {
            if !c.is_alphabetic() {
                return false;
            }
            letters += 1;
            expect_letter = false;
        } else {
            if c != '.' {
                return false;
            }
            expect_letter = true;
        }
    }
    expect_letter && letters >= 2
}

/// Words that usually open a sentence; after an ambiguous abbreviation they tip the
/// balance toward a boundary ("... in the U.S. The company said").
pub fn is_sentence_opener(word: &str) -> bool {
    SETS.openers.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms() {
        assert!(is_initialism("U.S."));
        assert!(is_initialism("J.R.R."));
        assert!(!is_initialism("U.S"));
        assert!(!is_initialism("A."));
        assert!(!is_initialism("Mr."));
    }

    #[test]
    fn classes() {
        assert!(is_title("Sen."));
        assert!(is_month("Sept."));
        assert!(may_end_sentence("Inc."));
        assert!(is_abbreviation("Calif"));
        assert!(!is_abbreviation("said"));
        assert!(is_abbreviation("Mr") && is_abbreviation("mr"));
        assert!(is_sentence_opener("The") && !is_sentence_opener("the"));
    }
}
