//! Quotations no cue claimed, and paragraphs no cue attributed: a transcript label
//! (`PENCE: …`), an attribution with no lexicon cue (`“…,” scolded Elyse.`, `Martell
//! is more blunt: “…”`), a quotation joining its paragraph's attribution, a paragraph
//! that is only a quotation continuing the previous speaker, or a quote left
//! unattributed.

use super::assemble::{Builder, Draft};
use super::cues::{Cue, CueKind};
use super::words::SECTION_LABELS;
use super::{direct, indirect};
use crate::pipeline::document::{QuoteKind, TokenKind};

/// Unclaimed quotations shorter than this are titles or scare quotes, not speech.
const MIN_FREE_QUOTE_WORDS: usize = 4;

/// A paragraph that is only a quotation continues the speaker of a quote at most this
/// many lines above: one line between (a caption, a pull quote, a line of narration)
/// does not end the speaker's turn.
const MAX_CONTINUATION_GAP: usize = 2;

impl Builder<'_, '_> {
    /// `Sanders: Clinton needs to …` (a headline) and `PENCE: Well, …` (a transcript):
    /// a paragraph opening with a name and a colon is that name's words. The caller
    /// asks only for paragraphs no cue attributed.
    pub(super) fn labelled_block(&mut self, b: usize) {
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
        // `READ MORE: …`, `WATCH: …`, `Contributing: Kristine Phillips`: a section
        // label, not a speaker.
        if !named
            || SECTION_LABELS.contains(
                &cx.doc.text[cx.doc.tokens[s].span.start..cx.doc.tokens[colon - 1].span.end],
            )
        {
            return;
        }
        // A transcript turn is the whole paragraph, however many sentences (bounded
        // by the paragraph: each is read once).
        let Some(r) = indirect::trim(cx, colon + 1, toks.end) else {
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
        self.reported_as_is(r, &cue, Some(s..colon), 0.5);
    }

    /// Quotes no cue claimed: joined to their paragraph's attribution, continuing the
    /// previous paragraph's speaker, or left without a speaker.
    pub(super) fn unclaimed(&mut self) {
        let cx = self.cx;
        let mut by_block: Vec<(usize, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.block, i))
            .collect();
        by_block.sort();
        // Drafts are made cues first, then here in text order: the draft just before a
        // quote is the latest start among the cue drafts or the last one made here.
        let mut by_start: Vec<(usize, usize)> = self
            .drafts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.content[0].start, i))
            .collect();
        by_start.sort();
        let mut made: Option<usize> = None;
        for q in 0..cx.quotes.len() {
            if self.claimed[q] {
                continue;
            }
            let quote = &cx.quotes[q];
            let b = quote.block;
            let lo = by_block.partition_point(|&(bb, _)| bb < b);
            let hi = by_block.partition_point(|&(bb, _)| bb <= b);
            // A free quotation attributed just above (`“…,” Sinclair states.`) hosts
            // the next quotation of its paragraph too.
            let made_here = made.filter(|&d| self.drafts[d].block == b);
            let host = by_block[lo..hi]
                .iter()
                .map(|&(_, d)| d)
                .chain(made_here)
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
            let colon = direct::colon_attribution(cx, q).map(|(c, s)| (Some(c), s));
            if let Some((cue, speaker)) = colon.or_else(|| direct::trailing_attribution(cx, q)) {
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
                made = Some(self.drafts.len() - 1);
                continue;
            }
            let words = direct::word_count(cx, q);
            // `“I would,” Melanie said. “I would, Donald.”`: a whole sentence joins
            // however short; a fragment (a title, a scare quote) must be longer.
            let text = cx.doc.span_text(quote.content);
            let sentence = text.starts_with(char::is_uppercase) && text.ends_with(['.', '!', '?']);
            let host = host.filter(|_| words >= MIN_FREE_QUOTE_WORDS || sentence);
            // PolNeAR joins `“A,” he said. “B.”` into one quote, GGT makes two; a cue's
            // quote joins (PolNeAR's convention, which nothing here changes). After an
            // attribution found here (`“A,” Sinclair states. “B.”`), which PolNeAR dev
            // never has, B is a quote of its own continuing the speaker, as in GGT.
            if let Some(d) = host.filter(|&d| Some(d) == made) {
                self.drafts.push(Draft {
                    kind: QuoteKind::Direct,
                    content: vec![quote.content],
                    cue: None,
                    speaker: None,
                    inherit: Some(d),
                    block: b,
                    question: false,
                    confidence: 0.6,
                });
                made = Some(self.drafts.len() - 1);
                continue;
            }
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
            let at = by_start.partition_point(|&(s, _)| s < quote.content.start);
            let previous = at
                .checked_sub(1)
                .map(|k| by_start[k].1)
                .into_iter()
                .chain(made)
                .max_by_key(|&d| self.drafts[d].content[0].start)
                .map(|d| (d, &self.drafts[d]))
                .filter(|(_, d)| {
                    alone
                        && d.block + MAX_CONTINUATION_GAP >= b
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
            made = Some(self.drafts.len() - 1);
        }
    }
}
