//! A binary averaged perceptron over hashed features: one weight per table row.
//!
//! Training is the shared integer table of [`crate::learn::perceptron`] with one label
//! (bit-for-bit reproducible). The shipped [`Weights`] are its average as `f32`, stored
//! sparsely: a table of `2^bits` rows of which a few thousand are non-zero.

use crate::learn::perceptron::{self as table, bucket, Averaged};

/// Weights while training.
pub struct Trainer {
    table: Averaged,
}

impl Trainer {
    pub fn new(bits: u32) -> Self {
        Trainer {
            table: Averaged::new(bits, 1),
        }
    }

    /// The current (not averaged) margin.
    pub fn score(&self, features: &[u64]) -> i64 {
        let mut margin = [0];
        self.table.scores(features, &mut margin);
        margin[0]
    }

    /// One example seen: later updates count for less in the average.
    pub fn tick(&mut self) {
        self.table.tick();
    }

    /// Moves the weights towards the gold answer (`positive`) after a mistake.
    pub fn update(&mut self, features: &[u64], positive: bool) {
        self.table.add(features, 0, if positive { 1 } else { -1 });
    }

    /// The averaged weights: the model to ship.
    pub fn average(&self) -> Weights {
        Weights {
            bits: self.table.bits(),
            w: self.table.average().map(|w| w as f32).collect(),
        }
    }
}

/// The trained weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    bits: u32,
    w: Vec<f32>,
}

const MAGIC: &[u8; 8] = b"QCUEPER1";

impl Weights {
    /// The margin of an example: above zero, a cue.
    #[inline]
    pub fn score(&self, features: &[u64]) -> f32 {
        features.iter().map(|&f| self.w[bucket(f, self.bits)]).sum()
    }

    pub fn nonzero(&self) -> usize {
        self.w.iter().filter(|&&w| w != 0.0).count()
    }

    /// Magic, bits, count, then per non-zero weight its row (u32) and value (f32), all
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.nonzero() * 8);
        table::write_header(&mut out, MAGIC, self.bits, self.nonzero());
        for (i, &w) in self.w.iter().enumerate() {
            if w != 0.0 {
                out.extend_from_slice(&(i as u32).to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (bits, count, body) = table::read_header(bytes, MAGIC, "cue perceptron")?;
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if body.len() != count * 8 {
            return Err(format!("{} bytes of weights for {count}", body.len()));
        }
        let mut w = vec![0f32; 1 << bits];
        for pair in body.chunks_exact(8) {
            let r = word(&pair[..4]) as usize;
            *w.get_mut(r).ok_or("weight row out of range")? =
                f32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]);
        }
        Ok(Weights { bits, w })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_separates_and_the_weights_survive_serialisation() {
        let mut t = Trainer::new(8);
        let yes = [0x1234_5678_9abc_def0u64, 0xff00_0000_0000_0000];
        let no = [0x0fed_cba9_8765_4321u64, 0xff00_0000_0000_0000];
        for _ in 0..5 {
            for (f, gold) in [(&yes, true), (&no, false)] {
                if (t.score(f) > 0) != gold {
                    t.update(f, gold);
                }
                t.tick();
            }
        }
        let w = t.average();
        assert!(w.score(&yes) > 0.0 && w.score(&no) < 0.0);
        let back = Weights::from_bytes(&w.to_bytes()).unwrap();
        assert_eq!(back, w);
        assert!(Weights::from_bytes(&w.to_bytes()[..20]).is_err());
        assert!(Weights::from_bytes(b"not a model at all").is_err());
    }
}
