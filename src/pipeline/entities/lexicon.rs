//! What the tagger knows about words beyond its training data: gazetteers (lists of
//! known names, see [`gazetteer`](super::gazetteer)) and word clusters.
//!
//! Clusters are keyed by the hashes of [`TokenInfo`] (the word, then its lower case), so
//! a look-up builds no string.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::{hash_lower, hash_str, Prehashed, TokenInfo};
use super::gazetteer::Gazetteers;

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Brown clusters learnt from unlabelled news text by `src/bin/brown-clusters.rs`
/// (inputs, command and licences in `resources/PROVENANCE.md`).
const EMBEDDED_CLUSTERS: &str = include_str!("../../../resources/clusters/brown.txt");

/// Brown-cluster path prefix lengths used as features (Ratinov & Roth 2009).
pub const CLUSTER_PREFIXES: [usize; 4] = [4, 6, 10, 20];

#[derive(Default)]
pub struct Lexicon {
    /// Word hash (exact, then lower case) to the hashes of its path prefixes.
    clusters: Map<[u64; 4]>,
    lower_clusters: Map<[u64; 4]>,
    gazetteers: Option<&'static Gazetteers>,
}

impl Lexicon {
    /// The lexicon the shipped model is trained with: the embedded gazetteers and
    /// Brown clusters.
    pub fn embedded() -> Self {
        Lexicon {
            clusters: Map::default(),
            lower_clusters: Map::default(),
            gazetteers: Some(Gazetteers::embedded()),
        }
        .with_clusters(EMBEDDED_CLUSTERS)
    }

    /// Adds Brown clusters, as written by `src/bin/brown-clusters.rs`: one
    /// `word<TAB>bitpath<TAB>count` a line. A word is looked up as written, then in lower
    /// case (the lower-case key goes to the most frequent spelling).
    pub fn with_clusters(mut self, text: &str) -> Self {
        let mut best: Map<u64> = Map::default();
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
}
