//! `news-annotator annotate`: one document from a file (or stdin), pretty-printed; or,
//! with `--jsonl`, the batch protocol the scorers use: one request object a line on
//! stdin, one document a line on stdout, in the same order, each `id` echoed.
//!
//! The batch runs on all cores without giving up order or streaming: lines are read in
//! chunks, each chunk is annotated in parallel (rayon keeps the order of a `collect`),
//! and its answers are written before the next chunk is read, so a huge stdin is never
//! held in memory whole and the first answers come out early.

use std::fs;
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::api::{self, batch, request, AnnotateRequest, Problem};
use crate::pipeline::{Input, OffsetUnit, Options, Pipeline};

/// Flags of `news-annotator annotate`.
#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The article to annotate; `-` (the default) reads stdin.
    #[arg(value_name = "FILE|-", default_value = "-", conflicts_with = "jsonl")]
    pub file: String,
    /// Batch protocol: one JSON request a line on stdin, one document a line on stdout.
    #[arg(long)]
    pub jsonl: bool,
    /// Treat the input as HTML (default: by the file's extension, .html or .htm).
    #[arg(long, conflicts_with = "jsonl")]
    pub html: bool,
    /// Keep the text exactly as sent (no cleaning).
    #[arg(long, conflicts_with = "jsonl")]
    pub no_clean: bool,
    /// Skip the entity stage.
    #[arg(long, conflicts_with = "jsonl")]
    pub no_entities: bool,
    /// Skip the quote stage.
    #[arg(long, conflicts_with = "jsonl")]
    pub no_quotes: bool,
    /// Count offsets in UTF-16 code units instead of code points.
    #[arg(long, conflicts_with = "jsonl")]
    pub utf16: bool,
}

/// Runs the subcommand: exit 0 on success, 1 when the document was refused, 2 on I/O
/// or model errors.
pub fn run(args: AnnotateArgs) -> ExitCode {
    let pipeline = match Pipeline::new() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("news-annotator: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = if args.jsonl {
        let stdout = io::stdout().lock();
        let progress = super::progress::documents();
        let outcome = run_jsonl_with_progress(
            &pipeline,
            io::stdin().lock(),
            io::BufWriter::new(stdout),
            progress.as_ref(),
        );
        if let Some(p) = progress {
            p.finish();
        }
        outcome.map(|()| true)
    } else {
        annotate_one(&pipeline, &args)
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        // A closed stdout (`| head`) is how pipelines end, not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("news-annotator: {e}");
            ExitCode::from(2)
        }
    }
}

/// One document: printed pretty on stdout, or its problem on stderr (returns `false`).
fn annotate_one(pipeline: &Pipeline, args: &AnnotateArgs) -> io::Result<bool> {
    let bytes = if args.file == "-" {
        let mut buf = Vec::new();
        io::stdin().lock().read_to_end(&mut buf)?;
        buf
    } else {
        fs::read(&args.file).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", args.file)))?
    };
    let is_html = args.html || {
        let ext = PathBuf::from(&args.file)
            .extension()
            .map(|e| e.to_ascii_lowercase());
        matches!(
            ext.as_deref().and_then(|e| e.to_str()),
            Some("html" | "htm")
        )
    };
    let options = Options::default()
        .with_clean(!args.no_clean)
        .with_entities(!args.no_entities)
        .with_quotes(!args.no_quotes)
        .with_offsets(if args.utf16 {
            OffsetUnit::Utf16
        } else {
            OffsetUnit::Codepoints
        });
    let result = request::utf8(&bytes)
        .map_err(|e| Problem::from_request_error(&e))
        .and_then(|s| {
            let input = if is_html {
                Input::Html(s.to_string())
            } else {
                Input::Text(s.to_string())
            };
            api::annotate(
                pipeline,
                AnnotateRequest {
                    id: None,
                    input,
                    options,
                },
            )
        });
    match result {
        Ok(annotation) => {
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &annotation)?;
            out.write_all(b"\n")?;
            out.flush()?;
            Ok(true)
        }
        Err(problem) => {
            let mut err = io::stderr().lock();
            serde_json::to_writer_pretty(&mut err, &problem)?;
            err.write_all(b"\n")?;
            Ok(false)
        }
    }
}

