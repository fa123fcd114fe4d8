//! Quotation marks: which token opens, which closes, and which is only an apostrophe.
//!
//! Pairing is one left-to-right pass per block (a line of a paragraph) with a constant
//! amount of state, so a text made only of quotation marks, or nested twenty thousand
//! deep, costs the same per token as prose. Only the outer double quote matters to
//! attribution: single quotes inside it are nested quotations and are left inside the
//! content; single quotes at the top level are quotations only when they pair up within
//! the block (an unpaired `’` is an apostrophe: `Iran’s`, `goin’`, `rock 'n' roll`).
//!
//! A double quote still open at the end of its block closes there (news paragraphs often
//! forget the closing mark); when the next block opens with a double mark too, the quote
//! runs on over several paragraphs ("each paragraph opens, only the last closes").

use super::Layers;
use crate::pipeline::document::{Span, TokenKind};

/// How a mark may be used, from its shape and the characters beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Double,
    Single,
}

/// One quotation mark: one token, or two (`''` written with two apostrophes).
#[derive(Debug, Clone, Copy)]
struct Mark {
    first: usize,
    last: usize,
    span: Span,
    level: Level,
    role: Role,
}

/// A stretch of text between quotation marks.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectQuote {
    /// First token of the opening mark.
    pub open: usize,
    /// Last token of the closing mark; `None` when the block ended first.
    pub close: Option<usize>,
    /// The quoted words, without the marks.
    pub content: Span,
    /// The block (line) the quote lies in.
    pub block: usize,
    /// Tokens of the quote, marks included.
    pub tokens: std::ops::Range<usize>,
    /// Unclosed, and the next block opens with a double mark: the quote runs on.
    pub continues: bool,
    /// Whether the marks were double (`"`, `“ ”`, `« »`, `„`, `''`).
    pub double: bool,
}

fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// White space, the text's edge, or an opening bracket or dash: a mark here opens.
fn opens_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/'),
    }
}

/// White space, the text's edge, or clause punctuation: a mark here closes.
fn closes_before(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…'
                )
        }
    }
}

fn classify(text: &str, span: Span, glyph: char) -> Option<(Level, Role)> {
    let left_open = opens_after(before(text, span.start));
    let right_close = closes_before(after(text, span.end));
    let by_context = match (left_open, right_close) {
        (true, false) => Role::Open,
        (false, true) => Role::Close,
        _ => Role::Either,
    };
    // Curly marks say which way they face, unless the context clearly says otherwise
    // (badly typeset text uses one shape for both).
    let shaped = |default: Role| {
        if by_context == Role::Either {
            default
        } else {
            by_context
        }
    };
    Some(match glyph {
        '"' | '‟' => (Level::Double, by_context),
        '“' => (Level::Double, shaped(Role::Open)),
        '”' => (Level::Double, shaped(Role::Close)),
        '„' | '«' => (Level::Double, Role::Open),
        '»' => (Level::Double, Role::Close),
        '\'' | '`' => (Level::Single, by_context),
        '‘' | '‚' | '‹' => (Level::Single, shaped(Role::Open)),
        '’' | '›' => (Level::Single, shaped(Role::Close)),
        _ => return None,
    })
}

/// Every quotation mark of the document, in text order, with `''` joined into one.
fn marks(doc: &Layers, tokens: std::ops::Range<usize>, out: &mut Vec<Mark>) {
    out.clear();
    let text = doc.text;
    let mut i = tokens.start;
    while i < tokens.end {
        let tok = doc.tokens[i];
        if tok.kind != TokenKind::Quote {
            i += 1;
            continue;
        }
        let s = doc.span_text(tok.span);
        let glyph = s.chars().next().unwrap_or(' ');
        // Two apostrophes written for one double mark (`''word''`).
        let pair = i + 1 < tokens.end
            && matches!(glyph, '\'' | '`' | '’' | '‘')
            && doc.tokens[i + 1].kind == TokenKind::Quote
            && doc.tokens[i + 1].span.start == tok.span.end
            && doc.span_text(doc.tokens[i + 1].span) == s;
        let last = if pair { i + 1 } else { i };
        let span = Span::new(tok.span.start, doc.tokens[last].span.end);
        if let Some((level, role)) = classify(text, span, glyph) {
            let level = if pair { Level::Double } else { level };
            out.push(Mark {
                first: i,
                last,
                span,
                level,
                role,
            });
        }
        i = last + 1;
    }
}

