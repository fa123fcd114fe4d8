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
use std::collections::HashMap;
use std::sync::OnceLock;

use super::fasthash::FxBuild;
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
}

impl GazList {
    pub const ALL: [GazList; 12] = [
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
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The embedded list files, in [`GazList::ALL`] order. The titles are not a file of
/// their own: they are the entries tagged `gazetteer` in the project's one titles list
/// (`resources/words/titles.txt`, see [`crate::text::titles`]).
const EMBEDDED: [(GazList, &str); 11] = [
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
];

/// A set of lists, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ListSet(u16);

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

    /// The raw bits (bit `i` is `GazList::ALL[i]`), for compact feature hashing.
    pub fn bits(self) -> u16 {
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

/// The lists as a trie over lower-cased tokens.
#[derive(Debug)]
pub struct Gazetteers {
    /// Lower-cased token text → word id.
    words: HashMap<Box<str>, u32, FxBuild>,
    /// Per word id: the lists with a one-token entry of that word, matching in any case
    /// and only capitalised (most entries are one token, so they skip the trie).
    single: Vec<(ListSet, ListSet)>,
    /// Per word id: the trie node of multi-token entries starting with it (0: none).
    first: Vec<u32>,
    /// (node, word id) → child node, below the first level; node 0 is the root.
    edges: HashMap<(u32, u32), u32, FxBuild>,
    /// Per node: lists with an entry ending here that match in any case.
    ends_any: Vec<ListSet>,
    /// Per node: lists with an entry ending here whose first letter is a capital, which
    /// match only when the first matched token starts with a capital too.
    ends_capital: Vec<ListSet>,
}

static EMBEDDED_GAZETTEERS: OnceLock<Gazetteers> = OnceLock::new();

impl Gazetteers {
    /// The shipped lists, parsed on first call and shared afterwards.
    pub fn embedded() -> &'static Gazetteers {
        EMBEDDED_GAZETTEERS.get_or_init(|| {
            let titles = crate::text::titles::gazetteer().join("\n");
            let mut lists = EMBEDDED.to_vec();
            let at = GazList::ALL
                .iter()
                .position(|&l| l == GazList::Titles)
                .unwrap_or(lists.len());
            lists.insert(at, (GazList::Titles, &titles));
            Gazetteers::from_lists(&lists)
        })
    }

    /// Builds a trie from list files' contents (one entry a line; blank lines ignored).
    pub fn from_lists(lists: &[(GazList, &str)]) -> Gazetteers {
        let mut g = Gazetteers {
            words: HashMap::default(),
            single: Vec::new(),
            first: Vec::new(),
            edges: HashMap::default(),
            ends_any: vec![ListSet::default()],
            ends_capital: vec![ListSet::default()],
        };
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
                let capital = entry.starts_with(char::is_uppercase);
                if let [one] = parts[..] {
                    let w = g.word_id(one) as usize;
                    let (any, cap) = &mut g.single[w];
                    if capital { cap } else { any }.insert(list);
                    continue;
                }
                let mut node = 0u32;
                for (depth, part) in parts.iter().enumerate() {
                    let word = g.word_id(part);
                    let next_node = g.ends_any.len() as u32;
                    node = if depth == 0 {
                        let first = &mut g.first[word as usize];
                        if *first == 0 {
                            *first = next_node;
                        }
                        *first
                    } else {
                        *g.edges.entry((node, word)).or_insert(next_node)
                    };
                    if node == next_node {
                        g.ends_any.push(ListSet::default());
                        g.ends_capital.push(ListSet::default());
                    }
                }
                if node == 0 {
                    continue;
                }
                if capital {
                    g.ends_capital[node as usize].insert(list);
                } else {
                    g.ends_any[node as usize].insert(list);
                }
            }
        }
        g
    }

    /// The id of a (folded) word, added if new.
    fn word_id(&mut self, word: &str) -> u32 {
        let key = fold(word);
        if let Some(&w) = self.words.get(key.as_ref()) {
            return w;
        }
        let w = self.words.len() as u32;
        self.words.insert(key.into(), w);
        self.single.push(Default::default());
        self.first.push(0);
        w
    }

    /// Every match, longest per start position and list, ordered by start then list.
    pub fn matches<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<GazMatch> {
        let ids: Vec<Option<u32>> = tokens
            .iter()
            .map(|t| self.words.get(fold(t.as_ref()).as_ref()).copied())
            .collect();
        let mut out = Vec::new();
        // Longest end per list for the current start.
        let mut longest = [0usize; GazList::ALL.len()];
        for (start, token) in tokens.iter().enumerate() {
            let capital = token.as_ref().starts_with(char::is_uppercase);
            longest.fill(0);
            let Some(w) = ids[start] else { continue };
            let (any, cap) = self.single[w as usize];
            for list in any.iter().chain(cap.iter().filter(|_| capital)) {
                longest[list as usize] = start + 1;
            }
            let mut node = self.first[w as usize];
            for (j, id) in ids.iter().enumerate().skip(start) {
                if j > start {
                    let Some(&child) = id.and_then(|w| self.edges.get(&(node, w))) else {
                        break;
                    };
                    node = child;
                } else if node == 0 {
                    break;
                }
                let mut here = self.ends_any[node as usize];
                if capital {
                    here.0 |= self.ends_capital[node as usize].0;
                }
                for list in here.iter() {
                    longest[list as usize] = j + 1;
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

/// The case-folded key of a token; borrows when the token is already lower case.
fn fold(token: &str) -> Cow<'_, str> {
    if token.is_ascii() {
        if token.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(token.to_ascii_lowercase())
        } else {
            Cow::Borrowed(token)
        }
    } else if token.chars().any(char::is_uppercase) {
        Cow::Owned(token.to_lowercase())
    } else {
        Cow::Borrowed(token)
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
