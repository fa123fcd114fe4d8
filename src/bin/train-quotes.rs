//! Trains the quote stage's cue and end models on PolNeAR, calibrates its confidences
//! on PolNeAR dev, and writes what the binary embeds (`models/quotes/cues.bin`,
//! `models/quotes/ends.bin`, `models/quotes/calibration.tsv`).
//!
//! ```text
//! cargo run --release --features training --bin train-quotes -- \
//!     --train ../shared/data/polnear/train.jsonl --dev ../shared/data/polnear/dev.jsonl \
//!     --out models/quotes
//! ```
//!
//! The run is deterministic: the same data, settings and seed give the same bytes
//! (articles are prepared in parallel but kept in file order).

use std::process::ExitCode;

use clap::Parser;
use news_annotator::learn::cli::{exit, Data};
use news_annotator::pipeline::quotes::cue_model::calibration::Calibration;
use news_annotator::pipeline::quotes::cue_model::ends::EndModel;
use news_annotator::pipeline::quotes::cue_model::training::{
    calibration_counts, examples, read_article, train, train_ends, Examples, Gold,
};
use news_annotator::pipeline::quotes::cue_model::CueModel;
use news_annotator::pipeline::quotes::cues::Lexicon;
use news_annotator::pipeline::quotes::QuoteStage;
use news_annotator::pipeline::Pipeline;
use rayon::prelude::*;

#[derive(Parser)]
#[command(about = "Train the quote stage's cue model (averaged perceptron)")]
struct Args {
    /// `--train`, `--dev`, `--out`.
    #[command(flatten)]
    data: Data,
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// log2 of the weight-table rows.
    #[arg(long, default_value_t = 20)]
    bits: u32,
    #[arg(long, default_value_t = 2013)]
    seed: u64,
}

fn read(path: &str) -> Result<Vec<(String, Vec<Gold>)>, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| read_article(line).map_err(|e| format!("{path}:{}: {e}", n + 1)))
        .collect()
}

fn load(
    articles: &[(String, Vec<Gold>)],
    pipeline: &Pipeline,
    lexicon: &Lexicon,
) -> Result<Vec<Examples>, String> {
    articles
        .par_iter()
        .map(|(text, gold)| examples(pipeline, lexicon, text, gold))
        .collect()
}

fn run(args: Args) -> Result<(), String> {
    let pipeline = Pipeline::new().map_err(|e| e.to_string())?;
    let lexicon = Lexicon::new();
    let dev_articles = read(&args.data.dev)?;
    let train_set = load(&read(&args.data.train)?, &pipeline, &lexicon)?;
    let dev_set = load(&dev_articles, &pipeline, &lexicon)?;
    let count = |s: &[Examples]| -> (usize, usize) {
        s.iter().fold((0, 0), |(n, p), e| {
            (
                n + e.labels.len(),
                p + e.labels.iter().filter(|&&l| l).count(),
            )
        })
    };
    let (n, p) = count(&train_set);
    eprintln!(
        "train: {} articles, {n} candidates, {p} cue heads",
        train_set.len()
    );
    let (n, p) = count(&dev_set);
    eprintln!(
        "dev: {} articles, {n} candidates, {p} cue heads",
        dev_set.len()
    );
    let (weights, epoch, c) = train(
        &train_set,
        &dev_set,
        args.bits,
        args.epochs,
        args.seed,
        |e, c| {
            eprintln!(
                "epoch {e:2}: dev cue F1 {:.2} (tp {} fp {} fn {})",
                100.0 * c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        },
    );
    let write = |name: &str, bytes: Vec<u8>| -> Result<String, String> {
        let path = format!("{}/{name}", args.data.out);
        std::fs::write(&path, &bytes).map_err(|e| format!("{path}: {e}"))?;
        Ok(format!("{} bytes -> {path}", bytes.len()))
    };
    eprintln!(
        "cues: kept epoch {epoch} (dev cue F1 {:.2}); {} non-zero weights, {}",
        100.0 * c.f1(),
        weights.nonzero(),
        write("cues.bin", weights.to_bytes())?
    );
    let clauses = |s: &[Examples]| s.iter().map(|e| e.ends.len()).sum::<usize>();
    eprintln!(
        "ends: {} training clauses, {} dev clauses",
        clauses(&train_set),
        clauses(&dev_set)
    );
    let (ends, epoch, acc) = train_ends(
        &train_set,
        &dev_set,
        args.bits,
        args.epochs,
        args.seed,
        |e, acc| {
            eprintln!("epoch {e:2}: dev clause ends right {:.2}%", 100.0 * acc);
        },
    );
    eprintln!(
        "ends: kept epoch {epoch} (dev {:.2}% right); {} non-zero weights, {}",
        100.0 * acc,
        ends.nonzero(),
        write("ends.bin", ends.to_bytes())?
    );
    // The stage with the new models and raw confidences, over dev.
    let stage = QuoteStage::with_models(CueModel::new(weights), EndModel::new(ends), None);
    let counts = calibration_counts(&pipeline, &stage, &dev_articles)?;
    let table = Calibration::write(&counts);
    eprintln!(
        "calibration: {} keys, {}",
        counts.len(),
        write("calibration.tsv", table.into_bytes())?
    );
    Ok(())
}

fn main() -> ExitCode {
    exit("train-quotes", run(Args::parse()))
}
