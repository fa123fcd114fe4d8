//! Trains the entity tagger on CoNLL-2003 and writes the model the binary embeds.
//!
//! ```text
//! cargo run --release --features training --bin train-ner -- \
//!     --train ../shared/data/conll2003/train.txt --dev ../shared/data/conll2003/dev.txt \
//!     --out models/ner/ner.bin
//! ```
//!
//! The run is deterministic: the same data, settings and seed give the same bytes.

use std::process::ExitCode;

use clap::Parser;
use news_annotator::learn::cli::{exit, Data};
use news_annotator::pipeline::entities::lexicon::Lexicon;
use news_annotator::pipeline::entities::tagger::{greedy, tag_document, to_bytes};
use news_annotator::pipeline::entities::training::{
    augment, evaluate, prepare, read_conll, train, Alignment, Augment, Example, Settings,
};

#[derive(Parser)]
#[command(about = "Train the named-entity tagger (averaged perceptron, BILOU, greedy)")]
struct Args {
    /// `--train`, `--dev`, `--out`.
    #[command(flatten)]
    data: Data,
    /// Epochs to try (the best on dev is kept).
    #[arg(long, default_value_t = 15)]
    epochs: usize,
    /// log2 of the weight-table rows (hashed feature buckets) of each pass.
    #[arg(long, default_value_t = 19)]
    bits: u32,
    #[arg(long, default_value_t = 2009)]
    seed: u64,
    /// Drop averaged weights below this magnitude.
    #[arg(long, default_value_t = 0.05)]
    prune: f64,
    /// Train on the CoNLL text as it is (no rewrites of hyphens, titles, headlines).
    #[arg(long)]
    no_augment: bool,
    /// Other CoNLL files to score the kept model on (reported only: they choose nothing).
    #[arg(long)]
    report: Vec<String>,
}

fn load(
    path: &str,
    lexicon: &Lexicon,
    rewrite: Option<(&Augment, u64)>,
) -> Result<(Vec<Example>, Alignment), String> {
    let mut data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    if let Some((how, seed)) = rewrite {
        data = augment(&data, how, seed);
    }
    let mut stats = Alignment::default();
    let examples = read_conll(&data)
        .iter()
        .map(|d| prepare(d, lexicon, &mut stats))
        .collect();
    Ok((examples, stats))
}

fn run(args: Args) -> Result<(), String> {
    let lexicon = Lexicon::embedded()?;
    let rewrite = (!args.no_augment).then_some((&Augment::DEFAULT, args.seed));
    let (train_set, a) = load(&args.data.train, &lexicon, rewrite)?;
    eprintln!(
        "train: {} documents, {} names, {} not on token boundaries",
        train_set.len(),
        a.names,
        a.misaligned
    );
    let (dev_set, a) = load(&args.data.dev, &lexicon, None)?;
    eprintln!(
        "dev: {} documents, {} names, {} not on token boundaries",
        dev_set.len(),
        a.names,
        a.misaligned
    );
    let (mut train_set, mut dev_set) = (train_set, dev_set);
    let settings = Settings {
        bits: args.bits,
        max_epochs: args.epochs,
        seed: args.seed,
        prune: args.prune,
    };
    let (first, second, report) = train(&mut train_set, &mut dev_set, &settings, |pass, e, c| {
        if c.tp + c.fp + c.fn_ == 0 {
            eprintln!("{pass} {e} done");
        } else {
            eprintln!(
                "{pass} epoch {e:2}: dev F1 {:.2} (tp {} fp {} fn {})",
                100.0 * c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
    });
    for path in &args.report {
        let (mut set, _) = load(path, &lexicon, None)?;
        let c1 = evaluate(&first, &set);
        for ex in set.iter_mut() {
            ex.first = Some(tag_document(&ex.infos, &ex.sentences, None, greedy(&first)));
        }
        let c2 = evaluate(&second, &set);
        eprintln!(
            "{path}: first pass F1 {:.2}, second pass F1 {:.2} (tp {} fp {} fn {})",
            100.0 * c1.f1(),
            100.0 * c2.f1(),
            c2.tp,
            c2.fp,
            c2.fn_
        );
    }
    let bytes = to_bytes(&first, &second);
    std::fs::write(&args.data.out, &bytes).map_err(|e| format!("{}: {e}", args.data.out))?;
    eprintln!(
        "kept first pass epoch {} (dev F1 {:.2}), second pass epoch {} (dev F1 {:.2}); \
         {} non-zero weights, {} bytes -> {}",
        report.first_epoch,
        100.0 * report.first.f1(),
        report.second_epoch,
        100.0 * report.second.f1(),
        first.nonzero() + second.nonzero(),
        bytes.len(),
        args.data.out
    );
    Ok(())
}

fn main() -> ExitCode {
    exit("train-ner", run(Args::parse()))
}
