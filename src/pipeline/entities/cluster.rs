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
//! [`resolve_role`] lets later stages map "the Secretary" to the entity introduced as
//! "Secretary of State".

use std::collections::{BTreeSet, HashMap};

use super::gazetteer::{GazList, Gazetteers};
use crate::pipeline::document::{
    Document, Entity, EntityType, Mention, Region, Span, Title, Token, TokenKind,
};
use crate::pipeline::segment::tokenizer::tokenize;
use crate::pipeline::stage::MissingLayer;

/// Aliases news uses for a few names whose short forms are not acronyms or last words.
/// Each group is one thing; the first form is the canonical name.
const ALIASES: &[&[&str]] = &[
    &[
        "United States",
        "US",
        "USA",
        "United States of America",
        "America",
    ],
    &["United Kingdom", "UK", "Britain", "Great Britain"],
    &["United Nations", "UN"],
    &["European Union", "EU"],
    &["Soviet Union", "USSR"],
    &["United Arab Emirates", "UAE"],
    &["Russia", "Russian Federation"],
    &["Democratic Republic of Congo", "DRC", "DR Congo"],
];

/// Function words skipped when spelling an acronym ("United States of America" → USA
/// or US, "Organization of the Petroleum Exporting Countries" → OPEC).
const ACRONYM_SKIP: &[&str] = &["of", "the", "and", "for", "&", "de", "du", "la", "on", "in"];

/// Words that may stand between a role and a name without ending the role
/// ("Iraqi Prime Minister Nouri Maliki" keeps "Prime Minister").
const MAX_ROLE_TOKENS: usize = 5;

/// One mention as the clustering sees it.
struct Core {
    /// Tokens of the core name, as written.
    words: Vec<String>,
    /// Lower-cased words with initialism periods removed: the matching key.
    key: Vec<String>,
    /// Order of appearance: title before body.
    order: (u8, usize),
}

/// What clustering reads (the body, the title, the body's tokens) and writes (each
/// mention's entity, the entities).
struct Work<'d> {
    text: &'d str,
    title: Option<&'d Title>,
    tokens: &'d [Token],
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

/// Clusters `mentions` (found in `doc`) into entities and sets each mention's `entity`.
/// Entities are numbered by first appearance (the headline counts as first).
pub fn cluster(
    doc: &Document,
    mentions: Vec<Mention>,
) -> Result<(Vec<Mention>, Vec<Entity>), MissingLayer> {
    let mut work = Work {
        text: doc.text()?,
        title: doc.title()?,
        tokens: doc.tokens()?,
        mentions,
        entities: Vec::new(),
    };
    cluster_work(&mut work);
    Ok((work.mentions, work.entities))
}

