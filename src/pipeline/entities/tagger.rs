//! The name tagger: greedy left-to-right BILOU decoding with an averaged perceptron.
//!
//! Greedy decoding lets every decision see the labels already given, in the sentence
//! (the previous two labels) and in the document (how the same word was tagged before),
//! at the cost of no search: Ratinov & Roth (2009) found it as accurate as Viterbi for
//! this task and several times faster. Decisions are free (see [`best`]); the names
//! are read off the labels leniently by [`bilou::decode`].
//!
//! The same loop, [`tag_document`], runs in training (where the caller updates the
//! weights after each decision) and at run time.

use std::ops::Range;
use std::sync::OnceLock;

use super::acronyms;
use super::bilou::{self, N_LABELS, OUTSIDE, START};
use super::features::{Caps, Context, DocContext, TokenInfo};
use super::hashing::hash_lower;
use super::lexicon::Lexicon;
use super::name_pieces;
use super::perceptron::{best, Model, Scorer};
use crate::pipeline::document::{EntityType, Sentence, Token, TokenKind};
use crate::pipeline::stage::{Cancelled, RunContext};
use crate::text::words::FUNCTION_WORDS;

/// Names found in a headline and in a body: token ranges with their type.
pub type TitleAndBody = (
    Vec<(Range<usize>, EntityType)>,
    Vec<(Range<usize>, EntityType)>,
);

/// Tags one document, sentence by sentence. `choose` gets the token's index and its
/// features, and returns the label to give it.
pub fn tag_document(
    infos: &[TokenInfo],
    sentences: &[Range<usize>],
    first: Option<&[u8]>,
    choose: impl FnMut(usize, &[u64]) -> u8,
) -> Vec<u8> {
    tag_until(infos, sentences, first, choose, &|| false)
}

/// Tokens tagged between two looks at `stop`: tokens, not sentences, since one
/// "sentence" may be a megabyte without a full stop (`he said, ` repeated took seconds
/// past its time limit when `stop` was asked every 64 sentences).
const CHECK_EVERY: usize = 1024;

/// [`tag_document`] that gives up (leaving the rest Outside) once `stop` says so; it is
/// asked every `CHECK_EVERY` tokens.
pub fn tag_until(
    infos: &[TokenInfo],
    sentences: &[Range<usize>],
    first: Option<&[u8]>,
    mut choose: impl FnMut(usize, &[u64]) -> u8,
    stop: &dyn Fn() -> bool,
) -> Vec<u8> {
    let mut doc = DocContext::new(infos, sentences, first);
    let mut labels = vec![OUTSIDE; infos.len()];
    let mut features = Vec::with_capacity(96);
    let mut until_check = CHECK_EVERY;
    for (si, sentence) in sentences.iter().enumerate() {
        let (headline, title_case, table) = (doc.all_caps[si], doc.title_case[si], doc.tables[si]);
        let (mut prev1, mut prev2) = (START, START);
        for i in sentence.clone() {
            until_check -= 1;
            if until_check == 0 {
                if stop() {
                    return labels;
                }
                until_check = CHECK_EVERY;
            }
            let ctx = Context {
                infos,
                sentence: sentence.clone(),
                headline,
                title_case,
                table,
                doc: &doc,
            };
            ctx.features(i, prev1, prev2, &mut features);
            let label = choose(i, &features);
            labels[i] = label;
            doc.remember(&infos[i], label);
            prev2 = prev1;
            prev1 = label;
        }
    }
    labels
}

/// Picks the best label: the run-time `choose` of [`tag_document`].
pub fn greedy(model: &impl Scorer) -> impl FnMut(usize, &[u64]) -> u8 + '_ {
    let mut scores = [0i64; N_LABELS];
    move |_, features| {
        model.scores(features, &mut scores);
        best(&scores)
    }
}

/// The names in tagged sentences: token ranges (never across a sentence end) and type.
pub fn names(labels: &[u8], sentences: &[Range<usize>]) -> Vec<(Range<usize>, EntityType)> {
    let mut out = Vec::new();
    for s in sentences {
        for (a, b, t) in bilou::decode(&labels[s.clone()]) {
            out.push((s.start + a..s.start + b, EntityType::ALL[t]));
        }
    }
    out
}

