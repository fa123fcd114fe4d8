//! The quote stage: direct, indirect and mixed quotations, their cue and their speaker.
//!
//! The work is split by question, each in its own file:
//! - [`context`]: the token-level view (blocks, sentences, which quote a token is in);
//! - [`marks`]: which quotation marks pair up (direct quotes, nesting, apostrophes,
//!   unclosed and multi-paragraph quotes);
//! - [`cues`]: the reporting words (`said`, `told reporters`, `according to`, …), with
//!   [`cue_model`], a perceptron trained on PolNeAR that vetoes or adds cue words;
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
pub mod cue_model;
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
use cue_model::calibration::Calibration;
use cue_model::ends::EndModel;
use cue_model::CueModel;
use cues::Lexicon;

pub struct QuoteStage {
    lexicon: Lexicon,
    model: CueModel,
    ends: EndModel,
    /// `None`: report the raw scores (the trainer calibrates on them).
    calibration: Option<Calibration>,
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
            // The embedded weights are read by the cue_model tests: a broken file
            // cannot reach a release.
            model: CueModel::embedded().unwrap_or_else(|e| {
                panic!("models/quotes/cues.bin: {e} (the cue_model tests catch this)")
            }),
            ends: EndModel::embedded().unwrap_or_else(|e| {
                panic!("models/quotes/ends.bin: {e} (the cue_model tests catch this)")
            }),
            calibration: Some(Calibration::embedded().unwrap_or_else(|e| {
                panic!("models/quotes/calibration.tsv: {e} (the cue_model tests catch this)")
            })),
        }
    }

    /// The stage over other models than the shipped ones (the trainer).
    pub fn with_models(model: CueModel, ends: EndModel, calibration: Option<Calibration>) -> Self {
        QuoteStage {
            lexicon: Lexicon::new(),
            model,
            ends,
            calibration,
        }
    }

    pub fn model_version(&self) -> String {
        "cue-perceptron-1+ends-1+rules-0.3".to_string()
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
        let keyed = self.find(&Layers::of(doc)?, context)?;
        let quotes = keyed
            .into_iter()
            .map(|(mut q, band)| {
                if let Some(c) = &self.calibration {
                    q.confidence = c.confidence(q.confidence, band);
                }
                q
            })
            .collect();
        doc.set_quotes(quotes);
        Ok(())
    }
}

impl QuoteStage {
    /// The quotes of a document that has every layer the stage requires, with their
    /// raw scores and [`Calibration::key`]s (the trainer calibrates on these).
    pub fn keyed_quotes(&self, doc: &Document) -> Result<Vec<(Quote, u32)>, StageError> {
        let found = self.find(&Layers::of(doc)?, &RunContext::default())?;
        Ok(found
            .into_iter()
            .map(|(q, band)| {
                let key = Calibration::key(q.confidence, band);
                (q, key)
            })
            .collect())
    }

    /// Every quote of the document, in text order, with its raw score (as its
    /// confidence) and the band of its cue's margin ([`Calibration::band`]).
    fn find(&self, doc: &Layers, context: &RunContext) -> Result<Vec<(Quote, u8)>, Cancelled> {
        let cx = Ctx::new(doc);
        let margins = self.model.scores(&cx, &self.lexicon);
        let found = self
            .lexicon
            .find(doc, |i| cx.quote_at(i).is_none(), &margins);
        let mut builder = Builder {
            cx: &cx,
            claimed: vec![false; cx.quotes.len()],
            drafts: Vec::new(),
            ends: &self.ends,
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
        let mut quotes: Vec<(Quote, u8)> = drafts
            .into_iter()
            .zip(entities)
            .map(|(d, entity)| {
                // The model's margin of the cue's best word.
                let margin = d.cue.as_ref().and_then(|r| {
                    r.clone()
                        .map(|i| margins[i])
                        .filter(|m| m.is_finite())
                        .reduce(f32::max)
                });
                let quote = Quote {
                    kind: d.kind,
                    content: d.content,
                    cue: d.cue.map(|r| token_span(&cx, &r)),
                    speaker: d.speaker.map(|r| token_span(&cx, &r)),
                    speaker_entity: entity,
                    confidence: d.confidence,
                };
                (quote, Calibration::band(margin))
            })
            .collect();
        quotes.sort_by_key(|q| q.0.content[0].start);
        Ok(quotes)
    }
}

#[cfg(test)]
mod tests;
