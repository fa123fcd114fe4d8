//! Training data for the cue and end models: PolNeAR articles run through the
//! pipeline, each candidate word labelled by whether it heads a gold cue, each gold
//! reported clause turned into a choice among the ends [`ends::candidates`] offers; and
//! the two training loops.
//!
//! A gold cue span (`said in a statement`, `has also said`) is labelled at its head:
//! its first word that is not an auxiliary or an adverb, the word the lexicon would
//! find. Articles are annotated with cleaning off, so the gold code-point offsets
//! index the text the tokens are in.

use serde_json::Value;

use super::ends;
use super::features::{cue_features, Prepared};
use super::is_candidate;
use super::matching::{right_end_to_end, Spans};
use super::perceptron::{Trainer, Weights};
use crate::learn::shuffle;
pub use crate::learn::Counts;
use crate::pipeline::document::Span;
use crate::pipeline::quotes::cues::Lexicon;
use crate::pipeline::quotes::indirect;
use crate::pipeline::quotes::words::{AUXILIARIES, PASSIVE_AUX};
use crate::pipeline::quotes::{Ctx, Layers, QuoteStage};
use crate::pipeline::{Input, Options, Pipeline};
use crate::text::hash::FxHashMap;

/// The candidates of one article: their features and labels; and its reported
/// clauses as end choices.
pub struct Examples {
    pub features: Vec<Vec<u64>>,
    pub labels: Vec<bool>,
    pub ends: Vec<EndChoice>,
}

/// One gold clause: the features of each candidate end, and which is gold.
pub struct EndChoice {
    pub candidates: Vec<Vec<u64>>,
    pub gold: usize,
}

/// A gold attribution's spans (code points).
pub struct Gold {
    pub cue: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
}

fn spans(v: &Value) -> Result<Vec<(usize, usize)>, String> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|span| {
            let s = span[0].as_u64().ok_or("bad span")? as usize;
            let e = span[1].as_u64().ok_or("bad span")? as usize;
            Ok((s, e))
        })
        .collect()
}

/// One PolNeAR line: its text and gold attributions.
pub fn read_article(line: &str) -> Result<(String, Vec<Gold>), String> {
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let text = v["text"].as_str().ok_or("no text")?.to_string();
    let mut gold = Vec::new();
    for a in v["attributions"].as_array().ok_or("no attributions")? {
        gold.push(Gold {
            cue: spans(&a["cue"])?,
            content: spans(&a["content"])?,
            source: spans(&a["source"])?,
        });
    }
    Ok((text, gold))
}

/// The candidates of an article with their labels.
pub fn examples(
    pipeline: &Pipeline,
    lexicon: &Lexicon,
    text: &str,
    gold: &[Gold],
) -> Result<Examples, String> {
    let options = Options::default().with_clean(false).with_quotes(false);
    let doc = pipeline
        .document(Input::Text(text.to_string()), &options)
        .map_err(|e| e.to_string())?;
    let layers = Layers::of(&doc).map_err(|e| e.to_string())?;
    let cx = Ctx::new(&layers);
    // Code point -> byte offset.
    let mut byte_at: Vec<usize> = layers.text.char_indices().map(|(b, _)| b).collect();
    byte_at.push(layers.text.len());
    let bytes = |(s, e): (usize, usize)| Some((*byte_at.get(s)?, *byte_at.get(e)?));
    let mut heads = vec![false; layers.tokens.len()];
    for &(s, e) in gold.iter().flat_map(|g| &g.cue) {
        let Some((s, e)) = bytes((s, e)) else {
            continue;
        };
        let first = layers.tokens.partition_point(|t| t.span.end <= s);
        let head = (first..layers.tokens.len())
            .take_while(|&i| layers.tokens[i].span.start < e)
            .find(|&i| {
                let w = layers.token_text(i);
                let adverb = w.len() > 4 && w.ends_with("ly");
                is_candidate(&cx, i)
                    && !AUXILIARIES.contains(w)
                    && !PASSIVE_AUX.contains(w)
                    && !adverb
            });
        if let Some(h) = head {
            heads[h] = true;
        }
    }
    let prepared = Prepared::new(&cx);
    let mut out = Examples {
        features: Vec::new(),
        labels: Vec::new(),
        ends: Vec::new(),
    };
    let mut buf = Vec::new();
    for (i, &head) in heads.iter().enumerate() {
        if !is_candidate(&cx, i) {
            continue;
        }
        cue_features(&cx, lexicon, &prepared, i, &mut buf);
        out.features.push(buf.clone());
        out.labels.push(head);
    }
    for g in gold {
        let (Some(&cue), [content]) = (g.cue.first(), g.content.as_slice()) else {
            continue;
        };
        let (Some(cue), Some(content)) = (bytes(cue), bytes(*content)) else {
            continue;
        };
        if let Some(choice) = end_choice(&cx, cue, content) {
            out.ends.push(choice);
        }
    }
    Ok(out)
}

