//! The server's one error type and its rendering as RFC 9457 `application/problem+json`.
//!
//! Every answer that is not a document goes through [`ServerError`], so that each has
//! `type`, `title`, `status` and `detail`. An internal error is logged with its cause and
//! answered with a fixed sentence: nothing about the server's insides reaches a client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::api::{Problem, RequestError};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Why a request got no document.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The body was read but is not a valid request (400).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The pipeline refused the document (422, or 400 for binary input).
    #[error("{}", .0.detail)]
    Refused(Problem),
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the batch has {lines} lines, more than the limit of {limit}")]
    TooManyLines { lines: usize, limit: usize },
    /// A content type the route does not take: `got` as sent, `expected` says what to
    /// send instead (each route takes its own types).
    #[error("unsupported content type {got:?}")]
    UnsupportedMediaType { got: String, expected: &'static str },
    #[error("the request body could not be read: {0}")]
    BodyRead(String),
    #[error("no route for {0}")]
    NotFound(String),
    #[error("method {0} is not allowed here")]
    MethodNotAllowed(String),
    #[error("the models are still loading")]
    NotReady,
    #[error("the request took longer than {0:?}")]
    Timeout(std::time::Duration),
    #[error("too many requests in flight ({0}); retry shortly")]
    Overloaded(u32),
    #[error("{0}")]
    Unauthorized(&'static str),
    /// A fault of ours. The text is for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The problem kind of an answer, kept in the response's extensions for logs and metrics.
#[derive(Debug, Clone)]
pub struct ProblemKind(pub String);

impl ServerError {
    /// The problem this error is answered with.
    pub fn problem(&self) -> Problem {
        match self {
            ServerError::Request(e) => Problem::from_request_error(e),
            ServerError::Refused(p) => p.clone(),
            ServerError::PayloadTooLarge { .. } => Problem::new(
                "payload-too-large",
                "Payload too large",
                413,
                self.to_string(),
            ),
            ServerError::TooManyLines { .. } => {
                Problem::new("too-many-lines", "Too many lines", 413, self.to_string())
            }
            ServerError::UnsupportedMediaType { expected, .. } => Problem::new(
                "unsupported-media-type",
                "Unsupported media type",
                415,
                format!("{self}; send {expected}"),
            ),
            ServerError::BodyRead(_) => {
                Problem::new("unreadable-body", "Unreadable body", 400, self.to_string())
            }
            ServerError::NotFound(_) => Problem::new(
                "not-found",
                "Not found",
                404,
                format!("{self}; see /openapi.yaml"),
            ),
            ServerError::MethodNotAllowed(_) => Problem::new(
                "method-not-allowed",
                "Method not allowed",
                405,
                format!("{self}; see /openapi.yaml"),
            ),
            ServerError::NotReady => Problem::new("not-ready", "Not ready", 503, self.to_string()),
            ServerError::Timeout(_) => Problem::new("timeout", "Timeout", 503, self.to_string()),
            ServerError::Overloaded(_) => {
                Problem::new("overloaded", "Overloaded", 503, self.to_string())
            }
            ServerError::Unauthorized(_) => {
                Problem::new("unauthorized", "Unauthorized", 401, self.to_string())
            }
            ServerError::Internal(_) => Problem::new(
                "internal",
                "Internal server error",
                500,
                "the server failed to answer this request; it has been logged",
            ),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        if let ServerError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let mut response = problem_response(self.problem());
        let headers = response.headers_mut();
        match self {
            // Clients and load balancers back off for this long before trying again.
            ServerError::Overloaded(_) | ServerError::NotReady | ServerError::Timeout(_) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            ServerError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// Renders any problem as an `application/problem+json` response.
pub fn problem_response(problem: Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let kind = ProblemKind(problem.kind().to_string());
    let body = serde_json::to_vec(&problem).expect("problems serialise");
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response.extensions_mut().insert(kind);
    response
}
