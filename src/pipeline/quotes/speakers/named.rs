//! The name a speaker phrase holds, if one of its mentions is the speaker.
//!
//! A phrase often names more than its speaker: "the WHL commissioner" (an organisation
//! as a modifier), "the president of the European Council" (an organisation as a
//! complement), "Clinton's campaign" (a possessor), "Atmospheric physics professor
//! Kent Moore at the University of Toronto" (a person, then a complement). A mention is
//! the speaker's name when it is none of these: not followed by a possessive, not right
//! after a preposition ("then-minister of infrastructure Amarjeet Sohi" is Sohi), and
//! not followed by a person's title before the next comma or preposition (that title is
//! the head; "Surrey staff" is still Surrey's). A person comes before an organisation; a
//! place or a product never speaks.

use std::ops::Range;

use super::lexicon::LEXICON;
use super::Walk;
use crate::pipeline::document::EntityType;

fn preposition(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "of" | "for" | "at" | "from" | "in" | "with" | "on" | "to" | "by" | "about"
    )
}

/// What may follow a speaker's name inside its phrase without being its head.
fn ends_name(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "," | "(" | "-" | "—" | "–" | "who" | "and" | "or" | "himself" | "herself" | "itself"
    )
}

fn possessive(w: &str) -> bool {
    matches!(w, "'s" | "’s" | "'" | "’")
}

/// The entity named by phrase `r`; `from` is the first mention at or after its start.
pub fn name_in(w: &Walk, from: usize, r: &Range<usize>) -> Option<usize> {
    first_speaking(w, from, r, false)
}

/// Whose a text is ("The RCMP statement", "Trudeau's letter"): the first mention of
/// the phrase that is not a complement, possessors and modifiers included.
pub fn owner_in(w: &Walk, from: usize, r: &Range<usize>) -> Option<usize> {
    first_speaking(w, from, r, true)
}

fn first_speaking(w: &Walk, from: usize, r: &Range<usize>, owner: bool) -> Option<usize> {
    let doc = w.cx.doc;
    let text = |i: usize| doc.token_text(i);
    let mut org = None;
    for m in w.mentions[from..].iter().take_while(|m| m.first < r.end) {
        if m.first < r.start {
            continue;
        }
        // "a spokeswoman for Trudeau", "the president of the European Council".
        let mut k = m.first;
        while k > r.start && matches!(text(k - 1).to_lowercase().as_str(), "the" | "a" | "an") {
            k -= 1;
        }
        if k > r.start && preposition(text(k - 1)) {
            continue;
        }
        if !owner {
            let possessive = m.end < doc.tokens.len()
                && doc.tokens[m.end].span.start == doc.tokens[m.end - 1].span.end
                && possessive(text(m.end));
            // "the WHL commissioner": a person's title after it is the head ("Surrey
            // staff" and "KCNA news agency" are still the organisation's words).
            let titled = (m.end..r.end)
                .map(text)
                .take_while(|t| !preposition(t) && !ends_name(t))
                .any(|t| t.chars().any(char::is_alphabetic) && LEXICON.roles.contains(t));
            if possessive || titled {
                continue;
            }
        }
        let e = w.entity(m);
        match doc.entities.get(e).map(|x| x.label) {
            Some(EntityType::Person) => return Some(e),
            Some(EntityType::Org) => org = org.or(Some(e)),
            _ => {}
        }
    }
    org
}
