//! The tagger's features, hashed.
//!
//! A feature is a template (which question) and a value (its answer), both folded into
//! one 64-bit hash that picks a row of the weight table: no feature strings, no map
//! from features to ids, no allocation per token. Collisions cost a little accuracy and
//! buy a fixed, small model.
//!
//! The set follows Ratinov & Roth (2009): the word and its lower case, shape, prefixes
//! and suffixes, the capitalisation of the token and its neighbours, a ±2 window, the
//! two previous predictions, and non-local document features (how the same word was
//! tagged earlier in the document, whether the document also writes it in lower case).
//! News headlines are all capitals, so a sentence without a lower-case letter switches
//! on features of its own.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::bilou;
use super::embedding_clusters::MAX_LEVELS;
use super::gazetteer::GazTags;
use super::hashing::{fnv, Prehashed, FNV_OFFSET};
use super::lexicon::VectorClusters;
use crate::pipeline::document::TokenKind;

/// Stand-ins for the words before and after a sentence.
const BEFORE: u64 = 0x5157_2b0a_33c1_e4d7;
const AFTER: u64 = 0x7a0d_b0e4_1f55_c2a9;

#[inline]
fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Two values as one.
#[inline]
fn pair(a: u64, b: u64) -> u64 {
    a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.rotate_left(23)
}

/// A feature: template `t` with value `v`.
#[inline]
fn feat(t: u64, v: u64) -> u64 {
    splitmix(v ^ t.wrapping_mul(0xd6e8_feb8_6659_fd93))
}

/// How a token is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Caps {
    Lower = 0,
    /// First letter upper, some lower: `Kerry`, `McDonald`.
    Title = 1,
    /// Two or more letters, none lower: `EU`, `BRUSSELS`, `U.S.`.
    Upper = 2,
    /// One capital letter, maybe with its period: `F.`, `A`.
    Initial = 3,
    Digit = 4,
    /// Lower first, upper later: `iPhone`, `eBay`.
    Mixed = 5,
    Other = 6,
}

/// What the tagger knows about one token out of context: hashes of its forms.
#[derive(Debug, Clone, Copy)]
pub struct TokenInfo {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    /// First 1..=4 and last 1..=4 characters of the lower case (0: word too short).
    pub prefix: [u64; 4],
    pub suffix: [u64; 4],
    pub caps: Caps,
    pub kind: TokenKind,
    /// Word-cluster path prefixes (0: no cluster).
    pub clusters: [u64; 4],
    /// Gazetteer matches that cover this token, by position in the match.
    pub gazetteer: GazTags,
    /// Clusters of word vectors (spaCy's levels, then GloVe's; 0: none).
    pub vectors: VectorClusters,
    /// For a capitalised word: how close its spaCy vector is to its lower case's, the
    /// finest level they share (1 the same row .. 4 the coarsest, 5 none; 0 unknown).
    /// Capitalised common words ("Report", "Follow", "State") live where their lower
    /// case does; names ("Bush", "Apple") do not.
    pub lower_like: u8,
}

