//! L2-regularised, weighted logistic regression fitted by Newton's method, and the
//! page-averaged word scores the cleaning trainers choose thresholds by.
//!
//! The clean stage's line classifier and its HTML block classifier are both such a
//! regression over a few dozen features (`src/bin/train-clean.rs`,
//! `src/bin/train-html.rs`). Full-batch Newton steps in `f64` with a fixed order of
//! additions give the same weights, byte for byte, from the same data.

/// The weights minimising the weighted logistic loss of `xs` against `ys` (example `i`
/// counting `weights[i]`) plus `l2` times half their squared norm: at most `max_steps`
/// Newton steps, fewer once a step moves the weights by less than 1e-9 in all.
#[allow(clippy::needless_range_loop)]
pub fn fit(xs: &[Vec<f64>], ys: &[bool], weights: &[f64], l2: f64, max_steps: usize) -> Vec<f64> {
    let d = xs.first().map_or(0, Vec::len);
    let mut w = vec![0f64; d];
    for _ in 0..max_steps {
        let mut g = vec![0f64; d];
        let mut h = vec![vec![0f64; d]; d];
        for ((x, &y), &s) in xs.iter().zip(ys).zip(weights) {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = s * (p - y as u8 as f64);
            let c = s * p * (1.0 - p);
            for j in 0..d {
                g[j] += r * x[j];
                if x[j] != 0.0 {
                    for k in 0..d {
                        h[j][k] += c * x[j] * x[k];
                    }
                }
            }
        }
        for j in 0..d {
            g[j] += l2 * w[j];
            h[j][j] += l2;
        }
        let step = solve(h, g);
        let mut change = 0.0;
        for j in 0..d {
            w[j] -= step[j];
            change += step[j].abs();
        }
        if change < 1e-9 {
            break;
        }
    }
    w
}

/// `x` with `a x = b`: Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)]
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, piv);
        b.swap(col, piv);
        let p = a[col][col];
        for row in col + 1..n {
            let f = a[row][col] / p;
            if f != 0.0 {
                for k in col..n {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0f64; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x
}

/// Word-level precision and recall averaged over pages, and their F1, as (F1, P, R):
/// each page gives the words of its kept article text (`tp`), its kept furniture (`fp`)
/// and its article text not kept (`fn`). A page that keeps nothing has precision 0, one
/// with no article text recall 1. A quick stand-in for the scorer's word 4-gram figure.
pub fn page_word_f1(pages: impl IntoIterator<Item = (usize, usize, usize)>) -> (f64, f64, f64) {
    let (mut ps, mut rs, mut n) = (0.0, 0.0, 0usize);
    for (tp, fp, fn_) in pages {
        ps += if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        rs += if tp + fn_ == 0 {
            1.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        n += 1;
    }
    let n = n.max(1) as f64;
    let (p, r) = (ps / n, rs / n);
    (2.0 * p * r / (p + r).max(1e-12), p, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_separable_feature_gets_the_weight_and_the_bias_stays_small() {
        // Feature 0 is a bias, feature 1 says the label.
        let xs: Vec<Vec<f64>> = (0..40).map(|i| vec![1.0, f64::from(i % 2)]).collect();
        let ys: Vec<bool> = (0..40).map(|i| i % 2 == 1).collect();
        let w = fit(&xs, &ys, &vec![1.0; 40], 1.0, 30);
        assert!(w[1] > 2.0 && w[0] < 0.0 && w[0] > -w[1], "{w:?}");
        // Converged: more steps change nothing.
        assert_eq!(fit(&xs, &ys, &vec![1.0; 40], 1.0, 60), w);
    }

    #[test]
    fn solve_inverts_a_pivoting_system() {
        let x = solve(vec![vec![0.0, 2.0], vec![3.0, 1.0]], vec![4.0, 5.0]);
        assert!(
            (x[0] - 1.0).abs() < 1e-12 && (x[1] - 2.0).abs() < 1e-12,
            "{x:?}"
        );
    }

    #[test]
    fn page_scores_are_averaged_over_pages() {
        let (f, p, r) = page_word_f1([(10, 0, 0), (0, 0, 10)]);
        assert_eq!((p, r), (0.5, 0.5));
        assert!((f - 0.5).abs() < 1e-12);
        assert_eq!(page_word_f1([]), (0.0, 0.0, 0.0));
    }
}
