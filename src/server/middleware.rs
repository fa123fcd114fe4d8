//! The service's own middleware, each a small function: metrics per request, API keys,
//! content codings, request-id hygiene and security headers. (Request ids, tracing,
//! compression, CORS and catch-panic are tower-http layers, put together in
//! [`super::app`]; load shedding, the memory budget and the time limit are the
//! annotating path's, in [`super::work`], because they act once the body is read.)

use std::any::Any;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::error::{ProblemKind, ServerError};
use super::metrics;
use super::work::panic_message;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Records every request: in flight while it runs, then count, latency and error kind.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = metrics::method_label(request.method());
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
        method,
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

/// Content codings of request bodies: none (or `identity`), or gzip, which
/// [`RequestDecompressionLayer`](tower_http::decompression::RequestDecompressionLayer)
/// decodes on the way in. Anything else is a 415 problem before the body is read: read
/// as is, a compressed body would only fail later as invalid UTF-8.
pub async fn check_content_encoding(mut request: Request, next: Next) -> Response {
    let Some(value) = request.headers().get(header::CONTENT_ENCODING) else {
        return next.run(request).await;
    };
    let coding = String::from_utf8_lossy(value.as_bytes())
        .trim()
        .to_ascii_lowercase();
    match coding.as_str() {
        "identity" | "" => {
            request.headers_mut().remove(header::CONTENT_ENCODING);
            next.run(request).await
        }
        "gzip" | "x-gzip" => {
            // The decompression layer matches the token exactly.
            request
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            next.run(request).await
        }
        _ => {
            let mut shown = coding;
            shown.truncate(64);
            ServerError::UnsupportedEncoding(shown).into_response()
        }
    }
}

/// The most bytes of a client's `x-request-id` that are kept.
pub const MAX_REQUEST_ID: usize = 128;

/// Whether a client's request id is safe to log and echo: 1 to [`MAX_REQUEST_ID`]
/// bytes of letters, digits and `-_.:/+=@~` (UUIDs, ULIDs, trace ids, base64). A space
/// would forge fields in the text log, a control character would break its lines, and
/// a 400 KB id would be logged whole.
pub fn is_sane_request_id(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"-_.:/+=@~".contains(&b))
}

/// Drops an `x-request-id` that is not [sane](is_sane_request_id) (or not alone), so
/// that the request id layer generates one in its place.
pub async fn drop_unsafe_request_id(mut request: Request, next: Next) -> Response {
    let ids = request.headers().get_all(REQUEST_ID);
    let mut values = ids.iter();
    let keep = match (values.next(), values.next()) {
        (Some(v), None) => is_sane_request_id(v.as_bytes()),
        (None, _) => true,
        _ => false,
    };
    if !keep {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// The policy of the HTML pages: nothing but themselves. They hold no script and load
/// nothing (the one stylesheet is inline), post only to themselves, and may not be
/// framed (clickjacking).
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `X-Content-Type-Options: nosniff` on every answer (a problem or a document is never
/// to be read as HTML), and on HTML pages a Content-Security-Policy, frame protection
/// and no referrer.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// The answer to a panic in a handler: a plain 500 problem; the cause goes to the log only.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic_message(&*panic);
    ServerError::Internal(format!("handler panicked: {message}")).into_response()
}
