//! Direct quotes next to a cue: before it (`“…,” Kerry said`), after it
//! (`Kerry said, “…”`), and the quotes of a paragraph that no cue claims, which join the
//! attribution of their paragraph (`“A,” he said. “B.”` is one quote in two spans) or,
//! when a paragraph is nothing but a quotation, continue the previous speaker.

use std::ops::Range;

use super::attribution;
use super::Ctx;
use crate::pipeline::document::{EntityType, TokenKind};

/// Separators allowed between a quote and its cue: a comma, colon or dash.
fn separator(cx: &Ctx, i: usize) -> bool {
    let t = cx.doc.tokens[i];
    t.kind == TokenKind::Dash || matches!(cx.doc.token_text(i), "," | ":" | ";")
}

/// The quote whose closing mark ends just before token `at` (over at most one
/// separator): `“…,” said`, `“…” — he said`.
pub fn closing_before(cx: &Ctx, at: usize) -> Option<usize> {
    let mut j = at;
    if j > 0 && separator(cx, j - 1) {
        j -= 1;
    }
    let q = cx.quote_at(j.checked_sub(1)?)?;
    let same_block = at < cx.block_of.len() && cx.quotes[q].block == cx.block_of[at] as usize;
    (same_block && cx.quotes[q].close == Some(j - 1)).then_some(q)
}

/// The quote whose opening mark is at token `at` or after one separator.
pub fn opening_at(cx: &Ctx, at: usize, hi: usize) -> Option<usize> {
    let hi = hi.min(cx.doc.tokens.len());
    let mut j = at;
    while j < hi && j < at + 2 && separator(cx, j) {
        j += 1;
    }
    if j >= cx.doc.tokens.len() {
        return None;
    }
    let q = cx.quote_at(j)?;
    let same_block = at < cx.block_of.len() && cx.quotes[q].block == cx.block_of[at] as usize;
    (same_block && cx.quotes[q].open == j).then_some(q)
}

/// Whether quote `q` ends its clause (`said, “…”.`), rather than being a fragment
/// inside reported speech (`said “nothing is off the table” and …`).
pub fn ends_clause(cx: &Ctx, q: usize) -> bool {
    let end = cx.quotes[q].tokens.end;
    let block_end = cx.blocks[cx.quotes[q].block].end;
    if end >= block_end {
        return true;
    }
    let t = cx.doc.tokens[end];
    match t.kind {
        TokenKind::Punct | TokenKind::Quote | TokenKind::Dash => true,
        // `“…” he said` — another attribution, not a continuation of the clause.
        _ => cx.quote_at(end).is_some(),
    }
}

/// Whether block `b` is nothing but quotation: its first token opens a quote that runs
/// (nearly) to the block's end.
pub fn block_is_quote(cx: &Ctx, q: usize) -> bool {
    let quote = &cx.quotes[q];
    let toks = &cx.blocks[quote.block];
    quote.open == toks.start && quote.tokens.end + 1 >= toks.end
}

/// Number of words in quote `q`'s content.
pub fn word_count(cx: &Ctx, q: usize) -> usize {
    cx.doc
        .span_text(cx.quotes[q].content)
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// An attribution right after quote `q` with no lexicon cue: `“…?” Vitter demanded.`
/// (a name and one lower-case verb ending the sentence) or `“…” ― Carla Sanchez`.
/// Returns the cue (if any) and the speaker tokens.
pub fn trailing_attribution(cx: &Ctx, q: usize) -> Option<(Option<Range<usize>>, Range<usize>)> {
    let quote = &cx.quotes[q];
    quote.close?;
    let end = cx.blocks[quote.block].end;
    let mut i = quote.tokens.end;
    if i < end && cx.doc.token_text(i) == "," {
        i += 1;
    }
    if i >= end {
        return None;
    }
    if cx.doc.tokens[i].kind == TokenKind::Dash {
        let speaker = attribution::after(cx, i + 1, end, false)?;
        let rest_is_empty = (speaker.end..end).all(|k| cx.doc.tokens[k].kind == TokenKind::Punct);
        let named = speaker
            .clone()
            .any(|k| cx.doc.token_text(k).starts_with(char::is_uppercase));
        return (rest_is_empty && named).then_some((None, speaker));
    }
    // `“…,” scolded Elyse.` — VERB NAME ending the sentence.
    let first = cx.doc.token_text(i);
    if cx.doc.tokens[i].kind == TokenKind::Word
        && first.starts_with(char::is_lowercase)
        && (first.ends_with("ed") || first.ends_with('s'))
    {
        if let Some(speaker) = attribution::after(cx, i + 1, end, false) {
            let closes =
                speaker.end >= end || matches!(cx.doc.token_text(speaker.end), "." | "!" | "?");
            let named = speaker
                .clone()
                .any(|k| cx.doc.token_text(k).starts_with(char::is_uppercase));
            if closes && named {
                return Some((Some(i..i + 1), speaker));
            }
        }
    }
    // NAME VERB . — find the verb within a few tokens.
    let limit = (i + 8).min(end);
    let verb = (i + 1..limit).find(|&k| {
        let w = cx.doc.token_text(k);
        cx.doc.tokens[k].kind == TokenKind::Word && w.starts_with(char::is_lowercase)
    })?;
    let after_verb = verb + 1;
    let closes = after_verb >= end || matches!(cx.doc.token_text(after_verb), "." | "!" | "?");
    let w = cx.doc.token_text(verb);
    if !closes || !(w.ends_with("ed") || w.ends_with('s')) {
        return None;
    }
    let speaker = attribution::before(cx, i, verb)?;
    (speaker.start == i).then_some((Some(verb..verb + 1), speaker))
}

/// `Martell, the addictions doctor, is more blunt: “…”`: a quotation right after a
/// colon that ends a sentence whose subject is a person's name. Returns the colon (the
/// cue) and the subject.
pub fn colon_attribution(cx: &Ctx, q: usize) -> Option<(Range<usize>, Range<usize>)> {
    let open = cx.quotes[q].open;
    let colon = open.checked_sub(1)?;
    if cx.doc.token_text(colon) != ":" || cx.block_of[colon] != cx.block_of[open] {
        return None;
    }
    let sentence = cx.sentence(colon);
    let subject = attribution::subject_at(cx, sentence.start, colon)?;
    let first = cx.doc.tokens[subject.start].span.start;
    let last = cx.doc.tokens[subject.end - 1].span.end;
    let m = cx.doc.mentions.partition_point(|m| m.span.end <= first);
    let person = cx.doc.mentions[m..]
        .iter()
        .take_while(|m| m.span.start < last)
        .any(|m| m.label == EntityType::Person);
    person.then_some((colon..colon + 1, subject))
}
