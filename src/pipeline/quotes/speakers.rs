//! Who a speaker phrase is: an entity of the document, by light coreference.
//!
//! - A phrase holding a mention (`Kerry`, `Secretary of State John Kerry`) is that
//!   mention's entity (a person first, never a possessor: `Clinton's campaign` is not
//!   Clinton): the entity stage has already joined surnames to full names.
//! - A pronoun goes to its antecedent (`antecedent`): recency, subject and speaker
//!   preference and salience, agreeing in gender (`profile`: honorifics, first
//!   names, the pronouns already used for the person) and in kind (`it` and `they`
//!   are organisations).
//! - A role noun (`the Secretary`, `the lawyer`, `the company`) goes to the entity
//!   holding that role in this article (`role`).
//! - `who` is the name it follows; an indefinite phrase (`a source`, `officials`) stays
//!   unresolved.
//!
//! Only a person or an organisation speaks: a phrase whose only mention is a place or
//! a product stays unresolved. Speakers are visited in text order with one cursor over
//! the mentions; each pronoun scores the entities seen so far, so the whole is
//! O(quotes × entities + mentions).

mod antecedent;
mod lexicon;
mod named;
mod profile;
mod role;
#[cfg(test)]
mod tests;

use std::ops::Range;

use super::attribution::is_pronoun;
use super::Ctx;
use crate::pipeline::document::{EntityType, Region};
use antecedent::{Seen, Wanted};
use lexicon::LEXICON;

/// A body mention, located in tokens and sentences.
struct MentionAt {
    /// Index into the mention layer.
    index: usize,
    /// Token range.
    first: usize,
    end: usize,
    sentence: usize,
    /// Inside a direct quotation.
    quoted: bool,
    /// The first name of its sentence, near its start: a likely subject.
    subject: bool,
}

/// The document as the resolver walks it.
pub(crate) struct Walk<'c, 'a> {
    cx: &'c Ctx<'a>,
    /// Body mentions in text order.
    mentions: Vec<MentionAt>,
}

/// A name this close to its sentence's start is read as its subject ("But Sen. Warren").
const SUBJECT_WINDOW: usize = 4;

impl<'c, 'a> Walk<'c, 'a> {
    fn new(cx: &'c Ctx<'a>) -> Self {
        let doc = cx.doc;
        let mut order: Vec<usize> = (0..doc.mentions.len())
            .filter(|&m| doc.mentions[m].region == Region::Body)
            .collect();
        order.sort_by_key(|&m| doc.mentions[m].span.start);
        let mut walk = Walk {
            cx,
            mentions: Vec::with_capacity(order.len()),
        };
        let mut last_sentence = usize::MAX;
        for m in order {
            let span = doc.mentions[m].span;
            let first = doc.tokens.partition_point(|t| t.span.start < span.start);
            let end = doc.tokens.partition_point(|t| t.span.start < span.end);
            if first >= end {
                continue;
            }
            let sentence = walk.sentence(first);
            let quoted = cx.quote_at(first).is_some();
            let opens = sentence != last_sentence && !quoted;
            let start = cx.sentences.get(sentence).map_or(first, |r| r.start);
            let subject = opens && first - start <= SUBJECT_WINDOW;
            if !quoted {
                last_sentence = sentence;
            }
            walk.mentions.push(MentionAt {
                index: m,
                first,
                end,
                sentence,
                quoted,
                subject,
            });
        }
        walk
    }

    /// The ordinal of the sentence holding token `i` (the one before, between two).
    fn sentence(&self, i: usize) -> usize {
        self.cx
            .sentences
            .partition_point(|r| r.start <= i)
            .saturating_sub(1)
    }

    fn entity(&self, m: &MentionAt) -> usize {
        self.cx.doc.mentions[m.index].entity
    }
}

/// What a pronoun (or possessive) asks for: "he"/"his" a man, "she"/"her" a woman,
/// "it"/"its"/"they"/"their" an organisation; `None` for "I", "we", "you".
fn wanted(pronoun: &str, sentence: usize) -> Option<Wanted> {
    let gender = LEXICON.pronoun(pronoun);
    let label = match gender {
        Some(_) => EntityType::Person,
        None if matches!(
            pronoun.to_lowercase().as_str(),
            "it" | "its" | "they" | "their"
        ) =>
        {
            EntityType::Org
        }
        None => return None,
    };
    Some(Wanted {
        label,
        gender,
        sentence,
    })
}