/// A gold clause after its cue as a choice among candidate ends (byte spans), or
/// `None` when it is a quotation, comes before its cue, or ends where no candidate
/// does.
fn end_choice(cx: &Ctx, cue: (usize, usize), content: (usize, usize)) -> Option<EndChoice> {
    let tokens = cx.doc.tokens;
    if content.0 < cue.1 {
        return None;
    }
    let s = tokens.partition_point(|t| t.span.start < content.0);
    let e = tokens.partition_point(|t| t.span.end <= content.1);
    let cue_token = tokens.partition_point(|t| t.span.end <= cue.0);
    if s >= e || e > tokens.len() || cue_token >= s || cx.quote_at(s).is_some() {
        return None;
    }
    let sentence = cx.sentence(s);
    let hard_end = indirect::clause(cx, s, sentence.end, usize::MAX)?.end;
    let gold_end = indirect::trim(cx, s, e)?.end;
    let ends = ends::candidates(cx, s, hard_end);
    let gold = ends
        .iter()
        .position(|&k| indirect::trim(cx, s, k).is_some_and(|r| r.end == gold_end))?;
    let mut buf = Vec::new();
    let candidates = ends
        .iter()
        .map(|&k| {
            ends::end_features(cx, cue_token, s, k, hard_end, &mut buf);
            buf.clone()
        })
        .collect();
    Some(EndChoice { candidates, gold })
}

pub fn evaluate(weights: &Weights, set: &[Examples], threshold: f32) -> Counts {
    let mut c = Counts::default();
    for ex in set {
        for (f, &gold) in ex.features.iter().zip(&ex.labels) {
            let guess = weights.score(f) > threshold;
            match (guess, gold) {
                (true, true) => c.tp += 1,
                (true, false) => c.fp += 1,
                (false, true) => c.fn_ += 1,
                _ => {}
            }
        }
    }
    c
}

/// Trains for `epochs` over articles in a seeded shuffled order and keeps the epoch
/// whose averaged weights score best on `dev`; `report` hears each epoch's dev counts.
pub fn train(
    train: &[Examples],
    dev: &[Examples],
    bits: u32,
    epochs: usize,
    seed: u64,
    mut report: impl FnMut(usize, Counts),
) -> (Weights, usize, Counts) {
    let mut t = Trainer::new(bits);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut state = seed;
    let mut best: Option<(Weights, usize, Counts)> = None;
    for epoch in 1..=epochs {
        shuffle(&mut order, &mut state);
        for &a in &order {
            let ex = &train[a];
            for (f, &gold) in ex.features.iter().zip(&ex.labels) {
                if (t.score(f) > 0) != gold {
                    t.update(f, gold);
                }
                t.tick();
            }
        }
        let w = t.average();
        let c = evaluate(&w, dev, 0.0);
        report(epoch, c);
        if best.as_ref().is_none_or(|(_, _, b)| c.f1() > b.f1()) {
            best = Some((w, epoch, c));
        }
    }
    best.unwrap_or_else(|| (t.average(), 0, Counts::default()))
}

