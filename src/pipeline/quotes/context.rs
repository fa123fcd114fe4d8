//! The token-level view of a document that every part of the quote stage reads:
//! the layers it borrows ([`Layers`]), the blocks (lines of paragraphs) quotes never
//! cross, the sentences clipped to those blocks, and which direct quote each token is
//! in. Built once per document in one pass over the tokens.

use std::ops::Range;

use super::marks::{self, DirectQuote};
use crate::pipeline::document::{Document, Entity, Mention, Sentence, Span, Token, TokenKind};
use crate::pipeline::stage::MissingLayer;

const NONE: u32 = u32::MAX;

/// The layers the quote stage reads, borrowed from the document once per run.
pub struct Layers<'a> {
    pub text: &'a str,
    pub paragraphs: &'a [Span],
    pub tokens: &'a [Token],
    pub sentences: &'a [Sentence],
    pub mentions: &'a [Mention],
    pub entities: &'a [Entity],
}

impl<'a> Layers<'a> {
    pub fn of(doc: &'a Document) -> Result<Self, MissingLayer> {
        Ok(Layers {
            text: doc.text()?,
            paragraphs: doc.paragraphs()?,
            tokens: doc.tokens()?,
            sentences: doc.sentences()?,
            mentions: doc.mentions()?,
            entities: doc.entities()?,
        })
    }

    /// The body text of a span.
    pub fn span_text(&self, span: Span) -> &'a str {
        &self.text[span.range()]
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &'a str {
        self.span_text(self.tokens[i].span)
    }
}

/// The text of token `i`.
pub(crate) fn word<'a>(cx: &'a Ctx, i: usize) -> &'a str {
    cx.doc.token_text(i)
}

/// Is token `i` a word or a number (what names and clauses are made of)?
pub(crate) fn is_word(cx: &Ctx, i: usize) -> bool {
    matches!(cx.doc.tokens[i].kind, TokenKind::Word | TokenKind::Number)
}

/// The token-level view every part of the stage reads.
pub struct Ctx<'a> {
    pub doc: &'a Layers<'a>,
    /// Token ranges of the blocks: lines of paragraphs.
    pub blocks: Vec<Range<usize>>,
    pub block_spans: Vec<Span>,
    pub block_of: Vec<u32>,
    /// Token range of the sentence each token lies in (clipped to its block).
    pub sentence_of: Vec<u32>,
    pub sentences: Vec<Range<usize>>,
    pub quotes: Vec<DirectQuote>,
    quote_of: Vec<u32>,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Layers<'a>) -> Self {
        let (blocks, block_spans) = blocks(doc);
        let n = doc.tokens.len();
        let mut block_of = vec![NONE; n];
        for (b, r) in blocks.iter().enumerate() {
            for slot in &mut block_of[r.clone()] {
                *slot = b as u32;
            }
        }
        let mut sentences = Vec::with_capacity(doc.sentences.len());
        let mut sentence_of = vec![NONE; n];
        for s in doc.sentences {
            // Split any sentence that crosses a block boundary.
            let mut start = s.tokens.start;
            for i in s.tokens.clone() {
                if i > start && block_of[i] != block_of[i - 1] {
                    sentences.push(start..i);
                    start = i;
                }
            }
            if start < s.tokens.end {
                sentences.push(start..s.tokens.end);
            }
        }
        for (k, r) in sentences.iter().enumerate() {
            for slot in &mut sentence_of[r.clone()] {
                *slot = k as u32;
            }
        }
        let quotes = marks::find(doc, &blocks, &block_spans);
        let mut quote_of = vec![NONE; n];
        for (q, quote) in quotes.iter().enumerate() {
            for slot in &mut quote_of[quote.tokens.clone()] {
                *slot = q as u32;
            }
        }
        Ctx {
            doc,
            blocks,
            block_spans,
            block_of,
            sentence_of,
            sentences,
            quotes,
            quote_of,
        }
    }

    /// The direct quote token `i` belongs to (marks included).
    pub fn quote_at(&self, i: usize) -> Option<usize> {
        self.quote_of
            .get(i)
            .copied()
            .filter(|&q| q != NONE)
            .map(|q| q as usize)
    }

    /// Token range of the sentence holding token `i` (its block if it has none).
    pub fn sentence(&self, i: usize) -> Range<usize> {
        match self.sentence_of[i] {
            NONE => self.blocks[self.block_of[i] as usize].clone(),
            s => self.sentences[s as usize].clone(),
        }
    }
}

/// Lines of paragraphs, with their tokens. A single line break inside a paragraph
/// separates paragraphs in much pasted news text, so quotes never run across one.
fn blocks(doc: &Layers) -> (Vec<Range<usize>>, Vec<Span>) {
    let mut spans = Vec::new();
    for p in doc.paragraphs {
        let mut start = p.start;
        for (k, _) in doc.span_text(*p).match_indices('\n') {
            let end = p.start + k;
            push_line(doc, &mut spans, start, end);
            start = end + 1;
        }
        push_line(doc, &mut spans, start, p.end);
    }
    let mut ranges = Vec::with_capacity(spans.len());
    let mut t = 0;
    let tokens = doc.tokens;
    for s in &spans {
        while t < tokens.len() && tokens[t].span.start < s.start {
            t += 1;
        }
        let first = t;
        while t < tokens.len() && tokens[t].span.end <= s.end {
            t += 1;
        }
        ranges.push(first..t);
    }
    (ranges, spans)
}

fn push_line(doc: &Layers, spans: &mut Vec<Span>, start: usize, end: usize) {
    let line = &doc.text[start..end];
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = line.len() - line.trim_start().len();
    spans.push(Span::new(start + lead, start + lead + trimmed.len()));
}

/// The text span from the first to the last token of `r`.
pub(crate) fn token_span(cx: &Ctx, r: &Range<usize>) -> Span {
    Span::new(
        cx.doc.tokens[r.start].span.start,
        cx.doc.tokens[r.end - 1].span.end,
    )
}
