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
    let pipeline = state.loaded_pipeline().await?;
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
    // `Accept: text/html` (a browser) gets the reading view of the same document.
    let html = wants_html(&headers);
    // Wait for a pipeline thread on the async side; the permit goes with the work and
    // is released when the work ends, even if this request has timed out meanwhile.
    let permit = Arc::clone(&state.workers)
        .acquire_owned()
        .await
        .map_err(|e| ServerError::Internal(format!("worker pool closed: {e}")))?;
    // Serialising a large document is CPU work too: it is done on the blocking pool.
    let answer = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let sent = html.then(|| request.input.as_str().to_owned());
        api::annotate(&pipeline, request).map(|doc| {
            metrics::record_document(&doc.stats);
            match sent {
                Some(input) => Ok((
                    "text/html; charset=utf-8",
                    crate::server::view::render(&doc, Some(&input)).into_bytes(),
                )),
                None => serde_json::to_vec(&doc).map(|json| ("application/json", json)),
            }
        })
    })
    .await
    .map_err(|e| ServerError::Internal(format!("annotation task failed: {e}")))?;
    match answer {
        Ok(Ok((content_type, body))) => Ok((
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            body,
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
    let unsupported = || {
        ServerError::UnsupportedMediaType {
        got: raw.clone(),
        expected: "text/plain (the article), text/html (a page) or application/json ({\"text\"|\"html\", \"id\"?, \"options\"?}), UTF-8; many articles go to POST /v1/annotate/batch as application/x-ndjson",
    }
    };
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

/// True when the client prefers HTML to JSON: `text/html` has a higher quality than
/// `application/json` (or the wildcards that cover it), or the same and comes first.
/// No `Accept`, or `*/*`, keeps JSON: API clients need not say anything.
fn wants_html(headers: &HeaderMap) -> bool {
    let mut best: [(f32, usize); 2] = [(0.0, usize::MAX); 2]; // html, json: (q, position)
    let mut json_specificity = 0;
    for (pos, range) in headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .enumerate()
    {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "text/html" | "application/xhtml+xml" if q > best[0].0 => best[0] = (q, pos),
            // The most specific range that covers JSON decides its quality.
            "application/json" | "application/*" | "*/*" => {
                let specificity = match media.as_str() {
                    "application/json" => 3,
                    "application/*" => 2,
                    _ => 1,
                };
                if specificity > json_specificity {
                    json_specificity = specificity;
                    best[1] = (q, pos);
                }
            }
            _ => {}
        }
    }
    let (html, json) = (best[0], best[1]);
    html.0 > 0.0 && (html.0 > json.0 || (html.0 == json.0 && html.1 < json.1))
}

pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the whole body, refusing it as soon as it grows past `limit` bytes.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ServerError> {
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
    fn browsers_get_html_and_api_clients_json() {
        let accept = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, v.parse().unwrap());
            wants_html(&h)
        };
        assert!(!wants_html(&HeaderMap::new()));
        assert!(accept("text/html"));
        assert!(accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!accept("*/*"));
        assert!(!accept("application/json"));
        assert!(!accept("application/json, text/html"));
        assert!(accept("text/html, application/json"));
        assert!(!accept("text/html;q=0.5, application/json"));
        assert!(!accept("text/html;q=0"));
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