impl TokenInfo {
    pub fn new(text: &str, kind: TokenKind) -> Self {
        let mut lower = FNV_OFFSET;
        let mut word = FNV_OFFSET;
        let mut shape = FNV_OFFSET;
        let mut last_class = '\0';
        let mut prefix = [0; 4];
        let (mut n, mut upper, mut lowers, mut letters) = (0usize, 0usize, 0usize, 0usize);
        let mut first = '\0';
        for c in text.chars() {
            if n == 0 {
                first = c;
            }
            word = fnv(word, c);
            for lc in c.to_lowercase() {
                lower = fnv(lower, lc);
            }
            if n < 4 {
                prefix[n] = lower;
            }
            n += 1;
            let class = if c.is_uppercase() {
                upper += 1;
                letters += 1;
                'X'
            } else if c.is_lowercase() {
                lowers += 1;
                letters += 1;
                'x'
            } else if c.is_numeric() {
                'd'
            } else if c.is_alphabetic() {
                letters += 1;
                'a'
            } else {
                c
            };
            if class != last_class {
                shape = fnv(shape, class);
                last_class = class;
            }
        }
        let mut suffix = [0; 4];
        let mut h = FNV_OFFSET ^ 0x55;
        for (k, c) in text.chars().rev().take(4).enumerate() {
            for lc in c.to_lowercase() {
                h = fnv(h, lc);
            }
            suffix[k] = h;
        }
        if n <= 4 {
            // Affixes as long as the word are the word: keep only shorter ones.
            prefix[n.saturating_sub(1)..].fill(0);
            suffix[n.saturating_sub(1)..].fill(0);
        }
        let caps = if first.is_uppercase() {
            if lowers > 0 {
                Caps::Title
            } else if letters >= 2 {
                Caps::Upper
            } else {
                Caps::Initial
            }
        } else if first.is_lowercase() {
            if upper > 0 {
                Caps::Mixed
            } else {
                Caps::Lower
            }
        } else if first.is_numeric() {
            Caps::Digit
        } else {
            Caps::Other
        };
        TokenInfo {
            word,
            lower,
            shape,
            prefix,
            suffix,
            caps,
            kind,
            clusters: [0; 4],
            gazetteer: GazTags::default(),
            vectors: [0; 2 * MAX_LEVELS],
            lower_like: 0,
        }
    }

    /// Could this token be (part of) a name, as far as its letters tell?
    pub fn capitalised(&self) -> bool {
        matches!(self.caps, Caps::Title | Caps::Upper | Caps::Initial)
    }
}

type PrehashedSet = HashSet<u64, BuildHasherDefault<Prehashed>>;
type PrehashedMap<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// What the document as a whole says about its words.
#[derive(Default)]
pub struct DocContext {
    /// Words (lower case) the document writes in lower case somewhere.
    seen_lower: PrehashedSet,
    /// Words (lower case) capitalised somewhere not at a sentence start, outside headlines.
    seen_capitalised: PrehashedSet,
    /// How earlier occurrences of a word were tagged: counts of O and the four types.
    history: PrehashedMap<[u16; 5]>,
    /// Per sentence: does it have no lower-case word (a headline)?
    pub all_caps: Vec<bool>,
    /// Per sentence: are nearly all its words capitalised (a title-case headline)?
    pub title_case: Vec<bool>,
    /// The first pass's labels, when this is the second pass.
    first: Option<Vec<u8>>,
    /// How the first pass tagged each capitalised word over the whole document.
    first_votes: PrehashedMap<[u16; 5]>,
    /// Context aggregation: for each capitalised word, the words just before and after
    /// its first few occurrences (lower case), with the token index they belong to.
    contexts: PrehashedMap<Vec<(usize, u64, u64)>>,
    /// Per sentence: mostly numbers (a results table, where towns are teams)?
    pub tables: Vec<bool>,
}

/// Does a sentence read as a title-case headline: four words or more, and at least four
/// in five of them capitalised ("Kerry Says US Will Work With Iran on Iraq")?
fn title_case(toks: &[TokenInfo]) -> bool {
    let (mut words, mut capitalised) = (0usize, 0usize);
    for t in toks.iter().filter(|t| t.kind == TokenKind::Word) {
        words += 1;
        capitalised += t.capitalised() as usize;
    }
    words >= 4 && capitalised * 5 >= words * 4
}

/// Occurrences of a word whose contexts are aggregated.
const CONTEXTS: usize = 6;

