//! The learned cue model: which words of a text are reporting cues.
//!
//! The hand-made lexicon ([`super::cues`]) knows that `said` reports speech, but not
//! that a team that `responded` with a goal did not speak, nor that PolNeAR counts
//! `criticized` or `endorsed` as attributions. An averaged perceptron trained on the
//! PolNeAR training split (`src/bin/train-quotes.rs`, which writes
//! `models/quotes/cues.bin`; see `models/quotes/MODEL_CARD.md`) scores every word
//! outside a quotation from [`features`]: the word, its neighbours, the lexicon's
//! verdict and the learned cue counts, nearby quotation marks and names. The lexicon's
//! rules then decide what a cue reports and who speaks; the model only vetoes a
//! lexicon word it scores far below zero and admits a word the lexicon lacks when it
//! scores well above (thresholds in [`VETO`] and [`ADMIT`], tuned on PolNeAR dev).
//!
//! Beside it: [`ends`], which picks where reported speech after its cue ends;
//! [`calibration`], what a quote's `confidence` means; [`training`] and [`matching`],
//! used by the trainer only. `models/quotes/MODEL_CARD.md` says how each was made.

pub mod calibration;
pub mod ends;
pub mod features;
pub mod matching;
pub mod perceptron;
pub mod training;

use super::cues::Lexicon;
use super::Ctx;
use crate::pipeline::document::TokenKind;
use features::{cue_features, Prepared};
use perceptron::Weights;

/// The shipped weights.
const MODEL: &[u8] = include_bytes!("../../../../models/quotes/cues.bin");

/// A lexicon cue is dropped when the model's margin is below this.
pub const VETO: f32 = -3.0;
/// A word outside the lexicon becomes a cue when the margin is above this.
pub const ADMIT: f32 = 5.0;

/// The margin a token gets when the model does not look at it.
pub const UNSCORED: f32 = f32::NEG_INFINITY;

pub struct CueModel {
    weights: Weights,
}

/// The bytes of a shipped model file: embedded, or with the `training` feature read
/// from `$QUOTES_MODELS/<name>` when that is set (tuning on dev without a rebuild).
pub(crate) fn model_bytes(
    name: &str,
    embedded: &'static [u8],
) -> Result<std::borrow::Cow<'static, [u8]>, String> {
    #[cfg(feature = "training")]
    if let Ok(dir) = std::env::var("QUOTES_MODELS") {
        let path = format!("{dir}/{name}");
        return std::fs::read(&path)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| format!("{path}: {e}"));
    }
    let _ = name;
    Ok(std::borrow::Cow::Borrowed(embedded))
}

/// [`VETO`] and [`ADMIT`]; with the `training` feature, `$QUOTES_VETO` and
/// `$QUOTES_ADMIT` override them.
pub fn thresholds() -> (f32, f32) {
    if cfg!(feature = "training") {
        let get = |k: &str, d: f32| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(d)
        };
        return (get("QUOTES_VETO", VETO), get("QUOTES_ADMIT", ADMIT));
    }
    (VETO, ADMIT)
}

impl CueModel {
    /// The model embedded in the binary.
    pub fn embedded() -> Result<Self, String> {
        Ok(CueModel {
            weights: Weights::from_bytes(&model_bytes("cues.bin", MODEL)?)?,
        })
    }

    pub fn new(weights: Weights) -> Self {
        CueModel { weights }
    }

    /// The margin of every token as a cue ([`UNSCORED`] for tokens that cannot be one:
    /// not a word, inside a quotation, one letter long).
    pub fn scores(&self, cx: &Ctx, lexicon: &Lexicon) -> Vec<f32> {
        let prepared = Prepared::new(cx);
        let mut buf = Vec::with_capacity(32);
        (0..cx.doc.tokens.len())
            .map(|i| {
                if is_candidate(cx, i) {
                    cue_features(cx, lexicon, &prepared, i, &mut buf);
                    self.weights.score(&buf)
                } else {
                    UNSCORED
                }
            })
            .collect()
    }
}

/// Whether the model scores token `i`: a word of two letters or more outside any
/// quotation (the tokens training saw).
pub fn is_candidate(cx: &Ctx, i: usize) -> bool {
    cx.doc.tokens[i].kind == TokenKind::Word
        && cx.quote_at(i).is_none()
        && (2..=24).contains(&cx.doc.token_text(i).len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::quotes::Layers;
    use crate::pipeline::testing;

    fn margins(text: &str) -> (Vec<String>, Vec<f32>) {
        let mut doc = testing::segmented(text);
        doc.set_mentions(Vec::new());
        doc.set_entities(Vec::new());
        let layers = Layers::of(&doc).expect("a segmented document with entities");
        let cx = Ctx::new(&layers);
        let model = CueModel::embedded().expect("the shipped cue model loads");
        let scores = model.scores(&cx, &Lexicon::new());
        let words = (0..layers.tokens.len())
            .map(|i| layers.token_text(i).to_string())
            .collect();
        (words, scores)
    }

    fn margin_of(text: &str, word: &str) -> f32 {
        let (words, scores) = margins(text);
        let i = words
            .iter()
            .position(|w| w == word)
            .expect("the word is in the text");
        scores[i]
    }

    #[test]
    fn reporting_verbs_score_above_other_words() {
        let said = margin_of("The minister said the talks were over.", "said");
        let talks = margin_of("The minister said the talks were over.", "talks");
        assert!(said > 0.0 && talks < 0.0, "said {said}, talks {talks}");
    }

    #[test]
    fn words_inside_quotations_are_not_scored() {
        let inner = margin_of("He said: “They said nothing at all.”", "nothing");
        assert_eq!(inner, UNSCORED);
    }
}
