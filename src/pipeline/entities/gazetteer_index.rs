//! The gazetteers' trie, stored as hash tables in one byte buffer that is read in place.
//!
//! Parsing some 220,000 list entries into hash maps took ~0.4 s at start-up, beyond the
//! service's start-up budget; the shipped index (`resources/gazetteers/index.bin`, written
//! by `cargo run --release --bin gazetteer-index` from the list files) is used where it
//! lies: start-up reads a header, and a look-up is a probe into static memory. A test
//! checks that the shipped index is exactly what the list files give.
//!
//! Layout (little-endian): `b"NERGAZ01"`, u32 word_bits, u32 edge_bits, u32 nodes, then
//! - 2^word_bits word slots of (u64 key, u32 single_any, u32 single_capital, u32 first):
//!   a folded word's one-token entries (lists matching in any case / only capitalised)
//!   and the trie node of multi-token entries starting with it (0: none);
//! - 2^edge_bits edge slots of (u64 key, u32 child): key hashes (node, word);
//! - `nodes` x (u32 ends_any, u32 ends_capital): lists with an entry ending at the node.
//!
//! Keys are [`hash_lower`] of the token (0 stands for an empty slot, so 0 is stored as 1);
//! tables use open addressing with linear probing from the key's top bits.

use std::borrow::Cow;
use std::collections::HashMap;

use super::gazetteer::ListSet;
use super::hashing::hash_lower;

const MAGIC: &[u8; 8] = b"NERGAZ01";
const WORD_SLOT: usize = 20;
const EDGE_SLOT: usize = 12;
const NODE: usize = 8;
const HEADER: usize = 20;

/// The key of a folded word.
#[inline]
pub fn word_key(token: &str) -> u64 {
    hash_lower(token).max(1)
}

#[inline]
fn edge_key(node: u32, word: u64) -> u64 {
    let mut z = word ^ (node as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)).max(1)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

/// What the trie knows about one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordEntry {
    pub single_any: ListSet,
    pub single_capital: ListSet,
    /// Trie node of multi-token entries starting with this word (0: none).
    pub first: u32,
}

/// The trie while it is built from list entries.
#[derive(Default)]
pub struct TrieBuilder {
    words: HashMap<u64, WordEntry>,
    /// Insertion order of the words, so that the written tables do not depend on the
    /// hash map's iteration order.
    order: Vec<u64>,
    edges: HashMap<(u32, u64), u32>,
    edge_order: Vec<(u32, u64)>,
    /// Per node (0 is the root): lists ending there, any case / capitalised.
    ends: Vec<(ListSet, ListSet)>,
}

impl TrieBuilder {
    pub fn new() -> Self {
        TrieBuilder {
            ends: vec![Default::default()],
            ..Default::default()
        }
    }

    fn word(&mut self, key: u64) -> &mut WordEntry {
        if !self.words.contains_key(&key) {
            self.order.push(key);
        }
        self.words.entry(key).or_default()
    }

    /// Adds one entry of `list` made of `parts` (tokens); `capital`: the entry starts
    /// with a capital letter, so it matches only capitalised text.
    pub fn add(&mut self, parts: &[&str], list: super::gazetteer::GazList, capital: bool) {
        let Some((first, rest)) = parts.split_first() else {
            return;
        };
        let first = word_key(first);
        if rest.is_empty() {
            let w = self.word(first);
            if capital {
                &mut w.single_capital
            } else {
                &mut w.single_any
            }
            .insert(list);
            return;
        }
        let fresh = self.ends.len() as u32;
        let mut node = self.word(first).first;
        if node == 0 {
            node = fresh;
            self.words.get_mut(&first).expect("just added").first = node;
            self.ends.push(Default::default());
        }
        for part in rest {
            let key = (node, word_key(part));
            node = match self.edges.get(&key) {
                Some(&child) => child,
                None => {
                    let child = self.ends.len() as u32;
                    self.ends.push(Default::default());
                    self.edges.insert(key, child);
                    self.edge_order.push(key);
                    child
                }
            };
        }
        let (any, cap) = &mut self.ends[node as usize];
        if capital { cap } else { any }.insert(list);
    }

