//! One line of the NDJSON batch protocol, answered: shared by `annotate --jsonl` and
//! `POST /v1/annotate/batch`, so that both give byte-for-byte the same answer line for
//! the same request line.

use serde::Serialize;

use super::{request, Problem};
use crate::pipeline::{CancelToken, Pipeline};

/// The answer for a line that could not be annotated: `{"id", "error": {problem}}`.
#[derive(Serialize)]
struct LineError<'a> {
    id: Option<serde_json::Value>,
    error: &'a Problem,
}

/// One line of answer (without its newline): the document, or `{"id", "error"}`.
pub fn answer_line(pipeline: &Pipeline, line: &[u8]) -> String {
    answer_line_with(pipeline, line, &CancelToken::new())
}

/// [`answer_line`], stopped once `cancel` is cancelled (the line's `timeout` error).
pub fn answer_line_with(pipeline: &Pipeline, line: &[u8], cancel: &CancelToken) -> String {
    match request::parse_json(line) {
        Err(e) => error_line(request::salvage_id(line), &Problem::from_request_error(&e)),
        Ok(req) => {
            let id = req.id.clone();
            match super::annotate_with(pipeline, req, cancel) {
                // Plain data with string keys: serialising cannot fail.
                Ok(annotation) => {
                    serde_json::to_string(&annotation).expect("annotations serialise")
                }
                Err(error) => error_line(id, &error),
            }
        }
    }
}

/// The error line for a request whose `id` was `id`.
pub fn error_line(id: Option<serde_json::Value>, error: &Problem) -> String {
    serde_json::to_string(&LineError { id, error }).expect("problems serialise")
}
