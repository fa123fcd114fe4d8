//! A small, fast, non-cryptographic hasher (the Fx hash of rustc) for the entity stage's
//! read-only tables: gazetteer and cluster look-ups hash short words millions of times,
//! and the standard SipHash costs several times more there. The keys come from the
//! embedded resources and the text being annotated; a table is only read, so hash
//! flooding can slow one request's look-ups but cannot change results.

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap<K, V, FxBuild>` uses [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn works_as_a_map_hasher() {
        let mut m: HashMap<Box<str>, u32, FxBuild> = HashMap::default();
        for (i, w) in ["a", "abcdefgh", "abcdefghi", "", "Kerry"]
            .iter()
            .enumerate()
        {
            m.insert((*w).into(), i as u32);
        }
        assert_eq!(m.get("abcdefghi"), Some(&2));
        assert_eq!(m.get("abcdefgh"), Some(&1));
        assert_eq!(m.get(""), Some(&3));
        assert_eq!(m.get("kerry"), None);
    }
}
