//! The tagger's string hashes and the hasher for maps keyed by them.
//!
//! Models and the shipped cluster tables are keyed by these hashes, so they are part of
//! the model format: FNV-1a over Unicode scalar values, stable across runs and
//! platforms (`scripts/build_word_clusters.py` computes the same in Python). A golden
//! test below pins them.

use std::hash::Hasher;

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One character folded into a hash.
#[inline]
pub(crate) fn fnv(h: u64, c: char) -> u64 {
    (h ^ c as u64).wrapping_mul(FNV_PRIME)
}

/// The hash of a string.
pub fn hash_str(s: &str) -> u64 {
    s.chars().fold(FNV_OFFSET, fnv)
}

/// The hash of a string's lower case (character by character).
pub fn hash_lower(s: &str) -> u64 {
    s.chars().flat_map(char::to_lowercase).fold(FNV_OFFSET, fnv)
}

/// The hash of a word with its first letter kept and the rest in lower case
/// ("OBAMA" → as "Obama"): how a headline's capitals are looked up in cased tables.
pub fn hash_title(s: &str) -> u64 {
    let mut chars = s.chars();
    let first = chars.next().map_or(FNV_OFFSET, |c| fnv(FNV_OFFSET, c));
    chars.flat_map(char::to_lowercase).fold(first, fnv)
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        // Golden values: the shipped model and cluster tables depend on them.
        assert_eq!(hash_str(""), FNV_OFFSET);
        assert_eq!(hash_str("Obama"), 0x2a50_c35d_33fb_4d65);
        assert_eq!(hash_lower("OBAMA"), hash_str("obama"));
        assert_eq!(hash_title("OBAMA"), hash_str("Obama"));
        assert_eq!(hash_lower("Grossmünster"), hash_str("grossmünster"));
    }
}
