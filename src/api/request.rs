//! The annotation request as clients send it, parsed in one place for both shells.
//!
//! The HTTP server (`POST /v1/annotate` with `application/json`) and the CLI's batch
//! protocol (`annotate --jsonl`, one object a line) accept the same object:
//! `{"text"|"html": string, "id"?: any, "options"?: {...}}`. Parsing it here, with one
//! typed error, keeps the two from drifting apart: a line the CLI refuses is a body the
//! server refuses, with the same problem fields.

use serde::Deserialize;

use crate::pipeline::{Input, Options};

/// The JSON request object, exactly as the wire carries it.
///
/// Unknown fields (at the top level and in `options`) are refused rather than ignored:
/// a misspelt `"optoins"` would otherwise silently run every stage.
///
/// Every optional field also takes an explicit `null`, meaning the same as leaving it
/// out: clients generated from `openapi.yaml` (pydantic models, openapi-python-client
/// with `None`) send `"options": null` or `"quotes": null` for a field they were not
/// given, and refusing that would make every such client fail on its first call.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireRequest {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    html: Option<String>,
    #[serde(default, deserialize_with = "options_or_default")]
    options: Options,
}

/// `options` absent, `null`, or an object whose known options may each be `null`
/// (that option's default). A `null` under a name that is not an option is kept, so
/// that `{"optoins": null}`-style typos are still refused by `deny_unknown_fields`.
fn options_or_default<'de, D>(deserializer: D) -> Result<Options, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error;
    let Some(mut given) =
        Option::<serde_json::Map<String, serde_json::Value>>::deserialize(deserializer)?
    else {
        return Ok(Options::default());
    };
    // The names of the options, read from their serialised defaults so that an option
    // added to `Options` later is covered without a list to keep in step here.
    let defaults = serde_json::to_value(Options::default()).map_err(D::Error::custom)?;
    let known = defaults.as_object().map(|m| m.keys()).into_iter().flatten();
    for name in known {
        if given.get(name).is_some_and(serde_json::Value::is_null) {
            given.remove(name);
        }
    }
    serde_json::from_value(serde_json::Value::Object(given)).map_err(D::Error::custom)
}

/// A request that passed validation: what to annotate, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotateRequest {
    /// Echoed into the answer; any JSON value the client chose.
    pub id: Option<serde_json::Value>,
    pub input: Input,
    pub options: Options,
}

/// Why a request could not be read. All are the client's doing (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the body is not valid UTF-8 (first invalid byte at offset {valid_up_to})")]
    InvalidUtf8 { valid_up_to: usize },
    /// Not JSON at all: a syntax error or a truncated document.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// JSON, but not a request object: wrong types, unknown fields or options.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("the request needs exactly one of \"text\" and \"html\"; it has neither")]
    MissingInput,
    #[error("the request needs exactly one of \"text\" and \"html\"; it has both")]
    AmbiguousInput,
}

impl RequestError {
    /// A short, stable slug naming the kind of error (problem type, metrics label).
    pub fn kind(&self) -> &'static str {
        match self {
            RequestError::InvalidUtf8 { .. } => "invalid-utf8",
            RequestError::MalformedJson(_) => "malformed-json",
            RequestError::InvalidRequest(_) => "invalid-request",
            RequestError::MissingInput | RequestError::AmbiguousInput => "text-or-html",
        }
    }

    /// The problem title: one per kind, the same for every occurrence.
    pub fn title(&self) -> &'static str {
        match self {
            RequestError::InvalidUtf8 { .. } => "Invalid UTF-8",
            RequestError::MalformedJson(_) => "Malformed JSON",
            RequestError::InvalidRequest(_) => "Invalid request",
            RequestError::MissingInput | RequestError::AmbiguousInput => {
                "Exactly one of text and html is required"
            }
        }
    }
}

/// Checks that `bytes` are UTF-8 and borrows them as a string.
pub fn utf8(bytes: &[u8]) -> Result<&str, RequestError> {
    std::str::from_utf8(bytes).map_err(|e| RequestError::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })
}

/// Parses one JSON request object (a body or one line of the batch protocol).
pub fn parse_json(bytes: &[u8]) -> Result<AnnotateRequest, RequestError> {
    // Checked first so that bad bytes get their own answer, not a JSON syntax error.
    let text = utf8(bytes)?;
    let wire: WireRequest = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            RequestError::InvalidRequest(e.to_string())
        } else {
            RequestError::MalformedJson(e.to_string())
        }
    })?;
    let input = match (wire.text, wire.html) {
        (Some(t), None) => Input::Text(t),
        (None, Some(h)) => Input::Html(h),
        (None, None) => return Err(RequestError::MissingInput),
        (Some(_), Some(_)) => return Err(RequestError::AmbiguousInput),
    };
    Ok(AnnotateRequest {
        id: wire.id,
        input,
        options: wire.options,
    })
}

