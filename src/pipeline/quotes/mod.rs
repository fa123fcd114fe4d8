//! The quote stage: direct, indirect and mixed quotations, their cue and their speaker.
//!
//! The work is split by question, each in its own file:
//! - [`marks`]: which quotation marks pair up (direct quotes, nesting, apostrophes,
//!   unclosed and multi-paragraph quotes);
//! - [`cues`]: the reporting words (`said`, `told reporters`, `according to`, …);
//! - [`attribution`]: the noun phrase naming the speaker beside a cue;
//! - [`direct`] and [`indirect`]: what a cue reports — a quotation next to it, or the
//!   clause after (`said that …`) or before (`…, he said`) it;
//! - [`speakers`]: which entity a speaker phrase refers to.
//!
//! This file walks the cues in text order and assembles the quotes. Everything is
//! linear in the number of tokens: each cue looks at a bounded window, and content
//! spans are capped (see [`indirect::MAX_CLAUSE`]).

pub mod attribution;
pub mod cues;
pub mod direct;
pub mod indirect;
pub mod marks;
pub mod speakers;

use std::ops::Range;

use super::document::{
    Document, Entity, Mention, Quote, QuoteKind, Sentence, Span, Token, TokenKind,
};
use super::layer::Layer;
use super::stage::{Cancelled, MissingLayer, RunContext, Stage, StageError};
use cues::{Cue, CueKind, Lexicon};
use marks::DirectQuote;

const NONE: u32 = u32::MAX;

/// Unclaimed quotations shorter than this are titles or scare quotes, not speech.
const MIN_FREE_QUOTE_WORDS: usize = 4;

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

/// A quote being assembled: token ranges until resolution.
#[derive(Debug, Clone)]
struct Draft {
    kind: QuoteKind,
    content: Vec<Span>,
    cue: Option<Range<usize>>,
    speaker: Option<Range<usize>>,
    /// Index of an earlier draft whose speaker this one continues.
    inherit: Option<usize>,
    block: usize,
    /// A question put to someone: never merged with the answer's speaker.
    question: bool,
    confidence: f32,
}

fn token_span(cx: &Ctx, r: &Range<usize>) -> Span {
    Span::new(
        cx.doc.tokens[r.start].span.start,
        cx.doc.tokens[r.end - 1].span.end,
    )
}

struct Builder<'c, 'a> {
    cx: &'c Ctx<'a>,
    claimed: Vec<bool>,
    drafts: Vec<Draft>,
}

impl Builder<'_, '_> {
    fn direct(&mut self, q: usize, cue: &Cue, speaker: Option<Range<usize>>, confidence: f32) {
        self.claimed[q] = true;
        let quote = &self.cx.quotes[q];
        let mut content = vec![quote.content];
        let block = quote.block;
        // `“We are ready,” he said, “and we will act.”`: the quote after the cue
        // continues the one before it.
        let after = cue.end.max(speaker.as_ref().map_or(0, |s| s.end));
        if let Some(next) = direct::opening_at(self.cx, after, self.cx.blocks[block].end) {
            if next != q && !self.claimed[next] && quote.close.is_some() {
                let closing = self.cx.doc.span_text(quote.content).trim_end();
                if closing.ends_with(',')
                    || self
                        .cx
                        .doc
                        .span_text(self.cx.quotes[next].content)
                        .starts_with(char::is_lowercase)
                {
                    self.claimed[next] = true;
                    content.push(self.cx.quotes[next].content);
                }
            }
        }
        self.drafts.push(Draft {
            kind: QuoteKind::Direct,
            content,
            cue: Some(cue.first..cue.end),
            speaker,
            inherit: None,
            block,
            question: cue.kind == CueKind::AskedOf,
            confidence,
        });
    }

    /// Reported speech over tokens `r`; quotations inside make it mixed.
    fn reported(
        &mut self,
        r: Range<usize>,
        cue: &Cue,
        speaker: Option<Range<usize>>,
        confidence: f32,
    ) {
        let cx = self.cx;
        // A content that is exactly one quotation is a direct quote.
        if let Some(q) = cx.quote_at(r.start) {
            let quote = &cx.quotes[q];
            if quote.open == r.start && quote.tokens.end >= r.end {
                if !self.claimed[q] {
                    self.direct(q, cue, speaker, confidence);
                }
                return;
            }
        }
        let mut mixed = false;
        let mut i = r.start;
        while i < r.end {
            match cx.quote_at(i) {
                Some(q) => {
                    self.claimed[q] = true;
                    mixed = true;
                    i = cx.quotes[q].tokens.end.max(i + 1);
                }
                None => i += 1,
            }
        }
        self.drafts.push(Draft {
            kind: if mixed {
                QuoteKind::Mixed
            } else {
                QuoteKind::Indirect
            },
            content: vec![token_span(cx, &r)],
            cue: Some(cue.first..cue.end),
            speaker,
            inherit: None,
            block: cx.block_of[cue.first] as usize,
            question: false,
            confidence,
        });
    }

