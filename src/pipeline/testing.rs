//! Helpers for the stages' unit tests: documents as earlier stages leave them.

use super::document::Document;
use super::segment::Segmenter;
use super::stage::{RunContext, Stage};

/// `text` as the clean stage leaves it with `clean: false`, then segmented.
pub(crate) fn segmented(text: &str) -> Document {
    let mut doc = Document::verbatim(text.to_string());
    Segmenter::new()
        .run(&mut doc, &RunContext::default())
        .expect("a verbatim document has every layer the segment stage reads");
    doc
}