/// Finds the direct quotes of each block. `blocks[b]` is the token range of block `b`,
/// `block_spans[b]` its text span.
pub fn find(
    doc: &Layers,
    blocks: &[std::ops::Range<usize>],
    block_spans: &[Span],
) -> Vec<DirectQuote> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for (b, toks) in blocks.iter().enumerate() {
        marks(doc, toks.clone(), &mut buf);
        let block_end = block_spans[b].end;
        let mut open_double: Option<Mark> = None;
        let mut open_single: Option<Mark> = None;
        for &m in &buf {
            match m.level {
                Level::Double => match open_double {
                    None => {
                        open_single = None;
                        // A paragraph's first mark opens, whatever its shape.
                        if m.role != Role::Close || m.first == toks.start {
                            open_double = Some(m);
                        }
                    }
                    Some(o) if m.role != Role::Open => {
                        push(doc, &mut out, b, o, Some(m), m.span.start, true);
                        open_double = None;
                    }
                    Some(o) => {
                        // A second opening mark: the first quote was never closed.
                        push(doc, &mut out, b, o, None, m.span.start, true);
                        open_double = Some(m);
                    }
                },
                // Inside a double quote a single mark is nesting or an apostrophe;
                // either way it stays part of the content.
                Level::Single if open_double.is_some() => {}
                Level::Single => match open_single {
                    None if m.role == Role::Open => open_single = Some(m),
                    None => {}
                    Some(o) if m.role != Role::Open => {
                        let inner = doc.span_text(Span::new(o.span.end, m.span.start));
                        // `rock 'n' roll`: a lone letter between apostrophes.
                        if inner.chars().filter(|c| c.is_alphanumeric()).count() > 1 {
                            push(doc, &mut out, b, o, Some(m), m.span.start, false);
                        }
                        open_single = None;
                    }
                    Some(_) => open_single = Some(m),
                },
            }
        }
        if let Some(o) = open_double {
            push(doc, &mut out, b, o, None, block_end, true);
        }
    }
    // A quote left open whose next block opens again runs on into it.
    for k in 0..out.len() {
        if out[k].close.is_some() || !out[k].double {
            continue;
        }
        let next_block = out[k].block + 1;
        if let (Some(next), Some(toks)) = (out.get(k + 1), blocks.get(next_block)) {
            out[k].continues = next.block == next_block && next.open == toks.start && next.double;
        }
    }
    out
}

fn push(
    doc: &Layers,
    out: &mut Vec<DirectQuote>,
    block: usize,
    open: Mark,
    close: Option<Mark>,
    end: usize,
    double: bool,
) {
    let raw = doc.span_text(Span::new(open.span.end, end));
    let lead = raw.len() - raw.trim_start().len();
    let trimmed = raw.trim();
    if !trimmed.chars().any(char::is_alphanumeric) {
        return;
    }
    let start = open.span.end + lead;
    let content = Span::new(start, start + trimmed.len());
    let last_token = match close {
        Some(c) => c.last + 1,
        None => {
            // The last token inside the block's text up to `end`.
            let mut t = open.last + 1;
            while t < doc.tokens.len() && doc.tokens[t].span.end <= end {
                t += 1;
            }
            t
        }
    };
    out.push(DirectQuote {
        open: open.first,
        close: close.map(|c| c.last),
        content,
        block,
        tokens: open.first..last_token,
        continues: false,
        double,
    });
}