    /// What follows cue `c` (a quotation or a clause), attributed to `speaker`.
    fn after_cue(
        &mut self,
        cue: &Cue,
        speaker: Option<Range<usize>>,
        hi: usize,
        limit: usize,
        confidence: f32,
    ) -> bool {
        let cx = self.cx;
        let from = speaker.as_ref().map_or(cue.end, |s| s.end.max(cue.end));
        if let Some(q) = direct::opening_at(cx, from, hi.max(from + 2)) {
            if !self.claimed[q] && direct::ends_clause(cx, q) {
                self.direct(q, cue, speaker, confidence);
                return true;
            }
        }
        let shifted = Cue { end: from, ..*cue };
        let mut colon = false;
        match indirect::clause_start(cx, &shifted, hi, &mut colon) {
            Some(s) => {
                // `said of Monday, “…”`: the quotation after an adverbial.
                if let Some(q) = cx.quote_at(s).filter(|&q| cx.quotes[q].open == s) {
                    if !self.claimed[q] && direct::ends_clause(cx, q) {
                        self.direct(q, cue, speaker, confidence);
                        return true;
                    }
                }
                if cue.kind == CueKind::Weak
                    && !(cx.doc.token_text(s).eq_ignore_ascii_case("that")
                        || cx.quote_at(s).is_some())
                {
                    return false;
                }
                match indirect::clause(cx, s, hi, limit) {
                    Some(r) => {
                        self.reported(r, cue, speaker, confidence);
                        true
                    }
                    None => false,
                }
            }
            None => {
                // `Caddell continued:` at the end of a paragraph, the quote below.
                let block = cx.block_of[cue.first] as usize;
                let last = cx.blocks[block].end;
                let ends_colon =
                    last > 0 && cx.doc.token_text(last - 1) == ":" && (last - 1) < from + 3;
                if ends_colon {
                    if let Some(next) = cx.blocks.get(block + 1) {
                        if let Some(q) = cx.quote_at(next.start) {
                            if cx.quotes[q].open == next.start && !self.claimed[q] {
                                self.direct(q, cue, speaker, confidence);
                                return true;
                            }
                        }
                    }
                }
                false
            }
        }
    }

    /// The speaker of an earlier cue in the sentence `lo..`, or the sentence's subject.
    fn sentence_speaker(&self, lo: usize, before: usize) -> Option<Range<usize>> {
        let cx = self.cx;
        self.drafts
            .iter()
            .rev()
            .take_while(|d| d.block == cx.block_of[lo] as usize)
            .find_map(|d| {
                d.speaker
                    .clone()
                    .filter(|s| s.start >= lo && s.end <= before)
            })
            .or_else(|| attribution::subject_at(cx, lo, before))
    }

