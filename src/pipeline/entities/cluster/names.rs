//! Core names and when one name is a short form of another: the matching rules of
//! clustering (see the [module above](super)).

use std::collections::HashMap;

use super::{Core, Work};
use crate::pipeline::document::{EntityType, Region, Span, TokenKind};
use crate::pipeline::entities::gazetteer::{GazList, Gazetteers};
use crate::pipeline::segment::tokenizer::tokenize;

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

/// The core name of a mention: without a leading article, leading titles and a final
/// possessive.
pub(super) fn core_of(
    doc: &Work,
    span: Span,
    region: Region,
    label: EntityType,
    gaz: &Gazetteers,
) -> Core {
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
pub(super) fn leading_title(words: &[String], gaz: &Gazetteers) -> Option<usize> {
    gaz.matches(words)
        .into_iter()
        .filter(|m| m.start == 0 && m.list == GazList::Titles && m.end < words.len())
        .map(|m| m.end)
        .max()
        .filter(|&end| words[end].starts_with(char::is_uppercase))
}

/// Lower case, without the periods of an initialism ("U.S." → "us").
pub(super) fn key_word(w: &str) -> String {
    let lower = w.to_lowercase();
    if lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 6 {
        lower.chars().filter(|&c| c != '.').collect()
    } else {
        lower
    }
}

/// The entity a known alias of the mention already founded.
pub(super) fn alias_of(core: &Core, by_key: &HashMap<Vec<String>, usize>) -> Option<usize> {
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
pub(super) fn short_form(
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
    // A person or a place the tagger found is not an organisation's short form: "US" is
    // not the US Navy, "Kenya" not Ford Kenya (acronyms aside, above).
    let org = elabel == EntityType::Org && !matches!(label, EntityType::Person | EntityType::Loc);
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
pub(super) fn generic(w: &str, gaz: &Gazetteers) -> bool {
    let w = capitalise(w);
    w == "News" || gaz.contains(GazList::OrgWords, &w) || gaz.contains(GazList::CompanySuffixes, &w)
}

/// "al-maliki" → "maliki"; other words unchanged.
pub(super) fn strip_particle(w: &str) -> &str {
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
pub(super) fn is_acronym_of(short: &str, full: &[String]) -> bool {
    short.chars().count() >= 2 && acronym(full).is_some_and(|a| a == short)
}

/// The initials of a name of two words or more, function words skipped.
pub(super) fn acronym(full: &[String]) -> Option<String> {
    if full.len() < 2 {
        return None;
    }
    Some(
        full.iter()
            .filter(|w| !ACRONYM_SKIP.contains(&w.as_str()))
            .filter_map(|w| w.chars().next())
            .collect(),
    )
}

/// "spokesman" → "Spokesman", so that lower-case roles match the title list.
pub(super) fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