    /// The index's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let bits = |n: usize| (n as f64 / 0.7).log2().ceil().max(4.0) as u32;
        let (word_bits, edge_bits) = (bits(self.words.len()), bits(self.edges.len()));
        let mut out = MAGIC.to_vec();
        for x in [word_bits, edge_bits, self.ends.len() as u32] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        let mut words = vec![0u8; (1usize << word_bits) * WORD_SLOT];
        for key in &self.order {
            let w = self.words[key];
            let at = free_slot(&words, WORD_SLOT, word_bits, *key);
            words[at..at + 8].copy_from_slice(&key.to_le_bytes());
            words[at + 8..at + 12].copy_from_slice(&w.single_any.bits().to_le_bytes());
            words[at + 12..at + 16].copy_from_slice(&w.single_capital.bits().to_le_bytes());
            words[at + 16..at + 20].copy_from_slice(&w.first.to_le_bytes());
        }
        let mut edges = vec![0u8; (1usize << edge_bits) * EDGE_SLOT];
        for &(node, word) in &self.edge_order {
            let key = edge_key(node, word);
            let at = free_slot(&edges, EDGE_SLOT, edge_bits, key);
            edges[at..at + 8].copy_from_slice(&key.to_le_bytes());
            edges[at + 8..at + 12].copy_from_slice(&self.edges[&(node, word)].to_le_bytes());
        }
        out.extend_from_slice(&words);
        out.extend_from_slice(&edges);
        for (any, cap) in &self.ends {
            out.extend_from_slice(&any.bits().to_le_bytes());
            out.extend_from_slice(&cap.bits().to_le_bytes());
        }
        out
    }
}

/// The byte offset of the first empty slot for `key` (keys are unique).
fn free_slot(table: &[u8], slot: usize, bits: u32, key: u64) -> usize {
    let mask = (1usize << bits) - 1;
    let mut s = (key >> (64 - bits)) as usize;
    while u64_at(table, s * slot) != 0 {
        s = (s + 1) & mask;
    }
    s * slot
}

/// The trie, read in place.
#[derive(Debug)]
pub struct TrieIndex {
    bytes: Cow<'static, [u8]>,
    word_bits: u32,
    edge_bits: u32,
    nodes: usize,
}

impl TrieIndex {
    pub fn parse(bytes: Cow<'static, [u8]>) -> Result<Self, String> {
        let h = bytes.get(..HEADER).ok_or("truncated gazetteer index")?;
        if &h[..8] != MAGIC {
            return Err("not a gazetteer index".into());
        }
        let (word_bits, edge_bits, nodes) = (u32_at(h, 8), u32_at(h, 12), u32_at(h, 16) as usize);
        if !(4..=26).contains(&word_bits) || !(4..=26).contains(&edge_bits) {
            return Err("bad gazetteer index header".into());
        }
        let want = HEADER
            + (1usize << word_bits) * WORD_SLOT
            + (1usize << edge_bits) * EDGE_SLOT
            + nodes * NODE;
        if bytes.len() != want {
            return Err("gazetteer index of the wrong size".into());
        }
        Ok(TrieIndex {
            bytes,
            word_bits,
            edge_bits,
            nodes,
        })
    }

    fn edges_at(&self) -> usize {
        HEADER + (1usize << self.word_bits) * WORD_SLOT
    }

    fn nodes_at(&self) -> usize {
        self.edges_at() + (1usize << self.edge_bits) * EDGE_SLOT
    }

    /// Probes a table for `key`; the byte offset of its slot.
    #[inline]
    fn probe(&self, start: usize, slot: usize, bits: u32, key: u64) -> Option<usize> {
        let mask = (1usize << bits) - 1;
        let mut s = (key >> (64 - bits)) as usize;
        loop {
            let at = start + s * slot;
            match u64_at(&self.bytes, at) {
                0 => return None,
                k if k == key => return Some(at),
                _ => s = (s + 1) & mask,
            }
        }
    }

    /// The entry of a word (by [`word_key`]).
    #[inline]
    pub fn word(&self, key: u64) -> Option<WordEntry> {
        let at = self.probe(HEADER, WORD_SLOT, self.word_bits, key)?;
        let b = &self.bytes;
        let first = u32_at(b, at + 16);
        Some(WordEntry {
            single_any: ListSet::from_bits(u32_at(b, at + 8)),
            single_capital: ListSet::from_bits(u32_at(b, at + 12)),
            first: if (first as usize) < self.nodes {
                first
            } else {
                0
            },
        })
    }

    /// The child of `node` through word `key`.
    #[inline]
    pub fn child(&self, node: u32, key: u64) -> Option<u32> {
        let at = self.probe(
            self.edges_at(),
            EDGE_SLOT,
            self.edge_bits,
            edge_key(node, key),
        )?;
        let child = u32_at(&self.bytes, at + 8);
        ((child as usize) < self.nodes).then_some(child)
    }

    /// Lists with an entry ending at `node`: (any case, capitalised only).
    #[inline]
    pub fn ends(&self, node: u32) -> (ListSet, ListSet) {
        let at = self.nodes_at() + node as usize * NODE;
        (
            ListSet::from_bits(u32_at(&self.bytes, at)),
            ListSet::from_bits(u32_at(&self.bytes, at + 4)),
        )
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}