fn cluster_work(doc: &mut Work) {
    doc.entities.clear();
    if doc.mentions.is_empty() {
        return;
    }
    let gaz = Gazetteers::embedded();
    let title_tokens = doc.title.as_ref().map(|t| {
        let mut v = Vec::new();
        tokenize(&t.text, &mut v);
        v
    });
    let cores: Vec<Core> = doc
        .mentions
        .iter()
        .map(|m| core_of(doc, m.span, m.region, m.label, gaz))
        .collect();

    // Fullest first: more core words, then earlier.
    let mut order: Vec<usize> = (0..cores.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cores[i].key.len()), cores[i].order));

    // Per entity: its core keys (for exact matches), and its mentions.
    let mut keys: Vec<Vec<Vec<String>>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<Vec<String>, usize> = HashMap::new();
    // Kept up to date as members join, so that matching a mention costs the same however
    // many mentions came before it (a document of 40,000 "Obama said" stays linear).
    let mut votes: Vec<[f32; 4]> = Vec::new();
    let mut orders: Vec<BTreeSet<(u8, usize)>> = Vec::new();
    let mut assigned = vec![usize::MAX; cores.len()];
    for &mi in &order {
        let core = &cores[mi];
        let e = if core.key.is_empty() {
            None
        } else {
            // The same name or a short form of it; when several entities qualify ("Bush"
            // after "George Bush" and "Jeb Bush"), the nearest.
            let label = doc.mentions[mi].label;
            // Types must agree ("Pittsburgh" the city and the team are two things),
            // except for a short form of a person's name ("Kerry" tagged ORG still
            // joins "John Kerry").
            let candidates: Vec<usize> = (0..keys.len())
                .filter(|&e| {
                    let elabel = best_label(&votes[e]);
                    keys[e].iter().any(|k| {
                        if *k == core.key {
                            return elabel == label;
                        }
                        short_form(&core.key, k, label, elabel, gaz)
                            && (elabel == label || elabel == EntityType::Person)
                    })
                })
                .collect();
            nearest(&candidates, &orders, core.order).or_else(|| alias_of(core, &by_key))
        };
        let e = e.unwrap_or_else(|| {
            keys.push(Vec::new());
            members.push(Vec::new());
            votes.push([0.0; 4]);
            orders.push(BTreeSet::new());
            keys.len() - 1
        });
        let m = &doc.mentions[mi];
        votes[e][m.label as usize] += vote(doc, mi);
        orders[e].insert(core.order);
        if !core.key.is_empty() {
            by_key.entry(core.key.clone()).or_insert(e);
            if !keys[e].contains(&core.key) {
                keys[e].push(core.key.clone());
            }
        }
        members[e].push(mi);
        assigned[mi] = e;
    }

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
    for &old in &by_first {
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
        // Titles belong to people ("General Motors" has no role).
        for &i in ms.iter().filter(|_| label == EntityType::Person) {
            let m = &doc.mentions[i];
            let toks = match m.region {
                Region::Body => doc.tokens,
                Region::Title => title_tokens.as_deref().unwrap_or(&[]),
            };
            let text = match m.region {
                Region::Body => doc.text,
                Region::Title => doc.title.as_ref().map_or("", |t| t.text.as_str()),
            };
            for r in roles_of(text, toks, m.span, gaz) {
                if !roles.iter().any(|x| x.eq_ignore_ascii_case(&r)) {
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
}

/// The entity that a role phrase ("the Secretary", "the prime minister") refers to, as
/// seen from byte offset `at` of the body: among entities with a matching role, the one
/// mentioned last before `at`, else the most salient. A role matches when its words end
/// with the phrase's head word or contain all its words ("Secretary" matches "Secretary of
/// State"; "Prime Minister" matches "Iraqi Prime Minister"), ignoring case.
pub fn resolve_role(doc: &Document, phrase: &str, at: usize) -> Option<usize> {
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| w != "the" && w != "a" && w != "an")
        .collect();
    if words.is_empty() {
        return None;
    }
    let (Ok(entities), Ok(mentions)) = (doc.entities(), doc.mentions()) else {
        return None;
    };
    let matches = |role: &str| {
        let role: Vec<String> = role.split_whitespace().map(str::to_lowercase).collect();
        words.iter().all(|w| role.contains(w))
            && !role.first().is_some_and(|w| w == "former" || w == "ex")
    };
    let candidates: Vec<usize> = (0..entities.len())
        .filter(|&e| entities[e].roles.iter().any(|r| matches(r)))
        .collect();
    let last_before = |e: usize| {
        entities[e]
            .mentions
            .iter()
            .map(|&i| &mentions[i])
            .filter(|m| m.region == Region::Title || m.span.start < at)
            .map(|m| {
                if m.region == Region::Title {
                    0
                } else {
                    m.span.end
                }
            })
            .max()
    };
    candidates
        .iter()
        .copied()
        .filter_map(|e| last_before(e).map(|p| (p, e)))
        .max()
        .map(|(_, e)| e)
        .or_else(|| {
            candidates.iter().copied().max_by(|&a, &b| {
                entities[a]
                    .salience
                    .total_cmp(&entities[b].salience)
                    .then(b.cmp(&a))
            })
        })
}

/// The core name of a mention: without a leading article, leading titles and a final
/// possessive.
fn core_of(doc: &Work, span: Span, region: Region, label: EntityType, gaz: &Gazetteers) -> Core {
    let text = doc.slice(span, region);
    let mut toks = Vec::new();
    tokenize(text, &mut toks);
    let mut words: Vec<String> = toks
        .iter()
        .filter(|t| !matches!(t.kind, TokenKind::Quote | TokenKind::Punct))
        .map(|t| text[t.span.range()].to_string())
        .collect();
    // "'s" / "’s" split off by the tokenizer.
    while words
        .last()
        .is_some_and(|w| matches!(w.as_str(), "'s" | "’s" | "'" | "’"))
    {
        words.pop();
    }
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        words.remove(0);
    }
    // Leading titles of a person ("Secretary of State John Kerry" → "John Kerry"), as long
    // as a name remains. Only persons: "General Motors" keeps its "General".
    while let (EntityType::Person, Some(end)) = (label, leading_title(&words, gaz)) {
        words.drain(..end);
    }
    let key = words.iter().map(|w| key_word(w)).collect();
    let order = match region {
        Region::Title => (0, span.start),
        Region::Body => (1, span.start),
    };
    Core { words, key, order }
}

/// The end of a title that opens `words` and is followed by a capitalised word.
fn leading_title(words: &[String], gaz: &Gazetteers) -> Option<usize> {
    gaz.matches(words)
        .into_iter()
        .filter(|m| m.start == 0 && m.list == GazList::Titles && m.end < words.len())
        .map(|m| m.end)
        .max()
        .filter(|&end| words[end].starts_with(char::is_uppercase))
}

/// Lower case, without the periods of an initialism ("U.S." → "us").
fn key_word(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 6 {
        lower.chars().filter(|&c| c != '.').collect()
    } else {
        lower
    }
}

/// The entity a known alias of the mention already founded.
fn alias_of(core: &Core, by_key: &HashMap<Vec<String>, usize>) -> Option<usize> {
    let joined = core.key.join(" ");
    let group = ALIASES
        .iter()
        .find(|g| g.iter().any(|a| key_of(a) == joined))?;
    group
        .iter()
        .find_map(|a| by_key.get(&key_of(a).split(' ').map(String::from).collect::<Vec<_>>()))
        .copied()
}

fn key_of(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(key_word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Is `short` (a mention's key) a short form of `full` (an entity's key)?
fn short_form(
    short: &[String],
    full: &[String],
    label: EntityType,
    elabel: EntityType,
    gaz: &Gazetteers,
) -> bool {
    // Equal lengths only differ by particles ("Nouri al-Maliki", "Nouri Maliki").
    if short.len() > full.len() {
        return false;
    }
    if short.len() == 1 && is_acronym_of(&short[0], full) {
        return true;
    }
    let person = elabel == EntityType::Person;
    let org = elabel == EntityType::Org && label != EntityType::Person;
    if !(person || org) {
        return false;
    }
    // An organisation without its generic words: "NBC" of "NBC News", "Acme" of "Acme
    // Corp.".
    if org && full.starts_with(short) && full[short.len()..].iter().all(|w| generic(w, gaz)) {
        return true;
    }
    // The last word(s): "kerry" of "john kerry"; "maliki" of "nouri al-maliki".
    let tail = &full[full.len() - short.len()..];
    let same = short
        .iter()
        .zip(tail)
        .all(|(s, f)| s == f || strip_particle(f) == s.as_str() || strip_particle(s) == f);
    // An organisation's last word alone ("the Journal"), never a person's first name,
    // nor a generic word ("News" is not NBC News, "Motors" not General Motors).
    same && (person || (short.len() == 1 && !generic(&short[0], gaz)))
}

/// A word that many organisation names end with: "News", "Council", "Inc." (a key word,
/// in lower case).
fn generic(w: &str, gaz: &Gazetteers) -> bool {
    let w = capitalise(w);
    w == "News" || gaz.contains(GazList::OrgWords, &w) || gaz.contains(GazList::CompanySuffixes, &w)
}

/// "al-maliki" → "maliki"; other words unchanged.
fn strip_particle(w: &str) -> &str {
    for p in ["al-", "el-", "ad-", "as-", "ash-", "an-"] {
        if let Some(rest) = w.strip_prefix(p) {
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    w
}

/// "un" of "united nations", "nato" of "north atlantic treaty organization".
fn is_acronym_of(short: &str, full: &[String]) -> bool {
    if short.chars().count() < 2 || full.len() < 2 {
        return false;
    }
    let initials: String = full
        .iter()
        .filter(|w| !ACRONYM_SKIP.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect();
    initials == short
}

/// The label most of the mentions carry; a mention counts more the more words it has.
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
    let full_person: Vec<&[String]> = mentions
        .iter()
        .filter(|&&i| doc.mentions[i].label == EntityType::Person && cores[i].key.len() >= 2)
        .map(|&i| cores[i].key.as_slice())
        .collect();
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

/// Among candidate entities, the one mentioned nearest before `at`, else nearest after.
/// Among `candidates`, the entity mentioned last before `at`, else the one mentioned
/// first after it. `orders` holds each entity's mention positions, sorted.
fn nearest(
    candidates: &[usize],
    orders: &[BTreeSet<(u8, usize)>],
    at: (u8, usize),
) -> Option<usize> {
    if let [only] = candidates {
        return Some(*only);
    }
    let before = candidates
        .iter()
        .filter_map(|&e| orders[e].range(..at).next_back().map(|&o| (o, e)))
        .max()
        .map(|(_, e)| e);
    before.or_else(|| {
        candidates
            .iter()
            .filter_map(|&e| orders[e].first().map(|&o| (o, e)))
            .min()
            .map(|(_, e)| e)
    })
}

/// Roles beside one mention: a title right before it (with "former" kept), titles inside
/// it, and an apposition after it that holds a title.
fn roles_of(text: &str, toks: &[Token], span: Span, gaz: &Gazetteers) -> Vec<String> {
    let mut roles = Vec::new();
    let first = toks.partition_point(|t| t.span.start < span.start);
    let last = toks.partition_point(|t| t.span.start < span.end);
    let word = |i: usize| &text[toks[i].span.range()];

    // Inside: "President Obama", "Secretary of State John Kerry" as one mention.
    let inside: Vec<&str> = (first..last).map(word).collect();
    if let Some(end) = gaz
        .matches(&inside)
        .iter()
        .filter(|m| m.start == 0 && m.list == GazList::Titles && m.end < inside.len())
        .map(|m| m.end)
        .max()
    {
        roles.push(inside[..end].join(" "));
    }

    // Before: the longest title ending right at the mention.
    let from = first.saturating_sub(MAX_ROLE_TOKENS);
    let before: Vec<&str> = (from..first).map(word).collect();
    if let Some(start) = gaz
        .matches(&before)
        .iter()
        .filter(|m| m.end == before.len() && m.list == GazList::Titles)
        .map(|m| m.start)
        .min()
    {
        let mut role = before[start..].join(" ");
        if start > 0 && before[start - 1].eq_ignore_ascii_case("former") {
            role = format!("former {role}");
        }
        roles.push(role);
    }

    // After: ", a State Department spokesman," / ", the secretary of state,".
    if last < toks.len() && word(last) == "," {
        let mut end = last + 1;
        while end < toks.len()
            && end - last <= 8
            && !matches!(word(end), "," | "." | ";" | ":" | "said" | "says" | "told")
            && toks[end].kind != TokenKind::Quote
        {
            end += 1;
        }
        if end < toks.len() && word(end) == "," && end > last + 1 {
            let phrase: Vec<&str> = (last + 1..end).map(word).collect();
            let has_title = gaz.tag(&phrase).iter().zip(&phrase).any(|(t, w)| {
                t.any().contains(GazList::Titles) || gaz.contains(GazList::Titles, &capitalise(w))
            });
            if has_title {
                let skip = usize::from(
                    phrase
                        .first()
                        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "a" | "an" | "the")),
                );
                roles.push(phrase[skip..].join(" "));
            }
        }
    }
    roles
}

/// "spokesman" → "Spokesman", so that lower-case roles match the title list.
fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing;

    /// A segmented document with mentions placed by hand: `(text, nth occurrence, type)`.
    fn doc_with(text: &str, mentions: &[(&str, usize, EntityType)]) -> Document {
        let mut doc = testing::segmented(text);
        let mut found = Vec::new();
        for &(m, nth, label) in mentions {
            let start = text
                .match_indices(m)
                .nth(nth)
                .unwrap_or_else(|| panic!("{m:?} #{nth} not in text"))
                .0;
            found.push(Mention {
                span: Span::new(start, start + m.len()),
                region: Region::Body,
                label,
                entity: usize::MAX,
            });
        }
        found.sort_by_key(|m| m.span.start);
        let (mentions, entities) = cluster(&doc, found).unwrap();
        doc.set_mentions(mentions);
        doc.set_entities(entities);
        doc
    }

    /// The entity holding the mention with this text (the first such mention).
    fn entity_of<'d>(doc: &'d Document, mention: &str) -> &'d Entity {
        let m = doc
            .mentions()
            .unwrap()
            .iter()
            .find(|m| doc.slice(m.span, Region::Body).unwrap() == mention)
            .unwrap_or_else(|| panic!("no mention {mention:?}"));
        &doc.entities().unwrap()[m.entity]
    }

    fn same_entity(doc: &Document, names: &[&str]) -> bool {
        let ids: Vec<usize> = doc
            .mentions()
            .unwrap()
            .iter()
            .filter(|m| names.contains(&doc.slice(m.span, Region::Body).unwrap()))
            .map(|m| m.entity)
            .collect();
        !ids.is_empty() && ids.iter().all(|&e| e == ids[0])
    }

    use EntityType::*;

    #[test]
    fn person_full_name_title_and_last_name() {
        let doc = doc_with(
            "Secretary of State John Kerry said on Monday that talks would go on. \
             Secretary Kerry spoke later. \"No,\" Kerry said. Kerry left. Kerry waved.",
            &[
                ("John Kerry", 0, Person),
                ("Kerry", 1, Person),
                ("Kerry", 2, Org),
                ("Kerry", 3, Org),
                ("Kerry", 4, Org),
            ],
        );
        assert_eq!(doc.entities().unwrap().len(), 1);
        let e = &doc.entities().unwrap()[0];
        assert_eq!(e.name, "John Kerry");
        assert_eq!(
            e.label, Person,
            "short forms of a person's name vote for a person"
        );
        assert_eq!(e.mentions.len(), 5);
        assert!(
            e.roles.iter().any(|r| r == "Secretary of State"),
            "{:?}",
            e.roles
        );
        assert!(e.roles.iter().any(|r| r == "Secretary"), "{:?}", e.roles);
    }

    #[test]
    fn title_inside_the_mention_is_a_role_not_the_name() {
        let doc = doc_with(
            "President Obama met Kerry. Obama said nothing.",
            &[
                ("President Obama", 0, Person),
                ("Kerry", 0, Person),
                ("Obama", 1, Person),
            ],
        );
        let e = entity_of(&doc, "President Obama");
        assert_eq!(e.name, "Obama");
        assert_eq!(e.roles, ["President"]);
        assert!(same_entity(&doc, &["President Obama", "Obama"]));
        assert_eq!(doc.entities().unwrap().len(), 2);
    }

    #[test]
    fn particle_and_possessive_variants_join() {
        let doc = doc_with(
            "Iraqi Prime Minister Nouri al-Maliki resigned. Maliki's party objected, \
             and Nouri Maliki left.",
            &[
                ("Iraqi", 0, Misc),
                ("Nouri al-Maliki", 0, Person),
                ("Maliki's", 0, Person),
                ("Nouri Maliki", 0, Person),
            ],
        );
        assert!(same_entity(
            &doc,
            &["Nouri al-Maliki", "Maliki's", "Nouri Maliki"]
        ));
        let e = entity_of(&doc, "Nouri al-Maliki");
        assert!(
            e.roles.iter().any(|r| r == "Prime Minister"),
            "{:?}",
            e.roles
        );
        assert_eq!(doc.entities().unwrap().len(), 2);
    }

    #[test]
    fn country_acronyms_and_aliases() {
        let doc = doc_with(
            "The US said the United States would act. U.S. officials and America agreed; \
             the UN and the United Nations did not.",
            &[
                ("US", 0, Loc),
                ("United States", 0, Loc),
                ("U.S.", 0, Loc),
                ("America", 0, Loc),
                ("UN", 0, Org),
                ("United Nations", 0, Org),
            ],
        );
        assert!(same_entity(
            &doc,
            &["US", "United States", "U.S.", "America"]
        ));
        assert!(same_entity(&doc, &["UN", "United Nations"]));
        assert_eq!(doc.entities().unwrap().len(), 2);
        assert_eq!(
            doc.entities().unwrap()[0].name,
            "United States",
            "numbered by first mention"
        );
    }

    #[test]
    fn acronym_before_its_expansion() {
        let doc = doc_with(
            "NATO met today. The North Atlantic Treaty Organization said so.",
            &[
                ("NATO", 0, Org),
                ("North Atlantic Treaty Organization", 0, Org),
            ],
        );
        assert_eq!(doc.entities().unwrap().len(), 1);
        assert_eq!(
            doc.entities().unwrap()[0].name,
            "North Atlantic Treaty Organization"
        );
    }

    #[test]
    fn organisation_short_form() {
        let doc = doc_with(
            "The Wall Street Journal reported it. The Journal added that Wall Street fell.",
            &[
                ("The Wall Street Journal", 0, Org),
                ("Journal", 1, Org),
                ("Wall Street", 1, Loc),
            ],
        );
        assert!(same_entity(&doc, &["The Wall Street Journal", "Journal"]));
        assert_eq!(doc.entities().unwrap()[0].name, "Wall Street Journal");
        assert_eq!(
            doc.entities().unwrap().len(),
            2,
            "Wall Street is not the Journal"
        );
    }

    #[test]
    fn organisation_without_generic_words() {
        let doc = doc_with(
            "NBC News aired it. NBC said General Motors and Motors differ.",
            &[
                ("NBC News", 0, Org),
                ("NBC", 1, Org),
                ("General Motors", 0, Org),
                ("Motors", 1, Org),
            ],
        );
        assert!(same_entity(&doc, &["NBC News", "NBC"]));
        let gm = entity_of(&doc, "General Motors");
        assert_eq!(gm.name, "General Motors");
        assert!(gm.roles.is_empty());
        assert_eq!(gm.mentions.len(), 1, "a generic last word is no short form");
    }

    #[test]
    fn a_generic_word_is_not_the_organisation() {
        let doc = doc_with(
            "NBC News aired it. Yahoo News and the News said so.",
            &[
                ("NBC News", 0, Org),
                ("Yahoo News", 0, Org),
                ("News", 2, Org),
            ],
        );
        assert_eq!(
            doc.entities().unwrap().len(),
            3,
            "News is neither NBC News nor Yahoo News"
        );
    }

    #[test]
    fn the_same_name_with_another_type_is_another_entity() {
        let doc = doc_with(
            "PITTSBURGH 1996-08-22 Pittsburgh beat Houston. John Kerry met Kerry.",
            &[
                ("PITTSBURGH", 0, Loc),
                ("Pittsburgh", 0, Org),
                ("Houston", 0, Org),
                ("John Kerry", 0, Person),
                ("Kerry", 1, Org),
            ],
        );
        assert!(!same_entity(&doc, &["PITTSBURGH", "Pittsburgh"]));
        assert!(same_entity(&doc, &["John Kerry", "Kerry"]));
    }

    #[test]
    fn locations_do_not_join_by_last_word() {
        let doc = doc_with(
            "New York and York are far apart.",
            &[("New York", 0, Loc), ("York", 1, Loc)],
        );
        assert_eq!(doc.entities().unwrap().len(), 2);
    }

    #[test]
    fn same_last_name_goes_to_the_nearest_before() {
        let doc = doc_with(
            "George Bush spoke. Bush left. Jeb Bush arrived. Bush waved.",
            &[
                ("George Bush", 0, Person),
                ("Bush", 1, Person),
                ("Jeb Bush", 0, Person),
                ("Bush", 3, Person),
            ],
        );
        assert_eq!(doc.entities().unwrap().len(), 2);
        // Mentions in text order: George Bush, Bush, Jeb Bush, Bush.
        let e: Vec<usize> = doc.mentions().unwrap().iter().map(|m| m.entity).collect();
        assert_eq!(e, [0, 0, 1, 1]);
    }

    #[test]
    fn roles_from_apposition_and_former() {
        let doc = doc_with(
            "John Kirby, a State Department spokesman, said so. Former President Bill Clinton \
             agreed.",
            &[("John Kirby", 0, Person), ("Bill Clinton", 0, Person)],
        );
        assert_eq!(
            entity_of(&doc, "John Kirby").roles,
            ["State Department spokesman"]
        );
        assert_eq!(entity_of(&doc, "Bill Clinton").roles, ["former President"]);
    }

    #[test]
    fn resolve_role_finds_the_titled_entity() {
        let text = "Secretary of State John Kerry met Prime Minister Nouri Maliki. \
                    Former President Bill Clinton was there. The Secretary said it went well.";
        let doc = doc_with(
            text,
            &[
                ("John Kerry", 0, Person),
                ("Nouri Maliki", 0, Person),
                ("Bill Clinton", 0, Person),
            ],
        );
        let at = text.find("The Secretary").unwrap();
        let kerry = entity_of(&doc, "John Kerry").name.clone();
        let e = resolve_role(&doc, "the Secretary", at).unwrap();
        assert_eq!(doc.entities().unwrap()[e].name, kerry);
        let e = resolve_role(&doc, "the prime minister", at).unwrap();
        assert_eq!(doc.entities().unwrap()[e].name, "Nouri Maliki");
        assert_eq!(
            resolve_role(&doc, "the President", at),
            None,
            "former is no role"
        );
    }

    #[test]
    fn salience_favours_frequent_early_entities() {
        let doc = doc_with(
            "Kerry met Lavrov. Kerry spoke. Kerry left. Much later, Smith arrived.",
            &[
                ("Kerry", 0, Person),
                ("Lavrov", 0, Person),
                ("Kerry", 1, Person),
                ("Kerry", 2, Person),
                ("Smith", 0, Person),
            ],
        );
        let s = |n: &str| entity_of(&doc, n).salience;
        assert!(s("Kerry") > s("Lavrov"));
        assert!(s("Lavrov") > s("Smith"));
        assert!(doc
            .entities()
            .unwrap()
            .iter()
            .all(|e| (0.0..=1.0).contains(&e.salience)));
    }

    #[test]
    fn every_mention_points_at_its_entity() {
        let doc = doc_with(
            "Kerry met Lavrov in Geneva. Lavrov and Kerry agreed.",
            &[
                ("Kerry", 0, Person),
                ("Lavrov", 0, Person),
                ("Geneva", 0, Loc),
                ("Lavrov", 1, Person),
                ("Kerry", 1, Person),
            ],
        );
        for (e, ent) in doc.entities().unwrap().iter().enumerate() {
            for &m in &ent.mentions {
                assert_eq!(doc.mentions().unwrap()[m].entity, e);
            }
        }
        assert_eq!(doc.entities().unwrap().len(), 3);
        assert_eq!(doc.entities().unwrap()[0].name, "Kerry");
    }
}
