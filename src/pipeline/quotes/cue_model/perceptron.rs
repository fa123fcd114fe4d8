//! A binary averaged perceptron over hashed features: one weight per table row.
//!
//! Training keeps integer weights and the step-weighted sum of updates (Daumé's trick:
//! the average is `w - u / c`), so a run is bit-for-bit reproducible. The shipped
//! [`Weights`] are that average as `f32`, stored sparsely: a table of `2^bits` rows of
//! which a few thousand are non-zero.

/// The table row of a feature hash.
#[inline]
fn row(feature: u64, bits: u32) -> usize {
    (feature >> (64 - bits)) as usize
}

/// Weights while training.
pub struct Trainer {
    bits: u32,
    w: Vec<i32>,
    u: Vec<i64>,
    step: i64,
}

impl Trainer {
    pub fn new(bits: u32) -> Self {
        Trainer {
            bits,
            w: vec![0; 1 << bits],
            u: vec![0; 1 << bits],
            step: 1,
        }
    }

    /// The current (not averaged) margin.
    pub fn score(&self, features: &[u64]) -> i64 {
        features
            .iter()
            .map(|&f| self.w[row(f, self.bits)] as i64)
            .sum()
    }

    /// One example seen: later updates count for less in the average.
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Moves the weights towards the gold answer (`positive`) after a mistake.
    pub fn update(&mut self, features: &[u64], positive: bool) {
        let d: i32 = if positive { 1 } else { -1 };
        for &f in features {
            let r = row(f, self.bits);
            self.w[r] += d;
            self.u[r] += d as i64 * self.step;
        }
    }

    /// The averaged weights: the model to ship.
    pub fn average(&self) -> Weights {
        let c = self.step as f64;
        Weights {
            bits: self.bits,
            w: self
                .w
                .iter()
                .zip(&self.u)
                .map(|(&w, &u)| (w as f64 - u as f64 / c) as f32)
                .collect(),
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
        features.iter().map(|&f| self.w[row(f, self.bits)]).sum()
    }

    pub fn nonzero(&self) -> usize {
        self.w.iter().filter(|&&w| w != 0.0).count()
    }

    /// Magic, bits, count, then per non-zero weight its row (u32) and value (f32), all
    /// little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.nonzero() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.nonzero() as u32).to_le_bytes());
        for (i, &w) in self.w.iter().enumerate() {
            if w != 0.0 {
                out.extend_from_slice(&(i as u32).to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let header = bytes.get(..16).ok_or("truncated header")?;
        if &header[..8] != MAGIC {
            return Err("not a cue perceptron".into());
        }
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let bits = word(&header[8..12]);
        let count = word(&header[12..16]) as usize;
        if !(8..=24).contains(&bits) {
            return Err(format!("unsupported table size 2^{bits}"));
        }
        let body = &bytes[16..];
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
