//! Mentions to entities: one entity per thing the document names.
//!
//! News names a thing in full once and then shortens it: "Secretary of State John Kerry",
//! "Secretary Kerry", "Kerry"; "the United States", "the US", "U.S."; "The Wall Street
//! Journal", "the Journal". So mentions are clustered fullest first: every mention is
//! reduced to its *core name* (titles, a leading "the" and a possessive "'s" removed), the
//! mentions with the longest cores found entities, and each shorter mention then joins the
//! entity it is a short form of:
//! - the same core, ignoring case and the periods of initialisms ("US" = "U.S.");
//! - a known alias ("America", "USA" → "United States"; "UN" → "United Nations");
//! - an acronym of the entity's name ("UN" of "United Nations", "NATO");
//! - the last word(s) of a person's name ("Kerry" of "John Kerry", also "al-Maliki" and
//!   "Maliki"), or the last word of an organisation's ("the Journal").
//!
//! When two entities could take a mention (two people named Bush), the one mentioned
//! nearest before it wins, else the nearest after it.
//!
//! Each entity gets its fullest name, its type by a vote of its mentions (longer mentions
//! weigh more), a salience in 0..=1 from its share of mentions, how early it first appears
//! and whether the headline names it, and its roles: titles found right before a mention
//! ("Prime Minister Nouri Maliki", "former President Bill Clinton"), inside it ("President
//! Obama"), or in an apposition after it ("John Kirby, a State Department spokesman,").
//! The speakers stage reads these roles to map "the Secretary" to the entity introduced
//! as "Secretary of State".
//!
//! Matching is by look-up ([`index`]), so clustering is linear in the mentions however many
//! distinct names there are; names are in [`names`], roles in [`roles`].

mod index;
mod names;
mod roles;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap, HashSet};

use super::gazetteer::Gazetteers;
use crate::pipeline::document::{
    Document, Entity, EntityType, Mention, Region, Span, Title, Token,
};
use crate::pipeline::stage::{RunContext, StageError};

use index::{Candidates, BUCKET};
use names::{alias_of, core_of, short_form};
use roles::roles_of;

/// Mentions clustered between two cancellation checks.
const CHECK_EVERY: usize = 1024;

/// One mention as the clustering sees it.
struct Core {
    /// Tokens of the core name, as written.
    words: Vec<String>,
    /// Lower-cased words with initialism periods removed: the matching key.
    key: Vec<String>,
    /// Order of appearance: title before body.
    order: (u8, usize),
}

/// What clustering reads (the body, the title and their tokens) and writes (each
/// mention's entity, the entities).
struct Work<'d> {
    text: &'d str,
    title: Option<&'d Title>,
    tokens: &'d [Token],
    title_tokens: &'d [Token],
    mentions: Vec<Mention>,
    entities: Vec<Entity>,
}

impl Work<'_> {
    /// The text a span covers, in the body or the title.
    fn slice(&self, span: Span, region: Region) -> &str {
        match region {
            Region::Body => &self.text[span.range()],
            Region::Title => self.title.map_or("", |t| &t.text[span.range()]),
        }
    }
}

/// Clusters `mentions` (found in `doc`, body and title) into entities and sets each
/// mention's `entity`. Entities are numbered by first appearance (the headline counts as
/// first).
pub fn cluster(
    doc: &Document,
    mentions: Vec<Mention>,
    cx: &RunContext,
) -> Result<(Vec<Mention>, Vec<Entity>), StageError> {
    let mut work = Work {
        text: doc.text()?,
        title: doc.title()?,
        tokens: doc.tokens()?,
        title_tokens: doc.title_tokens()?,
        mentions,
        entities: Vec::new(),
    };
    cluster_work(&mut work, cx)?;
    Ok((work.mentions, work.entities))
}

/// Per entity while clustering: its core keys, mentions, type votes (kept up to date as
/// members join, so that matching a mention costs the same however many came before it)
/// and mention positions.
#[derive(Default)]
struct Growing {
    keys: Vec<Vec<String>>,
    members: Vec<usize>,
    votes: [f32; 4],
    orders: BTreeSet<(u8, usize)>,
}