impl DocContext {
    /// The context of a document; `first` is the first pass's labels for a second pass.
    pub fn new(infos: &[TokenInfo], sentences: &[Range<usize>], first: Option<&[u8]>) -> Self {
        let mut ctx = DocContext::default();
        if let Some(first) = first {
            for (t, &l) in infos.iter().zip(first) {
                if t.capitalised() {
                    ctx.first_votes.entry(t.lower).or_insert([0; 5])[slot(l)] += 1;
                }
            }
            ctx.first = Some(first.to_vec());
        }
        for s in sentences {
            let toks = &infos[s.clone()];
            let words = toks.iter().filter(|t| t.kind == TokenKind::Word);
            let mut any = false;
            let mut caps = true;
            for t in words {
                any = true;
                if matches!(t.caps, Caps::Lower | Caps::Mixed | Caps::Title) {
                    caps = false;
                }
            }
            let headline = any && caps;
            ctx.all_caps.push(headline);
            ctx.title_case.push(!headline && title_case(toks));
            let numbers = toks.iter().filter(|t| t.kind == TokenKind::Number).count();
            ctx.tables.push(numbers * 4 >= toks.len() && numbers >= 2);
            for (k, t) in toks.iter().enumerate() {
                if t.capitalised() {
                    let before = if k > 0 { toks[k - 1].lower } else { BEFORE };
                    let after = toks.get(k + 1).map_or(AFTER, |t| t.lower);
                    let v = ctx.contexts.entry(t.lower).or_default();
                    if v.len() < CONTEXTS {
                        v.push((s.start + k, before, after));
                    }
                }
                match t.caps {
                    Caps::Lower => {
                        ctx.seen_lower.insert(t.lower);
                    }
                    Caps::Title | Caps::Upper if k > 0 && !headline => {
                        ctx.seen_capitalised.insert(t.lower);
                    }
                    _ => {}
                }
            }
        }
        ctx
    }

    /// Records how a token was tagged, for the tokens after it.
    pub fn remember(&mut self, info: &TokenInfo, label: u8) {
        if !info.capitalised() {
            return;
        }
        let h = self.history.entry(info.lower).or_insert([0; 5]);
        h[slot(label)] = h[slot(label)].saturating_add(1);
    }
}

/// 0 for Outside, 1 + type otherwise.
fn slot(label: u8) -> usize {
    bilou::parts(label).map_or(0, |(t, _)| t + 1)
}

/// A feature template's number: the stable hash of its name, so that templates need no
/// numbered list to keep in step. The names are part of the model: renaming one (or
/// adding one) means retraining. `t!("lower_at") + k` numbers the members of a family.
macro_rules! t {
    ($name:literal) => {{
        const T: u64 = template($name);
        T
    }};
}

