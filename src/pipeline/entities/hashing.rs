//! The tagger's string hashes: the project's one stable hash ([`crate::text::hash::stable`],
//! FNV-1a over `char`s, pinned by golden values there) under the names the tagger uses,
//! the title-case variant the cased cluster tables are probed with, and the hasher for
//! maps keyed by these hashes. Models and the shipped cluster tables are keyed by them
//! (`scripts/build_word_clusters.py` computes the same in Python).

use std::hash::Hasher;

use crate::text::hash::stable;

pub(crate) use stable::{step as fnv, OFFSET as FNV_OFFSET};

/// The hash of a string.
pub fn hash_str(s: &str) -> u64 {
    stable::hash(s)
}

/// The hash of a string's lower case (character by character).
pub fn hash_lower(s: &str) -> u64 {
    stable::hash_lower(s)
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
