//! The segment stage: paragraphs, tokens and sentences over the cleaned text, and the
//! tokens of the headline (for the stages that tag names in it).

pub mod abbreviations;
pub mod sentences;
pub mod tokenizer;

use super::document::{Document, Span};
use super::layer::Layer;
use super::stage::{RunContext, Stage, StageError};

#[derive(Debug, Default)]
pub struct Segmenter {}

impl Segmenter {
    pub fn new() -> Self {
        Segmenter {}
    }
}

impl Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Text, Layer::Title]
    }

    fn assigns(&self) -> &[Layer] {
        &[
            Layer::Paragraphs,
            Layer::Tokens,
            Layer::TitleTokens,
            Layer::Sentences,
        ]
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        // Each step is one linear pass over the text; the checkpoints between them are
        // enough to stop a long document soon after cancellation.
        let text = doc.text()?;
        let paragraphs = paragraphs(text);
        let mut tokens = Vec::new();
        tokenizer::tokenize(text, &mut tokens);
        cx.checkpoint()?;
        let mut sentences = Vec::new();
        sentences::split(text, &tokens, &mut sentences);
        let mut title_tokens = Vec::new();
        if let Some(title) = doc.title()? {
            tokenizer::tokenize(&title.text, &mut title_tokens);
        }
        doc.set_paragraphs(paragraphs);
        doc.set_tokens(tokens);
        doc.set_title_tokens(title_tokens);
        doc.set_sentences(sentences);
        Ok(())
    }
}

/// Paragraphs are separated by blank lines (a line of only white space counts).
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut last_content_end = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(s) = para_start.take() {
                out.push(Span::new(s, last_content_end));
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            if para_start.is_none() {
                para_start = Some(line_start + lead);
            }
            last_content_end = line_start + line.trim_end().len();
        }
        line_start += line.len();
    }
    if let Some(s) = para_start {
        out.push(Span::new(s, last_content_end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let t = "One.\nStill one.\n\n  Two.  \n \nThree.";
        let p: Vec<&str> = paragraphs(t).iter().map(|s| &t[s.range()]).collect();
        assert_eq!(p, ["One.\nStill one.", "Two.", "Three."]);
    }
}
