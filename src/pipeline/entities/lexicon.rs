//! Word clusters and gazetteers: what the tagger knows about words beyond its
//! training data.
//!
//! Both are keyed by the hashes of [`TokenInfo`]: a cluster by the word (or its lower
//! case), a gazetteer entry by the chained lower-case hashes of its tokens, so a match
//! costs one map look-up per candidate span and no string is built.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::features::{Prehashed, TokenInfo};

type Map<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Brown-cluster path prefix lengths used as features (Ratinov & Roth 2009).
pub const CLUSTER_PREFIXES: [usize; 4] = [4, 6, 10, 20];

#[derive(Default)]
pub struct Lexicon {
    /// Word hash (exact, then lower case) to the hashes of its path prefixes.
    clusters: Map<[u64; 4]>,
    /// Chained lower-case hash of an entry's tokens to a bit set of list ids.
    gazetteers: Map<u32>,
    /// The longest entry, in tokens.
    longest: usize,
}

impl Lexicon {
    /// Does it know anything at all? (A tagger trained without one ignores it.)
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty() && self.gazetteers.is_empty()
    }

    pub fn cluster_prefixes(&self, word: u64, lower: u64) -> [u64; 4] {
        self.clusters
            .get(&word)
            .or_else(|| self.clusters.get(&lower))
            .copied()
            .unwrap_or([0; 4])
    }

    /// Sets `gazetteer` of every token covered by an entry: list and position.
    pub fn mark_gazetteers(&self, infos: &mut [TokenInfo]) {
        if self.gazetteers.is_empty() {
            return;
        }
        for start in 0..infos.len() {
            let mut h = 0u64;
            for end in start + 1..=(start + self.longest).min(infos.len()) {
                h = chain(h, infos[end - 1].lower);
                let Some(&lists) = self.gazetteers.get(&h) else {
                    continue;
                };
                for list in (0..32).filter(|l| lists & (1 << l) != 0) {
                    for (k, info) in infos[start..end].iter_mut().enumerate() {
                        let pos = match (k, end - start) {
                            (_, 1) => 3,
                            (0, _) => 0,
                            (k, n) if k == n - 1 => 2,
                            _ => 1,
                        };
                        let mark = (list as u64) << 8 | pos | 0x1_0000;
                        if let Some(slot) = info.gazetteer.iter_mut().find(|g| **g == 0) {
                            *slot = mark;
                        }
                    }
                }
            }
        }
    }
}

/// The hash of a token sequence, one token at a time.
pub fn chain(h: u64, token: u64) -> u64 {
    (h ^ token)
        .wrapping_mul(0x0000_0100_0000_01b3)
        .rotate_left(17)
}