/// The `id` of a request that could not be parsed, when one can still be read from it,
/// so that a batch client can tell which line failed.
pub fn salvage_id(bytes: &[u8]) -> Option<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    value.get("id").cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::OffsetUnit;

    #[test]
    fn text_request_with_options() {
        let r = parse_json(
            br#"{"id": 7, "text": "Hi.", "options": {"quotes": false, "offsets": "utf16"}}"#,
        )
        .unwrap();
        assert_eq!(r.id, Some(serde_json::json!(7)));
        assert_eq!(r.input, Input::Text("Hi.".into()));
        assert!(!r.options.quotes() && r.options.entities() && r.options.clean());
        assert_eq!(r.options.offsets(), OffsetUnit::Utf16);
    }

    #[test]
    fn html_request() {
        let r = parse_json(br#"{"html": "<p>Hi.</p>"}"#).unwrap();
        assert_eq!(r.input, Input::Html("<p>Hi.</p>".into()));
        assert_eq!(r.id, None);
    }

    #[test]
    fn each_error_has_its_kind() {
        let kind = |b: &[u8]| parse_json(b).unwrap_err();
        assert!(matches!(
            kind(b"{\"text\": \"a\xff\"}"),
            RequestError::InvalidUtf8 { valid_up_to: 11 }
        ));
        assert!(matches!(
            kind(b"{\"text\": "),
            RequestError::MalformedJson(_)
        ));
        assert!(matches!(kind(b"[1, 2]"), RequestError::InvalidRequest(_)));
        assert!(matches!(
            kind(br#"{"text": "a", "lang": "en"}"#),
            RequestError::InvalidRequest(_)
        ));
        assert!(matches!(
            kind(br#"{"text": "a", "options": {"sentiment": true}}"#),
            RequestError::InvalidRequest(_)
        ));
        assert!(matches!(
            kind(br#"{"text": "a", "options": {"offsets": "bytes"}}"#),
            RequestError::InvalidRequest(_)
        ));
        assert_eq!(kind(br#"{"id": 1}"#), RequestError::MissingInput);
        assert_eq!(
            kind(br#"{"text": "a", "html": "b"}"#),
            RequestError::AmbiguousInput
        );
    }

    #[test]
    fn null_means_absent_for_every_optional_field() {
        let r =
            parse_json(br#"{"id": null, "text": "Hi.", "html": null, "options": null}"#).unwrap();
        assert_eq!((r.id, r.input), (None, Input::Text("Hi.".into())));
        assert_eq!(r.options, Options::default());

        let r = parse_json(
            br#"{"text": "Hi.", "options": {"clean": null, "entities": null, "quotes": false, "offsets": null}}"#,
        )
        .unwrap();
        assert!(r.options.clean() && r.options.entities() && !r.options.quotes());
        assert_eq!(r.options.offsets(), OffsetUnit::Codepoints);

        let r = parse_json(br#"{"text": "Hi.", "options": {"offsets": "utf16"}}"#).unwrap();
        assert_eq!(r.options.offsets(), OffsetUnit::Utf16);
    }

    #[test]
    fn null_does_not_excuse_an_unknown_name_or_a_wrong_type() {
        let err = |b: &[u8]| parse_json(b).unwrap_err();
        for body in [
            &br#"{"text": "a", "optoins": null}"#[..],
            br#"{"text": "a", "options": {"sentiment": null}}"#,
            br#"{"text": "a", "options": []}"#,
            br#"{"text": "a", "options": {"quotes": "no"}}"#,
        ] {
            assert!(
                matches!(err(body), RequestError::InvalidRequest(_)),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // null for both inputs is neither of them.
        assert_eq!(
            err(br#"{"text": null, "html": null}"#),
            RequestError::MissingInput
        );
    }

    #[test]
    fn id_is_salvaged_from_an_invalid_request() {
        assert_eq!(
            salvage_id(br#"{"id": "x", "text": 3}"#),
            Some(serde_json::json!("x"))
        );
        assert_eq!(salvage_id(b"{\"id\": \"x\", "), None);
    }
}
