//! What the tagger knows about words beyond its training data: gazetteers (lists of
//! known names, see [`gazetteer`](super::gazetteer)), Brown clusters of news text, and
//! clusters of word vectors learnt from large text (see
//! [`embedding_clusters`](super::embedding_clusters)).
//!
//! Clusters are keyed by the hashes of [`TokenInfo`] (the word, then its lower case), so
//! a look-up builds no string. [`Lexicon::describe`] turns a document's tokens into what
//! the tagger's features read.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;

use super::embedding_clusters::{ClusterTable, MAX_LEVELS};
use super::features::{Caps, TokenInfo};
use super::gazetteer::Gazetteers;
use super::hashing::{hash_lower, hash_str, hash_title, Prehashed};
use crate::pipeline::document::TokenKind;

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Brown clusters learnt from unlabelled news text by `src/bin/brown-clusters.rs`
/// (inputs, command and licences in `resources/PROVENANCE.md`).
const EMBEDDED_CLUSTERS: &str = include_str!("../../../resources/clusters/brown.txt");

/// k-means clusters of GloVe 6B 50d vectors (lower case), by `scripts/build_word_clusters.py`.
pub(crate) const EMBEDDED_GLOVE: &[u8] = include_bytes!("../../../resources/clusters/glove.bin");
/// spaCy md vector rows and their k-means clusters (cased), by the same script.
pub(crate) const EMBEDDED_SPACY: &[u8] = include_bytes!("../../../resources/clusters/spacy.bin");

/// Brown-cluster path prefix lengths used as features (Ratinov & Roth 2009).
pub const CLUSTER_PREFIXES: [usize; 4] = [4, 6, 10, 20];

/// Vector-cluster ids of a token (each + 1, 0 for none): spaCy's levels, then GloVe's.
pub type VectorClusters = [u32; 2 * MAX_LEVELS];

#[derive(Default)]
pub struct Lexicon {
    /// Word hash (exact, then lower case) to the hashes of its path prefixes.
    clusters: Map<[u64; 4]>,
    lower_clusters: Map<[u64; 4]>,
    gazetteers: Option<&'static Gazetteers>,
    /// Cased: looked up by the exact word, then (for all-caps words) as title case.
    spacy: Option<ClusterTable>,
    /// Lower case.
    glove: Option<ClusterTable>,
}

impl Lexicon {
    /// The lexicon the shipped model is trained with: the embedded gazetteers, Brown
    /// clusters and vector clusters.
    pub fn embedded() -> Result<Self, String> {
        Ok(Lexicon {
            clusters: Map::default(),
            lower_clusters: Map::default(),
            gazetteers: Some(Gazetteers::embedded()),
            spacy: Some(ClusterTable::parse(EMBEDDED_SPACY)?),
            glove: Some(ClusterTable::parse(EMBEDDED_GLOVE)?),
        }
        .with_clusters(EMBEDDED_CLUSTERS))
    }

    /// Describes every token of a document: its forms, clusters and gazetteer matches.
    pub fn describe(
        &self,
        text: &str,
        spans: impl Iterator<Item = (Range<usize>, TokenKind)>,
    ) -> Vec<TokenInfo> {
        self.describe_until(text, spans, &|| false)
            .unwrap_or_default()
    }

