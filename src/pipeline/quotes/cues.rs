//! The cue lexicon: the reporting words that introduce what someone said.
//!
//! The lists were chosen by hand and checked against how often each word is annotated
//! as a cue in the PolNeAR training split (research data, not shipped): `said` is a cue
//! in 92% of its occurrences, `noted` 97%, `told` 84%, `added` 83%, `asked` 75%. Words
//! that are cues far less often (`called`, `showed`, `wants`) are left out, or kept as
//! *weak* cues that count only when a `that`-clause or a quotation follows them.

use super::cue_model::{thresholds, UNSCORED};
use super::words::{AUXILIARIES, CUE_WORDS, DETERMINERS, PASSIVE_AUX, STOP};
use super::Layers;
use crate::pipeline::document::TokenKind;
use crate::text::hash::FxHashMap;
use crate::text::words::{ascii_lower, WordSet};

/// What a cue word asks of its surroundings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A finite reporting verb: `said`, `says`, `warned`. The speaker is its subject.
    Verb,
    /// A reporting verb that counts only before `that` or a quotation (`believes`).
    Weak,
    /// A present participle after a comma (`…, saying that`): the speaker is the
    /// subject of the sentence.
    Participle,
    /// `according to SPEAKER`.
    AccordingTo,
    /// `it was reported that`: reported speech with no speaker.
    Impersonal,
    /// `X was asked`, `when asked`: a question put to someone, who is not its speaker.
    AskedOf,
}

/// A cue found in the text: tokens `first..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    pub first: usize,
    pub end: usize,
    pub kind: CueKind,
    /// The verb takes an addressee before its clause (`told reporters that`).
    pub addressee: bool,
}

/// Verbs learned from PolNeAR's training split: how often each is a cue
/// (`scripts/derive_cue_lexicon.py` wrote the file; only counts are shipped).
const LEARNED: &str = include_str!("../../../models/quotes/cue_lexicon.tsv");

/// Learned verbs that are cues less often than this are left out.
const LEARNED_MIN_RATIO: f32 = 0.4;

/// `(word, cue count, occurrences)` from the learned file.
fn learned() -> impl Iterator<Item = (&'static str, u32, u32)> {
    LEARNED
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let w = f.next()?;
            let cue: u32 = f.next()?.parse().ok()?;
            let total: u32 = f.next()?.parse().ok()?;
            Some((w, cue, total))
        })
}

/// The lexicon, looked up once per word of the text.
pub struct Lexicon {
    words: FxHashMap<&'static str, CueKind>,
    /// Of every learned word: the share of its occurrences that are cues, and how
    /// many occurrences that share is of.
    ratios: FxHashMap<&'static str, (f32, u32)>,
    addressee: WordSet,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new()
    }
}

