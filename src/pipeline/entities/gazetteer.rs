//! Gazetteers: lists of known names (countries, cities, first names, company suffixes …)
//! matched against token sequences, as features for the tagger.
//!
//! The lists are plain text files under `resources/gazetteers/` (one entry a line, built
//! by `scripts/build_gazetteers.py`, provenance in `resources/PROVENANCE.md`), embedded in
//! the binary with `include_str!` and parsed once, on first use, into a token trie.
//!
//! # Matching
//! Entries are split into tokens with the project's own tokenizer, so an entry matches
//! exactly the token sequences the segment stage produces for the same words ("St. Louis",
//! "Guinea-Bissau", "Pty. Ltd."). Matching ignores case, with one guard: an entry that
//! starts with a capital letter ("US", "May", "Bill") only matches where the first matched
//! token starts with a capital letter too, so the pronoun "us" is no country while "IRAN"
//! in an all-caps headline still is. Entries written in lower case (company suffixes such
//! as "plc", "gmbh") match in any case.
//!
//! # API
//! - [`Gazetteers::embedded`]: the shipped lists, loaded once (a few tens of ms), shared.
//! - [`Gazetteers::matches`]: every (start, end, list) where some entry of the list
//!   matches `tokens[start..end]`, longest per start and list.
//! - [`Gazetteers::tag`]: per token, BILOU-style bit sets over lists ([`GazTags`]): for each
//!   list separately, the longest match is taken greedily from left to right, and the
//!   tokens of a match are marked `begin`, `inside`…, `last` (or `unit` for one token).
//!   This is the form Ratinov & Roth use as tagger features.
//!
//! ```
//! use news_annotator::pipeline::entities::gazetteer::{GazList, Gazetteers};
//! let g = Gazetteers::embedded();
//! let tags = g.tag(&["Talks", "in", "New", "York", "City"]);
//! assert!(tags[2].begin.contains(GazList::Cities));
//! assert!(tags[4].last.contains(GazList::Cities));
//! assert!(tags[0].is_empty());
//! ```

use std::borrow::Cow;
use std::sync::OnceLock;

use super::gazetteer_index::{word_key, TrieBuilder, TrieIndex};
use crate::pipeline::document::Token;
use crate::pipeline::segment::tokenizer::tokenize;

/// One gazetteer list. The discriminant is the list's bit in a [`ListSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GazList {
    Countries,
    Cities,
    UsStates,
    Continents,
    /// First-level administrative regions of every country (provinces, states, Länder).
    Regions,
    /// Demonyms and nationality words ("German", "Germans", "Kurdish").
    Nationalities,
    FirstNames,
    LastNames,
    /// Legal-form words that end company names ("Inc.", "GmbH", "plc").
    CompanySuffixes,
    /// Titles and roles before or beside a person's name ("Secretary of State", "Sen.").
    Titles,
    /// Words that open or end organisation names ("Council", "University", "Party").
    OrgWords,
    NewsOrgs,
    /// Surnames of people with a Wikidata entry, of members of the US Congress and of US
    /// presidents ("Obama", "Modi"): what news writes after the first mention.
    PersonSurnames,
}

impl GazList {
    pub const ALL: [GazList; 13] = [
        GazList::Countries,
        GazList::Cities,
        GazList::UsStates,
        GazList::Continents,
        GazList::Regions,
        GazList::Nationalities,
        GazList::FirstNames,
        GazList::LastNames,
        GazList::CompanySuffixes,
        GazList::Titles,
        GazList::OrgWords,
        GazList::NewsOrgs,
        GazList::PersonSurnames,
    ];