/// FNV-1a over the bytes of a template's name (at compile time, by `t!`).
const fn template(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < b.len() {
        h = (h ^ b[i] as u64).wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// Where a token stands: its document, sentence and the labels before it.
pub struct Context<'a> {
    pub infos: &'a [TokenInfo],
    pub sentence: Range<usize>,
    pub headline: bool,
    /// A title-case headline (see `title_case`).
    pub title_case: bool,
    pub table: bool,
    pub doc: &'a DocContext,
}

impl Context<'_> {
    /// The features of token `i` (an index into `infos`) given the two labels before it.
    pub fn features(&self, i: usize, prev1: u8, prev2: u8, out: &mut Vec<u64>) {
        out.clear();
        let infos = self.infos;
        let t = &infos[i];
        let at = |k: isize| -> Option<&TokenInfo> {
            let j = i as isize + k;
            (j >= self.sentence.start as isize && j < self.sentence.end as isize)
                .then(|| &infos[j as usize])
        };
        let edge = |k: isize| if k < 0 { BEFORE } else { AFTER };
        let lower_at = |k: isize| at(k).map_or(edge(k), |t| t.lower);
        let shape_at = |k: isize| at(k).map_or(edge(k), |t| t.shape);
        let caps_at = |k: isize| at(k).map_or(7, |t| t.caps as u64);
        let first = i == self.sentence.start;

        out.push(feat(t!("bias"), 0));
        out.push(feat(t!("word"), t.word));
        out.push(feat(t!("lower"), t.lower));
        for (n, k) in [-2, -1, 1, 2].into_iter().enumerate() {
            out.push(feat(t!("lower_at") + n as u64, lower_at(k)));
        }
        out.push(feat(t!("word_prev"), at(-1).map_or(BEFORE, |t| t.word)));
        out.push(feat(t!("word_next"), at(1).map_or(AFTER, |t| t.word)));
        for (n, k) in [-2, -1, 0, 1, 2].into_iter().enumerate() {
            out.push(feat(t!("shape_at") + n as u64, shape_at(k)));
        }
        out.push(feat(t!("shape_prev_cur"), pair(shape_at(-1), t.shape)));
        out.push(feat(t!("shape_cur_next"), pair(t.shape, shape_at(1))));
        for (n, &h) in t.prefix.iter().enumerate() {
            if h != 0 {
                out.push(feat(t!("prefix") + n as u64, h));
            }
        }
        for (n, &h) in t.suffix.iter().enumerate() {
            if h != 0 {
                out.push(feat(t!("suffix") + n as u64, h));
            }
        }
        out.push(feat(
            t!("caps3"),
            caps_at(-1) << 8 | caps_at(0) << 4 | caps_at(1),
        ));
        out.push(feat(t!("first_caps"), (first as u64) << 4 | t.caps as u64));
        out.push(feat(t!("kind"), t.kind as u64));
        if self.table {
            out.push(feat(
                t!("table"),
                caps_at(-1) << 8 | caps_at(0) << 4 | caps_at(1),
            ));
        }
        if self.title_case {
            out.push(feat(t!("title_case_lower"), t.lower));
            out.push(feat(
                t!("title_case_caps"),
                (first as u64) << 8 | caps_at(-1) << 4 | caps_at(1),
            ));
        }
        if self.headline {
            out.push(feat(t!("headline_lower"), t.lower));
            out.push(feat(
                t!("headline_caps"),
                (first as u64) << 8 | caps_at(-1) << 4 | caps_at(1),
            ));
        }

        let (p1, p2) = (prev1 as u64, prev2 as u64);
        out.push(feat(t!("prev1"), p1));
        out.push(feat(t!("prev2"), p2));
        out.push(feat(t!("prev12"), p1 << 8 | p2));
        out.push(feat(t!("prev1_lower"), pair(p1, t.lower)));
        out.push(feat(t!("prev1_shape"), pair(p1, t.shape)));
        out.push(feat(t!("prev1_caps"), p1 << 8 | t.caps as u64));
        out.push(feat(t!("bigram_left"), pair(lower_at(-1), t.lower)));
        out.push(feat(t!("bigram_right"), pair(t.lower, lower_at(1))));

        if t.capitalised() {
            let like = t.lower_like as u64;
            out.push(feat(
                t!("lower_like"),
                like << 8 | (t.caps as u64) << 4 | first as u64,
            ));
            out.push(feat(
                t!("lower_like_heading"),
                like << 8 | (self.headline || self.title_case) as u64,
            ));
            let lower = self.doc.seen_lower.contains(&t.lower) as u64;
            let cap = self.doc.seen_capitalised.contains(&t.lower) as u64;
            out.push(feat(
                t!("seen"),
                lower << 12 | cap << 8 | (first as u64) << 4 | self.headline as u64,
            ));
            if let Some(occurrences) = self.doc.contexts.get(&t.lower) {
                for &(_, before, after) in occurrences.iter().filter(|o| o.0 != i) {
                    out.push(feat(t!("context_before"), before));
                    out.push(feat(t!("context_after"), after));
                }
            }
            if let Some(h) = self.doc.history.get(&t.lower) {
                for (slot, &n) in h.iter().enumerate() {
                    if n > 0 {
                        out.push(feat(t!("history"), slot as u64));
                    }
                }
                let best = (0..5).max_by_key(|&s| (h[s], 5 - s)).unwrap_or(0);
                out.push(feat(t!("history_majority"), best as u64));
            }
        }

        for (n, &c) in t.clusters.iter().enumerate() {
            if c != 0 {
                out.push(feat(t!("cluster") + n as u64, c));
            }
        }
        if let Some(c) = at(-1).map(|t| t.clusters[1]).filter(|&c| c != 0) {
            out.push(feat(t!("cluster_prev"), c));
        }
        if let Some(c) = at(1).map(|t| t.clusters[1]).filter(|&c| c != 0) {
            out.push(feat(t!("cluster_next"), c));
        }
        for (n, &c) in t.vectors.iter().enumerate() {
            if c != 0 {
                out.push(feat(t!("vectors") + n as u64, c as u64));
            }
        }
        // Neighbours' clusters at a middle level (spaCy's 256, GloVe's 512), and the
        // word's coarse clusters with its capitalisation.
        let vec_at = |k: isize, level: usize| at(k).map_or(u64::MAX, |t| t.vectors[level] as u64);
        out.push(feat(t!("spacy_prev"), vec_at(-1, 2)));
        out.push(feat(t!("spacy_next"), vec_at(1, 2)));
        out.push(feat(t!("glove_prev"), vec_at(-1, MAX_LEVELS + 1)));
        out.push(feat(t!("glove_next"), vec_at(1, MAX_LEVELS + 1)));
        out.push(feat(
            t!("spacy_caps"),
            pair(t.vectors[3] as u64, t.caps as u64),
        ));
        out.push(feat(
            t!("glove_caps"),
            pair(t.vectors[MAX_LEVELS + 2] as u64, t.caps as u64),
        ));
        if let Some(first) = &self.doc.first {
            self.first_pass(i, first, out);
        }
        let g = &t.gazetteer;
        for (pos, set) in [g.begin, g.inside, g.last, g.unit].into_iter().enumerate() {
            for list in set.iter() {
                let v = (list as u64) << 4 | pos as u64;
                out.push(feat(t!("gazetteer"), v));
                out.push(feat(t!("gazetteer_caps"), pair(v, t.caps as u64)));
            }
        }
        let around = |k: isize| at(k).map_or(0, |t| t.gazetteer.any().bits() as u64);
        out.push(feat(t!("gazetteer_around"), around(-1) << 32 | around(1)));
    }
}

