//! `POST /v1/annotate/batch`: NDJSON in (one request object a line), NDJSON out (one
//! answer a line, same order), streamed as answers are ready.
//!
//! The body is read first, up to the batch byte limit (within the body timeout and the
//! memory budget), and its lines counted, so that a batch over either limit gets a clean
//! 413 before any answer is sent (once the first answer line is out the status is 200
//! and cannot change). The batch then holds one in-flight slot for as long as it
//! streams, and each line goes the same annotating path as a single request (memory
//! share, worker, time limit, panic caught: [`work`](crate::server::work)). A bounded
//! window of lines is in progress at a time, each on its own task, and an async task
//! sends their answers in order through a bounded channel: no thread waits on the
//! client. A client that stops reading fills the channel, which stops new lines from
//! starting; one that goes away (or is cut off by the write timeout) drops the
//! channel, which cancels the lines in progress.
//!
//! A line that cannot be annotated (malformed JSON, bad request object, refused
//! document, larger than the single-request limit, over the time limit, a fault) gets
//! `{"id", "error": {problem}}` in its place, and the batch goes on. Blank lines are
//! skipped, as in `annotate --jsonl`.

use std::collections::VecDeque;
use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use crate::api::batch::{answer_line_with, error_line};
use crate::api::request;
use crate::server::app::AppState;
use crate::server::body;
use crate::server::budget::Reservation;
use crate::server::error::ServerError;
use crate::server::work::{Admission, Annotator};

pub const NDJSON: &str = "application/x-ndjson";

/// Lines in progress per worker: enough that a long article does not leave a worker
/// idle while the next answer in order is awaited, few enough that a single request
/// arriving meanwhile waits behind a couple of lines at most.
const WINDOW_PER_WORKER: usize = 2;

/// Answer lines waiting for the client, beyond the window.
const CHANNEL: usize = 16;

pub async fn annotate_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ServerError> {
    check_content_type(&headers)?;
    let limits = state.batch;
    body::check_declared_length(&headers, limits.body.limit)?;
    state.ready()?;
    // The body, and each line's share, come from the batches' lane of the budget.
    let (bytes, held) =
        body::read(body, &headers, limits.body, state.annotator.batch_budget()).await?;
    let lines = split_lines(&bytes);
    if lines.len() > limits.max_lines {
        return Err(ServerError::TooManyLines {
            lines: lines.len(),
            limit: limits.max_lines,
        });
    }
    let admission = state.annotator.admit_batch()?;
    let (tx, rx) = mpsc::channel::<(Bytes, Reservation)>(CHANNEL);
    let batch = Batch {
        annotator: state.annotator.clone(),
        line_limit: state.body.limit,
        _admission: admission,
        _body: held,
    };
    tokio::spawn(batch.stream(lines, tx));
    // Each line's share of the budget is given back as hyper takes the line.
    let answers = ReceiverStream::new(rx).map(|(line, _share)| Ok::<_, Infallible>(line));
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(NDJSON))],
        Body::from_stream(answers),
    )
        .into_response())
}

/// A batch being answered: what it holds until its last line is sent.
struct Batch {
    annotator: Annotator,
    line_limit: usize,
    _admission: Admission,
    _body: Reservation,
}

impl Batch {
    /// Annotates `lines` a window at a time and sends each answer line (with its
    /// newline) in input order; stops when the client has gone.
    async fn stream(self, lines: Vec<Bytes>, tx: mpsc::Sender<(Bytes, Reservation)>) {
        let window = self.annotator.workers() * WINDOW_PER_WORKER;
        let mut in_progress = InProgress(VecDeque::with_capacity(window));
        let mut lines = lines.into_iter();
        loop {
            while in_progress.0.len() < window {
                let Some(line) = lines.next() else { break };
                let (annotator, limit) = (self.annotator.clone(), self.line_limit);
                in_progress
                    .0
                    .push_back(tokio::spawn(answer(annotator, line, limit)));
            }
            let Some(next) = in_progress.0.pop_front() else {
                return; // every line answered
            };
            let answer = match next.await {
                Ok(answer) => answer,
                // The task was aborted or panicked outside the worker: neither happens
                // while the batch runs, but a line is never silently lost.
                Err(e) => (
                    problem_line(
                        None,
                        &ServerError::Internal(format!("batch line task: {e}")),
                    ),
                    Reservation::empty(),
                ),
            };
            if tx.send(answer).await.is_err() {
                return; // the client has gone: `in_progress` cancels the rest
            }
        }
    }
}