    /// The list's file stem under `resources/gazetteers/`, also a stable feature name.
    pub fn name(self) -> &'static str {
        match self {
            GazList::Countries => "countries",
            GazList::Cities => "cities",
            GazList::UsStates => "us_states",
            GazList::Continents => "continents",
            GazList::Regions => "regions",
            GazList::Nationalities => "nationalities",
            GazList::FirstNames => "first_names",
            GazList::LastNames => "last_names",
            GazList::CompanySuffixes => "company_suffixes",
            GazList::Titles => "titles",
            GazList::OrgWords => "org_words",
            GazList::NewsOrgs => "news_orgs",
            GazList::PersonSurnames => "person_surnames",
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// The embedded list files, in [`GazList::ALL`] order. The titles are not a file of
/// their own: they are the entries tagged `gazetteer` in the project's one titles list
/// (`resources/words/titles.txt`, see [`crate::text::titles`]).
const EMBEDDED: [(GazList, &str); 12] = [
    (
        GazList::Countries,
        include_str!("../../../resources/gazetteers/countries.txt"),
    ),
    (
        GazList::Cities,
        include_str!("../../../resources/gazetteers/cities.txt"),
    ),
    (
        GazList::UsStates,
        include_str!("../../../resources/gazetteers/us_states.txt"),
    ),
    (
        GazList::Continents,
        include_str!("../../../resources/gazetteers/continents.txt"),
    ),
    (
        GazList::Regions,
        include_str!("../../../resources/gazetteers/regions.txt"),
    ),
    (
        GazList::Nationalities,
        include_str!("../../../resources/gazetteers/nationalities.txt"),
    ),
    (
        GazList::FirstNames,
        include_str!("../../../resources/gazetteers/first_names.txt"),
    ),
    (
        GazList::LastNames,
        include_str!("../../../resources/gazetteers/last_names.txt"),
    ),
    (
        GazList::CompanySuffixes,
        include_str!("../../../resources/gazetteers/company_suffixes.txt"),
    ),
    (
        GazList::OrgWords,
        include_str!("../../../resources/gazetteers/org_words.txt"),
    ),
    (
        GazList::NewsOrgs,
        include_str!("../../../resources/gazetteers/news_orgs.txt"),
    ),
    (
        GazList::PersonSurnames,
        include_str!("../../../resources/gazetteers/person_surnames.txt"),
    ),
];

/// A set of lists, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ListSet(u32);

impl ListSet {
    pub fn contains(self, list: GazList) -> bool {
        self.0 & list.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, list: GazList) {
        self.0 |= list.bit();
    }

    /// The lists in the set, in [`GazList::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = GazList> {
        GazList::ALL.into_iter().filter(move |l| self.contains(*l))
    }

    /// The set of these bits (bits past the last list are dropped).
    pub fn from_bits(bits: u32) -> Self {
        ListSet(bits & ((1 << GazList::ALL.len()) - 1))
    }

    /// The raw bits (bit `i` is `GazList::ALL[i]`), for compact feature hashing.
    pub fn bits(self) -> u32 {
        self.0
    }
}

/// BILOU-style gazetteer tags of one token: for each list, whether the token is the only
/// token (`unit`), the first (`begin`), a middle one (`inside`) or the final one (`last`)
/// of a match of that list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GazTags {
    pub unit: ListSet,
    pub begin: ListSet,
    pub inside: ListSet,
    pub last: ListSet,
}

impl GazTags {
    /// True when the token is part of no match.
    pub fn is_empty(&self) -> bool {
        self.any().is_empty()
    }

    /// The lists the token is part of a match of, whatever its position.
    pub fn any(&self) -> ListSet {
        ListSet(self.unit.0 | self.begin.0 | self.inside.0 | self.last.0)
    }
}

/// A match of one list: `tokens[start..end]` is an entry of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub list: GazList,
}

/// The lists as a trie over lower-cased tokens (see [`gazetteer_index`](super::gazetteer_index)).
#[derive(Debug)]
pub struct Gazetteers {
    index: TrieIndex,
}

/// The index of the embedded lists, written by `src/bin/gazetteer-index.rs`.
const EMBEDDED_INDEX: &[u8] = include_bytes!("../../../resources/gazetteers/index.bin");

static EMBEDDED_GAZETTEERS: OnceLock<Gazetteers> = OnceLock::new();

