use std::io::{self, BufWriter};

use news_annotator::cli::annotate::run_jsonl;
use news_annotator::Pipeline;

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let pipeline = Pipeline::new().expect("models load");
    if args.get(1).map(String::as_str) == Some("annotate") && args.iter().any(|a| a == "--jsonl") {
        let stdin = io::stdin().lock();
        let stdout = BufWriter::new(io::stdout().lock());
        return run_jsonl(&pipeline, stdin, stdout);
    }
    eprintln!("usage: news-annotator annotate --jsonl");
    std::process::exit(2);
}
