//! RFC 9457 problem details: the one shape every error takes, over HTTP
//! (`application/problem+json`) and in the CLI's batch protocol (`{"id", "error": {...}}`).
//!
//! Only the client's own mistakes get a specific `detail`; the server layer builds
//! internal-error problems with a fixed text so that no cause chain reaches a client.

use serde::{Deserialize, Serialize};

use super::request::RequestError;
use crate::pipeline::output::RemovedOut;
use crate::pipeline::PipelineError;

/// The prefix of every problem `type` this service defines. A URN rather than a URL:
/// it names the kind of problem without promising a page to read.
pub const TYPE_PREFIX: &str = "urn:news-annotator:problem:";

/// One problem, as RFC 9457 defines its members (plus `removed` for one kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For "no article text": what cleaning removed, so the client can see why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Vec<RemovedOut>>,
}

impl Problem {
    /// A problem of this service's own kind `kind` (a slug, e.g. `malformed-json`).
    pub fn new(kind: &str, title: &str, status: u16, detail: impl Into<String>) -> Self {
        Problem {
            type_uri: format!("{TYPE_PREFIX}{kind}"),
            title: title.to_string(),
            status,
            detail: detail.into(),
            removed: None,
        }
    }

    /// The kind slug back out of `type` (for logs and metrics labels).
    pub fn kind(&self) -> &str {
        self.type_uri
            .strip_prefix(TYPE_PREFIX)
            .unwrap_or(&self.type_uri)
    }

    /// The problem for an unreadable request: always 400.
    pub fn from_request_error(e: &RequestError) -> Self {
        Problem::new(e.kind(), e.title(), 400, e.to_string())
    }

    /// The problem for a document the pipeline did not annotate: the client's doing
    /// (4xx, with the reason), a cancelled run (503, as the server's time limit), or a
    /// fault (500, with a fixed text: the cause is for the log, not the client).
    pub fn from_pipeline_error(e: &PipelineError) -> Self {
        match e {
            PipelineError::EmptyText => {
                Problem::new("empty-text", "Empty text", 422, e.to_string())
            }
            PipelineError::BinaryInput => {
                Problem::new("binary-input", "Binary input", 400, e.to_string())
            }
            PipelineError::NoArticleText { removed } => {
                let mut p = Problem::new(
                    "no-article-text",
                    "No article text found",
                    422,
                    format!(
                        "no article text found: cleaning removed everything ({} stretches of input, listed in `removed`); send `\"options\": {{\"clean\": false}}` to annotate the text as sent",
                        removed.len()
                    ),
                );
                p.removed = Some(removed.clone());
                p
            }
            PipelineError::UnsupportedLanguage { code, name } => Problem::new(
                "unsupported-language",
                "Unsupported language",
                422,
                format!(
                    "the text is in {name} ({code}); this service annotates English only. Send `\"options\": {{\"language\": \"en\"}}` to annotate it as English anyway, or `\"entities\": false, \"quotes\": false` to clean it only"
                ),
            ),
            PipelineError::TextTooLarge { .. } => {
                Problem::new("text-too-large", "Text too large", 413, e.to_string())
            }
            PipelineError::Cancelled => Problem::new(
                "timeout",
                "Timeout",
                503,
                "the annotation did not finish within the time limit",
            ),
            PipelineError::Internal { .. } => Problem::new(
                "internal",
                "Internal server error",
                500,
                "the server failed to annotate this document; it has been logged",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_errors_are_400_with_their_kind() {
        let p = Problem::from_request_error(&RequestError::MissingInput);
        assert_eq!(p.status, 400);
        assert_eq!(p.kind(), "text-or-html");
        let json = serde_json::to_value(&p).unwrap();
        for field in ["type", "title", "status", "detail"] {
            assert!(json.get(field).is_some(), "{field} missing");
        }
        assert!(json.get("removed").is_none());
    }

    #[test]
    fn empty_text_is_422() {
        let p = Problem::from_pipeline_error(&PipelineError::EmptyText);
        assert_eq!((p.status, p.kind()), (422, "empty-text"));
    }
}
