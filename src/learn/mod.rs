//! What the trained models of several stages share: the averaged perceptron's weight
//! table ([`perceptron`]), the seeded shuffle that fixes the order of training
//! examples, the counts a model is scored by on dev ([`Counts`]), the command line
//! of the perceptron trainers ([`cli`]), and the cleaning classifiers' logistic
//! regression ([`logistic`]).
//!
//! The entity tagger (one row of label weights per feature bucket) and the quote
//! stage's cue and end models (one weight per bucket) were trained by two copies of the
//! same arithmetic; one copy here means a fix to averaging or to the model files' header
//! reaches both. Each stage keeps what is its own: its labels, how it quantises and
//! stores the average, how it scores at run time.
//!
//! Training is integer arithmetic and the shuffle is seeded, so a training run is
//! bit-for-bit reproducible: the shipped model files are what the trainers write.

pub mod cli;
pub mod logistic;
pub mod pasted;
pub mod perceptron;

/// A deterministic shuffle (splitmix64 draws): a seed fixes the order of training
/// examples on every machine.
pub fn shuffle<T>(v: &mut [T], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        v.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

/// Counts of true positives, false positives and false negatives of a labelling
/// against gold.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    /// F1 as `2tp / (2tp + fp + fn)`: one division of two exact integers, so equal
    /// scores are equal numbers and a trainer that keeps the first best epoch keeps it
    /// whatever the rounding (0 when there is nothing to count).
    pub fn f1(&self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 {
            0.0
        } else {
            2.0 * self.tp as f64 / d as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_is_the_harmonic_mean_of_precision_and_recall() {
        let c = Counts {
            tp: 6,
            fp: 2,
            fn_: 4,
        };
        let (p, r) = (6.0 / 8.0, 6.0 / 10.0);
        assert!((c.f1() - 2.0 * p * r / (p + r)).abs() < 1e-12);
        assert_eq!(Counts::default().f1(), 0.0);
        assert_eq!(
            Counts {
                tp: 0,
                fp: 3,
                fn_: 1
            }
            .f1(),
            0.0
        );
    }

    #[test]
    fn a_seed_fixes_the_shuffle() {
        let shuffled = |seed: u64| {
            let mut v: Vec<usize> = (0..50).collect();
            let mut state = seed;
            shuffle(&mut v, &mut state);
            shuffle(&mut v, &mut state);
            v
        };
        assert_eq!(shuffled(7), shuffled(7));
        assert_ne!(shuffled(7), shuffled(8));
        let mut sorted = shuffled(7);
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
