//! The entity tagger's averaged perceptron: one row of [`N_LABELS`] weights per hashed
//! feature bucket.
//!
//! Training is the shared integer table of [`crate::learn::perceptron`] (bit-for-bit
//! reproducible). The shipped [`Model`] is the average quantised to `i16`, stored
//! sparsely (most rows are zero for most labels), kept sparse in memory row by row, and
//! scored with integer additions.

use super::bilou::{self, N_LABELS};
use crate::learn::perceptron::{self as table, Averaged};

/// Scores every label for a token from its features.
pub trait Scorer {
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]);
}

/// The best-scoring label (the first on ties).
///
/// Transitions are not constrained: a constrained greedy decoder that once opens a name
/// must run on until it can close it ("W. Athey 111 , V. Drakes"); free decisions with
/// the previous labels as features and lenient decoding ([`bilou::decode`]) score 1.5
/// F1 higher on CoNLL dev.
pub fn best(scores: &[i64; N_LABELS]) -> u8 {
    let mut best = bilou::OUTSIDE;
    let mut best_score = i64::MIN;
    for (l, &s) in scores.iter().enumerate() {
        if s > best_score {
            best = l as u8;
            best_score = s;
        }
    }
    best
}

/// Weights while training.
pub struct Trainer {
    table: Averaged,
}

impl Trainer {
    pub fn new(bits: u32) -> Self {
        Trainer {
            table: Averaged::new(bits, N_LABELS),
        }
    }

    /// One token seen: later updates count for less in the average.
    pub fn tick(&mut self) {
        self.table.tick();
    }

    /// Moves the weights towards `gold` and away from `guess`.
    pub fn update(&mut self, features: &[u64], gold: u8, guess: u8) {
        if gold == guess {
            return;
        }
        self.table.add(features, gold as usize, 1);
        self.table.add(features, guess as usize, -1);
    }

    /// The averaged weights, quantised: the model to ship. Weights whose magnitude is
    /// below `prune` (in the units of the average) are dropped.
    pub fn average(&self, prune: f64) -> Model {
        let avg: Vec<f64> = self.table.average().collect();
        let max = avg.iter().fold(0f64, |m, &x| m.max(x.abs())).max(1e-9);
        let scale = max / i16::MAX as f64;
        let weights: Vec<i16> = avg
            .iter()
            .map(|&x| {
                if x.abs() < prune {
                    0
                } else {
                    (x / scale).round() as i16
                }
            })
            .collect();
        Model::from_dense(self.table.bits(), &weights)
    }
}

impl Scorer for Trainer {
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]) {
        self.table.scores(features, out);
    }
}

/// The trained weights, quantised. Of the 2^bits feature buckets only about one in seven
/// has a non-zero weight, so the rows that do are kept densely in `rows` and every
/// bucket has an index into them (0: the all-zero row). Both passes take about 9 MB,
/// where one dense table of 2^bits x 17 `i16`s took 17.8 MB a pass, missed the cache
/// more, and faulted in page by page at start-up.
pub struct Model {
    bits: u32,
    /// Each bucket's row in `rows`.
    index: Vec<u32>,
    /// Row 0 is all zero; the others are the buckets with a non-zero weight, in order.
    rows: Vec<[i16; N_LABELS]>,
}

const MAGIC: &[u8; 8] = b"NERPERC1";

impl Model {
    /// From a dense table of 2^bits rows of [`N_LABELS`] weights.
    pub fn from_dense(bits: u32, weights: &[i16]) -> Model {
        let mut model = Model::empty(bits);
        for (r, dense) in weights.chunks(N_LABELS).enumerate() {
            if dense.iter().any(|&w| w != 0) {
                let mut row = [0; N_LABELS];
                row.copy_from_slice(dense);
                model.push_row(r, row);
            }
        }
        model
    }

    fn empty(bits: u32) -> Model {
        Model {
            bits,
            index: vec![0; 1usize << bits],
            rows: vec![[0; N_LABELS]],
        }
    }

