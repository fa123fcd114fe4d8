//! Reading names off the tagger's labels, and putting back together the pieces of one.
//!
//! The tagger decides token by token and learnt from 1996 Reuters. On today's world
//! news it often cuts a long name of unseen words in two: "Kajol" LOC + "Miah" PER,
//! "Renaissance" ORG + "Dam" LOC, "Mohamed" + "bin Zayed", "Hlubi" + "-" + "Majola",
//! "Yoon Suk" + "- yeol". The labels are read off as they were decoded and then
//! joined here, at run time only (the trainer scores the labels as decoded, so the
//! shipped model does not depend on these rules). [`keep_names`] then drops what is no
//! name at all: a title written alone ("the MP"), a currency ("US $", "Rs").
//! The words are in `resources/words/name_words.txt`.

use std::ops::Range;
use std::sync::OnceLock;

use super::gazetteer::{GazList, Gazetteers};
use super::tagger::names;
use crate::pipeline::document::EntityType;
use crate::text::words::{WordSet, NAME_WORDS};

/// Names found: token ranges with their type.
pub type Found = Vec<(Range<usize>, EntityType)>;

struct Words {
    alone: Vec<String>,
    particles: WordSet,
    after_hyphen: WordSet,
}

fn lists() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let list = NAME_WORDS.load();
        let mut alone: Vec<String> = list.kind("alone").map(str::to_ascii_lowercase).collect();
        alone.sort_unstable();
        Words {
            alone,
            particles: WordSet::new(list.kind("particle")),
            after_hyphen: WordSet::new(list.kind("after hyphen")),
        }
    })
}

/// A syllable of a romanised Korean or Chinese given name written after a hyphen
/// ("yeol", "myung", "kun"): short, lower case, letters only.
fn syllable(w: &str, lists: &Words) -> bool {
    (2..=5).contains(&w.chars().count())
        && w.chars().all(|c| c.is_alphabetic() && c.is_lowercase())
        && !lists.after_hyphen.contains(w)
}

/// Is `w` capitalised and at most five letters (a name's syllable: "Suk", "Jae")?
fn short_capitalised(w: &str) -> bool {
    w.chars().count() <= 5 && w.chars().next().is_some_and(char::is_uppercase)
}

/// The type of the one name that `prev` and `next` (in this order, one sentence) are
/// pieces of, if they are.
/// - Touching (no token between), outside the headline (written in title case, where
///   touching names are the tagger's honest cut: "Kerry Says US Will Work"): of the
///   second's type, a name's head being its last
///   word ("African" + "National Congress", "Tiananmen" + "Square"). Kept apart: a
///   nationality or a hyphenated word ("-based") before a name, which qualifies it
///   ("Australian" Tom Moody, "Ohio-based" KeyCorp): there two names do touch.
/// - Two parts of a person's name with only name particles ("bin", "dos"), a hyphen
///   ("Hlubi - Majola") or, after an initial, its period ("Robert M . Levy") between.
fn joins(
    words: &[&str],
    prev: &(Range<usize>, EntityType),
    next: &(Range<usize>, EntityType),
    headline: bool,
    lists: &Words,
) -> Option<EntityType> {
    let gap = &words[prev.0.end..next.0.start];
    if gap.is_empty() {
        if headline {
            return None;
        }
        let word = words[prev.0.start];
        let qualifies = prev.1 == EntityType::Misc
            && prev.0.len() == 1
            && (word.contains('-')
                || Gazetteers::embedded().contains(GazList::Nationalities, word));
        return (!qualifies).then_some(next.1);
    }
    if prev.1 != EntityType::Person || next.1 != EntityType::Person {
        return None;
    }
    let last = words[prev.0.end - 1];
    let particles = gap.len() <= 2
        && gap
            .iter()
            .all(|w| w.starts_with(char::is_lowercase) && lists.particles.contains(w));
    let hyphen = gap == ["-"];
    let initial = gap == ["."] && last.chars().count() == 1 && short_capitalised(last);
    (particles || hyphen || initial).then_some(EntityType::Person)
}