/// The index of the best-scoring candidate.
fn argmax(scores: impl Iterator<Item = f32>) -> usize {
    let mut best = (f32::NEG_INFINITY, 0);
    for (i, s) in scores.enumerate() {
        if s > best.0 {
            best = (s, i);
        }
    }
    best.1
}

/// The share of clauses whose gold end the weights choose, and how many clauses.
pub fn evaluate_ends(weights: &Weights, set: &[Examples]) -> (f64, usize) {
    let (mut right, mut n) = (0, 0);
    for choice in set.iter().flat_map(|e| &e.ends) {
        n += 1;
        right +=
            usize::from(argmax(choice.candidates.iter().map(|f| weights.score(f))) == choice.gold);
    }
    (right as f64 / n.max(1) as f64, n)
}

/// Trains the end ranker like [`train`]: on a mistake, towards the gold end's features
/// and away from the chosen one's. Keeps the epoch best on `dev`.
pub fn train_ends(
    train: &[Examples],
    dev: &[Examples],
    bits: u32,
    epochs: usize,
    seed: u64,
    mut report: impl FnMut(usize, f64),
) -> (Weights, usize, f64) {
    let mut t = Trainer::new(bits);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut state = seed;
    let mut best: Option<(Weights, usize, f64)> = None;
    for epoch in 1..=epochs {
        shuffle(&mut order, &mut state);
        for &a in &order {
            for choice in &train[a].ends {
                let f = &choice.candidates;
                let guess = {
                    let mut best = (i64::MIN, 0);
                    for (i, c) in f.iter().enumerate() {
                        let s = t.score(c);
                        if s > best.0 {
                            best = (s, i);
                        }
                    }
                    best.1
                };
                if guess != choice.gold {
                    t.update(&f[choice.gold], true);
                    t.update(&f[guess], false);
                }
                t.tick();
            }
        }
        let w = t.average();
        let (acc, _) = evaluate_ends(&w, dev);
        report(epoch, acc);
        if best.as_ref().is_none_or(|(_, _, b)| acc > *b) {
            best = Some((w, epoch, acc));
        }
    }
    best.unwrap_or_else(|| (t.average(), 0, 0.0))
}

/// Per calibration key, how many of the stage's quotes on `articles` were right end to
/// end and how many there were (the stage run with raw confidences).
pub fn calibration_counts(
    pipeline: &Pipeline,
    stage: &QuoteStage,
    articles: &[(String, Vec<Gold>)],
) -> Result<Vec<(u32, usize, usize)>, String> {
    let options = Options::default().with_clean(false).with_quotes(false);
    let mut counts: FxHashMap<u32, (usize, usize)> = FxHashMap::default();
    for (text, gold) in articles {
        let doc = pipeline
            .document(Input::Text(text.clone()), &options)
            .map_err(|e| e.to_string())?;
        let keyed = stage.keyed_quotes(&doc).map_err(|e| e.to_string())?;
        // Byte offset -> code point offset.
        let mut cp = vec![0usize; text.len() + 1];
        let mut n = 0;
        for (b, c) in text.char_indices() {
            for slot in &mut cp[b..b + c.len_utf8()] {
                *slot = n;
            }
            n += 1;
        }
        cp[text.len()] = n;
        let span = |s: Span| (cp[s.start], cp[s.end]);
        let pred: Vec<(Spans, Spans)> = keyed
            .iter()
            .map(|(q, _)| {
                (
                    q.content.iter().map(|&s| span(s)).collect(),
                    q.speaker.iter().map(|&s| span(s)).collect(),
                )
            })
            .collect();
        let gold: Vec<(Spans, Spans)> = gold
            .iter()
            .map(|g| (g.content.clone(), g.source.clone()))
            .collect();
        let right = right_end_to_end(text, &gold, &pred);
        for ((_, key), ok) in keyed.iter().zip(right) {
            let c = counts.entry(*key).or_default();
            c.0 += usize::from(ok);
            c.1 += 1;
        }
    }
    Ok(counts.into_iter().map(|(k, (r, t))| (k, r, t)).collect())
}