/// Can this entity speak? A person or an organisation, not a place or a product.
fn speaks(label: EntityType) -> bool {
    matches!(label, EntityType::Person | EntityType::Org)
}

/// Only capital letters each followed by a period (`N.B.`, `P.E.I.`).
fn is_initialism(name: &str) -> bool {
    let mut chars = name.chars().peekable();
    let mut letters = 0;
    while let Some(c) = chars.next() {
        if !c.is_uppercase() || chars.next() != Some('.') {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// Resolves each speaker phrase (token ranges, in any order) to an entity index.
pub fn resolve(cx: &Ctx, speakers: &[Option<Range<usize>>]) -> Vec<Option<usize>> {
    let doc = cx.doc;
    let walk = Walk::new(cx);
    let profiles = profile::profiles(&walk);
    // `N.B.`, `P.E.I.` read as a person by the entity stage are abbreviated places or
    // bodies: no "she" refers to them.
    let labels: Vec<EntityType> = doc
        .entities
        .iter()
        .map(|e| match e.label {
            EntityType::Person if is_initialism(&e.name) => EntityType::Misc,
            label => label,
        })
        .collect();
    let salience: Vec<f32> = doc.entities.iter().map(|e| e.salience).collect();
    let mut order: Vec<usize> = (0..speakers.len())
        .filter(|&i| speakers[i].as_ref().is_some_and(|r| r.start < r.end))
        .collect();
    order.sort_by_key(|&i| speakers[i].as_ref().map(|r| r.start));

    let mut out = vec![None; speakers.len()];
    let mut seen = vec![Seen::default(); doc.entities.len()];
    let mut last_speaker = None;
    let mut cursor = 0;
    for i in order {
        let r = speakers[i].clone().expect("filtered");
        while cursor < walk.mentions.len() && walk.mentions[cursor].first < r.start {
            let m = &walk.mentions[cursor];
            let e = walk.entity(m);
            if let Some(s) = seen.get_mut(e) {
                if m.quoted {
                    s.quoted = Some(m.sentence);
                } else {
                    // A speaker's own name, read after it was resolved, keeps its role.
                    let spoke_here = s.outside.is_some_and(|(at, sub)| at == m.sentence && sub);
                    s.outside = Some((m.sentence, m.subject || spoke_here));
                }
            }
            cursor += 1;
        }
        let sentence = walk.sentence(r.start);
        let first = doc.token_text(r.start);
        let pick = |pronoun: &str| {
            wanted(pronoun, sentence).and_then(|want| {
                antecedent::pick(&want, &labels, &salience, &profiles, &seen, last_speaker)
            })
        };
        let found = if r.len() == 1 && is_pronoun(first) {
            pick(first)
        } else if r.len() >= 2
            && role::head(&walk, &r).is_some_and(|h| LEXICON.document.contains(doc.token_text(h)))
        {
            // "her statement", "The RCMP statement": whose the text is; "the
            // complaint": nobody's.
            Some(first)
                .filter(|w| matches!(w.to_lowercase().as_str(), "his" | "her" | "its" | "their"))
                .and_then(pick)
                .or_else(|| named::owner_in(&walk, cursor, &r))
        } else if r.len() == 1 && first.eq_ignore_ascii_case("who") {
            // The name just before `, who`.
            cursor
                .checked_sub(1)
                .map(|k| &walk.mentions[k])
                .filter(|m| r.start - m.end <= 2)
                .map(|m| walk.entity(m))
                .filter(|&e| speaks(labels[e]))
        } else if LEXICON.indefinite.contains(first) {
            None
        } else {
            named::name_in(&walk, cursor, &r)
                .or_else(|| role::resolve(&walk, &profiles, &seen, &r, sentence))
        };
        if let Some(e) = found {
            seen[e].outside = Some((sentence, true));
            seen[e].spoke = true;
            last_speaker = Some(e);
        }
        out[i] = found;
    }
    out
}
