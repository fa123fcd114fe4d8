//! Roles (titles) of people found around their mentions ("Prime Minister" of "Prime
//! Minister Nouri Maliki"). Which entity a later role phrase ("the minister") refers to
//! is the speakers' job (`quotes::speakers`), which reads these roles: one resolver.

use super::names::capitalise;
use crate::pipeline::document::{Span, Token, TokenKind};
use crate::pipeline::entities::gazetteer::{GazList, Gazetteers};

/// Words that may stand between a role and a name without ending the role
/// ("Iraqi Prime Minister Nouri Maliki" keeps "Prime Minister").
const MAX_ROLE_TOKENS: usize = 5;

/// Roles beside one mention: a title right before it (with "former" kept), titles inside
/// it, and an apposition after it that holds a title.
pub(super) fn roles_of(text: &str, toks: &[Token], span: Span, gaz: &Gazetteers) -> Vec<String> {
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
