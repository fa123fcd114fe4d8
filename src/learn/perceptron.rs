//! The averaged perceptron's training table: `2^bits` feature buckets, each a row of
//! `labels` integer weights.
//!
//! Training keeps integer weights and, for averaging, the sum of every update weighted
//! by the step at which it was made (Daumé's trick): the average is `w - u / c`, with
//! `c` the steps so far. Integers make a run bit-for-bit reproducible. What the average
//! becomes (quantised `i16` rows for the entity tagger, `f32` for the quote models) and
//! how it is stored is each model's own; the file header they share is [`write_header`].

/// The bucket of a feature hash: its top `bits` bits.
#[inline]
pub fn bucket(feature: u64, bits: u32) -> usize {
    (feature >> (64 - bits)) as usize
}

/// Weights while training.
pub struct Averaged {
    bits: u32,
    labels: usize,
    w: Vec<i32>,
    /// Sum of updates times the step at which they were made.
    u: Vec<i64>,
    /// Steps so far (examples seen), from 1.
    step: i64,
}

impl Averaged {
    /// A zero table of `2^bits` rows of `labels` weights.
    pub fn new(bits: u32, labels: usize) -> Self {
        let n = (1usize << bits) * labels;
        Averaged {
            bits,
            labels,
            w: vec![0; n],
            u: vec![0; n],
            step: 1,
        }
    }

    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// One example seen: later updates count for less in the average.
    pub fn tick(&mut self) {
        self.step += 1;
    }

    /// Adds `delta` to the weight of `label` in the row of every feature.
    pub fn add(&mut self, features: &[u64], label: usize, delta: i32) {
        for &f in features {
            let i = bucket(f, self.bits) * self.labels + label;
            self.w[i] += delta;
            self.u[i] += delta as i64 * self.step;
        }
    }

    /// The current (not averaged) score of every label: the sums of the features' rows.
    pub fn scores(&self, features: &[u64], out: &mut [i64]) {
        out.fill(0);
        for &f in features {
            let r = bucket(f, self.bits) * self.labels;
            for (o, &w) in out.iter_mut().zip(&self.w[r..r + self.labels]) {
                *o += w as i64;
            }
        }
    }

    /// The averaged weights, row by row, label by label.
    pub fn average(&self) -> impl Iterator<Item = f64> + '_ {
        let c = self.step as f64;
        self.w
            .iter()
            .zip(&self.u)
            .map(move |(&w, &u)| w as f64 - u as f64 / c)
    }
}

/// The header of a model file: its magic, the table's `bits` and how many weights
/// follow, little-endian.
pub fn write_header(out: &mut Vec<u8>, magic: &[u8; 8], bits: u32, count: usize) {
    out.extend_from_slice(magic);
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(&(count as u32).to_le_bytes());
}

/// Reads [`write_header`]'s header: the table's bits (8 to 24), the count of weights and
/// the bytes after the header. `what` names the model in the error.
pub fn read_header<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    what: &str,
) -> Result<(u32, usize, &'a [u8]), String> {
    let header = bytes.get(..16).ok_or("truncated header")?;
    if &header[..8] != magic {
        return Err(format!("not a {what}"));
    }
    let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let bits = word(&header[8..12]);
    if !(8..=24).contains(&bits) {
        return Err(format!("unsupported table size 2^{bits}"));
    }
    Ok((bits, word(&header[12..16]) as usize, &bytes[16..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_weighs_early_updates_more() {
        let mut t = Averaged::new(8, 3);
        let f = [0x1234_5678_9abc_def0u64];
        t.add(&f, 2, 1); // at step 1: counts for every later step
        t.tick();
        t.tick();
        t.add(&f, 1, 1); // at step 3: counts from then on
        t.tick();
        let mut s = [0; 3];
        t.scores(&f, &mut s);
        assert_eq!(s, [0, 1, 1]);
        let r = bucket(f[0], 8) * 3;
        let avg: Vec<f64> = t.average().skip(r).take(3).collect();
        // c = 4: label 2 is 1 - 1/4, label 1 is 1 - 3/4.
        assert_eq!(avg, [0.0, 0.25, 0.75]);
        assert!(t
            .average()
            .enumerate()
            .all(|(i, a)| a == 0.0 || (r..r + 3).contains(&i)));
    }

    #[test]
    fn headers_are_read_back_and_checked() {
        let mut out = Vec::new();
        write_header(&mut out, b"TESTMOD1", 12, 345);
        out.push(9);
        assert_eq!(
            read_header(&out, b"TESTMOD1", "test model"),
            Ok((12, 345, &[9u8][..]))
        );
        assert_eq!(
            read_header(&out, b"OTHERMOD", "test model"),
            Err("not a test model".to_string())
        );
        assert!(read_header(&out[..15], b"TESTMOD1", "test model").is_err());
        let mut wide = Vec::new();
        write_header(&mut wide, b"TESTMOD1", 30, 0);
        assert!(read_header(&wide, b"TESTMOD1", "test model").is_err());
    }
}