/// How many lines, or how many bytes of them, make one parallel chunk: enough to keep
/// every core busy, small enough that answers start flowing at once.
const CHUNK_LINES: usize = 256;
const CHUNK_BYTES: usize = 8 << 20;

/// Runs the batch protocol from `input` to `output`. Blank lines are skipped; every
/// other line gets exactly one line of answer, in order.
pub fn run_jsonl(pipeline: &Pipeline, input: impl BufRead, output: impl Write) -> io::Result<()> {
    run_jsonl_with_progress(pipeline, input, output, None)
}

/// [`run_jsonl`], counting each answered line on `progress`.
pub fn run_jsonl_with_progress(
    pipeline: &Pipeline,
    mut input: impl BufRead,
    mut output: impl Write,
    progress: Option<&ProgressBar>,
) -> io::Result<()> {
    let mut chunk: Vec<Vec<u8>> = Vec::with_capacity(CHUNK_LINES);
    loop {
        let eof = read_chunk(&mut input, &mut chunk)?;
        let answers: Vec<String> = chunk
            .par_iter()
            .map(|line| {
                let answer = batch::answer_line(pipeline, line);
                if let Some(p) = progress {
                    p.inc(1);
                }
                answer
            })
            .collect();
        for answer in answers {
            output.write_all(answer.as_bytes())?;
            output.write_all(b"\n")?;
        }
        output.flush()?;
        chunk.clear();
        if eof {
            return Ok(());
        }
    }
}

/// Fills `chunk` with the next non-blank lines; returns whether stdin has ended.
fn read_chunk(input: &mut impl BufRead, chunk: &mut Vec<Vec<u8>>) -> io::Result<bool> {
    let mut bytes = 0;
    while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(true);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        bytes += line.len();
        chunk.push(line);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(input: &str) -> Vec<serde_json::Value> {
        let pipeline = Pipeline::new().unwrap();
        let mut out = Vec::new();
        run_jsonl(&pipeline, input.as_bytes(), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn answers_in_order_across_chunks_with_errors_in_place() {
        let mut input = String::new();
        for i in 0..(CHUNK_LINES + 10) {
            if i % 100 == 7 {
                input.push_str(&format!("{{\"id\": {i}, \"text\": }}\n"));
            } else {
                // Cleaning off: a one-line text may be judged boilerplate; this test is
                // about order, not cleaning.
                input.push_str(&format!(
                    "{{\"id\": {i}, \"text\": \"Line {i} said Mr. Smith.\", \"options\": {{\"clean\": false}}}}\n"
                ));
            }
            if i == 3 {
                input.push_str("\n   \n");
            }
        }
        let out = batch(&input);
        assert_eq!(out.len(), CHUNK_LINES + 10);
        for (i, doc) in out.iter().enumerate() {
            if i % 100 == 7 {
                // Not JSON: the id cannot be read back, the error says why.
                assert_eq!(doc["id"], serde_json::Value::Null);
                assert_eq!(doc["error"]["status"], 400);
                assert_eq!(doc["error"]["title"], "Malformed JSON");
            } else {
                assert_eq!(doc["id"], i);
                assert!(doc["text"].as_str().unwrap().contains(&format!("Line {i}")));
            }
        }
    }

    #[test]
    fn refused_documents_keep_their_id() {
        let out = batch("{\"id\": \"a\", \"text\": \"  \"}\n{\"id\": \"b\", \"html\": \"x\", \"text\": \"y\"}\n");
        assert_eq!(out[0]["id"], "a");
        assert_eq!(out[0]["error"]["status"], 422);
        assert_eq!(out[1]["id"], "b");
        assert_eq!(out[1]["error"]["status"], 400);
    }

    #[test]
    fn invalid_utf8_line_is_an_error_not_the_end() {
        let pipeline = Pipeline::new().unwrap();
        let mut out = Vec::new();
        let input: &[u8] = b"{\"id\": 1, \"text\": \"\xff\"}\n{\"id\": 2, \"text\": \"Fine.\"}\n";
        run_jsonl(&pipeline, input, &mut out).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["error"]["title"], "Invalid UTF-8");
        assert_eq!(lines[1]["id"], 2);
    }
}