    /// [`describe`](Lexicon::describe) that gives up (`None`) once `stop` says so; it is
    /// asked every 1,024 tokens. The look-ups cost more than tagging (a megabyte of
    /// `he said, ` took over a second), so a cancelled run must stop here too.
    pub fn describe_until(
        &self,
        text: &str,
        spans: impl Iterator<Item = (Range<usize>, TokenKind)>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<TokenInfo>> {
        let mut words = Vec::new();
        let mut infos: Vec<TokenInfo> = Vec::new();
        for (n, (r, kind)) in spans.enumerate() {
            if n % 1024 == 1023 && stop() {
                return None;
            }
            let word = &text[r];
            words.push(word);
            let mut info = TokenInfo::new(word, kind);
            info.clusters = self.cluster_prefixes(info.word, info.lower);
            info.vectors = self.vector_clusters(word, &info);
            info.lower_like = self.lower_like(&info);
            infos.push(info);
        }
        self.mark_gazetteers(&words, &mut infos);
        Some(infos)
    }

    /// The vector clusters of one token (`word` is its text).
    pub fn vector_clusters(&self, word: &str, info: &TokenInfo) -> VectorClusters {
        let mut out = [0; 2 * MAX_LEVELS];
        if let Some(t) = &self.spacy {
            let found = t.lookup(info.word).or_else(|| {
                (info.caps == Caps::Upper)
                    .then(|| t.lookup(hash_title(word)))
                    .flatten()
            });
            if let Some(ids) = found {
                out[..MAX_LEVELS].copy_from_slice(&ids);
            }
        }
        if let Some(ids) = self.glove.as_ref().and_then(|t| t.lookup(info.lower)) {
            out[MAX_LEVELS..].copy_from_slice(&ids);
        }
        out
    }

    /// How close a capitalised word's spaCy clusters are to its lower case's (see
    /// [`TokenInfo::lower_like`]).
    pub fn lower_like(&self, info: &TokenInfo) -> u8 {
        let (Some(t), true) = (&self.spacy, info.capitalised()) else {
            return 0;
        };
        let word = &info.vectors[..MAX_LEVELS];
        match t.lookup(info.lower) {
            Some(lower) if word[0] != 0 => (0..t.levels())
                .find(|&l| lower[l] == word[l])
                .map_or(5, |l| l as u8 + 1),
            _ => 0,
        }
    }

    /// Adds Brown clusters, as written by `src/bin/brown-clusters.rs`: one
    /// `word<TAB>bitpath<TAB>count` a line. A word is looked up as written, then in lower
    /// case (the lower-case key goes to the most frequent spelling).
    pub fn with_clusters(mut self, text: &str) -> Self {
        // Sized up front: growing three tables of 20,000 words was a tenth of start-up.
        let lines = text.lines().count();
        let mut best: Map<u64> = Map::with_capacity_and_hasher(lines, Default::default());
        self.clusters.reserve(lines);
        self.lower_clusters.reserve(lines);
        for line in text.lines() {
            let mut cols = line.split('\t');
            let (Some(word), Some(path)) = (cols.next(), cols.next()) else {
                continue;
            };
            let count: u64 = cols.next().and_then(|c| c.trim().parse().ok()).unwrap_or(0);
            let mut prefixes = [0u64; 4];
            for (p, &len) in prefixes.iter_mut().zip(&CLUSTER_PREFIXES) {
                let cut = &path[..len.min(path.len())];
                *p = hash_str(cut) ^ (len as u64) << 56;
            }
            self.clusters.insert(hash_str(word), prefixes);
            let lower = hash_lower(word);
            if best.get(&lower).is_none_or(|&c| count > c) {
                best.insert(lower, count);
                self.lower_clusters.insert(lower, prefixes);
            }
        }
        self
    }

    pub fn cluster_prefixes(&self, word: u64, lower: u64) -> [u64; 4] {
        self.clusters
            .get(&word)
            .or_else(|| self.lower_clusters.get(&lower))
            .copied()
            .unwrap_or([0; 4])
    }

    /// Sets the gazetteer tags of every token (`words` are the tokens' texts).
    pub fn mark_gazetteers(&self, words: &[&str], infos: &mut [TokenInfo]) {
        let Some(g) = self.gazetteers else { return };
        for (info, tags) in infos.iter_mut().zip(g.tag(words)) {
            info.gazetteer = tags;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_are_found_by_word_then_lower_case() {
        let lex = Lexicon::default().with_clusters("Paris\t0110101\t50\nparis\t111\t2\n");
        let exact = lex.cluster_prefixes(hash_str("Paris"), hash_lower("Paris"));
        let folded = lex.cluster_prefixes(hash_str("PARIS"), hash_lower("PARIS"));
        assert_ne!(exact, [0; 4]);
        assert_eq!(
            exact, folded,
            "the frequent spelling wins the lower-case key"
        );
        // Prefixes longer than the path are the whole path: 10 and 20 agree.
        assert_eq!(exact[2], exact[3] ^ (10u64 << 56) ^ (20u64 << 56));
        assert_eq!(lex.cluster_prefixes(1, 2), [0; 4]);
    }

    #[test]
    fn describing_stops_when_told() {
        let lex = Lexicon::default();
        let text = "he said, ".repeat(2000);
        let spans = || {
            text.match_indices(|c: char| c != ' ')
                .map(|(at, w)| (at..at + w.len(), TokenKind::Word))
        };
        let all = lex.describe(&text, spans());
        assert_eq!(all.len(), spans().count());
        assert!(lex.describe_until(&text, spans(), &|| true).is_none());
        let asked = std::cell::Cell::new(0);
        let whole = lex.describe_until(&text, spans(), &|| {
            asked.set(asked.get() + 1);
            false
        });
        assert_eq!(whole.map(|w| w.len()), Some(all.len()));
        assert_eq!(asked.get(), all.len() / 1024);
    }
}
