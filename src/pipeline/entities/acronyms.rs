//! Acronyms a document spells out in lower case: "artificial intelligence (AI)",
//! "non-governmental organisations (NGOs)", "liquefied natural gas (LNG)".
//!
//! Such an acronym names a kind of thing, not one thing, so alone it is no name anywhere
//! in the document; the tagger, trained on 1996 Reuters where a run of capitals is nearly
//! always an organisation, tags it ORG. A name's own expansion is capitalised ("Irish
//! Republican Army (IRA)") and is left alone.

use super::features::{Caps, TokenInfo};
use super::hashing::hash_lower;

/// Letters an acronym may have.
const LETTERS: std::ops::RangeInclusive<usize> = 2..=6;

/// The lower-case hashes (sorted) of the acronyms `words` spells out in lower case, with
/// and without a plural "s". `infos` describe the same tokens; `function(i)` says whether
/// token `i` is a function word an acronym skips ("of", "and").
pub fn spelled_out(
    words: &[&str],
    infos: &[TokenInfo],
    function: impl Fn(usize) -> bool,
) -> Vec<u64> {
    let mut out = Vec::new();
    for i in 1..words.len().saturating_sub(1) {
        if words[i - 1] != "(" || words[i + 1] != ")" {
            continue;
        }
        let acronym = words[i].strip_suffix('s').unwrap_or(words[i]);
        if !LETTERS.contains(&acronym.len()) || !acronym.bytes().all(|b| b.is_ascii_uppercase()) {
            continue;
        }
        if expands_in_lower_case(acronym.as_bytes(), &words[..i - 1], infos, &function) {
            out.push(hash_lower(acronym));
            out.push(hash_lower(&format!("{acronym}s")));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Do the words just before `(` give the acronym's letters as initials, function words
/// and hyphens skipped (they never give a letter: "Organization of the Petroleum
/// Exporting Countries (OPEC)"), with the first of them in lower case?
fn expands_in_lower_case(
    acronym: &[u8],
    before: &[&str],
    infos: &[TokenInfo],
    function: &impl Fn(usize) -> bool,
) -> bool {
    let mut want = acronym.iter().rev();
    let mut next = want.next();
    let mut first = None;
    for j in (0..before.len()).rev() {
        let Some(&letter) = next else { break };
        let w = before[j];
        if w == "-" || function(j) {
            continue;
        }
        if !w
            .as_bytes()
            .first()
            .is_some_and(|c| c.eq_ignore_ascii_case(&letter))
        {
            return false;
        }
        first = Some(j);
        next = want.next();
    }
    next.is_none() && first.is_some_and(|j| infos[j].caps == Caps::Lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::document::TokenKind;

    fn acronyms(text: &str) -> Vec<u64> {
        let words: Vec<&str> = text.split(' ').collect();
        let infos: Vec<TokenInfo> = words
            .iter()
            .map(|w| TokenInfo::new(w, TokenKind::Word))
            .collect();
        spelled_out(&words, &infos, |j| matches!(words[j], "of" | "and" | "the"))
    }

    #[test]
    fn lower_case_expansions_make_common_acronyms() {
        let found = acronyms("the rise of artificial Intelligence ( AI ) and of non - governmental organisations ( NGOs ) .");
        for a in ["AI", "AIs", "NGO", "NGOs"] {
            assert!(found.contains(&hash_lower(a)), "{a}");
        }
    }

    #[test]
    fn names_and_mismatches_are_not() {
        assert!(acronyms("the Irish Republican Army ( IRA ) said").is_empty());
        assert!(acronyms("talks on trade ( WTO ) today").is_empty());
        assert!(acronyms("the department of health ( DH )").len() == 2);
        assert!(acronyms("( AI )").is_empty());
        assert!(acronyms("Organization of Petroleum Exporting Countries ( OPEC )").is_empty());
    }
}
