//! Trains the clean stage's line classifier (`models/clean/lines.model`).
//!
//! Labels come from the pasted-page benchmark: a line of a page's pasted text is article
//! text when it is one of the lines of the hand-written body. Pages are split in two by
//! a hash of their id (FNV-1a, even: training, odd: held out); the weights are learnt on
//! the training half only, so the held-out figure printed at the end is an honest
//! estimate. Training is full-batch Newton's method on an L2-regularised logistic loss,
//! in f64, so the same data gives the same weights, byte for byte.
//!
//! usage: train-clean [DATA.jsonl] [--out models/clean/lines.model] [--html]

use std::collections::HashSet;

use news_annotator::learn::logistic::{fit, page_word_f1};
use news_annotator::learn::pasted;
use news_annotator::pipeline::clean::features::{
    context_features, line_facts, split_lines, LineFacts, N_CONTEXT, N_LINE,
};
use news_annotator::pipeline::clean::model::{dot, sigmoid, LineModel};
use news_annotator::pipeline::clean::pasted::keep_lines;
use news_annotator::pipeline::clean::{prepared_html, prepared_text};
use news_annotator::text::hash::stable;

/// The ridge penalty: strong enough that 50 pages cannot pin rare features down.
const L2: f64 = 2.0;
/// Newton steps at most (it converges in fewer).
const STEPS: usize = 25;

struct Page {
    id: String,
    /// The page's text as the classifier sees it.
    text: String,
    facts: Vec<LineFacts>,
    labels: Vec<bool>,
    train: bool,
}

fn load(path: &str, html: bool) -> Vec<Page> {
    pasted::read(path)
        .expect("read data")
        .into_iter()
        .map(|record| {
            let text = if html {
                prepared_html(&record.html().expect("the page's HTML"))
            } else {
                prepared_text(record.text("raw"))
            };
            let body = prepared_text(record.text("body"));
            let body_lines: HashSet<&str> =
                split_lines(&body).into_iter().map(|r| &body[r]).collect();
            let lines = split_lines(&text);
            let labels = lines
                .iter()
                .map(|r| body_lines.contains(&text[r.clone()]))
                .collect();
            let facts = line_facts(&text, &lines);
            let train = record.in_training_half();
            Page {
                id: record.id,
                text,
                facts,
                labels,
                train,
            }
        })
        .collect()
}

/// Sample weight: long lines carry more of the score (it counts word 4-grams).
fn weight(f: &LineFacts) -> f64 {
    (2.0 + f.words as f64).ln()
}

/// Word-level precision and recall of a page's kept lines, averaged over pages (a
/// quick stand-in for the scorer's 4-gram figure), as F1.
fn word_f1(pages: &[&Page], keeps: &[Vec<bool>]) -> f64 {
    let counts = pages.iter().zip(keeps).map(|(pg, keep)| {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for ((f, &y), &k) in pg.facts.iter().zip(&pg.labels).zip(keep) {
            match (y, k) {
                (true, true) => tp += f.words,
                (false, true) => fp += f.words,
                (true, false) => fn_ += f.words,
                _ => {}
            }
        }
        (tp, fp, fn_)
    });
    page_word_f1(counts).0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let html = args.iter().any(|a| a == "--html");
    let out = args
        .iter()
        .position(|a| a == "--out")
        .map(|i| args[i + 1].clone())
        .unwrap_or_else(|| "models/clean/lines.model".into());
    let data = args
        .iter()
        .find(|a| a.ends_with(".jsonl"))
        .cloned()
        .unwrap_or_else(|| "../shared/data/pasted/dev.jsonl".into());
    let pages = load(&data, html);
    let train: Vec<&Page> = pages.iter().filter(|p| p.train).collect();
    let held: Vec<&Page> = pages.iter().filter(|p| !p.train).collect();
    eprintln!("pages: {} training, {} held out", train.len(), held.len());

    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut ws = Vec::new();
    for p in &train {
        for (f, &y) in p.facts.iter().zip(&p.labels) {
            xs.push(f.features().iter().map(|&v| v as f64).collect::<Vec<_>>());
            ys.push(y);
            ws.push(weight(f));
        }
    }
    let w1 = fit(&xs, &ys, &ws, L2, STEPS);
    let line: Vec<f32> = w1.iter().map(|&v| v as f32).collect();

    let first_pass = |p: &Page| -> Vec<f32> {
        p.facts
            .iter()
            .map(|f| sigmoid(dot(&line, f.features())))
            .collect()
    };
    let mut xs2 = Vec::new();
    for p in &train {
        for x in context_features(&first_pass(p)) {
            xs2.push(x.iter().map(|&v| v as f64).collect::<Vec<_>>());
        }
    }
    let w2 = fit(&xs2, &ys, &ws, L2, STEPS);
    let mut model = LineModel {
        version: String::new(),
        line,
        context: w2.iter().map(|&v| v as f32).collect(),
        threshold: 0.5,
    };
    assert_eq!(model.line.len(), N_LINE);
    assert_eq!(model.context.len(), N_CONTEXT);

    let decide = |m: &LineModel, set: &[&Page]| -> Vec<Vec<bool>> {
        set.iter()
            .map(|p| keep_lines(&p.text, &p.facts, m))
            .collect()
    };
    // The threshold that serves the training half best.
    let mut best = (0.0, 0.5);
    for t in (20..=80).step_by(5) {
        model.threshold = t as f32 / 100.0;
        let f = word_f1(&train, &decide(&model, &train));
        if f > best.0 + 1e-9 {
            best = (f, model.threshold);
        }
    }
    model.threshold = best.1;
    let digest = stable::hash_bytes(model.render().as_bytes());
    model.version = format!("clean-lr-{:08x}", digest as u32);
    eprintln!(
        "threshold {:.2}  word F1: training {:.1}  held out {:.1}",
        model.threshold,
        100.0 * word_f1(&train, &decide(&model, &train)),
        100.0 * word_f1(&held, &decide(&model, &held))
    );
    if args.iter().any(|a| a == "--show") {
        for p in &held {
            let keep = &decide(&model, &[*p])[0];
            let f = word_f1(&[*p], std::slice::from_ref(keep));
            eprintln!("  {} {:.1}", p.id, 100.0 * f);
        }
    }
    std::fs::write(&out, model.render()).expect("write model");
    eprintln!("wrote {out}");
}
