//! Hashing: a fast hasher for the tables stages build, and the one stable hash that
//! shipped models depend on.
//!
//! Tables keyed by short words or by hashes (gazetteers, clusters, word sets) are only
//! read while a document is annotated, so they use rustc's Fx hash from the
//! `rustc-hash` crate: several times cheaper than SipHash on short keys. Its keys come
//! from embedded resources and the request's text; since the tables are read-only a
//! crafted input can at worst slow its own look-ups, never change a result.
//!
//! [`stable`] is different: the NER model's weights are indexed by feature hashes, so
//! that function must give the same number for the same string forever (across runs,
//! platforms and crate versions). It is FNV-1a over the string's `char`s, written out
//! here and pinned by golden values; changing it would silently scramble the shipped
//! `models/ner/ner.bin` (a change means retraining the model).

pub use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet, FxHasher};

/// The feature hash models are trained on: FNV-1a, 64 bit, one step per `char` (the
/// code point as a `u64`, not its UTF-8 bytes).
pub mod stable {
    /// FNV-1a's offset basis: the hash of the empty string.
    pub const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// One step: `h` followed by `c`.
    #[inline]
    pub fn step(h: u64, c: char) -> u64 {
        (h ^ c as u64).wrapping_mul(PRIME)
    }

    /// The hash of a string.
    pub fn hash(s: &str) -> u64 {
        s.chars().fold(OFFSET, step)
    }

    /// The hash of a string's (full Unicode) lower case.
    pub fn hash_lower(s: &str) -> u64 {
        s.chars().flat_map(char::to_lowercase).fold(OFFSET, step)
    }

    /// FNV-1a over bytes (one step per byte, not per `char`: the same as [`hash`] for
    /// ASCII only). What splits the cleaning benchmark's pages into a training and a
    /// held-out half and names a cleaning model's version.
    pub fn hash_bytes(bytes: &[u8]) -> u64 {
        bytes
            .iter()
            .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Golden values: these numbers are baked into models/ner/ner.bin. If this test
        /// fails, the hash changed and the shipped model reads different features.
        #[test]
        fn the_feature_hash_never_changes() {
            assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
            assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
            assert_eq!(hash("Kerry"), 0xea36_c8fe_1ec9_614c);
            assert_eq!(hash("Tehran"), 0xf5ef_06c1_4a1e_bbb3);
            assert_eq!(hash("São Paulo"), 0xc8aa_a802_42a9_853b);
            assert_eq!(hash("€😀"), 0x9ebc_6007_5cfc_0df1);
            assert_eq!(hash_lower("KERRY"), hash("kerry"));
            assert_eq!(hash_lower("İ"), hash("i\u{307}"));
            assert_eq!("Kerry".chars().fold(OFFSET, step), hash("Kerry"));
        }

        #[test]
        fn the_bytes_hash_is_fnv1a_over_utf8() {
            assert_eq!(hash_bytes(b""), OFFSET);
            assert_eq!(hash_bytes(b"Kerry"), hash("Kerry"));
            assert_ne!(hash_bytes("São".as_bytes()), hash("São"));
            assert_eq!(hash_bytes(b"a"), 0xaf63_dc4c_8601_ec8c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fx_tables_take_str_keys() {
        let mut m: FxHashMap<Box<str>, u32> = FxHashMap::default();
        m.insert("Kerry".into(), 1);
        assert_eq!(m.get("Kerry"), Some(&1));
        assert_eq!(m.get("kerry"), None);
    }
}
