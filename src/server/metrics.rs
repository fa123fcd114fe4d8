//! Prometheus metrics: one process-wide recorder, rendered by `GET /metrics`.
//!
//! What is measured, and why each is labelled as it is:
//! - `news_annotator_http_requests_total{method,route,status}` and
//!   `news_annotator_http_request_duration_seconds{route}`: traffic and latency per
//!   endpoint. `route` is the matched pattern (or `unmatched`), never the raw URL, so the
//!   number of series stays bounded whatever clients send.
//! - `news_annotator_http_requests_in_flight`: what load shedding acts on.
//! - `news_annotator_errors_total{kind}`: answers by problem kind (`malformed-json`, ...).
//! - `news_annotator_stage_duration_seconds{stage}`: where the CPU time goes, from each
//!   document's `stats.stage_us`.
//! - `news_annotator_document_chars{of="input"|"text"}`: the sizes being annotated.

use std::sync::OnceLock;
use std::time::Duration;

use axum::http::header;
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::pipeline::output::Stats;

pub const REQUESTS: &str = "news_annotator_http_requests_total";
pub const LATENCY: &str = "news_annotator_http_request_duration_seconds";
pub const IN_FLIGHT: &str = "news_annotator_http_requests_in_flight";
pub const ERRORS: &str = "news_annotator_errors_total";
pub const STAGE: &str = "news_annotator_stage_duration_seconds";
pub const DOC_CHARS: &str = "news_annotator_document_chars";

const SECONDS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];
const CHARS: &[f64] = &[
    100.0,
    1_000.0,
    3_000.0,
    10_000.0,
    30_000.0,
    100_000.0,
    300_000.0,
    1_000_000.0,
    5_000_000.0,
];

/// The process-wide recorder's handle; the recorder is installed on first use.
///
/// The recorder is global state of the server shell (the pipeline has none): one
/// registry per process is what a scrape expects, and tests that start several
/// applications in one process share it.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(DOC_CHARS.into()), CHARS))
            .expect("bucket lists are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
        }
        handle
    })
}

/// One answered request.
pub fn record_request(
    method: &str,
    route: &str,
    status: u16,
    latency: Duration,
    problem: Option<&str>,
) {
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(LATENCY, "route" => route.to_owned()).record(latency.as_secs_f64());
    if let Some(kind) = problem {
        metrics::counter!(ERRORS, "kind" => kind.to_owned()).increment(1);
    }
}

/// One annotated document: time per stage and sizes.
pub fn record_document(stats: &Stats) {
    for (stage, us) in &stats.stage_us {
        metrics::histogram!(STAGE, "stage" => stage.clone()).record(*us as f64 / 1e6);
    }
    metrics::histogram!(DOC_CHARS, "of" => "input").record(stats.input_chars as f64);
    metrics::histogram!(DOC_CHARS, "of" => "text").record(stats.text_chars as f64);
}

/// Keeps the in-flight gauge right even when a request is dropped half-way (client
/// gone, timeout): the decrement is in `Drop`.
pub struct InFlight;

impl InFlight {
    pub fn start() -> Self {
        metrics::gauge!(IN_FLIGHT).increment(1.0);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(IN_FLIGHT).decrement(1.0);
    }
}

/// `GET /metrics`, in the Prometheus text format.
pub async fn render() -> impl IntoResponse {
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}
