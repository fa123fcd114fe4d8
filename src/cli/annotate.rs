//! `news-annotator annotate`: one document from a file, or the JSON-lines batch protocol
//! the scorers use (one request object a line on stdin, one document a line on stdout).

use std::io::{BufRead, Write};

use serde::Deserialize;

use crate::pipeline::{Input, Options, Pipeline};

/// One line of the batch protocol.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub html: Option<String>,
    #[serde(default)]
    pub options: Options,
}

/// Annotates each line of `input`, writing one JSON document a line to `output`.
pub fn run_jsonl(
    pipeline: &Pipeline,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<BatchRequest>(&line) {
            Ok(req) => {
                let doc = match (req.text, req.html) {
                    (Some(t), None) => Some(Input::Text(t)),
                    (None, Some(h)) => Some(Input::Html(h)),
                    _ => None,
                };
                match doc.map(|d| pipeline.annotate(d, &req.options)) {
                    Some(Ok(mut a)) => {
                        a.id = req.id;
                        serde_json::to_value(a).expect("annotation serialises")
                    }
                    Some(Err(e)) => {
                        serde_json::json!({"id": req.id, "error": {"title": e.to_string()}})
                    }
                    None => {
                        serde_json::json!({"id": req.id, "error": {"title": "exactly one of text and html is required"}})
                    }
                }
            }
            Err(e) => {
                serde_json::json!({"id": null, "error": {"title": "malformed request line", "detail": e.to_string()}})
            }
        };
        serde_json::to_writer(&mut output, &answer)?;
        output.write_all(b"\n")?;
    }
    output.flush()
}
