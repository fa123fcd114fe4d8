//! The quote stage: direct, indirect and mixed quotations, their cue and their speaker.
//!
//! The work is split by question, each in its own file:
//! - [`context`]: the token-level view (blocks, sentences, which quote a token is in);
//! - [`marks`]: which quotation marks pair up (direct quotes, nesting, apostrophes,
//!   unclosed and multi-paragraph quotes);
//! - [`cues`]: the reporting words (`said`, `told reporters`, `according to`, …);
//! - [`attribution`]: the noun phrase naming the speaker beside a cue;
//! - [`direct`] and [`indirect`]: what a cue reports — a quotation next to it, or the
//!   clause after (`said that …`) or before (`…, he said`) it;
//! - [`assemble`]: each cue in text order, turned into a quote with its speaker;
//! - [`floating`]: quotations no cue claimed, and transcript labels;
//! - [`speakers`]: which entity a speaker phrase refers to;
//! - [`words`]: the stage's word lists, read from `resources/words/`.
//!
//! This file runs those steps in order. Everything is linear in the number of tokens:
//! each cue looks at a bounded window, and content spans are capped (see [`indirect::MAX_CLAUSE`]).

pub mod assemble;
pub mod attribution;
pub mod context;
pub mod cues;
pub mod direct;
pub mod floating;
pub mod indirect;
pub mod marks;
pub mod speakers;
pub mod words;

use std::ops::Range;

pub(crate) use context::{is_word, word};
pub use context::{Ctx, Layers};

use super::document::{Document, Quote};
use super::layer::Layer;
use super::stage::{Cancelled, RunContext, Stage, StageError};
use crate::pipeline::document::TokenKind;
use assemble::Builder;
use context::token_span;
use cues::Lexicon;

pub struct QuoteStage {
    lexicon: Lexicon,
}

impl Default for QuoteStage {
    fn default() -> Self {
        QuoteStage::new()
    }
}

impl std::fmt::Debug for QuoteStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QuoteStage")
    }
}

impl QuoteStage {
    pub fn new() -> Self {
        QuoteStage {
            lexicon: Lexicon::new(),
        }
    }

    pub fn model_version(&self) -> String {
        "rules-0.2".to_string()
    }
}

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn requires(&self) -> &[Layer] {
        &[
            Layer::Text,
            Layer::Paragraphs,
            Layer::Tokens,
            Layer::Sentences,
            Layer::Mentions,
            Layer::Entities,
        ]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Quotes]
    }

    fn version(&self) -> Option<String> {
        Some(self.model_version())
    }

    fn run(&self, doc: &mut Document, context: &RunContext) -> Result<(), StageError> {
        let quotes = self.find(&Layers::of(doc)?, context)?;
        doc.set_quotes(quotes);
        Ok(())
    }
}

impl QuoteStage {
    /// Every quote of the document, in text order.
    fn find(&self, doc: &Layers, context: &RunContext) -> Result<Vec<Quote>, Cancelled> {
        let cx = Ctx::new(doc);
        let found = self.lexicon.find(doc, |i| cx.quote_at(i).is_none());
        let mut builder = Builder {
            cx: &cx,
            claimed: vec![false; cx.quotes.len()],
            drafts: Vec::new(),
        };
        // A clause ends where the next cue of the same sentence takes over after a
        // comma (`…, adding that`, `…, according to`).
        let mut limits = vec![usize::MAX; found.len()];
        let mut next = usize::MAX;
        for k in (0..found.len()).rev() {
            limits[k] = next;
            let c = &found[k];
            let before = |k: usize| (c.first >= k).then(|| doc.token_text(c.first - k));
            if matches!(before(1), Some("," | "and" | "but")) {
                next = c.first;
            } else if before(1).is_some_and(attribution::is_pronoun)
                && (matches!(before(2), Some(","))
                    || c.first >= 2 && doc.tokens[c.first - 2].kind == TokenKind::Quote)
            {
                // `…,” she said`.
                next = c.first - 1;
            }
        }
        for (k, cue) in found.iter().enumerate() {
            context.checkpoint()?;
            builder.cue(cue, limits[k]);
        }
        let mut attributed = vec![false; cx.blocks.len()];
        for d in &builder.drafts {
            attributed[d.block] = true;
        }
        for (b, &done) in attributed.iter().enumerate() {
            if !done {
                builder.labelled_block(b);
            }
        }
        builder.unclaimed();
        let drafts = builder.drafts;
        let speakers: Vec<Option<Range<usize>>> =
            drafts.iter().map(|d| d.speaker.clone()).collect();
        let mut entities = speakers::resolve(&cx, &speakers);
        for (i, d) in drafts.iter().enumerate() {
            if let Some(from) = d.inherit {
                entities[i] = entities[from];
            }
        }
        let mut quotes: Vec<Quote> = drafts
            .into_iter()
            .zip(entities)
            .map(|(d, entity)| Quote {
                kind: d.kind,
                content: d.content,
                cue: d.cue.map(|r| token_span(&cx, &r)),
                speaker: d.speaker.map(|r| token_span(&cx, &r)),
                speaker_entity: entity,
                confidence: d.confidence,
            })
            .collect();
        quotes.sort_by_key(|q| q.content[0].start);
        Ok(quotes)
    }
}

#[cfg(test)]
mod tests;
