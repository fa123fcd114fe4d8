//! The clean stage: turns the request's input into the article body, with an alignment
//! back to the input.
//!
//! Plain text is normalised (line endings, control characters, odd spaces, blank lines);
//! HTML is first turned into text. Issue #3 adds boilerplate removal.

mod html;
mod normalize;

use super::document::{Document, RemovalReason, Removed};
use super::{Input, PipelineError};

/// Turns an [`Input`] into a [`Document`].
#[derive(Debug, Default)]
pub struct Cleaner {}

impl Cleaner {
    pub fn new() -> Self {
        Cleaner {}
    }

    pub fn model_version(&self) -> String {
        "rules-0.1".to_string()
    }

    /// Cleans `input`; with `clean == false` a text input is kept exactly as sent.
    pub fn clean(&self, input: Input, clean: bool) -> Result<Document, PipelineError> {
        if looks_binary(input.as_str()) {
            return Err(PipelineError::BinaryInput);
        }
        let kind = input.kind();
        let doc = match (input, clean) {
            (Input::Text(s), false) => Document::verbatim(s, kind),
            (Input::Text(s), true) => {
                let (text, alignment, removed) = normalize::normalize(&s);
                let mut doc = Document::from_parts(s, kind, text, alignment);
                doc.removed = removed;
                doc
            }
            (Input::Html(s), _) => {
                let (mid, inner, mut removed) = html::html_to_text(&s);
                let (text, outer, more) = normalize::normalize(&mid);
                // `more` indexes the intermediate text; map it to the HTML source.
                removed.extend(more.into_iter().map(|r| Removed {
                    input: inner.to_input(r.input),
                    reason: r.reason,
                }));
                removed.sort_by_key(|r| r.input.start);
                let alignment = outer.compose(&inner);
                let mut doc = Document::from_parts(s, kind, text, alignment);
                doc.removed = removed;
                doc
            }
        };
        if doc.text.trim().is_empty() {
            return Err(if doc.input.trim().is_empty() || doc.removed.is_empty() {
                PipelineError::EmptyText
            } else {
                PipelineError::NoArticleText {
                    removed: doc.removed,
                }
            });
        }
        Ok(doc)
    }
}

/// Binary data (images, PDFs, compressed files) sent by mistake: NUL bytes, or many
/// control characters, in the first few kilobytes.
fn looks_binary(s: &str) -> bool {
    let head = &s.as_bytes()[..s.len().min(4096)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 10 > head.len().max(1) && controls > 8
}

/// Removed stretches that are control characters (kept apart so the list stays short).
pub(crate) fn control(input: std::ops::Range<usize>) -> Removed {
    Removed {
        input,
        reason: RemovalReason::Control,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_input_is_refused() {
        let c = Cleaner::new();
        let e = c.clean(Input::Text("PNG\0\0\0IHDR".into()), true);
        assert_eq!(e.unwrap_err(), PipelineError::BinaryInput);
    }

    #[test]
    fn blank_text_is_refused() {
        let c = Cleaner::new();
        let e = c.clean(Input::Text(" \n\t ".into()), true);
        assert_eq!(e.unwrap_err(), PipelineError::EmptyText);
    }

    #[test]
    fn unclean_text_is_kept_exactly() {
        let c = Cleaner::new();
        let doc = c.clean(Input::Text("a\r\n  b ".into()), false).unwrap();
        assert_eq!(doc.text, "a\r\n  b ");
    }
}