/// Keys of an entity a mention is checked against: the founding name and the most
/// recent others (an entity may gather many short forms).
fn keys_to_check(keys: &[Vec<String>]) -> impl Iterator<Item = &Vec<String>> {
    let rest = keys.len().saturating_sub(1);
    keys.iter()
        .take(1)
        .chain(keys.iter().skip(1 + rest.saturating_sub(BUCKET)))
}

fn cluster_work(doc: &mut Work, cx: &RunContext) -> Result<(), StageError> {
    doc.entities.clear();
    if doc.mentions.is_empty() {
        return Ok(());
    }
    let gaz = Gazetteers::embedded();
    let cores: Vec<Core> = doc
        .mentions
        .iter()
        .map(|m| core_of(doc, m.span, m.region, m.label, gaz))
        .collect();

    // Fullest first: more core words, then earlier.
    let mut order: Vec<usize> = (0..cores.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cores[i].key.len()), cores[i].order));

    let mut entities: Vec<Growing> = Vec::new();
    let mut index = Candidates::default();
    let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
    let mut assigned = vec![usize::MAX; cores.len()];
    let mut found = Vec::new();
    let mut candidates = Vec::new();
    for (n, &mi) in order.iter().enumerate() {
        if n % CHECK_EVERY == CHECK_EVERY - 1 {
            cx.checkpoint()?;
        }
        let core = &cores[mi];
        let e = if core.key.is_empty() {
            None
        } else {
            // The same name or a short form of it; when several entities qualify ("Bush"
            // after "George Bush" and "Jeb Bush"), the nearest. Types must agree
            // ("Pittsburgh" the city and the team are two things), except for a short
            // form of a person's name ("Kerry" tagged ORG still joins "John Kerry").
            let label = doc.mentions[mi].label;
            index.of(&core.key, &mut found);
            candidates.clear();
            candidates.extend(found.iter().copied().filter(|&e| {
                let g: &Growing = &entities[e];
                let elabel = best_label(&g.votes);
                keys_to_check(&g.keys).any(|k| {
                    if *k == core.key {
                        return elabel == label;
                    }
                    short_form(&core.key, k, label, elabel, gaz)
                        && (elabel == label || elabel == EntityType::Person)
                })
            }));
            nearest(&candidates, &entities, core.order).or_else(|| alias_of(core, &by_key))
        };
        let e = e.unwrap_or_else(|| {
            entities.push(Growing::default());
            entities.len() - 1
        });
        let weight = vote(doc, mi);
        let g = &mut entities[e];
        g.votes[doc.mentions[mi].label as usize] += weight;
        g.orders.insert(core.order);
        if !core.key.is_empty() {
            by_key.entry(core.key.clone()).or_insert(e);
            if !g.keys.contains(&core.key) {
                g.keys.push(core.key.clone());
                index.add(&core.key, e);
            }
        }
        g.members.push(mi);
        assigned[mi] = e;
    }
    let mut members: Vec<Vec<usize>> = entities.into_iter().map(|g| g.members).collect();

    // Number entities by first appearance.
    for m in &mut members {
        m.sort_by_key(|&i| cores[i].order);
    }
    let mut by_first: Vec<usize> = (0..members.len()).collect();
    by_first.sort_by_key(|&e| cores[members[e][0]].order);
    let mut renumber = vec![0; members.len()];
    for (new, &old) in by_first.iter().enumerate() {
        renumber[old] = new;
    }

    let max_mentions = members.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let text_len = doc.text.len().max(1) as f32;
    for (n, &old) in by_first.iter().enumerate() {
        if n % CHECK_EVERY == CHECK_EVERY - 1 {
            cx.checkpoint()?;
        }
        let ms = &members[old];
        let name = ms
            .iter()
            .map(|&i| &cores[i])
            .max_by_key(|c| {
                (
                    c.key.len(),
                    c.words.iter().map(|w| w.len()).sum::<usize>(),
                    std::cmp::Reverse(c.order),
                )
            })
            .map(|c| c.words.join(" "))
            .unwrap_or_default();
        let label = final_label(doc, ms, &cores);
        let mut roles: Vec<String> = Vec::new();
        let mut seen_roles: HashSet<String> = HashSet::new();
        // Titles belong to people ("General Motors" has no role).
        for &i in ms.iter().filter(|_| label == EntityType::Person) {
            let m = &doc.mentions[i];
            let (text, toks) = match m.region {
                Region::Body => (doc.text, doc.tokens),
                Region::Title => (doc.title.map_or("", |t| t.text.as_str()), doc.title_tokens),
            };
            for r in roles_of(text, toks, m.span, gaz) {
                if seen_roles.insert(r.to_lowercase()) {
                    roles.push(r);
                }
            }
        }
        let in_title = ms.iter().any(|&i| doc.mentions[i].region == Region::Title);
        let first_body = ms
            .iter()
            .find(|&&i| doc.mentions[i].region == Region::Body)
            .map(|&i| doc.mentions[i].span.start as f32 / text_len)
            .unwrap_or(1.0);
        let salience = 0.55 * ms.len() as f32 / max_mentions
            + 0.3 * (1.0 - first_body)
            + if in_title { 0.15 } else { 0.0 };
        doc.entities.push(Entity {
            label,
            name,
            salience: salience.clamp(0.0, 1.0),
            mentions: ms.clone(),
            roles,
        });
    }
    for (mi, &e) in assigned.iter().enumerate() {
        doc.mentions[mi].entity = renumber[e];
    }
    // Mentions in text order within each entity (indices into doc.mentions are in the
    // order the entity stage found them, which is text order per region).
    for e in &mut doc.entities {
        e.mentions.sort_by_key(|&i| cores[i].order);
    }
    Ok(())
}