    fn push_row(&mut self, bucket: usize, row: [i16; N_LABELS]) {
        self.index[bucket] = self.rows.len() as u32;
        self.rows.push(row);
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    pub fn nonzero(&self) -> usize {
        self.rows.iter().flatten().filter(|&&w| w != 0).count()
    }

    /// Serialises as: magic, bits, count, then per non-zero weight the gap from the
    /// previous one (LEB128) and the weight (little-endian i16).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.nonzero() * 4);
        table::write_header(&mut out, MAGIC, self.bits, self.nonzero());
        let mut last = 0usize;
        for (bucket, &r) in self.index.iter().enumerate() {
            for (l, &w) in self.rows[r as usize].iter().enumerate() {
                if w == 0 {
                    continue;
                }
                let i = bucket * N_LABELS + l;
                let mut gap = i - last;
                last = i;
                loop {
                    let byte = (gap & 0x7f) as u8;
                    gap >>= 7;
                    if gap == 0 {
                        out.push(byte);
                        break;
                    }
                    out.push(byte | 0x80);
                }
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (bits, count, weights) = table::read_header(bytes, MAGIC, "perceptron model")?;
        let mut model = Model::empty(bits);
        let size = (1usize << bits) * N_LABELS;
        let mut pos = 0;
        let mut at = 0usize;
        let mut row: Option<(usize, [i16; N_LABELS])> = None;
        for n in 0..count {
            let mut gap = 0usize;
            let mut shift = 0;
            loop {
                let b = *weights.get(pos).ok_or("truncated weights")?;
                pos += 1;
                gap |= ((b & 0x7f) as usize) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
                if shift > 35 {
                    return Err("corrupt weight index".into());
                }
            }
            if n > 0 && gap == 0 {
                return Err("weight index repeated".into());
            }
            at += gap;
            if at >= size {
                return Err("weight index out of range".into());
            }
            let w = weights.get(pos..pos + 2).ok_or("truncated weights")?;
            pos += 2;
            let bucket = at / N_LABELS;
            match &mut row {
                Some((b, _)) if *b == bucket => {}
                _ => {
                    if let Some((b, r)) = row.take() {
                        model.push_row(b, r);
                    }
                    row = Some((bucket, [0; N_LABELS]));
                }
            }
            if let Some((_, r)) = &mut row {
                r[at % N_LABELS] = i16::from_le_bytes([w[0], w[1]]);
            }
        }
        if let Some((b, r)) = row {
            model.push_row(b, r);
        }
        if pos != weights.len() {
            return Err("trailing bytes after the weights".into());
        }
        Ok(model)
    }
}

impl Scorer for Model {
    #[inline]
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]) {
        let shift = 64 - self.bits;
        // The buckets and rows are scattered over megabytes: scoring waits on memory,
        // not on the additions. Asking for every bucket, then every row, first lets the
        // loads overlap.
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            for &f in features {
                let at: *const u32 = &self.index[(f >> shift) as usize];
                // SAFETY: a prefetch is only a hint (it never faults), the pointer is
                // in bounds, and SSE is part of the x86_64 baseline.
                #[allow(unsafe_code)]
                unsafe {
                    _mm_prefetch::<_MM_HINT_T0>(at.cast());
                }
            }
            for &f in features {
                let row = &self.rows[self.index[(f >> shift) as usize] as usize];
                // SAFETY: as above.
                #[allow(unsafe_code)]
                unsafe {
                    _mm_prefetch::<_MM_HINT_T0>(row.as_ptr().cast());
                    _mm_prefetch::<_MM_HINT_T0>(row[N_LABELS - 1..].as_ptr().cast());
                }
            }
        }
        let mut acc = [0i32; N_LABELS];
        for &f in features {
            let w = &self.rows[self.index[(f >> shift) as usize] as usize];
            for k in 0..N_LABELS {
                acc[k] += w[k] as i32;
            }
        }
        for k in 0..N_LABELS {
            out[k] = acc[k] as i64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first weight of a feature hash's row in a dense table.
    fn row(feature: u64, bits: u32) -> usize {
        table::bucket(feature, bits) * N_LABELS
    }

    #[test]
    fn a_trained_model_survives_serialisation() {
        let mut t = Trainer::new(10);
        let feats = [0x1234_5678_9abc_def0u64, 0x0fed_cba9_8765_4321];
        for _ in 0..5 {
            t.update(&feats, 4, 0);
            t.tick();
        }
        let model = t.average(0.0);
        let back = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(back.to_bytes(), model.to_bytes());
        assert_eq!(back.nonzero(), model.nonzero());
        let mut s = [0; N_LABELS];
        back.scores(&feats, &mut s);
        assert!(s[4] > 0 && s[0] < 0);
        assert_eq!(best(&s), 4);
    }

    #[test]
    fn sparse_rows_score_as_the_dense_table() {
        let bits = 8;
        let dense: Vec<i16> = (0..(1usize << bits) * N_LABELS)
            .map(|i| if i % 7 == 0 { (i % 23) as i16 - 11 } else { 0 })
            .collect();
        let model = Model::from_dense(bits, &dense);
        let back = Model::from_bytes(&model.to_bytes()).unwrap();
        let feats: Vec<u64> = (0..40u64)
            .map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let mut want = [0i64; N_LABELS];
        for &f in &feats {
            let r = row(f, bits);
            for (o, &w) in want.iter_mut().zip(&dense[r..r + N_LABELS]) {
                *o += w as i64;
            }
        }
        for m in [&model, &back] {
            let mut got = [0; N_LABELS];
            m.scores(&feats, &mut got);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn corrupt_models_are_refused() {
        assert!(Model::from_bytes(b"NERPERC1").is_err());
        assert!(Model::from_bytes(b"garbage garbage garbage").is_err());
    }
}
