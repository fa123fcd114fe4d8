//! A toy stage, as a new stage would be written: its own module, its declarations, its
//! own error type converted into [`StageError`], and a checkpoint in its loop. It fills
//! the language layer (the layer of the language stage to come), so that the layer's
//! render function shows its work in the answer.

use crate::pipeline::document::{Document, Language};
use crate::pipeline::layer::Layer;
use crate::pipeline::stage::{RunContext, Stage, StageError};

/// Calls a text Welsh when most of its words end in "dd", English otherwise.
pub struct ToyLanguage;

/// The toy's own failure.
#[derive(Debug, thiserror::Error)]
#[error("the toy refuses texts that say {0:?}")]
pub struct ToyError(&'static str);

impl From<ToyError> for StageError {
    fn from(e: ToyError) -> Self {
        StageError::Failed(e.to_string())
    }
}

impl Stage for ToyLanguage {
    fn name(&self) -> &'static str {
        "toy"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Text]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Language]
    }

    fn version(&self) -> Option<String> {
        Some("toy-1".to_string())
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        let text = doc.text()?;
        if text.contains("boom") {
            return Err(ToyError("boom").into());
        }
        let (mut welsh, mut words) = (0, 0);
        for line in text.lines() {
            cx.checkpoint()?;
            for word in line.split_whitespace() {
                words += 1;
                welsh += usize::from(word.trim_end_matches('.').ends_with("dd"));
            }
        }
        let code = if welsh * 2 > words { "cy" } else { "en" };
        doc.set_language(Language {
            code: code.to_string(),
            confidence: 1.0,
            reliable: true,
            forced: false,
        });
        Ok(())
    }
}
