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

// Templates. Their numbers are part of the model: never renumber, only add.
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_LOWER_AT: [u64; 4] = [4, 5, 6, 7];
const T_WORD_PREV: u64 = 8;
const T_WORD_NEXT: u64 = 9;
const T_SHAPE_AT: [u64; 5] = [10, 11, 12, 13, 14];
const T_SHAPE_PREV_CUR: u64 = 15;
const T_SHAPE_CUR_NEXT: u64 = 16;
const T_PREFIX: [u64; 4] = [17, 18, 19, 20];
const T_SUFFIX: [u64; 4] = [21, 22, 23, 24];
const T_CAPS3: u64 = 25;
const T_FIRST_CAPS: u64 = 26;
const T_KIND: u64 = 27;
const T_HEADLINE_LOWER: u64 = 28;
const T_HEADLINE_CAPS: u64 = 29;
const T_PREV1: u64 = 30;
const T_PREV2: u64 = 31;
const T_PREV12: u64 = 32;
const T_PREV1_LOWER: u64 = 33;
const T_PREV1_SHAPE: u64 = 34;
const T_BIGRAM_LEFT: u64 = 35;
const T_BIGRAM_RIGHT: u64 = 36;
const T_SEEN: u64 = 37;
const T_HISTORY: u64 = 38;
const T_HISTORY_MAJORITY: u64 = 39;
const T_CLUSTER: [u64; 4] = [40, 41, 42, 43];
const T_CLUSTER_PREV: u64 = 44;
const T_CLUSTER_NEXT: u64 = 45;
const T_GAZETTEER: u64 = 46;
const T_GAZETTEER_CAPS: u64 = 47;
const T_PREV1_CAPS: u64 = 48;
const T_FIRST_LABEL: u64 = 49;
const T_FIRST_AROUND: u64 = 50;
const T_FIRST_DOC: u64 = 51;
const T_FIRST_DOC_MAJORITY: u64 = 52;
const T_FIRST_LABEL_LOWER: u64 = 53;
const T_GAZETTEER_AROUND: u64 = 54;
const T_CONTEXT_BEFORE: u64 = 55;
const T_CONTEXT_AFTER: u64 = 56;
const T_TABLE: u64 = 57;
/// spaCy vector row (finest) and its coarser clusters, then GloVe's three levels.
const T_VECTORS: [u64; 2 * MAX_LEVELS] = [58, 59, 60, 61, 62, 63, 64, 65];
const T_SPACY_PREV: u64 = 66;
const T_SPACY_NEXT: u64 = 67;
const T_GLOVE_PREV: u64 = 68;
const T_GLOVE_NEXT: u64 = 69;
const T_SPACY_CAPS: u64 = 70;
const T_GLOVE_CAPS: u64 = 71;