/// Whether `w` is one of a few words (for short literal lists).
pub fn is_one_of(list: &[&str], w: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

pub fn is_auxiliary(w: &str) -> bool {
    AUXILIARIES.contains(w)
}

impl Lexicon {
    pub fn new() -> Self {
        let mut words = FxHashMap::default();
        for entry in CUE_WORDS.entries() {
            let kind = match entry.kind {
                "verb" => CueKind::Verb,
                "weak" => CueKind::Weak,
                "participle" => CueKind::Participle,
                _ => continue,
            };
            words.insert(entry.text, kind);
        }
        let mut ratios = FxHashMap::default();
        for (w, cue, total) in learned() {
            let ratio = cue as f32 / total.max(1) as f32;
            ratios.insert(w, (ratio, total));
            if ratio >= LEARNED_MIN_RATIO {
                let kind = if w.ends_with("ing") {
                    CueKind::Participle
                } else {
                    CueKind::Verb
                };
                words.entry(w).or_insert(kind);
            }
        }
        words.insert("according", CueKind::AccordingTo);
        let addressee = WordSet::new(CUE_WORDS.tagged("addressee"));
        Lexicon {
            words,
            ratios,
            addressee,
        }
    }

    /// What the rules make of a lower-case word, if it is a cue word.
    pub fn rule_kind(&self, lower: &str) -> Option<CueKind> {
        self.words.get(lower).copied()
    }

    /// The learned share of a lower-case word's occurrences that are cues, and of how
    /// many occurrences.
    pub fn learned_ratio(&self, lower: &str) -> Option<(f32, u32)> {
        self.ratios.get(lower).copied()
    }

    /// Every cue outside direct quotes (`outside(i)` says whether token `i` is), in
    /// text order. One pass; each cue looks at most a few tokens to either side.
    /// `margins` are the cue model's scores of the tokens
    /// ([`super::cue_model::CueModel::scores`]): a lexicon word the model scores below
    /// [`super::cue_model::VETO`] is not a cue, a word the lexicon lacks is one when the
    /// model scores it above [`super::cue_model::ADMIT`].
    pub fn find(&self, doc: &Layers, outside: impl Fn(usize) -> bool, margins: &[f32]) -> Vec<Cue> {
        let mut out = Vec::new();
        let mut buf = [0u8; 32];
        let n = doc.tokens.len();
        let (veto, admit) = thresholds();
        let word_at = |i: usize| -> &str {
            if i < n && doc.tokens[i].kind == TokenKind::Word {
                doc.token_text(i)
            } else {
                ""
            }
        };
        for i in 0..n {
            if doc.tokens[i].kind != TokenKind::Word || !outside(i) {
                continue;
            }
            let w = doc.token_text(i);
            if w.len() < 3 || w.len() > 16 {
                continue;
            }
            let Some(lower) = ascii_lower(w, &mut buf) else {
                continue;
            };
            let margin = margins.get(i).copied().unwrap_or(UNSCORED);
            // `was quoted as saying`: a fixed phrase the rules read below, whatever the
            // model makes of its last word.
            let quoted_as = i > 1
                && word_at(i - 1).eq_ignore_ascii_case("as")
                && word_at(i - 2).eq_ignore_ascii_case("quoted");
            let kind = match self.words.get(lower) {
                Some(_) if margin < veto && !quoted_as => continue,
                Some(&kind) => kind,
                None if margin < admit || STOP.contains(lower) || DETERMINERS.contains(lower) => {
                    continue
                }
                // `…, criticizing`: a participle; `endorsed`, `accused`: a verb.
                None if lower.ends_with("ing") => CueKind::Participle,
                None => CueKind::Verb,
            };
            let addressee = self.addressee.contains(lower);
            let prev = if i > 0 { word_at(i - 1) } else { "" };
            let prev2 = if i > 1 { word_at(i - 2) } else { "" };
            let next = word_at(i + 1);
            // Capitalised cue words inside a sentence are names or titles ("Says Who").
            let capital = w.starts_with(char::is_uppercase);
            let mut cue = Cue {
                first: i,
                end: i + 1,
                kind,
                addressee,
            };
            match kind {
                CueKind::AccordingTo => {
                    if !next.eq_ignore_ascii_case("to") {
                        continue;
                    }
                    cue.end = i + 2;
                }
                CueKind::Participle => {
                    // `was quoted as saying`: the subject is the speaker.
                    if prev.eq_ignore_ascii_case("as") && prev2.eq_ignore_ascii_case("quoted") {
                        cue.kind = CueKind::Verb;
                        cue.first = i - 2;
                    }
                    if lower == "pointing" && !next.eq_ignore_ascii_case("out") {
                        continue;
                    }
                    if lower == "calling" && !next.eq_ignore_ascii_case("for") {
                        continue;
                    }
                }
                _ => {
                    if capital && i > 0 && !is_sentence_start(doc, i) {
                        continue;
                    }
                    if lower == "pointed" {
                        if !next.eq_ignore_ascii_case("out") {
                            continue;
                        }
                        cue.end = i + 2;
                    }
                    if lower == "quoted" {
                        continue;
                    }
                    if lower.starts_with("ask")
                        && (PASSIVE_AUX.contains(prev)
                            || prev.eq_ignore_ascii_case("when")
                            || prev.eq_ignore_ascii_case("if"))
                    {
                        cue.kind = CueKind::AskedOf;
                        cue.first = i - 1;
                    } else if PASSIVE_AUX.contains(prev) {
                        // `it was reported that`: no speaker. Other passives
                        // (`he was told`) are not reports by the subject.
                        if prev2.eq_ignore_ascii_case("it") {
                            cue.kind = CueKind::Impersonal;
                            cue.first = i - 2;
                        } else {
                            continue;
                        }
                    }
                }
            }
            // `was quoted as saying`, `has also said`: the auxiliaries are cue words.
            if matches!(cue.kind, CueKind::Verb | CueKind::Weak) {
                let mut f = cue.first;
                let mut steps = 0;
                while f > 0 && steps < 3 && doc.tokens[f - 1].kind == TokenKind::Word {
                    let p = doc.token_text(f - 1);
                    let adverb =
                        p.len() > 4 && p.ends_with("ly") && p.starts_with(char::is_lowercase);
                    if is_auxiliary(p) || adverb || is_one_of(&["was", "quoted", "as"], p) {
                        f -= 1;
                        steps += 1;
                    } else {
                        break;
                    }
                }
                cue.first = f;
            }
            out.push(cue);
        }
        out
    }
}

fn is_sentence_start(doc: &Layers, i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        let t = doc.tokens[j - 1];
        match t.kind {
            TokenKind::Quote => j -= 1,
            TokenKind::Punct => return matches!(doc.token_text(j - 1), "." | "!" | "?" | ":"),
            _ => return false,
        }
    }
    true
}
