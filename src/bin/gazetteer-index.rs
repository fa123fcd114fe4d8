//! Writes the gazetteers' prebuilt index, `resources/gazetteers/index.bin`, from the list
//! files under `resources/gazetteers/` (run it after changing a list or the tokenizer;
//! the test `shipped_index_is_the_lists` fails until then).
//!
//!     cargo run --release --bin gazetteer-index [-- --out resources/gazetteers/index.bin]

use std::process::ExitCode;

use news_annotator::pipeline::entities::gazetteer::Gazetteers;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let out = match args.iter().position(|a| a == "--out") {
        Some(i) => args.get(i + 1).cloned().unwrap_or_default(),
        None => "resources/gazetteers/index.bin".to_string(),
    };
    let gaz = Gazetteers::embedded_lists();
    match std::fs::write(&out, gaz.index_bytes()) {
        Ok(()) => {
            eprintln!("{out}: {} bytes", gaz.index_bytes().len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gazetteer-index: {out}: {e}");
            ExitCode::FAILURE
        }
    }
}