/// Where a token stands: its document, sentence and the labels before it.
pub struct Context<'a> {
    pub infos: &'a [TokenInfo],
    pub sentence: Range<usize>,
    pub headline: bool,
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

        out.push(feat(T_BIAS, 0));
        out.push(feat(T_WORD, t.word));
        out.push(feat(T_LOWER, t.lower));
        for (n, k) in [-2, -1, 1, 2].into_iter().enumerate() {
            out.push(feat(T_LOWER_AT[n], lower_at(k)));
        }
        out.push(feat(T_WORD_PREV, at(-1).map_or(BEFORE, |t| t.word)));
        out.push(feat(T_WORD_NEXT, at(1).map_or(AFTER, |t| t.word)));
        for (n, k) in [-2, -1, 0, 1, 2].into_iter().enumerate() {
            out.push(feat(T_SHAPE_AT[n], shape_at(k)));
        }
        out.push(feat(T_SHAPE_PREV_CUR, pair(shape_at(-1), t.shape)));
        out.push(feat(T_SHAPE_CUR_NEXT, pair(t.shape, shape_at(1))));
        for (&tpl, &h) in T_PREFIX.iter().zip(&t.prefix) {
            if h != 0 {
                out.push(feat(tpl, h));
            }
        }
        for (&tpl, &h) in T_SUFFIX.iter().zip(&t.suffix) {
            if h != 0 {
                out.push(feat(tpl, h));
            }
        }
        out.push(feat(
            T_CAPS3,
            caps_at(-1) << 8 | caps_at(0) << 4 | caps_at(1),
        ));
        out.push(feat(T_FIRST_CAPS, (first as u64) << 4 | t.caps as u64));
        out.push(feat(T_KIND, t.kind as u64));
        if self.table {
            out.push(feat(
                T_TABLE,
                caps_at(-1) << 8 | caps_at(0) << 4 | caps_at(1),
            ));
        }
        if self.headline {
            out.push(feat(T_HEADLINE_LOWER, t.lower));
            out.push(feat(
                T_HEADLINE_CAPS,
                (first as u64) << 8 | caps_at(-1) << 4 | caps_at(1),
            ));
        }

        let (p1, p2) = (prev1 as u64, prev2 as u64);
        out.push(feat(T_PREV1, p1));
        out.push(feat(T_PREV2, p2));
        out.push(feat(T_PREV12, p1 << 8 | p2));
        out.push(feat(T_PREV1_LOWER, pair(p1, t.lower)));
        out.push(feat(T_PREV1_SHAPE, pair(p1, t.shape)));
        out.push(feat(T_PREV1_CAPS, p1 << 8 | t.caps as u64));
        out.push(feat(T_BIGRAM_LEFT, pair(lower_at(-1), t.lower)));
        out.push(feat(T_BIGRAM_RIGHT, pair(t.lower, lower_at(1))));

        if t.capitalised() {
            let lower = self.doc.seen_lower.contains(&t.lower) as u64;
            let cap = self.doc.seen_capitalised.contains(&t.lower) as u64;
            out.push(feat(
                T_SEEN,
                lower << 12 | cap << 8 | (first as u64) << 4 | self.headline as u64,
            ));
            if let Some(occurrences) = self.doc.contexts.get(&t.lower) {
                for &(_, before, after) in occurrences.iter().filter(|o| o.0 != i) {
                    out.push(feat(T_CONTEXT_BEFORE, before));
                    out.push(feat(T_CONTEXT_AFTER, after));
                }
            }
            if let Some(h) = self.doc.history.get(&t.lower) {
                for (slot, &n) in h.iter().enumerate() {
                    if n > 0 {
                        out.push(feat(T_HISTORY, slot as u64));
                    }
                }
                let best = (0..5).max_by_key(|&s| (h[s], 5 - s)).unwrap_or(0);
                out.push(feat(T_HISTORY_MAJORITY, best as u64));
            }
        }

        for (&tpl, &c) in T_CLUSTER.iter().zip(&t.clusters) {
            if c != 0 {
                out.push(feat(tpl, c));
            }
        }
        if let Some(c) = at(-1).map(|t| t.clusters[1]).filter(|&c| c != 0) {
            out.push(feat(T_CLUSTER_PREV, c));
        }
        if let Some(c) = at(1).map(|t| t.clusters[1]).filter(|&c| c != 0) {
            out.push(feat(T_CLUSTER_NEXT, c));
        }
        for (&tpl, &c) in T_VECTORS.iter().zip(&t.vectors) {
            if c != 0 {
                out.push(feat(tpl, c as u64));
            }
        }
        // Neighbours' clusters at a middle level (spaCy's 256, GloVe's 512), and the
        // word's coarse clusters with its capitalisation.
        let vec_at = |k: isize, level: usize| at(k).map_or(u64::MAX, |t| t.vectors[level] as u64);
        out.push(feat(T_SPACY_PREV, vec_at(-1, 2)));
        out.push(feat(T_SPACY_NEXT, vec_at(1, 2)));
        out.push(feat(T_GLOVE_PREV, vec_at(-1, MAX_LEVELS + 1)));
        out.push(feat(T_GLOVE_NEXT, vec_at(1, MAX_LEVELS + 1)));
        out.push(feat(T_SPACY_CAPS, pair(t.vectors[3] as u64, t.caps as u64)));
        out.push(feat(
            T_GLOVE_CAPS,
            pair(t.vectors[MAX_LEVELS + 2] as u64, t.caps as u64),
        ));
        if let Some(first) = &self.doc.first {
            self.first_pass(i, first, out);
        }
        let g = &t.gazetteer;
        for (pos, set) in [g.begin, g.inside, g.last, g.unit].into_iter().enumerate() {
            for list in set.iter() {
                let v = (list as u64) << 4 | pos as u64;
                out.push(feat(T_GAZETTEER, v));
                out.push(feat(T_GAZETTEER_CAPS, pair(v, t.caps as u64)));
            }
        }
        let around = |k: isize| at(k).map_or(0, |t| t.gazetteer.any().bits() as u64);
        out.push(feat(T_GAZETTEER_AROUND, around(-1) << 32 | around(1)));
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
        out.push(feat(T_FIRST_LABEL, label_at(0)));
        out.push(feat(
            T_FIRST_AROUND,
            label_at(-1) << 16 | label_at(0) << 8 | label_at(1),
        ));
        out.push(feat(T_FIRST_LABEL_LOWER, pair(label_at(0), t.lower)));
        if !t.capitalised() {
            return;
        }
        if let Some(votes) = self.doc.first_votes.get(&t.lower) {
            let mut others = *votes;
            others[slot(first[i])] -= 1;
            for (s, &n) in others.iter().enumerate() {
                if n > 0 {
                    out.push(feat(T_FIRST_DOC, s as u64));
                }
            }
            if others.iter().any(|&n| n > 0) {
                let best = (0..5).max_by_key(|&s| (others[s], 5 - s)).unwrap_or(0);
                out.push(feat(T_FIRST_DOC_MAJORITY, best as u64));
            }
        }
    }
}
