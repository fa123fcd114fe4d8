//! What the tagger knows about words beyond its training data: gazetteers (lists of
//! known names, see [`gazetteer`](super::gazetteer)) and word clusters.
//!
//! Clusters are keyed by the hashes of [`TokenInfo`] (the word, then its lower case), so
//! a look-up builds no string.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::{Prehashed, TokenInfo};
use super::gazetteer::Gazetteers;

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Brown-cluster path prefix lengths used as features (Ratinov & Roth 2009).
pub const CLUSTER_PREFIXES: [usize; 4] = [4, 6, 10, 20];

#[derive(Default)]
pub struct Lexicon {
    /// Word hash (exact, then lower case) to the hashes of its path prefixes.
    clusters: Map<[u64; 4]>,
    gazetteers: Option<&'static Gazetteers>,
}

impl Lexicon {
    /// The lexicon the shipped model is trained with: the embedded gazetteers.
    pub fn embedded() -> Self {
        Lexicon {
            clusters: Map::default(),
            gazetteers: Some(Gazetteers::embedded()),
        }
    }

    pub fn cluster_prefixes(&self, word: u64, lower: u64) -> [u64; 4] {
        self.clusters
            .get(&word)
            .or_else(|| self.clusters.get(&lower))
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