/// Names without quotation marks, dashes or punctuation at either end, without a
/// function word at the end (or a lower-case one at the start), and people's names
/// without a leading courtesy title: a name never starts or ends with one, though the
/// tagger, seeing a closing quote before "Mickelson" said, sometimes begins the name
/// there, runs a name on into "of" or "and", and reads "Mr Kenyatta" (no period, as
/// British and African papers write it) as one name.
pub fn trim_edges(
    infos: &[TokenInfo],
    found: Vec<(Range<usize>, EntityType)>,
) -> Vec<(Range<usize>, EntityType)> {
    let (function, honorific) = (function_words(), honorifics());
    let is_function = |i: usize| function.binary_search(&infos[i].lower).is_ok();
    let is_honorific = |i: usize| honorific.binary_search(&infos[i].lower).is_ok();
    let mark = |i: usize| {
        matches!(
            infos[i].kind,
            TokenKind::Quote | TokenKind::Punct | TokenKind::Dash
        )
    };
    found
        .into_iter()
        .filter_map(|(mut r, ty)| {
            while r.start < r.end
                && (mark(r.start) || (infos[r.start].caps == Caps::Lower && is_function(r.start)))
            {
                r.start += 1;
            }
            while r.end > r.start && (mark(r.end - 1) || is_function(r.end - 1)) {
                r.end -= 1;
            }
            while ty == EntityType::Person && r.len() > 1 && is_honorific(r.start) {
                r.start += 1;
            }
            (!r.is_empty()).then_some((r, ty))
        })
        .collect()
}

/// Lower-case hashes of `resources/words/function_words.txt`, sorted.
fn function_words() -> &'static [u64] {
    static WORDS: OnceLock<Vec<u64>> = OnceLock::new();
    WORDS.get_or_init(|| sorted_hashes(FUNCTION_WORDS.load().entries().iter().map(|e| e.text)))
}

/// Lower-case hashes of the courtesy titles (`honorific` in `resources/words/titles.txt`).
fn honorifics() -> &'static [u64] {
    static WORDS: OnceLock<Vec<u64>> = OnceLock::new();
    WORDS.get_or_init(|| sorted_hashes(crate::text::titles::honorifics().into_iter()))
}

fn sorted_hashes<'a>(words: impl Iterator<Item = &'a str>) -> Vec<u64> {
    let mut hashes: Vec<u64> = words.map(hash_lower).collect();
    hashes.sort_unstable();
    hashes
}

const MAGIC: &[u8; 8] = b"NERTWO01";

/// Both passes' models as one file: magic, then each model with its length (u32 LE).
pub fn to_bytes(first: &Model, second: &Model) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for m in [first, second] {
        let b = m.to_bytes();
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(&b);
    }
    out
}

/// A trained two-pass tagger with the lexicon it was trained with.
///
/// The first pass tags the document with local and history features; the second tags
/// it again, also seeing the first pass's labels for the whole document.
pub struct Tagger {
    first: Model,
    second: Model,
    lexicon: Lexicon,
}

impl Tagger {
    pub fn from_bytes(bytes: &[u8], lexicon: Lexicon) -> Result<Self, String> {
        let rest = bytes.strip_prefix(MAGIC).ok_or("not a two-pass tagger")?;
        let mut models = Vec::new();
        let mut rest = rest;
        for _ in 0..2 {
            let len = rest.get(..4).ok_or("truncated tagger")?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            let body = rest.get(4..4 + len).ok_or("truncated tagger")?;
            models.push(Model::from_bytes(body)?);
            rest = &rest[4 + len..];
        }
        if !rest.is_empty() {
            return Err("trailing bytes after the tagger".into());
        }
        let second = models.pop().ok_or("missing model")?;
        let first = models.pop().ok_or("missing model")?;
        Ok(Tagger {
            first,
            second,
            lexicon,
        })
    }

    /// Non-zero weights of both passes.
    pub fn weights(&self) -> usize {
        self.first.nonzero() + self.second.nonzero()
    }