/// The lines in progress; dropping it (client gone) aborts them, which cancels their work.
struct InProgress(VecDeque<JoinHandle<(Bytes, Reservation)>>);

impl Drop for InProgress {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// The answer line for one request line, with the share of the budget it holds.
async fn answer(annotator: Annotator, line: Bytes, line_limit: usize) -> (Bytes, Reservation) {
    if line.len() > line_limit {
        let e = ServerError::PayloadTooLarge { limit: line_limit };
        return (
            problem_line(request::salvage_id(&line), &e),
            Reservation::empty(),
        );
    }
    let size = line.len();
    let sent = line.clone();
    match annotator
        .run_within(
            annotator.batch_budget(),
            size,
            Reservation::empty(),
            move |pipeline, cancel| {
                let mut answer = answer_line_with(pipeline, &line, cancel);
                answer.push('\n');
                answer
            },
        )
        .await
    {
        Ok((answer, mut share)) => {
            // Until it is sent, the answer line holds its own size of the budget.
            share.shrink_to(answer.len());
            (Bytes::from(answer), share)
        }
        // Over the time limit, or a fault: the line's error, in its place.
        Err(e) => (
            problem_line(request::salvage_id(&sent), &e),
            Reservation::empty(),
        ),
    }
}

/// `{"id", "error"}` and a newline, for a line the pipeline did not answer.
fn problem_line(id: Option<serde_json::Value>, e: &ServerError) -> Bytes {
    if let ServerError::Internal(cause) = e {
        tracing::error!(%cause, "batch line failed");
    }
    let mut problem = e.problem();
    if matches!(e, ServerError::PayloadTooLarge { .. }) {
        problem.detail = format!(
            "this line is larger than the single-request limit: {}",
            problem.detail
        );
    }
    let mut line = error_line(id, &problem);
    line.push('\n');
    Bytes::from(line)
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use tokio::sync::watch;

    use super::*;
    use crate::pipeline::Pipeline;
    use crate::server::work::Limits;

    #[test]
    fn lines_are_split_and_blank_ones_dropped() {
        let body = Bytes::from_static(b"{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}");
        let lines = split_lines(&body);
        assert_eq!(lines.len(), 3);
        assert_eq!(&lines[0][..], b"{\"a\":1}");
        assert_eq!(&lines[2][..], b"{\"c\":3}");
        assert!(split_lines(&Bytes::from_static(b"\n\n")).is_empty());
    }

    fn annotator() -> Annotator {
        let pipeline = Arc::new(Pipeline::new().unwrap());
        let (_, rx) = watch::channel(Some(pipeline));
        Annotator::new(
            rx,
            Limits {
                max_in_flight: 1,
                workers: 2,
                memory_budget: 64 << 20,
                timeout: Duration::from_secs(60),
            },
        )
    }

    fn batch(annotator: &Annotator, line_limit: usize) -> Batch {
        Batch {
            annotator: annotator.clone(),
            line_limit,
            _admission: annotator.admit_batch().expect("a free slot"),
            _body: Reservation::empty(),
        }
    }

    #[tokio::test]
    async fn answers_come_out_in_input_order_and_oversized_lines_are_errors() {
        let annotator = annotator();
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
        let (tx, mut rx) = mpsc::channel(4);
        tokio::spawn(batch(&annotator, 2000).stream(lines, tx));
        let mut out = Vec::new();
        while let Some((line, _)) = rx.recv().await {
            out.push(line);
        }
        assert_eq!(out.len(), 40);
        for (i, line) in out.iter().enumerate() {
            assert_eq!(line.last(), Some(&b'\n'));
            let v: serde_json::Value = serde_json::from_slice(line).unwrap();
            assert_eq!(v["id"], i, "order");
            assert_eq!(v.get("error").is_some(), i == 5);
        }
        // The batch's in-flight slot was given back with its last line.
        assert!(annotator.admit().is_ok());
    }

    #[tokio::test]
    async fn a_client_that_goes_away_stops_the_batch() {
        let annotator = annotator();
        let lines = vec![Bytes::from_static(b"{\"text\": \"Hi.\"}"); 50];
        let (tx, mut rx) = mpsc::channel(1);
        let streaming = tokio::spawn(batch(&annotator, 1 << 20).stream(lines, tx));
        for _ in 0..3 {
            rx.recv().await.expect("an answer");
        }
        drop(rx);
        // The batch ends at its next send instead of annotating the other 47 lines,
        // and gives its slot back.
        streaming.await.unwrap();
        assert!(annotator.admit().is_ok());
    }
}
