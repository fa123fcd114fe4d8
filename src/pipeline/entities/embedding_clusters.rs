//! Word clusters learnt from large text: k-means clusters of GloVe vectors (lower case)
//! and spaCy's md vector rows (cased), at several granularities.
//!
//! These are the tagger's knowledge beyond CoNLL's 1996 Reuters: a name never seen in
//! training ("Obama", "Xinjiang") shares a cluster with names that were, so it gets their
//! weights (Turian et al. 2010; Guo et al. 2014). The tables are built by
//! `scripts/build_word_clusters.py` (format there; inputs and licences in
//! `resources/PROVENANCE.md`) and read in place from the embedded bytes: a look-up is one
//! hash probe into static memory, and start-up reads nothing but a header.

/// A read-only open-addressing table from word hash to cluster ids, one per level.
#[derive(Debug, Clone, Copy)]
pub struct ClusterTable {
    slots: &'static [u8],
    coarse: &'static [u8],
    bits: u32,
    levels: usize,
    /// Fine clusters that have coarse rows (every fine id must be below it).
    fine: usize,
}

const MAGIC: &[u8; 8] = b"NERWCL01";
const SLOT: usize = 6;
/// The most levels a table may have.
pub const MAX_LEVELS: usize = 4;

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

impl ClusterTable {
    /// Checks the header and sizes of a table written by the build script.
    pub fn parse(bytes: &'static [u8]) -> Result<Self, String> {
        let header = bytes.get(..20).ok_or("truncated cluster table")?;
        if &header[..8] != MAGIC {
            return Err("not a cluster table".into());
        }
        let bits = u32_at(header, 8);
        let levels = u32_at(header, 12) as usize;
        let fine = u32_at(header, 16) as usize;
        if !(8..=24).contains(&bits) || !(1..=MAX_LEVELS).contains(&levels) {
            return Err(format!(
                "bad cluster table header ({bits} bits, {levels} levels)"
            ));
        }
        let slots_len = (1usize << bits) * SLOT;
        let coarse_len = fine * (levels - 1) * 2;
        if bytes.len() != 20 + slots_len + coarse_len {
            return Err("cluster table of the wrong size".into());
        }
        // Nothing is scanned here: the tables are megabytes of static memory, and
        // reading them all would fault in every page at start-up. A fine id without its
        // coarse row (a corrupt table) is caught by the look-up instead.
        Ok(ClusterTable {
            slots: &bytes[20..20 + slots_len],
            coarse: &bytes[20 + slots_len..],
            bits,
            levels,
            fine,
        })
    }

    pub fn levels(&self) -> usize {
        self.levels
    }

    /// The clusters of the word whose 64-bit hash is `hash`, finest first, each + 1
    /// (0: the word is not in the table; levels past [`levels`](Self::levels) are 0).
    #[inline]
    pub fn lookup(&self, hash: u64) -> Option<[u32; MAX_LEVELS]> {
        let key = ((hash >> 32) as u32).max(1);
        let mask = (1usize << self.bits) - 1;
        let mut slot = (key >> (32 - self.bits)) as usize;
        loop {
            let at = slot * SLOT;
            let k = u32_at(self.slots, at);
            if k == 0 {
                return None;
            }
            if k == key {
                let fine = u16_at(self.slots, at + 4) as usize;
                if self.levels > 1 && fine >= self.fine {
                    return None;
                }
                let mut out = [0u32; MAX_LEVELS];
                out[0] = fine as u32 + 1;
                for (l, o) in out.iter_mut().enumerate().take(self.levels).skip(1) {
                    let c = (fine * (self.levels - 1) + l - 1) * 2;
                    *o = u16_at(self.coarse, c) as u32 + 1;
                }
                return Some(out);
            }
            slot = (slot + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::entities::hashing::hash_str;

    /// A table as the build script writes it, from (word, fine id) and coarse rows.
    fn table(words: &[(&str, u16)], coarse: &[[u16; 2]]) -> &'static [u8] {
        let bits = 8u32;
        let mut slots = vec![0u8; (1 << bits) * SLOT];
        for &(w, v) in words {
            let key = ((hash_str(w) >> 32) as u32).max(1);
            let mut s = (key >> (32 - bits)) as usize;
            while u32_at(&slots, s * SLOT) != 0 {
                s = (s + 1) % (1 << bits);
            }
            slots[s * SLOT..s * SLOT + 4].copy_from_slice(&key.to_le_bytes());
            slots[s * SLOT + 4..s * SLOT + 6].copy_from_slice(&v.to_le_bytes());
        }
        let mut out = MAGIC.to_vec();
        for x in [bits, 3, coarse.len() as u32] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.extend_from_slice(&slots);
        for row in coarse {
            for c in row {
                out.extend_from_slice(&c.to_le_bytes());
            }
        }
        out.leak()
    }

    #[test]
    fn words_find_their_clusters_at_every_level() {
        let t = ClusterTable::parse(table(
            &[("Obama", 1), ("Romney", 1), ("Paris", 0)],
            &[[5, 0], [7, 1]],
        ))
        .unwrap();
        assert_eq!(t.lookup(hash_str("Obama")), Some([2, 8, 2, 0]));
        assert_eq!(t.lookup(hash_str("Romney")), t.lookup(hash_str("Obama")));
        assert_eq!(t.lookup(hash_str("Paris")), Some([1, 6, 1, 0]));
        assert_eq!(t.lookup(hash_str("nowhere")), None);
    }

    #[test]
    fn corrupt_tables_are_refused() {
        let good = table(&[("a", 1)], &[[0, 0], [1, 1]]);
        assert!(ClusterTable::parse(&good[..good.len() - 1]).is_err());
        assert!(ClusterTable::parse(b"NERWCL01").is_err());
        // A fine id without its coarse row is no cluster.
        let t = ClusterTable::parse(table(&[("a", 3), ("b", 0)], &[[0, 0]])).unwrap();
        assert_eq!(t.lookup(hash_str("a")), None);
        assert_eq!(t.lookup(hash_str("b")), Some([1, 1, 1, 0]));
    }

    #[test]
    fn the_shipped_tables_load() {
        for bytes in [
            super::super::lexicon::EMBEDDED_GLOVE,
            super::super::lexicon::EMBEDDED_SPACY,
        ] {
            ClusterTable::parse(bytes).expect("a shipped table parses");
        }
    }
}