/// The names of the labelled `sentences`, their pieces joined (see [`joins`]), and a
/// person's name of two words or more ending in a short syllable extended over a hyphen
/// and a lower-case syllable ("Lee Jae" + "- myung").
///
/// The first `head` tokens are the document's headline.
pub fn joined(words: &[&str], labels: &[u8], sentences: &[Range<usize>], head: usize) -> Found {
    let lists = lists();
    let mut out: Found = Vec::new();
    for s in sentences {
        let first = out.len();
        let headline = s.end <= head;
        for next in names(labels, std::slice::from_ref(s)) {
            if out.len() > first {
                let prev = out.last_mut().expect("a name of this sentence");
                if let Some(ty) = joins(words, prev, &next, headline, lists) {
                    prev.0.end = next.0.end;
                    prev.1 = ty;
                    continue;
                }
            }
            out.push(next);
        }
        for (r, ty) in &mut out[first..] {
            if *ty == EntityType::Person
                && r.len() >= 2
                && r.end + 1 < s.end
                && words[r.end] == "-"
                && short_capitalised(words[r.end - 1])
                && syllable(words[r.end + 1], lists)
            {
                r.end += 2;
            }
        }
    }
    out
}

/// `found` without what is no name: a name made only of words that are none alone (a
/// title, a currency abbreviation: `[alone]` of the list), and a country's code before
/// a dollar sign ("US $ 371 million", "HK $").
pub fn keep_names(words: &[&str], found: Found) -> Found {
    let lists = lists();
    found
        .into_iter()
        .filter(|(r, _)| {
            let text = words[r.clone()].join(" ").to_ascii_lowercase();
            let alone = lists.alone.binary_search(&text).is_ok();
            let code = words[r.start].chars().count() <= 3
                && words[r.start].chars().all(|c| c.is_ascii_uppercase());
            let dollar =
                words.get(r.end) == Some(&"$") || (r.len() == 2 && words[r.end - 1] == "$");
            !(alone || (code && dollar))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::entities::bilou::{label, Position::*, OUTSIDE};

    const PER: usize = 0;
    const ORG: usize = 1;
    const LOC: usize = 2;
    const MISC: usize = 3;

    #[test]
    fn touching_names_are_joined_unless_a_nationality_qualifies() {
        let words = [
            "Kajol",
            "Miah",
            "met",
            "Australian",
            "Tom",
            "Moody",
            "and",
            "Dr",
            "Smith",
        ];
        let labels = [
            label(LOC, Unit),
            label(PER, Unit),
            OUTSIDE,
            label(MISC, Unit),
            label(PER, Begin),
            label(PER, Last),
            OUTSIDE,
            label(ORG, Unit),
            label(PER, Unit),
        ];
        // "Dr" ends one sentence, "Smith" opens the next: never joined.
        let found = joined(&words, &labels, &[0..8, 8..9], 0);
        assert_eq!(
            found,
            vec![
                (0..2, EntityType::Person),
                (3..4, EntityType::Misc),
                (4..6, EntityType::Person),
                (7..8, EntityType::Org),
                (8..9, EntityType::Person),
            ]
        );
        // In the headline the tagger's cuts stand.
        let words = ["Kerry", "Says", "US", "Will", "Act", "Now"];
        let labels = [
            label(PER, Unit),
            OUTSIDE,
            label(LOC, Unit),
            label(MISC, Unit),
            OUTSIDE,
            OUTSIDE,
        ];
        assert_eq!(
            joined(&words, &labels, std::slice::from_ref(&(0..6)), 6).len(),
            3
        );
        assert_eq!(
            joined(&words, &labels, std::slice::from_ref(&(0..6)), 0).len(),
            2
        );
    }

    #[test]
    fn parts_of_a_persons_name_are_joined() {
        let words = [
            "Mohamed", "bin", "Zayed", "met", "Hlubi", "-", "Majola", "and", "Lee", "Jae", "-",
            "myung", "and", "Kim", "Yo", "-", "led",
        ];
        let mut labels = [OUTSIDE; 17];
        for i in [0, 2, 4, 6] {
            labels[i] = label(PER, Unit);
        }
        for (b, l) in [(8, 9), (13, 14)] {
            labels[b] = label(PER, Begin);
            labels[l] = label(PER, Last);
        }
        let found = joined(&words, &labels, std::slice::from_ref(&(0..17)), 0);
        let spans: Vec<_> = found.into_iter().map(|(r, _)| r).collect();
        assert_eq!(spans, vec![0..3, 4..7, 8..12, 13..15], "not over '- led'");
    }

    #[test]
    fn a_title_alone_and_a_currency_are_no_names() {
        let words = [
            "the", "MP", "paid", "US", "$", "5", "to", "Pope", "Francis", ".",
        ];
        let found = vec![
            (1..2, EntityType::Org),
            (3..4, EntityType::Loc),
            (7..9, EntityType::Person),
        ];
        assert_eq!(keep_names(&words, found), vec![(7..9, EntityType::Person)]);
    }
}