    fn cue(&mut self, cue: &Cue, limit: usize) {
        let cx = self.cx;
        let sentence = cx.sentence(cue.first);
        let (lo, hi) = (sentence.start, sentence.end);
        match cue.kind {
            CueKind::AccordingTo => {
                let Some(speaker) = attribution::after(cx, cue.end, hi, false) else {
                    return;
                };
                let mut lead = lo;
                while lead < cue.first
                    && (cx.doc.tokens[lead].kind != TokenKind::Word
                        || cues::is_one_of(&["but", "and", "yet", "so"], cx.doc.token_text(lead)))
                {
                    lead += 1;
                }
                if lead == cue.first {
                    let mut s = speaker.end;
                    while s < hi && cx.doc.token_text(s) == "," {
                        s += 1;
                    }
                    if let Some(r) = indirect::clause(cx, s, hi, limit) {
                        self.reported(r, cue, Some(speaker), 0.8);
                    }
                } else if let Some(q) = direct::closing_before(cx, cue.first) {
                    self.direct(q, cue, Some(speaker), 0.8);
                } else if let Some(r) = indirect::clause_before(cx, lo, cue.first) {
                    self.reported(r, cue, Some(speaker), 0.8);
                }
            }
            // `When asked …, Kerry said, “…”`: the main clause has its own speaker.
            CueKind::AskedOf if cues::is_one_of(&["when", "if"], cx.doc.token_text(cue.first)) => {}
            CueKind::AskedOf => {
                // The question that follows is not the subject's: keep it unattributed.
                let end = (cue.end + 16).min(cx.blocks[cx.block_of[cue.first] as usize].end);
                if let Some(q) =
                    (cue.end..end).find_map(|i| cx.quote_at(i).filter(|&q| cx.quotes[q].open == i))
                {
                    if !self.claimed[q] {
                        self.direct(q, cue, None, 0.6);
                    }
                }
            }
            CueKind::Impersonal => {
                self.after_cue(cue, None, hi, limit, 0.6);
            }
            CueKind::Participle => {
                let mut p = cue.first;
                while p > lo
                    && cx.doc.tokens[p - 1].kind == TokenKind::Word
                    && cues::is_auxiliary(cx.doc.token_text(p - 1))
                {
                    p -= 1;
                }
                if p == lo {
                    return;
                }
                let prev = cx.doc.token_text(p - 1);
                let speaker = if prev == ","
                    || cues::is_one_of(&["while", "after", "before", "by", "and"], prev)
                {
                    // `…, saying`, `while chanting`: the sentence's subject speaks.
                    self.sentence_speaker(lo, p)
                } else {
                    // `footage of Hillary Clinton asking, “…”`.
                    match attribution::before(cx, lo, p) {
                        Some(r)
                            if (r.clone())
                                .any(|i| cx.doc.token_text(i).starts_with(char::is_uppercase)) =>
                        {
                            Some(r)
                        }
                        _ => return,
                    }
                };
                self.after_cue(cue, speaker, hi, limit, 0.6);
            }
            CueKind::Verb | CueKind::Weak => {
                let weak = cue.kind == CueKind::Weak;
                if let Some(left) = attribution::before(cx, lo, cue.first) {
                    if let Some(q) = direct::closing_before(cx, left.start) {
                        if !self.claimed[q] && !weak {
                            self.direct(q, cue, Some(left), 0.9);
                            return;
                        }
                    }
                    if self.after_cue(
                        cue,
                        Some(left.clone()),
                        hi,
                        limit,
                        if weak { 0.5 } else { 0.75 },
                    ) {
                        return;
                    }
                    // `CLAUSE, Kerry said.`
                    if !weak && left.start > lo && cx.doc.token_text(left.start - 1) == "," {
                        if let Some(r) = indirect::clause_before(cx, lo, left.start - 1) {
                            self.reported(r, cue, Some(left), 0.7);
                            return;
                        }
                    }
                    // `… because “…,” she said. “We have no context …”`: the quote
                    // before was taken by another attribution; the next one is hers.
                    if !weak && hi < cx.blocks[cx.block_of[cue.first] as usize].end {
                        if let Some(q) = cx
                            .quote_at(hi)
                            .filter(|&q| cx.quotes[q].open == hi && !self.claimed[q])
                        {
                            self.direct(q, cue, Some(left), 0.7);
                        }
                    }
                    return;
                }
                if weak {
                    return;
                }
                // `Cruz exhorted Republicans … and said he was standing on principle`.
                if cue.first > lo
                    && cues::is_one_of(&["and", "but"], cx.doc.token_text(cue.first - 1))
                {
                    // The subject of the clause the conjunction continues.
                    let clause = (lo..cue.first - 1)
                        .rev()
                        .find(|&i| cx.doc.token_text(i) == ",")
                        .map_or(lo, |i| i + 1);
                    let speaker = self.sentence_speaker(clause, cue.first - 1);
                    if speaker.is_some() {
                        self.after_cue(cue, speaker, hi, limit, 0.6);
                    }
                    return;
                }
                // Inverted: `“…,” said Kerry`, `…, said Kerry`.
                let speaker = attribution::after(cx, cue.end, hi, true);
                if let Some(q) = direct::closing_before(cx, cue.first) {
                    if !self.claimed[q] {
                        self.direct(q, cue, speaker, 0.85);
                    }
                } else if cue.first > lo
                    && cx.doc.token_text(cue.first - 1) == ","
                    && speaker.is_some()
                {
                    if let Some(r) = indirect::clause_before(cx, lo, cue.first - 1) {
                        self.reported(r, cue, speaker, 0.65);
                    }
                }
            }
        }
    }

