//! Trains the HTML block classifier (`models/html/blocks.model`) from the pasted-page
//! benchmark's HTML pages and hand-made bodies.
//!
//! Rows are the blocks of each page exactly as the cleaner sees them
//! (`Cleaner::html_block_rows`); a block is article text when most of its word trigrams
//! are in the hand-made body. Pages whose id has an even FNV-1a hash are the training
//! half (as for `train-clean`); the others are held out and only reported. Full-batch
//! Newton steps on an L2-regularised, length-weighted logistic regression, in f64: the
//! same data gives the same file, byte for byte. The threshold is the one that gives
//! the best word 4-gram F1 on the training half, counted as `score_clean.py` counts it.
//!
//! usage: train-html [DATA.jsonl] [--out models/html/blocks.model]
//!        train-html --dump PAGE.html [BODY.txt] [--out MODEL]   (each block, scored)

use news_annotator::learn::logistic::fit;
use news_annotator::learn::pasted;
use news_annotator::pipeline::clean::{BlockModel, BlockRow, Cleaner};
use news_annotator::text::hash::stable;
use rustc_hash::FxHashMap;

const L2: f64 = 1.0;
/// Newton steps at most (it converges in fewer).
const NEWTON_STEPS: usize = 30;

struct Page {
    rows: Vec<BlockRow>,
    train: bool,
    /// The hand-made body's word 4-grams, counted.
    body: Shingles,
}

/// Word 4-grams with their counts, as `score_clean.py` counts them (a word is a run of
/// letters, digits and `_`; a text of fewer than four words is one shingle).
type Shingles = FxHashMap<u64, usize>;

fn shingles(text: &str) -> Shingles {
    let words: Vec<u64> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| stable::hash_bytes(w.as_bytes()))
        .collect();
    let mut counts = Shingles::default();
    for gram in words.windows(4.min(words.len()).max(1)) {
        let key = gram.iter().fold(0u64, |h, &w| {
            h.rotate_left(17) ^ w.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        });
        *counts.entry(key).or_default() += 1;
    }
    counts
}

fn load(path: &str) -> Vec<Page> {
    let cleaner = Cleaner::new();
    pasted::read(path)
        .expect("read data")
        .into_iter()
        .map(|record| {
            let body = record.text("body");
            Page {
                rows: cleaner.html_block_rows(&record.html().expect("the page's HTML"), body),
                train: record.in_training_half(),
                body: shingles(body),
            }
        })
        .collect()
}

/// Sample weight: long blocks carry more of the score (it counts word 4-grams).
fn weight(r: &BlockRow) -> f64 {
    (2.0 + r.words as f64).ln()
}

fn prob(w: &[f64], r: &BlockRow) -> f64 {
    let z: f64 = w.iter().zip(&r.features).map(|(a, &b)| a * b as f64).sum();
    1.0 / (1.0 + (-z).exp())
}

/// The scorer's figure for the blocks kept at `threshold`: precision and recall of
/// word 4-grams per page, each averaged over the pages where it is defined, as
/// (F1, P, R). (The served answer also drops the headline and the byline found above
/// the body, so it differs a little.)
fn shingle_f1(pages: &[&Page], keeps: &[Vec<bool>]) -> (f64, f64, f64) {
    let (mut ps, mut rs) = (Vec::new(), Vec::new());
    for (pg, keep) in pages.iter().zip(keeps) {
        let kept: String = pg
            .rows
            .iter()
            .zip(keep)
            .filter(|(_, &k)| k)
            .map(|(r, _)| r.text.as_str())
            .collect();
        let got = shingles(&kept);
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (k, &t) in &pg.body {
            let p = got.get(k).copied().unwrap_or(0);
            tp += t.min(p);
            fn_ += t.saturating_sub(p);
        }
        for (k, &p) in &got {
            fp += p.saturating_sub(pg.body.get(k).copied().unwrap_or(0));
        }
        let exact = fp == 0 && fn_ == 0;
        if tp + fp > 0 {
            ps.push(if exact {
                1.0
            } else {
                tp as f64 / (tp + fp) as f64
            });
        }
        if tp + fn_ > 0 {
            rs.push(if exact {
                1.0
            } else {
                tp as f64 / (tp + fn_) as f64
            });
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&ps), mean(&rs));
    (2.0 * p * r / (p + r).max(1e-12), p, r)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let data = args
        .iter()
        .find(|a| a.ends_with(".jsonl"))
        .cloned()
        .unwrap_or_else(|| "../shared/data/pasted/dev.jsonl".into());
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "models/html/blocks.model".into());
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        // Error analysis: each block of one page with its label and probability.
        let file = &args[i + 1];
        let html = std::fs::read_to_string(file).expect("read page");
        let body = args
            .get(i + 2)
            .map(std::fs::read_to_string)
            .transpose()
            .expect("body");
        let model = BlockModel::parse(&std::fs::read_to_string(&out).expect("model")).unwrap();
        let w: Vec<f64> = model.weights.iter().map(|&x| x as f64).collect();
        for r in Cleaner::new().html_block_rows(&html, body.as_deref().unwrap_or("")) {
            let f: Vec<String> = r.features.iter().map(|x| format!("{x:.2}")).collect();
            println!(
                "{:.2} {} [{}] {}",
                prob(&w, &r),
                r.label as u8,
                f[1..13].join(" "),
                r.text.trim_end().chars().take(100).collect::<String>()
            );
        }
        return;
    }
    let pages = load(&data);
    let train: Vec<&Page> = pages.iter().filter(|p| p.train).collect();
    let held: Vec<&Page> = pages.iter().filter(|p| !p.train).collect();
    let rows: Vec<&BlockRow> = train.iter().flat_map(|p| &p.rows).collect();
    eprintln!(
        "{} pages ({} training), {} training blocks",
        pages.len(),
        train.len(),
        rows.len()
    );
    let xs: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| r.features.iter().map(|&v| v as f64).collect())
        .collect();
    let ys: Vec<bool> = rows.iter().map(|r| r.label).collect();
    let ws: Vec<f64> = rows.iter().map(|r| weight(r)).collect();
    let w = fit(&xs, &ys, &ws, L2, NEWTON_STEPS);
    let keeps = |half: &[&Page], t: f64| -> Vec<Vec<bool>> {
        half.iter()
            .map(|pg| pg.rows.iter().map(|r| prob(&w, r) >= t).collect())
            .collect()
    };
    let threshold = (10..=90)
        .map(|t| t as f64 / 100.0)
        .max_by(|&a, &b| {
            shingle_f1(&train, &keeps(&train, a))
                .0
                .total_cmp(&shingle_f1(&train, &keeps(&train, b)).0)
        })
        .unwrap();
    for (name, half) in [("training", &train), ("held-out", &held)] {
        let (f, p, r) = shingle_f1(half, &keeps(half, threshold));
        eprintln!(
            "{name}: 4-gram F1 {:.1} (P {:.1} R {:.1}) at threshold {threshold:.2}",
            f * 100.0,
            p * 100.0,
            r * 100.0
        );
    }
    let weights: Vec<f32> = w.iter().map(|&x| x as f32).collect();
    let mut model = BlockModel {
        version: String::new(),
        weights,
        threshold: threshold as f32,
    };
    let digest = stable::hash_bytes(model.render().as_bytes());
    model.version = format!("html-blocks-{:08x}", digest as u32);
    std::fs::write(&out, model.render()).expect("write model");
    eprintln!("wrote {out} ({})", model.version);
}