    /// The names among `tokens` of `text`, as token ranges with their type.
    pub fn tag(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<(Range<usize>, EntityType)> {
        let never = RunContext::default();
        match self.tag_with_title(text, tokens, sentences, None, &never) {
            Ok((_, body)) => body,
            Err(Cancelled) => Vec::new(),
        }
    }

    /// The names of the headline (`title`: its text and tokens) and of the body, tagged as
    /// one document: the headline is its first sentence, so that its words and the
    /// body's inform each other (a headline's "Kerry" is the body's "John Kerry").
    /// Token ranges index `title`'s tokens and `tokens` respectively.
    pub fn tag_with_title(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        title: Option<(&str, &[Token])>,
        cx: &RunContext,
    ) -> Result<TitleAndBody, Cancelled> {
        let spans = |toks: &[Token]| {
            toks.iter()
                .map(|t| (t.span.range(), t.kind))
                .collect::<Vec<_>>()
        };
        let (mut infos, head) = match title {
            Some((title_text, title_tokens)) if !title_tokens.is_empty() => (
                self.lexicon
                    .describe(title_text, spans(title_tokens).into_iter()),
                title_tokens.len(),
            ),
            _ => (Vec::new(), 0),
        };
        let stop = || cx.checkpoint().is_err();
        infos.extend(
            self.lexicon
                .describe_until(text, spans(tokens).into_iter(), &stop)
                .ok_or(Cancelled)?,
        );
        let mut ranges: Vec<Range<usize>> = Vec::with_capacity(sentences.len() + 1);
        if head > 0 {
            ranges.push(0..head);
        }
        ranges.extend(
            sentences
                .iter()
                .map(|s| s.tokens.start + head..s.tokens.end + head),
        );
        let first = tag_until(&infos, &ranges, None, greedy(&self.first), &stop);
        cx.checkpoint()?;
        let labels = tag_until(&infos, &ranges, Some(&first), greedy(&self.second), &stop);
        cx.checkpoint()?;
        let words: Vec<&str> = title
            .map(|(t, toks)| toks.iter().map(|k| &t[k.span.range()]).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .take(head)
            .chain(tokens.iter().map(|k| &text[k.span.range()]))
            .collect();
        let function = function_words();
        let common = acronyms::spelled_out(&words, &infos, |i| {
            function.binary_search(&infos[i].lower).is_ok()
        });
        let mut found = (Vec::new(), Vec::new());
        let pieces = name_pieces::joined(&words, &labels, &ranges, head);
        for (r, ty) in name_pieces::keep_names(&words, trim_edges(&infos, pieces)) {
            if r.len() == 1 && common.binary_search(&infos[r.start].lower).is_ok() {
                continue;
            }
            if r.start < head {
                found.0.push((r, ty));
            } else {
                found.1.push((r.start - head..r.end - head, ty));
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infos(words: &[&str]) -> Vec<TokenInfo> {
        words
            .iter()
            .map(|w| {
                let kind = if w.chars().any(char::is_alphanumeric) {
                    TokenKind::Word
                } else {
                    TokenKind::Quote
                };
                TokenInfo::new(w, kind)
            })
            .collect()
    }

    #[test]
    fn a_stop_is_heard_inside_one_long_sentence() {
        // One sentence of 20,000 tokens, as `he said, ` repeated makes: the tagger must
        // look at `stop` within it, not only between sentences.
        let words: Vec<&str> = ["he", "said", ","].repeat(6667);
        let infos = infos(&words);
        let whole = 0..infos.len();
        // How many tokens are tagged when `stop` says so once `after` have been.
        let tagged_until = |after: usize| {
            let tagged = std::cell::Cell::new(0);
            let labels = tag_until(
                &infos,
                std::slice::from_ref(&whole),
                None,
                |_, _| {
                    tagged.set(tagged.get() + 1);
                    OUTSIDE
                },
                &|| tagged.get() >= after,
            );
            assert_eq!(labels.len(), infos.len());
            tagged.get()
        };
        let stopped = tagged_until(3000);
        assert!(stopped <= 3000 + CHECK_EVERY, "{stopped} tokens tagged");
        assert_eq!(tagged_until(usize::MAX), infos.len());
    }

    #[test]
    fn names_lose_edge_quotes_and_function_words() {
        let t = infos(&[
            "“", "Bank", "of", "and", "Big", "Machine", "The", "of", "Commerce",
        ]);
        let found = trim_edges(
            &t,
            vec![
                (0..4, EntityType::Org),
                (4..7, EntityType::Org),
                (7..9, EntityType::Org),
                (2..4, EntityType::Org),
            ],
        );
        assert_eq!(
            found,
            [
                (1..2, EntityType::Org),
                (4..6, EntityType::Org),
                (8..9, EntityType::Org)
            ],
            "a name of function words only is dropped"
        );
    }

    #[test]
    fn a_person_loses_a_courtesy_title() {
        let t = infos(&["Mr", "Kenyatta", "Dr.", "Mrs", "Ms"]);
        let found = trim_edges(
            &t,
            vec![
                (0..2, EntityType::Person),
                (2..4, EntityType::Person),
                (4..5, EntityType::Person),
                (0..2, EntityType::Org),
            ],
        );
        assert_eq!(
            found,
            [
                (1..2, EntityType::Person),
                (3..4, EntityType::Person),
                (4..5, EntityType::Person),
                (0..2, EntityType::Org)
            ]
        );
    }

    #[test]
    fn a_capitalised_article_may_open_a_name() {
        let t = infos(&["The", "Hague"]);
        assert_eq!(
            trim_edges(&t, vec![(0..2, EntityType::Loc)]),
            [(0..2, EntityType::Loc)]
        );
    }
}