    /// `Sanders: Clinton needs to …` (a headline) and `PENCE: Well, …` (a transcript):
    /// a paragraph opening with a name and a colon is that name's words. The caller
    /// asks only for paragraphs no cue attributed.
    fn labelled_block(&mut self, b: usize) {
        let cx = self.cx;
        let toks = cx.blocks[b].clone();
        let mut s = toks.start;
        if s < toks.end && cx.doc.tokens[s].kind == TokenKind::Quote {
            s += 1;
        }
        let colon = (s..toks.end.min(s + 5)).find(|&i| cx.doc.token_text(i) == ":");
        let Some(colon) = colon else { return };
        let named = colon > s
            && (s..colon).all(|i| {
                cx.doc.tokens[i].kind == TokenKind::Word
                    && cx.doc.token_text(i).starts_with(char::is_uppercase)
            });
        if !named {
            return;
        }
        let Some(r) = indirect::clause(cx, colon + 1, toks.end, usize::MAX) else {
            return;
        };
        if (colon + 1..r.end).any(|i| cx.quote_at(i).is_some_and(|q| self.claimed[q])) {
            return;
        }
        let cue = Cue {
            first: colon,
            end: colon + 1,
            kind: CueKind::Verb,
            addressee: false,
        };
        self.reported(r, &cue, Some(s..colon), 0.5);
    }

    /// Quotes no cue claimed: joined to their paragraph's attribution, continuing the
    /// previous paragraph's speaker, or left without a speaker.
    fn unclaimed(&mut self) {
        let cx = self.cx;
        let mut by_block: Vec<(usize, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.block, i))
            .collect();
        by_block.sort();
        for q in 0..cx.quotes.len() {
            if self.claimed[q] {
                continue;
            }
            let quote = &cx.quotes[q];
            let b = quote.block;
            let lo = by_block.partition_point(|&(bb, _)| bb < b);
            let hi = by_block.partition_point(|&(bb, _)| bb <= b);
            let host = by_block[lo..hi]
                .iter()
                .map(|&(_, d)| d)
                .filter(|&d| {
                    let draft = &self.drafts[d];
                    !draft.question
                        && draft.speaker.is_some()
                        && draft.content[0].start <= quote.content.start
                })
                // The nearest direct attribution before it, else the nearest one.
                .max_by_key(|&d| {
                    (
                        self.drafts[d].kind == QuoteKind::Direct,
                        self.drafts[d].content[0].start,
                    )
                });
            // `“…?” Vitter demanded.`, `“…” ― Carla Sanchez`: a verb the lexicon
            // lacks, or a dash, right after the quotation.
            if let Some((cue, speaker)) = direct::trailing_attribution(cx, q) {
                self.claimed[q] = true;
                self.drafts.push(Draft {
                    kind: QuoteKind::Direct,
                    content: vec![quote.content],
                    cue,
                    speaker: Some(speaker),
                    inherit: None,
                    block: b,
                    question: false,
                    confidence: 0.6,
                });
                continue;
            }
            let words = direct::word_count(cx, q);
            // `“I would,” Melanie said. “I would, Donald.”`: a whole sentence joins
            // however short; a fragment (a title, a scare quote) must be longer.
            let text = cx.doc.span_text(quote.content);
            let sentence = text.starts_with(char::is_uppercase) && text.ends_with(['.', '!', '?']);
            let host = host.filter(|_| words >= MIN_FREE_QUOTE_WORDS || sentence);
            if let Some(d) = host {
                let draft = &mut self.drafts[d];
                draft.content.push(quote.content);
                draft.content.sort();
                if draft.kind == QuoteKind::Indirect {
                    draft.kind = QuoteKind::Mixed;
                }
                continue;
            }
            let alone = direct::block_is_quote(cx, q);
            if !alone && words < MIN_FREE_QUOTE_WORDS {
                continue;
            }
            // A paragraph that is only a quotation continues the speaker of the
            // quotation just before it.
            let previous = self
                .drafts
                .iter()
                .enumerate()
                .rev()
                .find(|(_, d)| {
                    d.content
                        .first()
                        .is_some_and(|c| c.start < quote.content.start)
                })
                .filter(|(_, d)| {
                    alone
                        && d.block + 1 >= b
                        && !d.question
                        && (d.speaker.is_some() || d.inherit.is_some())
                })
                .map(|(i, d)| d.inherit.unwrap_or(i));
            self.drafts.push(Draft {
                kind: QuoteKind::Direct,
                content: vec![quote.content],
                cue: None,
                speaker: None,
                inherit: previous,
                block: b,
                question: false,
                confidence: if previous.is_some() { 0.6 } else { 0.4 },
            });
        }
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
