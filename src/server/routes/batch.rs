//! `POST /v1/annotate/batch`: NDJSON in (one request object a line), NDJSON out (one
//! answer a line, same order), streamed as answers are ready.
//!
//! The body is read first, up to the batch byte limit, and its lines counted, so that a
//! batch over either limit gets a clean 413 before any answer is sent (once the first
//! answer line is out the status is 200 and cannot change). The lines are then annotated
//! on rayon's pool, a bounded window of them at a time, and reassembled in order on a
//! blocking thread that feeds the response body through a bounded channel: the cores
//! stay busy without a barrier between chunks, memory stays bounded by the window, and a
//! client that goes away stops the work at the next line.
//!
//! A line that cannot be annotated (malformed JSON, bad request object, refused
//! document, larger than the single-request limit) gets `{"id", "error": {problem}}` in
//! its place, and the batch goes on. Blank lines are skipped, as in `annotate --jsonl`.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::annotate::{declared_length, read_body};
use crate::api::batch::{answer_line, error_line};
use crate::api::{request, Problem};
use crate::pipeline::Pipeline;
use crate::server::app::AppState;
use crate::server::error::ServerError;

pub const NDJSON: &str = "application/x-ndjson";

/// Lines in flight per core: enough that a long article does not leave a core idle
/// while the next answer in order is awaited.
const WINDOW_PER_CORE: usize = 4;

pub async fn annotate_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ServerError> {
    check_content_type(&headers)?;
    let limits = state.batch;
    if declared_length(&headers).is_some_and(|n| n > limits.max_bytes as u64) {
        return Err(ServerError::PayloadTooLarge {
            limit: limits.max_bytes,
        });
    }
    let pipeline = state.pipeline()?;
    let bytes = read_body(body, limits.max_bytes).await?;
    let lines = split_lines(&bytes);
    if lines.len() > limits.max_lines {
        return Err(ServerError::TooManyLines {
            lines: lines.len(),
            limit: limits.max_lines,
        });
    }
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(64);
    let line_limit = state.body_limit;
    tokio::task::spawn_blocking(move || {
        annotate_in_order(pipeline, lines, line_limit, |answer| {
            tx.blocking_send(Ok(answer)).is_ok()
        })
    });
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(NDJSON))],
        Body::from_stream(ReceiverStream::new(rx)),
    )
        .into_response())
}

/// NDJSON under its registered and its common names.
fn check_content_type(headers: &HeaderMap) -> Result<(), ServerError> {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines" => Ok(()),
        _ => Err(ServerError::UnsupportedMediaType {
            got: raw,
            expected: "application/x-ndjson: one JSON request object a line (as POST /v1/annotate takes with application/json), UTF-8",
        }),
    }
}

/// The non-blank lines of the body, as cheap slices of it.
fn split_lines(body: &Bytes) -> Vec<Bytes> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &b) in body.iter().enumerate() {
        if b == b'\n' {
            lines.push(body.slice(start..i));
            start = i + 1;
        }
    }
    lines.push(body.slice(start..));
    lines.retain(|l| !l.iter().all(u8::is_ascii_whitespace));
    lines
}

/// Annotates `lines` on rayon's pool, a window at a time, and hands each answer line
/// (with its newline) to `emit` in input order. Stops early when `emit` returns false
/// (the client has gone). Runs on a blocking thread: it waits, it does not compute.
fn annotate_in_order(
    pipeline: Arc<Pipeline>,
    lines: Vec<Bytes>,
    line_limit: usize,
    mut emit: impl FnMut(Bytes) -> bool,
) {
    let window = rayon::current_num_threads().max(1) * WINDOW_PER_CORE;
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, String)>();
    let mut pending: BTreeMap<usize, String> = BTreeMap::new();
    let (mut submitted, mut emitted) = (0, 0);
    while emitted < lines.len() {
        while submitted < lines.len() && submitted - emitted < window {
            let (i, line) = (submitted, lines[submitted].clone());
            let (pipeline, done) = (Arc::clone(&pipeline), done_tx.clone());
            rayon::spawn(move || {
                let answer = if line.len() > line_limit {
                    let e = ServerError::PayloadTooLarge { limit: line_limit };
                    error_line(request::salvage_id(&line), &line_problem(&e))
                } else {
                    answer_line(&pipeline, &line)
                };
                let _ = done.send((i, answer));
            });
            submitted += 1;
        }
        let Ok((i, answer)) = done_rx.recv() else {
            return; // a task panicked before answering: the stream just ends
        };
        pending.insert(i, answer);
        while let Some(mut answer) = pending.remove(&emitted) {
            answer.push('\n');
            if !emit(Bytes::from(answer)) {
                return;
            }
            emitted += 1;
        }
    }
}

fn line_problem(e: &ServerError) -> Problem {
    let mut p = e.problem();
    p.detail = format!(
        "this line is larger than the single-request limit: {}",
        p.detail
    );
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_and_blank_ones_dropped() {
        let body = Bytes::from_static(b"{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}");
        let lines = split_lines(&body);
        assert_eq!(lines.len(), 3);
        assert_eq!(&lines[0][..], b"{\"a\":1}");
        assert_eq!(&lines[2][..], b"{\"c\":3}");
        assert!(split_lines(&Bytes::from_static(b"\n\n")).is_empty());
    }

    #[test]
    fn answers_come_out_in_input_order_and_oversized_lines_are_errors() {
        let pipeline = Arc::new(Pipeline::new().unwrap());
        let mut lines: Vec<Bytes> = (0..40)
            .map(|i| {
                // Uneven lengths, so that later lines often finish first.
                let text = "Kerry said it was so. ".repeat(if i % 3 == 0 { 40 } else { 1 });
                // Cleaning off: short made-up lines are not what this test is about.
                Bytes::from(format!(
                    "{{\"id\": {i}, \"text\": \"{text}\", \"options\": {{\"clean\": false}}}}"
                ))
            })
            .collect();
        lines[5] = Bytes::from(format!("{{\"id\": 5, \"text\": \"{}\"}}", "x".repeat(3000)));
        let mut out = Vec::new();
        annotate_in_order(pipeline, lines, 2000, |b| {
            out.push(b);
            true
        });
        assert_eq!(out.len(), 40);
        for (i, line) in out.iter().enumerate() {
            assert_eq!(line.last(), Some(&b'\n'));
            let v: serde_json::Value = serde_json::from_slice(line).unwrap();
            assert_eq!(v["id"], i, "order");
            assert_eq!(v.get("error").is_some(), i == 5);
        }
    }

    #[test]
    fn a_client_that_goes_away_stops_the_batch() {
        let pipeline = Arc::new(Pipeline::new().unwrap());
        let lines = vec![Bytes::from_static(b"{\"text\": \"Hi.\"}"); 50];
        let mut n = 0;
        annotate_in_order(pipeline, lines, 1 << 20, |_| {
            n += 1;
            n < 3
        });
        assert_eq!(n, 3);
    }
}
