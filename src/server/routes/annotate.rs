//! `POST /v1/annotate`: the article as `text/plain`, a page as `text/html`, or a request
//! object as `application/json`; the annotation document as `application/json`.
//!
//! The checks run cheapest first and before the body is read: the content type (415)
//! and a declared `Content-Length` over the limit (413) are answered at once, while a
//! client may still be sending. A body without a length is read up to the limit and no
//! further. The pipeline then runs on the blocking pool, never on the async workers.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::api::{self, request, AnnotateRequest};
use crate::pipeline::{Input, Options};
use crate::server::app::AppState;
use crate::server::error::ServerError;
use crate::server::metrics;

/// What the body holds, by its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Text,
    Html,
    Json,
}

pub async fn annotate(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ServerError> {
    let kind = body_kind(&headers)?;
    let limit = state.body_limit;
    if declared_length(&headers).is_some_and(|n| n > limit as u64) {
        return Err(ServerError::PayloadTooLarge { limit });
    }
    let pipeline = state.pipeline()?;
    let bytes = read_body(body, limit).await?;
    let request = match kind {
        BodyKind::Json => request::parse_json(&bytes)?,
        BodyKind::Text | BodyKind::Html => {
            let text = into_string(bytes)?;
            AnnotateRequest {
                id: None,
                input: if kind == BodyKind::Html {
                    Input::Html(text)
                } else {
                    Input::Text(text)
                },
                options: Options::default(),
            }
        }
    };
    // Wait for a pipeline thread on the async side; the permit goes with the work and
    // is released when the work ends, even if this request has timed out meanwhile.
    let permit = Arc::clone(&state.workers)
        .acquire_owned()
        .await
        .map_err(|e| ServerError::Internal(format!("worker pool closed: {e}")))?;
    // Serialising a large document is CPU work too: it is done on the blocking pool.
    let answer = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        api::annotate(&pipeline, request).map(|doc| {
            metrics::record_document(&doc.stats);
            serde_json::to_vec(&doc)
        })
    })
    .await
    .map_err(|e| ServerError::Internal(format!("annotation task failed: {e}")))?;
    match answer {
        Ok(Ok(json)) => Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            json,
        )
            .into_response()),
        Ok(Err(e)) => Err(ServerError::Internal(format!(
            "serialising the document: {e}"
        ))),
        Err(problem) => Err(ServerError::Refused(problem)),
    }
}

/// The kind of body from its media type; anything else (or none) is a 415.
fn body_kind(headers: &HeaderMap) -> Result<BodyKind, ServerError> {
    let raw = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let unsupported = || ServerError::UnsupportedMediaType(raw.clone());
    let mut parts = raw.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    // Bodies are read as UTF-8; a declared charset that is something else would be
    // misread, so it is refused rather than guessed at.
    for param in parts {
        if let Some((name, value)) = param.split_once('=') {
            let value = value.trim().trim_matches('"').to_ascii_lowercase();
            if name.trim().eq_ignore_ascii_case("charset")
                && !matches!(value.as_str(), "utf-8" | "utf8" | "us-ascii")
            {
                return Err(unsupported());
            }
        }
    }
    match essence.as_str() {
        "text/plain" => Ok(BodyKind::Text),
        "text/html" | "application/xhtml+xml" => Ok(BodyKind::Html),
        "application/json" => Ok(BodyKind::Json),
        e if e.starts_with("application/") && e.ends_with("+json") => Ok(BodyKind::Json),
        _ => Err(unsupported()),
    }
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the whole body, refusing it as soon as it grows past `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, ServerError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let over_limit =
            std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
                e.source()
            })
            .any(|e| e.is::<http_body_util::LengthLimitError>());
        if over_limit {
            ServerError::PayloadTooLarge { limit }
        } else {
            ServerError::BodyRead(e.to_string())
        }
    })
}

/// The body as a `String`, without copying when the buffer is not shared.
fn into_string(bytes: Bytes) -> Result<String, ServerError> {
    request::utf8(&bytes)?;
    Ok(String::from_utf8(Vec::from(bytes)).expect("checked above"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(content_type: &str) -> Result<BodyKind, ServerError> {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        body_kind(&h)
    }

    #[test]
    fn media_types_are_matched_on_their_essence() {
        assert_eq!(kind("text/plain").unwrap(), BodyKind::Text);
        assert_eq!(kind("Text/Plain; charset=UTF-8").unwrap(), BodyKind::Text);
        assert_eq!(kind("text/html;charset=\"utf-8\"").unwrap(), BodyKind::Html);
        assert_eq!(kind("application/json").unwrap(), BodyKind::Json);
        assert_eq!(kind("application/vnd.api+json").unwrap(), BodyKind::Json);
        assert!(kind("text/plain; charset=latin1").is_err());
        assert!(kind("application/x-www-form-urlencoded").is_err());
        assert!(body_kind(&HeaderMap::new()).is_err());
    }
}
