//! Trains the HTML block classifier (`models/html/blocks.model`) from the pasted-page
//! benchmark's HTML pages and hand-made bodies.
//!
//! Rows are the blocks of each page exactly as the cleaner sees them
//! (`Cleaner::html_block_rows`); a block is article text when most of its word trigrams
//! are in the hand-made body. Pages whose id has an even FNV-1a hash are the training
//! half (as for `train-clean`); the others are held out and only reported. Full-batch
//! Newton steps on an L2-regularised, length-weighted logistic regression, in f64: the
//! same data gives the same file, byte for byte. The threshold is the one that gives
//! the best page-averaged word F1 on the training half.
//!
//! usage: train-html [DATA.jsonl] [--out models/html/blocks.model]
//!        train-html --dump PAGE.html [BODY.txt] [--out MODEL]   (each block, scored)

use news_annotator::learn::logistic::{fit, page_word_f1};
use news_annotator::learn::pasted;
use news_annotator::pipeline::clean::{BlockModel, BlockRow, Cleaner};
use news_annotator::text::hash::stable;

const L2: f64 = 1.0;
/// Newton steps at most (it converges in fewer).
const STEPS: usize = 30;

struct Page {
    rows: Vec<BlockRow>,
    train: bool,
}

fn load(path: &str) -> Vec<Page> {
    let cleaner = Cleaner::new();
    pasted::read(path)
        .expect("read data")
        .into_iter()
        .map(|record| Page {
            rows: cleaner.html_block_rows(
                &record.html().expect("the page's HTML"),
                record.text("body"),
            ),
            train: record.in_training_half(),
        })
        .collect()
}

/// Sample weight: long blocks carry more of the score (it counts word 4-grams).
fn weight(r: &BlockRow) -> f64 {
    (2.0 + r.words as f64).ln()
}

/// The block classifier's weights: each block a row, weighted by its length.
fn fit_blocks(rows: &[&BlockRow]) -> Vec<f64> {
    let xs: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| r.features.iter().map(|&v| v as f64).collect())
        .collect();
    let ys: Vec<bool> = rows.iter().map(|r| r.label).collect();
    let ws: Vec<f64> = rows.iter().map(|r| weight(r)).collect();
    fit(&xs, &ys, &ws, L2, STEPS)
}

fn prob(w: &[f64], r: &BlockRow) -> f64 {
    let z: f64 = w.iter().zip(&r.features).map(|(a, &b)| a * b as f64).sum();
    1.0 / (1.0 + (-z).exp())
}

/// Word-level precision and recall of the blocks kept at `threshold`, averaged over
/// pages (a stand-in for the scorer's 4-gram figure), as (F1, P, R).
fn word_f1(pages: &[&Page], w: &[f64], threshold: f64) -> (f64, f64, f64) {
    page_word_f1(pages.iter().map(|pg| {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for r in &pg.rows {
            match (r.label, prob(w, r) >= threshold) {
                (true, true) => tp += r.words,
                (false, true) => fp += r.words,
                (true, false) => fn_ += r.words,
                _ => {}
            }
        }
        (tp, fp, fn_)
    }))
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
    let w = fit_blocks(&rows);
    let threshold = (10..=90)
        .map(|t| t as f64 / 100.0)
        .max_by(|&a, &b| {
            word_f1(&train, &w, a)
                .0
                .total_cmp(&word_f1(&train, &w, b).0)
        })
        .unwrap();
    for (name, half) in [("training", &train), ("held-out", &held)] {
        let (f, p, r) = word_f1(half, &w, threshold);
        eprintln!(
            "{name}: word F1 {:.1} (P {:.1} R {:.1}) at threshold {threshold:.2}",
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
