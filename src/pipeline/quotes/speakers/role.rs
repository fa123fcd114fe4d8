//! The entity a role phrase refers to: the project's one role resolver.
//!
//! - A person's role ("the Secretary", "the minister", "the lawyer", "the WHL
//!   commissioner"): the head word of the phrase, as a role key, among the roles each
//!   entity holds in this article ([`Profile::roles`]: "Secretary Kerry", "minister
//!   Jane Ng", "Jane Ng, the minister of finance,"). Among several holders, the one
//!   mentioned last before the phrase, else the most salient; a role nobody was
//!   introduced with stays unresolved — better no entity than a guess.
//! - An organisation's ("the company", "the agency"): an organisation mentioned before
//!   whose name holds the head word ("the Agency" for "Canada Border Services
//!   Agency"), else the organisation mentioned last, if within a few sentences.
//! - A text ("the complaint", "the report") is nobody, and so is a plural role
//!   ("officials", "board members"): several people are not one entity.
//! - "The President" that no name in the article holds: the one US president it
//!   names, if it names one (American news writes the title alone).

use std::ops::Range;

use super::antecedent::Seen;
use super::lexicon::LEXICON;
use super::profile::Profile;
use super::Walk;
use crate::pipeline::document::EntityType;

/// How far back "the company" looks for the organisation it names, in sentences.
const ORG_HORIZON: usize = 4;

/// The head word of a phrase: its last word before "of"/"for"/"at" or a possessive,
/// skipping "former" ("the former minister of health" -> "minister").
pub fn head(w: &Walk, r: &Range<usize>) -> Option<usize> {
    let doc = w.cx.doc;
    let mut last = None;
    for i in r.clone() {
        let t = doc.token_text(i);
        if matches!(
            t.to_lowercase().as_str(),
            "of" | "for" | "at" | "from" | "in" | "with"
        ) {
            break;
        }
        if matches!(t, "'s" | "’s" | "'" | "’") {
            // "the company's spokesman": the head comes after.
            last = None;
            continue;
        }
        if t.chars().any(char::is_alphabetic) {
            last = Some(i);
        }
    }
    last
}

pub fn resolve(
    w: &Walk,
    profiles: &[Profile],
    seen: &[Seen],
    r: &Range<usize>,
    sentence: usize,
) -> Option<usize> {
    let doc = w.cx.doc;
    let h = head(w, r)?;
    let word = doc.token_text(h);
    if LEXICON.document.contains(word) {
        // "the complaint": a text, not its author.
        return None;
    }
    let key = LEXICON.role_key(word);
    let entities = doc.entities;
    let recency = |e: usize| seen[e].outside.map(|(s, _)| s).or(seen[e].quoted);
    let most_recent = |cands: &[usize]| {
        cands
            .iter()
            .copied()
            .filter_map(|e| recency(e).map(|s| (s, e)))
            .max()
            .map(|(_, e)| e)
    };
    if LEXICON.organisation.contains(word) {
        let orgs: Vec<usize> = (0..entities.len())
            .filter(|&e| entities[e].label == EntityType::Org && recency(e).is_some())
            .collect();
        let named: Vec<usize> = orgs
            .iter()
            .copied()
            .filter(|&e| {
                entities[e]
                    .name
                    .split_whitespace()
                    .any(|n| n.eq_ignore_ascii_case(word))
            })
            .collect();
        if let Some(e) = most_recent(&named) {
            return Some(e);
        }
        return most_recent(&orgs)
            .filter(|&e| recency(e).is_some_and(|s| sentence.saturating_sub(s) <= ORG_HORIZON));
    }
    if key.ends_with('s') && !key.ends_with("ss") && !LEXICON.roles.contains(&key) {
        // "officials", "board members": several people, not one entity.
        return None;
    }
    let holders: Vec<usize> = (0..profiles.len())
        .filter(|&e| entities[e].label == EntityType::Person && profiles[e].roles.contains(&key))
        .collect();
    if holders.is_empty() {
        // "The President" in American news: the president the article names.
        if key == "president" && word.starts_with('P') {
            let presidents: Vec<usize> = (0..entities.len())
                .filter(|&e| {
                    entities[e].label == EntityType::Person
                        && LEXICON.us_president(&entities[e].name)
                })
                .collect();
            if let [one] = presidents[..] {
                return Some(one);
            }
        }
        return None;
    }
    most_recent(&holders).or_else(|| {
        holders.into_iter().max_by(|&a, &b| {
            entities[a]
                .salience
                .total_cmp(&entities[b].salience)
                .then(b.cmp(&a))
        })
    })
}
