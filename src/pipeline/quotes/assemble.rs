//! Assembling quotes from cues: for each cue in text order, what it reports (a
//! quotation beside it or a clause after or before it) and who speaks (the phrase the
//! cue's kind points to). A quotation is claimed by at most one cue; what no cue
//! claims is left to [`super::floating`].

use std::ops::Range;

use super::context::{token_span, Ctx};
use super::cue_model::ends::EndModel;
use super::cues::{self, Cue, CueKind};
use super::{attribution, direct, indirect};
use crate::pipeline::document::{QuoteKind, Span, TokenKind};

/// A quote being assembled: token ranges until resolution.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) kind: QuoteKind,
    pub(super) content: Vec<Span>,
    pub(super) cue: Option<Range<usize>>,
    pub(super) speaker: Option<Range<usize>>,
    /// Index of an earlier draft whose speaker this one continues.
    pub(super) inherit: Option<usize>,
    pub(super) block: usize,
    /// A question put to someone: never merged with the answer's speaker.
    pub(super) question: bool,
    pub(super) confidence: f32,
}

pub(super) struct Builder<'c, 'a> {
    pub(super) cx: &'c Ctx<'a>,
    pub(super) claimed: Vec<bool>,
    pub(super) drafts: Vec<Draft>,
    /// Where reported speech after its cue ends.
    pub(super) ends: &'c EndModel,
}

impl Builder<'_, '_> {
    pub(super) fn direct(
        &mut self,
        q: usize,
        cue: &Cue,
        speaker: Option<Range<usize>>,
        confidence: f32,
    ) {
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
    pub(super) fn reported(
        &mut self,
        r: Range<usize>,
        cue: &Cue,
        speaker: Option<Range<usize>>,
        confidence: f32,
    ) {
        let cx = self.cx;
        // Reported speech after its cue: the end model may end it before the sentence
        // does (`…, which …`, `… during the debate`).
        let r = if r.start >= cue.end {
            let end = self.ends.best_end(cx, cue.first, r.start, r.end);
            indirect::trim(cx, r.start, end).unwrap_or(r)
        } else {
            r
        };
        self.reported_as_is(r, cue, speaker, confidence);
    }

    /// Reported speech over exactly tokens `r` (the end already chosen).
    pub(super) fn reported_as_is(
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

    pub(super) fn cue(&mut self, cue: &Cue, limit: usize) {
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
                    // `Fifty people were missing, the agency said, raising fears …`: the
                    // participle after the cue is the writer's; the content is before.
                    let participle_after = cue.end + 1 < hi
                        && cx.doc.token_text(cue.end) == ","
                        && is_participle(cx, cue.end + 1);
                    if !weak
                        && participle_after
                        && left.start > lo
                        && cx.doc.token_text(left.start - 1) == ","
                    {
                        if let Some(r) = indirect::clause_before(cx, lo, left.start - 1) {
                            self.reported(r, cue, Some(left), 0.7);
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
                    // `He said …, and added …`: nothing between the comma and the
                    // conjunction, so the speaker is the sentence's earlier one.
                    let speaker = self
                        .sentence_speaker(clause, cue.first - 1)
                        .or_else(|| self.sentence_speaker(lo, cue.first - 1));
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
}

/// A lower-case word ending in `-ing` (`raising`, `adding`).
fn is_participle(cx: &Ctx, i: usize) -> bool {
    let w = cx.doc.token_text(i);
    cx.doc.tokens[i].kind == TokenKind::Word
        && w.len() > 4
        && w.ends_with("ing")
        && w.starts_with(char::is_lowercase)
}
