//! The name tagger: greedy left-to-right BILOU decoding with an averaged perceptron.
//!
//! Greedy decoding lets every decision see the labels already given, in the sentence
//! (the previous two labels) and in the document (how the same word was tagged before),
//! at the cost of no search: Ratinov & Roth (2009) found it as accurate as Viterbi for
//! this task and several times faster. The decoder only ever picks a label that may
//! follow the previous one, so names are well formed except at a sentence end, where
//! [`bilou::decode`] closes them.
//!
//! The same loop, [`tag_document`], runs in training (where the caller updates the
//! weights after each decision) and at run time.

use std::ops::Range;

use super::bilou::{self, N_LABELS, OUTSIDE, START};
use super::features::{describe, Context, DocContext, TokenInfo};
use super::lexicon::Lexicon;
use super::perceptron::{best_allowed, Model, Scorer};
use crate::pipeline::document::{EntityType, Sentence, Token};

/// Tags one document, sentence by sentence. `choose` gets the token's index, its
/// features and the previous label, and returns the label to give it.
pub fn tag_document(
    infos: &[TokenInfo],
    sentences: &[Range<usize>],
    mut choose: impl FnMut(usize, &[u64], u8) -> u8,
) -> Vec<u8> {
    let mut doc = DocContext::new(infos, sentences);
    let mut labels = vec![OUTSIDE; infos.len()];
    let mut features = Vec::with_capacity(96);
    for (si, sentence) in sentences.iter().enumerate() {
        let headline = doc.all_caps[si];
        let (mut prev1, mut prev2) = (START, START);
        for i in sentence.clone() {
            let ctx = Context {
                infos,
                sentence: sentence.clone(),
                headline,
                doc: &doc,
            };
            ctx.features(i, prev1, prev2, &mut features);
            let label = choose(i, &features, prev1);
            labels[i] = label;
            doc.remember(&infos[i], label);
            prev2 = prev1;
            prev1 = label;
        }
    }
    labels
}

/// Picks the best label the model allows: the run-time `choose` of [`tag_document`].
pub fn greedy(model: &impl Scorer) -> impl FnMut(usize, &[u64], u8) -> u8 + '_ {
    let mut scores = [0i64; N_LABELS];
    move |_, features, prev| {
        model.scores(features, &mut scores);
        best_allowed(&scores, prev)
    }
}

/// The names in tagged sentences: token ranges (never across a sentence end) and type.
pub fn names(labels: &[u8], sentences: &[Range<usize>]) -> Vec<(Range<usize>, EntityType)> {
    let mut out = Vec::new();
    for s in sentences {
        for (a, b, t) in bilou::decode(&labels[s.clone()]) {
            out.push((s.start + a..s.start + b, EntityType::ALL[t]));
        }
    }
    out
}

/// A trained tagger with the lexicon it was trained with.
pub struct Tagger {
    model: Model,
    lexicon: Lexicon,
}

impl Tagger {
    pub fn new(model: Model, lexicon: Lexicon) -> Self {
        Tagger { model, lexicon }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The names among `tokens` of `text`, as token ranges with their type.
    pub fn tag(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<(Range<usize>, EntityType)> {
        let infos = describe(
            text,
            tokens.iter().map(|t| (t.span.range(), t.kind)),
            &self.lexicon,
        );
        let ranges: Vec<Range<usize>> = sentences.iter().map(|s| s.tokens.clone()).collect();
        let labels = tag_document(&infos, &ranges, greedy(&self.model));
        names(&labels, &ranges)
    }
}
