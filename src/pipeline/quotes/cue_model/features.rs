//! What the cue model sees of a word: the word and its neighbours, what the hand-made
//! lexicon and the learned cue counts say of it, the quotation marks and names around
//! it, and where it stands in its sentence.
//!
//! Features are hashed to `u64` with [`feature`], a fixed mix over the project's stable
//! string hash ([`crate::text::hash::stable`]): the shipped weights are indexed by these
//! numbers, so neither may change without retraining `models/quotes/cues.bin`.

use crate::pipeline::document::{EntityType, Region, TokenKind};
use crate::pipeline::quotes::cues::{CueKind, Lexicon};
use crate::pipeline::quotes::words::{DETERMINERS, PRONOUNS};
use crate::pipeline::quotes::Ctx;
use crate::text::hash::stable;

/// One feature: a template number and up to two values, mixed (splitmix64's finaliser).
#[inline]
pub fn feature(template: u64, a: u64, b: u64) -> u64 {
    let mut z = template
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(a.wrapping_mul(0xbf58_476d_1ce4_e5b9))
        .wrapping_add(b.rotate_left(31).wrapping_mul(0x94d0_49bb_1331_11eb));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What the models of this folder see of any token, before its own word: the edges of
/// the stretch `lo..hi` they look in, a quotation mark, a number. `None` for the rest.
pub fn symbol(cx: &Ctx, j: usize, lo: usize, hi: usize) -> Option<u64> {
    if j < lo {
        return Some(stable::hash("<s>"));
    }
    if j >= hi {
        return Some(stable::hash("</s>"));
    }
    match cx.doc.tokens[j].kind {
        TokenKind::Quote => Some(stable::hash("<q>")),
        TokenKind::Number => Some(stable::hash("<num>")),
        _ => None,
    }
}

/// A word's class as a neighbour: the few function words that decide a cue by
/// themselves, else its shape.
fn class(cx: &Ctx, j: usize, lo: usize, hi: usize) -> u64 {
    if let Some(symbol) = symbol(cx, j, lo, hi) {
        return symbol;
    }
    let t = cx.doc.tokens[j];
    let w = cx.doc.token_text(j);
    match t.kind {
        TokenKind::Word => {
            let lower = w.to_ascii_lowercase();
            match lower.as_str() {
                "that" | "to" | "with" | "for" | "about" | "and" | "but" | "as" | "in" | "on"
                | "of" | "by" | "the" | "a" | "it" | "not" | "was" | "is" | "has" | "had"
                | "will" | "would" => stable::hash(&lower),
                _ if PRONOUNS.contains(w) => stable::hash("<pron>"),
                _ if DETERMINERS.contains(w) => stable::hash("<det>"),
                _ if w.starts_with(char::is_uppercase) => stable::hash("<cap>"),
                _ if lower.ends_with("ly") => stable::hash("<ly>"),
                _ if lower.ends_with("ing") => stable::hash("<ing>"),
                _ if lower.ends_with("ed") => stable::hash("<ed>"),
                _ => stable::hash("<w>"),
            }
        }
        _ => stable::hash(w),
    }
}

fn bucket(n: usize) -> u64 {
    match n {
        0..=3 => n as u64,
        4..=6 => 4,
        7..=12 => 5,
        _ => 6,
    }
}

/// Per-document values the features of every token read.
pub struct Prepared {
    /// The stable hash of each token's lower case (quotation marks as one symbol).
    lower: Vec<u64>,
    /// For each token, a code of the names that end just before it and start just
    /// after it (PERSON or ORG within three tokens).
    names: Vec<u64>,
}

impl Prepared {
    pub fn new(cx: &Ctx) -> Self {
        let doc = cx.doc;
        let lower = doc
            .tokens
            .iter()
            .map(|t| match t.kind {
                TokenKind::Quote => stable::hash("<q>"),
                TokenKind::Number => stable::hash("<num>"),
                _ => stable::hash_lower(&doc.text[t.span.range()]),
            })
            .collect();
        let n = doc.tokens.len();
        let mut names = vec![0u64; n];
        // Token index of each mention's first and last token.
        let mut t = 0;
        for m in doc.mentions {
            if m.region != Region::Body || !matches!(m.label, EntityType::Person | EntityType::Org)
            {
                continue;
            }
            while t < n && doc.tokens[t].span.end <= m.span.start {
                t += 1;
            }
            let first = t;
            let mut last = t;
            while last + 1 < n && doc.tokens[last + 1].span.end <= m.span.end {
                last += 1;
            }
            let person = u64::from(m.label == EntityType::Person);
            for d in 1..=3 {
                if let Some(slot) = names.get_mut(last + d) {
                    *slot |= (1 + person) << (2 * (d - 1));
                }
                if first >= d {
                    names[first - d] |= (1 + person) << (6 + 2 * (d - 1));
                }
            }
        }
        Prepared { lower, names }
    }
}

/// The features of token `i` as a cue, into `out` (cleared first).
pub fn cue_features(cx: &Ctx, lexicon: &Lexicon, p: &Prepared, i: usize, out: &mut Vec<u64>) {
    out.clear();
    let sentence = cx.sentence(i);
    let (lo, hi) = (sentence.start, sentence.end);
    let w = p.lower[i];
    let text = cx.doc.token_text(i);
    let lower = text.to_ascii_lowercase();
    let at = |j: isize| -> u64 {
        let j = i as isize + j;
        if j < lo as isize {
            stable::hash("<s>")
        } else if j >= hi as isize {
            stable::hash("</s>")
        } else {
            p.lower[j as usize]
        }
    };
    let cls = |d: isize| -> u64 {
        let j = i as isize + d;
        if j < 0 {
            stable::hash("<s>")
        } else {
            class(cx, j as usize, lo, hi)
        }
    };
    let kind = match lexicon.rule_kind(&lower) {
        None => 0,
        Some(CueKind::Verb) => 1,
        Some(CueKind::Weak) => 2,
        Some(CueKind::Participle) => 3,
        Some(CueKind::AccordingTo) => 4,
        Some(_) => 5,
    };
    let (ratio, count) = lexicon.learned_ratio(&lower).map_or((11, 0), |(r, c)| {
        ((r * 10.0) as u64, 64 - u64::from(c).leading_zeros() as u64)
    });
    let suffix: String = lower
        .chars()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let (p1, p2, n1, n2) = (cls(-1), cls(-2), cls(1), cls(2));
    // Quotation marks near the word: closing just before, opening just after, any in
    // the sentence.
    let mut quotes = 0u64;
    for j in i.saturating_sub(3).max(lo)..i {
        if cx.doc.tokens[j].kind == TokenKind::Quote {
            quotes |= 1;
        }
    }
    for j in i + 1..(i + 4).min(hi) {
        if cx.doc.tokens[j].kind == TokenKind::Quote {
            quotes |= 2;
        }
    }
    if cx.quote_at(lo).is_some() || cx.quote_at(hi.saturating_sub(1)).is_some() {
        quotes |= 4;
    }
    let names = p.names[i];
    let capital = u64::from(text.starts_with(char::is_uppercase)) | (u64::from(i == lo) << 1);
    let position = bucket(i - lo) | (bucket(hi - i - 1) << 4);
    out.extend_from_slice(&[
        feature(0, 0, 0),
        feature(1, w, 0),
        feature(2, stable::hash(&suffix), 0),
        feature(3, kind, 0),
        feature(4, ratio, count),
        feature(5, at(-1), 0),
        feature(6, at(-2), 0),
        feature(7, at(1), 0),
        feature(8, at(2), 0),
        feature(9, w, at(-1)),
        feature(10, w, at(1)),
        feature(11, w, at(2)),
        feature(12, capital, kind),
        feature(13, p1, p2),
        feature(14, n1, n2),
        feature(15, kind, n1),
        feature(16, kind, p1),
        feature(17, quotes, kind),
        feature(18, w, quotes),
        feature(19, names, 0),
        feature(20, w, names & 0x3f),
        feature(21, position, kind),
        feature(22, w, n1),
        feature(23, w, p1),
        feature(24, ratio, n1),
        feature(25, ratio, p1),
        feature(26, stable::hash(&suffix), n1),
    ]);
}
