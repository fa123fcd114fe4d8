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

use news_annotator::pipeline::clean::features::{
    context_features, line_facts, split_lines, LineFacts, N_CONTEXT, N_LINE,
};
use news_annotator::pipeline::clean::model::{dot, sigmoid, LineModel};
use news_annotator::pipeline::clean::pasted::keep_lines;
use news_annotator::pipeline::clean::{prepared_html, prepared_text};

/// The ridge penalty: strong enough that 50 pages cannot pin rare features down.
const L2: f64 = 2.0;

struct Page {
    id: String,
    /// The page's text as the classifier sees it.
    text: String,
    facts: Vec<LineFacts>,
    labels: Vec<bool>,
    train: bool,
}

pub fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn load(path: &str, html: bool) -> Vec<Page> {
    let dir = std::path::Path::new(path).parent().unwrap().to_path_buf();
    let data = std::fs::read_to_string(path).expect("read data");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            let id = v["id"].as_str().unwrap().to_string();
            let text = if html {
                let file = dir.join(v["html"].as_str().unwrap());
                let raw = std::process::Command::new("gzip")
                    .arg("-dc")
                    .arg(&file)
                    .output()
                    .expect("gzip");
                prepared_html(&String::from_utf8_lossy(&raw.stdout))
            } else {
                prepared_text(v["raw"].as_str().unwrap())
            };
            let body = prepared_text(v["body"].as_str().unwrap());
            let body_lines: HashSet<&str> =
                split_lines(&body).into_iter().map(|r| &body[r]).collect();
            let lines = split_lines(&text);
            let labels = lines
                .iter()
                .map(|r| body_lines.contains(&text[r.clone()]))
                .collect();
            let facts = line_facts(&text, &lines);
            let train = fnv1a(&id).is_multiple_of(2);
            Page {
                id,
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

#[allow(clippy::needless_range_loop)]
/// Newton's method for weighted, L2-regularised logistic regression.
fn fit(xs: &[Vec<f64>], ys: &[bool], ws: &[f64]) -> Vec<f64> {
    let d = xs[0].len();
    let mut w = vec![0f64; d];
    for _ in 0..25 {
        let mut g = vec![0f64; d];
        let mut h = vec![vec![0f64; d]; d];
        for ((x, &y), &s) in xs.iter().zip(ys).zip(ws) {
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
            g[j] += L2 * w[j];
            h[j][j] += L2;
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

/// Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)]
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
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

/// Word-level precision and recall of a page's kept lines, averaged over pages (a
/// quick stand-in for the scorer's 4-gram figure), as F1.
fn word_f1(pages: &[&Page], keeps: &[Vec<bool>]) -> f64 {
    let (mut ps, mut rs) = (0.0, 0.0);
    for (pg, keep) in pages.iter().zip(keeps) {
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for ((f, &y), &k) in pg.facts.iter().zip(&pg.labels).zip(keep) {
            match (y, k) {
                (true, true) => tp += f.words,
                (false, true) => fp += f.words,
                (true, false) => fn_ += f.words,
                _ => {}
            }
        }
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
    }
    let n = pages.len() as f64;
    let (p, r) = (ps / n, rs / n);
    2.0 * p * r / (p + r)
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
    let w1 = fit(&xs, &ys, &ws);
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
    let w2 = fit(&xs2, &ys, &ws);
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
    let digest = fnv1a(&model.render());
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
