//! Where reported speech ends. The rules take a clause after its cue to the end of the
//! sentence, but PolNeAR ends the content before much of what follows it: a relative
//! clause (`…, which …`), a time or place phrase (`during the debate`), a second clause
//! (`…, but …`), a participle (`…, contradicting …`). The end model scores each place
//! the content could end (the sentence end, punctuation, function words) and keeps the
//! best: a ranking perceptron trained on the gold contents of PolNeAR's training split.

use super::features::{feature, symbol};
use super::perceptron::Weights;
use crate::pipeline::document::TokenKind;
use crate::pipeline::quotes::words::STOP;
use crate::pipeline::quotes::Ctx;
use crate::text::hash::stable;

/// The longest content the model looks into (tokens); beyond, the rules' end stands.
const MAX_CANDIDATES: usize = 64;

/// A token's lower case, or a class for quotation marks, numbers and the edges.
fn token(cx: &Ctx, j: usize, s: usize, hard_end: usize) -> u64 {
    if let Some(symbol) = symbol(cx, j, s, hard_end) {
        return symbol;
    }
    match cx.doc.tokens[j].kind {
        TokenKind::Word if cx.doc.token_text(j).starts_with(char::is_uppercase) => {
            stable::hash("<cap>")
        }
        _ => stable::hash_lower(cx.doc.token_text(j)),
    }
}

fn bucket(n: usize) -> u64 {
    match n {
        0..=4 => n as u64,
        5..=7 => 5,
        8..=12 => 6,
        13..=20 => 7,
        21..=35 => 8,
        _ => 9,
    }
}

/// Whether the content `s..` may end before token `k` (`k < hard_end`): at
/// punctuation, a dash, a function word, or a word after a comma; never inside a
/// quotation that opened within the content.
fn is_candidate(cx: &Ctx, s: usize, k: usize) -> bool {
    if k < s + 2 {
        return false;
    }
    if let Some(q) = cx.quote_at(k) {
        let quote = &cx.quotes[q];
        if quote.open >= s && quote.open < k {
            return false;
        }
    }
    let t = cx.doc.tokens[k];
    match t.kind {
        TokenKind::Punct | TokenKind::Dash => true,
        TokenKind::Word => {
            let w = cx.doc.token_text(k);
            (STOP.contains(w) && w.starts_with(char::is_lowercase))
                || cx.doc.token_text(k - 1) == ","
        }
        _ => false,
    }
}

/// The ends the model chooses among for content from `s` to at most `hard_end`, the
/// hard end last.
pub fn candidates(cx: &Ctx, s: usize, hard_end: usize) -> Vec<usize> {
    let ceil = hard_end.min(s + MAX_CANDIDATES);
    let mut out: Vec<usize> = (s..ceil).filter(|&k| is_candidate(cx, s, k)).collect();
    out.push(hard_end);
    out
}

/// The features of ending content `s..` (reported by the cue word `cue`) before `k`.
pub fn end_features(cx: &Ctx, cue: usize, s: usize, k: usize, hard_end: usize, out: &mut Vec<u64>) {
    out.clear();
    let at = |j: usize| token(cx, j, s, hard_end);
    let is_end = u64::from(k == hard_end);
    let (here, next, prev) = (at(k), at(k + 1), at(k - 1));
    let commas = (s..k).filter(|&j| cx.doc.token_text(j) == ",").count();
    let cue_word = stable::hash_lower(cx.doc.token_text(cue));
    let first = at(s);
    let len = bucket(k - s);
    let after_ing = u64::from(
        k + 1 < hard_end
            && cx.doc.tokens[k + 1].kind == TokenKind::Word
            && cx.doc.token_text(k + 1).ends_with("ing"),
    );
    out.extend_from_slice(&[
        feature(100, is_end, 0),
        feature(101, here, is_end),
        feature(102, next, is_end),
        feature(103, prev, is_end),
        feature(104, here, next),
        feature(105, prev, here),
        feature(106, len, is_end),
        feature(107, len, here),
        feature(108, bucket(commas), is_end),
        feature(109, cue_word, here),
        feature(110, first, here),
        feature(111, after_ing, here),
        feature(112, bucket(hard_end - k), is_end),
        feature(113, cue_word, is_end),
    ]);
}

/// The shipped weights (`src/bin/train-quotes.rs` writes them).
const MODEL: &[u8] = include_bytes!("../../../../models/quotes/ends.bin");

pub struct EndModel {
    weights: Weights,
}

impl EndModel {
    /// The model embedded in the binary.
    pub fn embedded() -> Result<Self, String> {
        Ok(EndModel::new(Weights::from_bytes(&super::model_bytes(
            "ends.bin", MODEL,
        )?)?))
    }

    pub fn new(weights: Weights) -> Self {
        EndModel { weights }
    }

    /// The end the model prefers for content `s..hard_end` reported by cue word `cue`.
    pub fn best_end(&self, cx: &Ctx, cue: usize, s: usize, hard_end: usize) -> usize {
        let mut buf = Vec::with_capacity(16);
        let mut best = (f32::NEG_INFINITY, hard_end);
        for k in candidates(cx, s, hard_end) {
            end_features(cx, cue, s, k, hard_end, &mut buf);
            let score = self.weights.score(&buf);
            if score > best.0 {
                best = (score, k);
            }
        }
        best.1
    }
}
