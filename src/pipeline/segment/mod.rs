//! The segment stage: paragraphs, tokens and sentences over the cleaned text, and the
//! tokens of the headline (for the stages that tag names in it).

pub mod abbreviations;
pub mod sentences;
pub mod tokenizer;

use super::document::{Document, Span};
use super::layer::Layer;
use super::stage::{RunContext, Stage, StageError};
use crate::text::lines;

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
    let mut out: Vec<Span> = Vec::new();
    for line in lines::non_blank(text) {
        match out.last_mut() {
            // The next line of the same paragraph: only the line break between them.
            Some(p) if text[p.end..line.start].matches('\n').count() == 1 => p.end = line.end,
            _ => out.push(Span::new(line.start, line.end)),
        }
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
        let t = "a\r\n\r\nb \u{2028}\n c\n\t\n";
        let p: Vec<&str> = paragraphs(t).iter().map(|s| &t[s.range()]).collect();
        assert_eq!(p, ["a", "b \u{2028}\n c"]);
        assert!(paragraphs(" \n\n ").is_empty());
    }
}
