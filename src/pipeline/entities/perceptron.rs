//! The averaged perceptron: a table of weights, one row of [`N_LABELS`] per hashed
//! feature bucket.
//!
//! Training keeps integer weights and, for averaging, the sum of every update weighted
//! by when it happened (Daumé's trick): the average is `w - u / c`. Integers make a
//! training run bit-for-bit reproducible. The shipped [`Model`] is the average quantised
//! to `i16`, stored sparsely (most rows are zero for most labels), and scored with
//! integer additions.

use super::bilou::{self, N_LABELS};

/// Scores every label for a token from its features.
pub trait Scorer {
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]);
}

/// The table row of a feature hash.
#[inline]
fn row(feature: u64, bits: u32) -> usize {
    (feature >> (64 - bits)) as usize * N_LABELS
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
    bits: u32,
    w: Vec<i32>,
    /// Sum of updates times the step at which they were made.
    u: Vec<i64>,
    /// Steps so far (tokens seen).
    step: i64,
}

impl Trainer {
    pub fn new(bits: u32) -> Self {
        let n = (1usize << bits) * N_LABELS;
        Trainer {
            bits,
            w: vec![0; n],
            u: vec![0; n],
            step: 1,
        }
    }

    /// One token seen: later updates count for less in the average.
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves the weights towards `gold` and away from `guess`.
    pub fn update(&mut self, features: &[u64], gold: u8, guess: u8) {
        if gold == guess {
            return;
        }
        for &f in features {
            let r = row(f, self.bits);
            self.w[r + gold as usize] += 1;
            self.u[r + gold as usize] += self.step;
            self.w[r + guess as usize] -= 1;
            self.u[r + guess as usize] -= self.step;
        }
    }

    /// The averaged weights, quantised: the model to ship. Weights whose magnitude is
    /// below `prune` (in the units of the average) are dropped.
    pub fn average(&self, prune: f64) -> Model {
        let c = self.step as f64;
        let avg: Vec<f64> = self
            .w
            .iter()
            .zip(&self.u)
            .map(|(&w, &u)| w as f64 - u as f64 / c)
            .collect();
        let max = avg.iter().fold(0f64, |m, &x| m.max(x.abs())).max(1e-9);
        let scale = max / i16::MAX as f64;
        let weights = avg
            .iter()
            .map(|&x| {
                if x.abs() < prune {
                    0
                } else {
                    (x / scale).round() as i16
                }
            })
            .collect();
        Model {
            bits: self.bits,
            weights,
        }
    }
}

impl Scorer for Trainer {
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]) {
        *out = [0; N_LABELS];
        for &f in features {
            let r = row(f, self.bits);
            for (o, &w) in out.iter_mut().zip(&self.w[r..r + N_LABELS]) {
                *o += w as i64;
            }
        }
    }
}

/// The trained weights, quantised.
pub struct Model {
    bits: u32,
    weights: Vec<i16>,
}

const MAGIC: &[u8; 8] = b"NERPERC1";

impl Model {
    pub fn bits(&self) -> u32 {
        self.bits
    }

    pub fn nonzero(&self) -> usize {
        self.weights.iter().filter(|&&w| w != 0).count()
    }

    /// Serialises as: magic, bits, count, then per non-zero weight the gap from the
    /// previous one (LEB128) and the weight (little-endian i16).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.nonzero() * 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.nonzero() as u32).to_le_bytes());
        let mut last = 0usize;
        for (i, &w) in self.weights.iter().enumerate() {
            if w == 0 {
                continue;
            }
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
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let header = bytes.get(..16).ok_or("truncated header")?;
        if &header[..8] != MAGIC {
            return Err("not a perceptron model".into());
        }
        let bits = u32::from_le_bytes(header[8..12].try_into().unwrap_or_default());
        let count = u32::from_le_bytes(header[12..16].try_into().unwrap_or_default()) as usize;
        if !(8..=24).contains(&bits) {
            return Err(format!("unsupported table size 2^{bits}"));
        }
        let mut weights = vec![0i16; (1usize << bits) * N_LABELS];
        let mut pos = 16;
        let mut at = 0usize;
        for _ in 0..count {
            let mut gap = 0usize;
            let mut shift = 0;
            loop {
                let b = *bytes.get(pos).ok_or("truncated weights")?;
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
            at += gap;
            let w = bytes.get(pos..pos + 2).ok_or("truncated weights")?;
            pos += 2;
            *weights.get_mut(at).ok_or("weight index out of range")? =
                i16::from_le_bytes([w[0], w[1]]);
        }
        if pos != bytes.len() {
            return Err("trailing bytes after the weights".into());
        }
        Ok(Model { bits, weights })
    }
}

impl Scorer for Model {
    #[inline]
    fn scores(&self, features: &[u64], out: &mut [i64; N_LABELS]) {
        // The rows are scattered over tens of megabytes: scoring waits on memory, not
        // on the additions. Asking for every row first lets the loads overlap.
        #[cfg(target_arch = "x86_64")]
        for &f in features {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let r = row(f, self.bits);
            let row = &self.weights[r..r + N_LABELS];
            // SAFETY: a prefetch is only a hint (it never faults), the pointers are
            // in bounds, and SSE is part of the x86_64 baseline.
            #[allow(unsafe_code)]
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(row.as_ptr().cast());
                _mm_prefetch::<_MM_HINT_T0>(row[N_LABELS - 1..].as_ptr().cast());
            }
        }
        let mut acc = [0i32; N_LABELS];
        for &f in features {
            let r = row(f, self.bits);
            let w: &[i16; N_LABELS] = self.weights[r..r + N_LABELS]
                .try_into()
                .expect("rows are N_LABELS long");
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
        assert_eq!(back.weights, model.weights);
        let mut s = [0; N_LABELS];
        back.scores(&feats, &mut s);
        assert!(s[4] > 0 && s[0] < 0);
        assert_eq!(best(&s), 4);
    }

    #[test]
    fn corrupt_models_are_refused() {
        assert!(Model::from_bytes(b"NERPERC1").is_err());
        assert!(Model::from_bytes(b"garbage garbage garbage").is_err());
    }
}