impl Context<'_> {
    /// Two-stage prediction aggregation (Ratinov & Roth 2009): what the first pass said
    /// about this token, its neighbours, and the same word elsewhere in the document,
    /// after it as well as before (a headline's names are spelled out later).
    fn first_pass(&self, i: usize, first: &[u8], out: &mut Vec<u64>) {
        let t = &self.infos[i];
        let label_at = |k: isize| -> u64 {
            let j = i as isize + k;
            if j >= self.sentence.start as isize && j < self.sentence.end as isize {
                first[j as usize] as u64
            } else {
                bilou::START as u64
            }
        };
        out.push(feat(t!("first_label"), label_at(0)));
        out.push(feat(
            t!("first_around"),
            label_at(-1) << 16 | label_at(0) << 8 | label_at(1),
        ));
        out.push(feat(t!("first_label_lower"), pair(label_at(0), t.lower)));
        if !t.capitalised() {
            return;
        }
        if let Some(votes) = self.doc.first_votes.get(&t.lower) {
            let mut others = *votes;
            others[slot(first[i])] -= 1;
            for (s, &n) in others.iter().enumerate() {
                if n > 0 {
                    out.push(feat(t!("first_doc"), s as u64));
                }
            }
            if others.iter().any(|&n| n > 0) {
                let best = (0..5).max_by_key(|&s| (others[s], 5 - s)).unwrap_or(0);
                out.push(feat(t!("first_doc_majority"), best as u64));
            }
        }
    }
}