impl Gazetteers {
    /// The shipped lists, from their prebuilt index (read in place), shared.
    pub fn embedded() -> &'static Gazetteers {
        EMBEDDED_GAZETTEERS.get_or_init(|| {
            // A stale or corrupt index (caught by the `shipped_index_is_the_lists` test)
            // falls back to building from the lists, slower but right.
            TrieIndex::parse(Cow::Borrowed(EMBEDDED_INDEX))
                .map(|index| Gazetteers { index })
                .unwrap_or_else(|_| Gazetteers::embedded_lists())
        })
    }

    /// The shipped lists, built from their text files (what the index is made of).
    pub fn embedded_lists() -> Gazetteers {
        let titles = crate::text::titles::gazetteer().join("\n");
        let mut lists = EMBEDDED.to_vec();
        let at = GazList::ALL
            .iter()
            .position(|&l| l == GazList::Titles)
            .unwrap_or(lists.len());
        lists.insert(at, (GazList::Titles, &titles));
        Gazetteers::from_lists(&lists)
    }

    /// Builds a trie from list files' contents (one entry a line; blank lines ignored).
    pub fn from_lists(lists: &[(GazList, &str)]) -> Gazetteers {
        let mut trie = TrieBuilder::new();
        let mut toks: Vec<Token> = Vec::new();
        let mut parts: Vec<&str> = Vec::new();
        for &(list, text) in lists {
            for entry in text.lines().map(str::trim).filter(|e| !e.is_empty()) {
                parts.clear();
                if entry.chars().all(|c| c.is_alphabetic() || c == ' ') {
                    // Letters only (most entries): the tokenizer would split on spaces.
                    parts.extend(entry.split_whitespace());
                } else {
                    toks.clear();
                    tokenize(entry, &mut toks);
                    parts.extend(toks.iter().map(|t| &entry[t.span.range()]));
                }
                trie.add(&parts, list, entry.starts_with(char::is_uppercase));
            }
        }
        let index = TrieIndex::parse(Cow::Owned(trie.to_bytes())).expect("a built index parses");
        Gazetteers { index }
    }

    /// The index's bytes (what `resources/gazetteers/index.bin` holds).
    pub fn index_bytes(&self) -> &[u8] {
        self.index.bytes()
    }

    /// Every match, longest per start position and list, ordered by start then list.
    pub fn matches<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<GazMatch> {
        let keys: Vec<u64> = tokens.iter().map(|t| word_key(t.as_ref())).collect();
        let mut out = Vec::new();
        // Longest end per list for the current start.
        let mut longest = [0usize; GazList::ALL.len()];
        for (start, token) in tokens.iter().enumerate() {
            let Some(w) = self.index.word(keys[start]) else {
                continue;
            };
            let capital = token.as_ref().starts_with(char::is_uppercase);
            longest.fill(0);
            let single = if capital {
                ListSet::from_bits(w.single_any.bits() | w.single_capital.bits())
            } else {
                w.single_any
            };
            for list in single.iter() {
                longest[list as usize] = start + 1;
            }
            let mut node = w.first;
            if node != 0 {
                for (j, &key) in keys.iter().enumerate().skip(start + 1) {
                    let Some(child) = self.index.child(node, key) else {
                        break;
                    };
                    node = child;
                    let (any, cap) = self.index.ends(node);
                    let here = if capital {
                        any.bits() | cap.bits()
                    } else {
                        any.bits()
                    };
                    for list in ListSet::from_bits(here).iter() {
                        longest[list as usize] = j + 1;
                    }
                }
            }
            for list in GazList::ALL {
                if longest[list as usize] > 0 {
                    out.push(GazMatch {
                        start,
                        end: longest[list as usize],
                        list,
                    });
                }
            }
        }
        out
    }

    /// Per token, its BILOU position in the greedy longest matches of each list.
    pub fn tag<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<GazTags> {
        let mut tags = vec![GazTags::default(); tokens.len()];
        // Per list, the first token not yet covered by an earlier match of that list.
        let mut free = [0usize; GazList::ALL.len()];
        for m in self.matches(tokens) {
            let l = m.list as usize;
            if m.start < free[l] {
                continue;
            }
            free[l] = m.end;
            if m.end - m.start == 1 {
                tags[m.start].unit.insert(m.list);
                continue;
            }
            tags[m.start].begin.insert(m.list);
            for t in &mut tags[m.start + 1..m.end - 1] {
                t.inside.insert(m.list);
            }
            tags[m.end - 1].last.insert(m.list);
        }
        tags
    }

    /// True when `phrase` (tokenized like an entry) is an entry of `list`.
    pub fn contains(&self, list: GazList, phrase: &str) -> bool {
        let mut toks = Vec::new();
        tokenize(phrase, &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| &phrase[t.span.range()]).collect();
        self.matches(&words)
            .iter()
            .any(|m| m.start == 0 && m.end == words.len() && m.list == list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Gazetteers {
        Gazetteers::from_lists(&[
            (GazList::Countries, "United States\nUS\nIran\n"),
            (GazList::Cities, "New York\nNew York City\nYork\n"),
            (GazList::CompanySuffixes, "plc\n"),
            (GazList::Titles, "Secretary of State\nSecretary\n"),
        ])
    }

    #[test]
    fn longest_match_per_start_and_list() {
        let g = small();
        let m = g.matches(&["in", "New", "York", "City", "today"]);
        assert!(m.contains(&GazMatch {
            start: 1,
            end: 4,
            list: GazList::Cities
        }));
        // "York" alone starts another (shorter) match of the same list.
        assert!(m.contains(&GazMatch {
            start: 2,
            end: 3,
            list: GazList::Cities
        }));
        assert!(!m.iter().any(|x| x.start == 1 && x.end == 3));
    }

    #[test]
    fn tags_are_bilou_and_greedy() {
        let g = small();
        let t = g.tag(&["New", "York", "City", "and", "Iran"]);
        assert!(t[0].begin.contains(GazList::Cities));
        assert!(t[1].inside.contains(GazList::Cities));
        assert!(
            !t[1].begin.contains(GazList::Cities),
            "York inside a longer match"
        );
        assert!(t[2].last.contains(GazList::Cities));
        assert!(t[3].is_empty());
        assert!(t[4].unit.contains(GazList::Countries));
        assert_eq!(t[4].any().iter().collect::<Vec<_>>(), [GazList::Countries]);
    }

    #[test]
    fn capitalised_entries_need_a_capital() {
        let g = small();
        assert!(g.tag(&["tell", "us"])[1].is_empty());
        assert!(g.tag(&["the", "US"])[1].unit.contains(GazList::Countries));
        assert!(g.tag(&["IRAN", "TALKS"])[0]
            .unit
            .contains(GazList::Countries));
        // Lower-case entries match in any case.
        assert!(g.tag(&["Acme", "PLC"])[1]
            .unit
            .contains(GazList::CompanySuffixes));
    }

    #[test]
    fn entries_are_tokenized_like_text() {
        let g = small();
        assert!(g.contains(GazList::Titles, "Secretary of State"));
        assert!(g.contains(GazList::Countries, "UNITED STATES"));
        assert!(!g.contains(GazList::Countries, "united states"));
        assert!(!g.contains(GazList::Countries, "United"));
    }

    #[test]
    fn shipped_index_is_the_lists() {
        // If this fails, rebuild it: cargo run --release --bin gazetteer-index
        let built = Gazetteers::embedded_lists();
        assert!(
            built.index_bytes() == EMBEDDED_INDEX,
            "resources/gazetteers/index.bin is stale"
        );
    }

    #[test]
    fn embedded_lists_load_and_match() {
        let g = Gazetteers::embedded();
        assert!(g.contains(GazList::Countries, "Germany"));
        assert!(g.contains(GazList::Countries, "U.S."));
        assert!(g.contains(GazList::Cities, "Baghdad"));
        assert!(g.contains(GazList::UsStates, "New Hampshire"));
        assert!(g.contains(GazList::Nationalities, "Iraqi"));
        assert!(g.contains(GazList::FirstNames, "John"));
        assert!(g.contains(GazList::LastNames, "Kerry"));
        assert!(g.contains(GazList::CompanySuffixes, "GmbH"));
        assert!(g.contains(GazList::Titles, "Prime Minister"));
        assert!(
            !g.contains(GazList::Countries, "AF"),
            "ISO codes are dropped"
        );
    }
}
