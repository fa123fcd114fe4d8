//! The service's own middleware, each a small function: metrics per request, API keys,
//! load shedding and the time limit. (Request ids, tracing, compression, CORS and
//! catch-panic are tower-http layers, put together in [`super::app`].)

use std::any::Any;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

use super::error::{ProblemKind, ServerError};
use super::metrics;

/// Records every request: in flight while it runs, then count, latency and error kind.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let in_flight = metrics::InFlight::start();
    let response = next.run(request).await;
    drop(in_flight);
    let kind = response
        .extensions()
        .get::<ProblemKind>()
        .map(|k| k.0.as_str());
    metrics::record_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
        kind,
    );
    response
}

/// The accepted API keys. Empty: no key is needed.
#[derive(Clone, Default)]
pub struct ApiKeys(pub Arc<Vec<Vec<u8>>>);

/// Lets a request through only with `Authorization: Bearer KEY` for a configured key.
///
/// Every key is compared, in constant time, whatever matched before: the time taken
/// tells an attacker nothing about how much of a guess was right.
pub async fn require_api_key(
    State(keys): State<ApiKeys>,
    request: Request,
    next: Next,
) -> Response {
    if keys.0.is_empty() {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return ServerError::Unauthorized("this endpoint needs `Authorization: Bearer KEY`")
            .into_response();
    };
    let given = value.as_bytes();
    let token = match given.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case(b"bearer ") => given[7..].trim_ascii(),
        _ => {
            return ServerError::Unauthorized("the Authorization header must be `Bearer KEY`")
                .into_response()
        }
    };
    let matched = keys.0.iter().fold(subtle::Choice::from(0), |acc, key| {
        acc | key.as_slice().ct_eq(token)
    });
    if bool::from(matched) {
        next.run(request).await
    } else {
        ServerError::Unauthorized("the API key is not valid").into_response()
    }
}

/// The in-flight limit of the annotation endpoint.
#[derive(Clone)]
pub struct Shedder {
    pub permits: Arc<Semaphore>,
    pub limit: u32,
}

impl Shedder {
    pub fn new(limit: u32) -> Self {
        Shedder {
            permits: Arc::new(Semaphore::new(limit as usize)),
            limit,
        }
    }
}

/// Refuses a request at once (503, Retry-After) when the limit is reached, rather than
/// queueing it without bound: a client can retry elsewhere, a queue only grows.
pub async fn shed_load(State(shedder): State<Shedder>, request: Request, next: Next) -> Response {
    match shedder.permits.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => ServerError::Overloaded(shedder.limit).into_response(),
    }
}

/// Answers 503 when a request takes longer than the limit. The pipeline's CPU work is
/// not interrupted (it cannot be), but it holds a worker permit until it ends, so the
/// pool is never oversubscribed by abandoned work.
pub async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ServerError::Timeout(limit).into_response(),
    }
}

/// The answer to a panic in a handler: a plain 500 problem; the cause goes to the log only.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned());
    ServerError::Internal(format!("handler panicked: {message}")).into_response()
}
