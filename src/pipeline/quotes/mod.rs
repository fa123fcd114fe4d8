//! The quote stage: quotations, their reporting cue and their speaker.
//!
//! First version: direct quotes are pairs of quotation marks within a paragraph (an
//! unclosed one closes at the paragraph's end); the cue is a reporting verb next to the
//! quote in the same sentence, and the speaker the name or pronoun beside the cue.
//! Reported speech is "SPEAKER said (that) CLAUSE". Issue #5 replaces this.

use super::document::{Document, Quote, QuoteKind, Span, TokenKind};
use super::Stage;

#[derive(Debug, Default)]
pub struct QuoteStage {}

impl QuoteStage {
    pub fn new() -> Self {
        QuoteStage {}
    }

    pub fn model_version(&self) -> String {
        "rules-0.1".to_string()
    }
}

const CUES: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asked",
    "responded",
    "reported",
    "stated",
    "explained",
    "warned",
    "noted",
];
const PRONOUNS: &[&str] = &["he", "she", "they", "i", "we"];

fn opening(c: &str) -> bool {
    matches!(c, "“" | "„" | "«" | "\"")
}

fn closing_for(open: &str) -> &'static [&'static str] {
    match open {
        "“" => &["”", "\""],
        "„" => &["“", "”"],
        "«" => &["»"],
        _ => &["\"", "”"],
    }
}

impl Stage for QuoteStage {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn run(&self, doc: &mut Document) {
        doc.quotes.clear();
        let mut quotes = Vec::new();
        for para in doc.paragraphs.clone() {
            let toks: Vec<usize> = (0..doc.tokens.len())
                .filter(|&i| para.contains(doc.tokens[i].span))
                .collect();
            let mut k = 0;
            let mut covered: Vec<Span> = Vec::new();
            while k < toks.len() {
                let t = doc.tokens[toks[k]];
                let s = doc.span_text(t.span);
                if t.kind == TokenKind::Quote && opening(s) {
                    let close = (k + 1..toks.len()).find(|&j| {
                        let u = doc.tokens[toks[j]];
                        u.kind == TokenKind::Quote
                            && closing_for(s).contains(&doc.span_text(u.span))
                    });
                    let content_end = close
                        .map(|j| doc.tokens[toks[j]].span.start)
                        .unwrap_or(para.end);
                    let content = Span::new(t.span.end, content_end);
                    if !doc.span_text(content).trim().is_empty() {
                        let after = close.map(|j| j + 1).unwrap_or(toks.len());
                        let (cue, speaker) = attribution(doc, &toks, k, after);
                        covered.push(content);
                        quotes.push(make(doc, QuoteKind::Direct, vec![content], cue, speaker));
                    }
                    k = close.map(|j| j + 1).unwrap_or(toks.len());
                    continue;
                }
                k += 1;
            }
            // Reported speech: NAME said (that) CLAUSE, in sentences with no direct quote.
            for sent in doc.sentences.clone() {
                if !para.contains(sent.span) || covered.iter().any(|c| c.overlaps(sent.span)) {
                    continue;
                }
                let idx: Vec<usize> = sent.tokens.clone().collect();
                for (p, &i) in idx.iter().enumerate() {
                    if !CUES.contains(&doc.token_text(i)) || p == 0 || p + 1 >= idx.len() {
                        continue;
                    }
                    let speaker = speaker_before(doc, &idx[..p]);
                    let Some(speaker) = speaker else { break };
                    let mut c = p + 1;
                    if doc.token_text(idx[c]) == "that" {
                        c += 1;
                    }
                    if c >= idx.len() - 1 {
                        break;
                    }
                    let content = Span::new(doc.tokens[idx[c]].span.start, sent.span.end);
                    let content = trim_punct(doc, content);
                    let kind = if doc.span_text(content).contains(['“', '"']) {
                        QuoteKind::Mixed
                    } else {
                        QuoteKind::Indirect
                    };
                    quotes.push(make(
                        doc,
                        kind,
                        vec![content],
                        Some(doc.tokens[i].span),
                        Some(speaker),
                    ));
                    break;
                }
            }
        }
        quotes.sort_by_key(|q: &Quote| q.content[0].start);
        doc.quotes = quotes;
    }
}

fn trim_punct(doc: &Document, s: Span) -> Span {
    let t = doc.span_text(s);
    let trimmed = t.trim_end_matches(['.', ' ', '\n']);
    Span::new(s.start, s.start + trimmed.len())
}

/// Cue and speaker after the quote ("…,” said Kerry / he said) or before it (Kerry said, “…”).
fn attribution(
    doc: &Document,
    toks: &[usize],
    open: usize,
    after: usize,
) -> (Option<Span>, Option<Span>) {
    for j in after..(after + 4).min(toks.len()) {
        if CUES.contains(&doc.token_text(toks[j])) {
            let cue = doc.tokens[toks[j]].span;
            let speaker =
                speaker_before(doc, &toks[after..j]).or_else(|| speaker_after(doc, &toks[j + 1..]));
            return (Some(cue), speaker);
        }
    }
    let lo = open.saturating_sub(6);
    for j in (lo..open).rev() {
        if CUES.contains(&doc.token_text(toks[j])) {
            let cue = doc.tokens[toks[j]].span;
            return (Some(cue), speaker_before(doc, &toks[lo..j]));
        }
    }
    (None, None)
}

fn is_name_word(doc: &Document, i: usize) -> bool {
    doc.tokens[i].kind == TokenKind::Word
        && doc.token_text(i).starts_with(|c: char| c.is_uppercase())
}

fn speaker_before(doc: &Document, toks: &[usize]) -> Option<Span> {
    let last = *toks.last()?;
    if PRONOUNS.contains(&doc.token_text(last).to_lowercase().as_str()) {
        return Some(doc.tokens[last].span);
    }
    let n = toks
        .iter()
        .rev()
        .take_while(|&&i| is_name_word(doc, i))
        .count();
    (n > 0).then(|| {
        Span::new(
            doc.tokens[toks[toks.len() - n]].span.start,
            doc.tokens[last].span.end,
        )
    })
}

fn speaker_after(doc: &Document, toks: &[usize]) -> Option<Span> {
    let first = *toks.first()?;
    if PRONOUNS.contains(&doc.token_text(first).to_lowercase().as_str()) {
        return Some(doc.tokens[first].span);
    }
    let n = toks.iter().take_while(|&&i| is_name_word(doc, i)).count();
    (n > 0).then(|| {
        Span::new(
            doc.tokens[first].span.start,
            doc.tokens[toks[n - 1]].span.end,
        )
    })
}

/// Resolves the speaker span to an entity: a mention inside it, or for a pronoun the
/// most recent person mentioned before it.
fn make(
    doc: &Document,
    kind: QuoteKind,
    content: Vec<Span>,
    cue: Option<Span>,
    speaker: Option<Span>,
) -> Quote {
    let speaker_entity = speaker.and_then(|s| {
        doc.mentions
            .iter()
            .find(|m| m.span.overlaps(s))
            .map(|m| m.entity)
            .or_else(|| {
                let word = doc.span_text(s).to_lowercase();
                PRONOUNS.contains(&word.as_str()).then(|| {
                    doc.mentions
                        .iter()
                        .rev()
                        .find(|m| {
                            m.span.end <= s.start && m.label == super::document::EntityType::Person
                        })
                        .map(|m| m.entity)
                })?
            })
    });
    Quote {
        kind,
        content,
        cue,
        speaker,
        speaker_entity,
        confidence: if speaker.is_some() { 0.6 } else { 0.3 },
    }
}
