//! What the article tells about each entity before any speaker is resolved: the
//! gender of a person and the roles it holds.
//!
//! Gender, strongest evidence first (the first that speaks decides):
//! 1. an honorific or gendered noun written just before a mention ("Mr. Rau",
//!    "spokeswoman Jane Ng");
//! 2. the first name of the entity's fullest name ("Carolyn Bennett");
//! 3. the pronouns the article already uses for the person: a "he"/"she"/"his"/"her"
//!    outside quotations, after the person's mention in the same sentence ("Lonechild
//!    said she …"), or in the sentence after one naming no other person. A clear
//!    majority decides.
//!
//! Roles, as lower-case keys ([`Lexicon::role_key`]): the entity stage's
//! [`Entity::roles`](crate::pipeline::document::Entity::roles), the words written just
//! before a mention ("defence lawyer Jane Ng", "Sen. Warren") and the head of an
//! apposition after it ("Jane Ng, the minister of finance,", "…, a lawyer for the
//! family,"). A role phrase ("the lawyer") then finds its holder by its head word.

use super::lexicon::{Gender, LEXICON};
use super::Walk;
use crate::pipeline::document::{EntityType, TokenKind};

/// Words read before a mention for its titles and roles.
const BEFORE: usize = 3;
/// Longest apposition read after a mention, in tokens.
const APPOSITION: usize = 10;

#[derive(Debug, Clone)]
pub struct Profile {
    pub gender: Gender,
    /// Role keys ("minister", "senator", "lawyer").
    pub roles: Vec<String>,
}

impl Profile {
    fn add_role(&mut self, w: &str) {
        let key = LEXICON.role_key(w);
        if !key.is_empty() && !self.roles.contains(&key) {
            self.roles.push(key);
        }
    }
}

/// Words that end the run of role words before a name, or an apposition's head.
fn stops_role(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "and"
            | "or"
            | "but"
            | "to"
            | "said"
            | "says"
            | "told"
            | "by"
            | "with"
            | "of"
            | "for"
            | "at"
            | "in"
            | "on"
            | "from"
            | "who"
            | "which"
            | "that"
    )
}

/// Profiles of every entity of the document.
pub fn profiles(w: &Walk) -> Vec<Profile> {
    let doc = w.cx.doc;
    let lx = &*LEXICON;
    let mut out: Vec<Profile> = doc
        .entities
        .iter()
        .map(|e| {
            let mut p = Profile {
                gender: Gender::Unknown,
                roles: Vec::new(),
            };
            for r in &e.roles {
                for word in r.split_whitespace() {
                    if !stops_role(word) {
                        p.add_role(word);
                    }
                }
            }
            p
        })
        .collect();
    let mut honorific = vec![Gender::Unknown; out.len()];
    for m in &w.mentions {
        let mention = &doc.mentions[m.index];
        let Some(p) = out.get_mut(mention.entity) else {
            continue;
        };
        // Before: "Mr.", "Sen.", "defence lawyer", "Liberal MP".
        let mut k = m.first;
        while k > 0 && m.first - k < BEFORE {
            let i = k - 1;
            if doc.tokens[i].kind != TokenKind::Word && doc.token_text(i) != "." {
                break;
            }
            let word = doc.token_text(i);
            if word == "." {
                // The period of "Mr." is its own token in some texts.
                k = i;
                continue;
            }
            if stops_role(word) {
                break;
            }
            let g = lx.word(word);
            if g != Gender::Unknown && honorific[mention.entity] == Gender::Unknown {
                honorific[mention.entity] = g;
            }
            p.add_role(word);
            k = i;
        }
        // Inside: "Secretary Kerry" as one mention.
        for i in m.first..m.end {
            let word = doc.token_text(i);
            if lx.roles.contains(word) {
                p.add_role(word);
            }
        }
        // After: ", the minister of finance," — the words before the first
        // preposition, whose last is the head.
        if m.end < doc.tokens.len() && doc.token_text(m.end) == "," {
            let limit = (m.end + 1 + APPOSITION).min(doc.tokens.len());
            let mut i = m.end + 1;
            if i < limit
                && matches!(
                    doc.token_text(i).to_lowercase().as_str(),
                    "the" | "a" | "an"
                )
            {
                i += 1;
            }
            let start = i;
            while i < limit
                && doc.tokens[i].kind == TokenKind::Word
                && !stops_role(doc.token_text(i))
            {
                i += 1;
            }
            let ends = i < doc.tokens.len()
                && matches!(
                    doc.token_text(i),
                    "," | "." | "of" | "for" | "at" | "to" | "with" | "in"
                );
            if ends && i > start && i - start <= 4 {
                for j in start..i {
                    let word = doc.token_text(j);
                    let g = lx.word(word);
                    if g != Gender::Unknown && honorific[mention.entity] == Gender::Unknown {
                        honorific[mention.entity] = g;
                    }
                    p.add_role(word);
                }
            }
        }
    }
    for (e, p) in out.iter_mut().enumerate() {
        if doc.entities[e].label != EntityType::Person {
            continue;
        }
        p.gender = honorific[e];
        if p.gender == Gender::Unknown {
            let words: Vec<&str> = doc.entities[e]
                .name
                .split_whitespace()
                .filter(|w| !lx.roles.contains(w) && lx.word(w) == Gender::Unknown)
                .collect();
            if words.len() >= 2 {
                p.gender = lx.first_name(words[0]);
            }
        }
    }
    pronoun_votes(w, &mut out);
    out
}

/// Gender from the pronouns used after a person's mentions (see the module doc).
fn pronoun_votes(w: &Walk, out: &mut [Profile]) {
    let doc = w.cx.doc;
    let mut votes = vec![[0u32; 2]; out.len()];
    let mut next = 0;
    // The last person mention outside quotations: (sentence, entity), and whether its
    // sentence named a second person.
    let mut last: Option<(usize, usize)> = None;
    let mut crowded = false;
    for i in 0..doc.tokens.len() {
        while next < w.mentions.len() && w.mentions[next].first <= i {
            let m = &w.mentions[next];
            next += 1;
            if m.quoted || doc.entities[doc.mentions[m.index].entity].label != EntityType::Person {
                continue;
            }
            let e = doc.mentions[m.index].entity;
            crowded = match last {
                Some((s, other)) if s == m.sentence => crowded || other != e,
                _ => false,
            };
            last = Some((m.sentence, e));
        }
        if doc.tokens[i].kind != TokenKind::Word || w.cx.quote_at(i).is_some() {
            continue;
        }
        let Some(g) = LEXICON.pronoun(doc.token_text(i)) else {
            continue;
        };
        let s = w.sentence(i);
        if let Some((ms, e)) = last {
            if ms == s || (ms + 1 == s && !crowded) {
                votes[e][usize::from(g == Gender::Female)] += 1;
            }
        }
    }
    for (p, [m, f]) in out.iter_mut().zip(votes) {
        if p.gender != Gender::Unknown {
            continue;
        }
        if m > 2 * f {
            p.gender = Gender::Male;
        } else if f > 2 * m {
            p.gender = Gender::Female;
        }
    }
}