/// A mention's weight in its entity's type vote: longer names say more.
fn vote(doc: &Work, i: usize) -> f32 {
    let m = &doc.mentions[i];
    let words = doc.slice(m.span, m.region).split_whitespace().count() as f32;
    1.0 + 0.5 * (words - 1.0)
}

fn best_label(votes: &[f32; 4]) -> EntityType {
    let best = (0..4)
        .max_by(|&a, &b| votes[a].total_cmp(&votes[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    EntityType::ALL[best]
}

/// The entity's type: the majority, except that a short form of a person's full name
/// ("Kerry" of "John Kerry") votes for a person whatever it was tagged, since it was
/// joined as one.
fn final_label(doc: &Work, mentions: &[usize], cores: &[Core]) -> EntityType {
    // Distinct full names only: an entity of 40,000 "Barack Obama" has one.
    let mut full_person: Vec<&[String]> = mentions
        .iter()
        .filter(|&&i| doc.mentions[i].label == EntityType::Person && cores[i].key.len() >= 2)
        .map(|&i| cores[i].key.as_slice())
        .collect();
    full_person.sort_unstable();
    full_person.dedup();
    let mut votes = [0f32; 4];
    for &i in mentions {
        let m = &doc.mentions[i];
        let key = &cores[i].key;
        let label = if full_person
            .iter()
            .any(|f| !key.is_empty() && key.len() < f.len() && f.ends_with(key))
        {
            EntityType::Person
        } else {
            m.label
        };
        let words = doc.slice(m.span, m.region).split_whitespace().count() as f32;
        votes[label as usize] += 1.0 + 0.5 * (words - 1.0);
    }
    let best = (0..4)
        .max_by(|&a, &b| votes[a].total_cmp(&votes[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    EntityType::ALL[best]
}

/// Among `candidates`, the entity mentioned last before `at`, else the one mentioned
/// first after it.
fn nearest(candidates: &[usize], entities: &[Growing], at: (u8, usize)) -> Option<usize> {
    if let [only] = candidates {
        return Some(*only);
    }
    let before = candidates
        .iter()
        .filter_map(|&e| entities[e].orders.range(..at).next_back().map(|&o| (o, e)))
        .max()
        .map(|(_, e)| e);
    before.or_else(|| {
        candidates
            .iter()
            .filter_map(|&e| entities[e].orders.first().map(|&o| (o, e)))
            .min()
            .map(|(_, e)| e)
    })
}
