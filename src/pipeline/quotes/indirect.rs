//! Reported speech: the clause a cue reports, after it (`said (that) CLAUSE`,
//! `told reporters CLAUSE`, `said: CLAUSE`) or before it (`CLAUSE, he said`).
//!
//! A content span runs to the end of its sentence, but never more than [`MAX_CLAUSE`]
//! tokens: that bound keeps a pathological run of cues (`he said, he said, …`) linear.
//! Following PolNeAR, a leading `that` belongs to the content.

use super::attribution;
use super::cues::{is_one_of, Cue};
use super::words::{CLAUSE_LEADS, COMPLEMENTIZERS};
use super::{is_word, word, Ctx};
use crate::pipeline::document::TokenKind;
use std::ops::Range;

pub const MAX_CLAUSE: usize = 120;

/// Where the reported clause after `cue` begins, or `None` when nothing follows.
/// `colon` is set when the cue ends with a colon (`continued:`).
pub fn clause_start(cx: &Ctx, cue: &Cue, hi: usize, colon: &mut bool) -> Option<usize> {
    let mut s = cue.end;
    while s < hi && matches!(word(cx, s), "," | ":") {
        *colon |= word(cx, s) == ":";
        s += 1;
    }
    if s >= hi {
        return None;
    }
    let look = (s + 12).min(hi);
    let find = |from: usize, what: &dyn Fn(&str) -> bool, stop_at_comma: bool| -> Option<usize> {
        (from..look)
            .find_map(|i| {
                let w = word(cx, i);
                if cx.doc.tokens[i].kind == TokenKind::Quote && cx.quote_at(i).is_some() {
                    return Some(Err(()));
                }
                if matches!(w, "." | "!" | "?" | ";") || (stop_at_comma && w == ",") {
                    return Some(Err(()));
                }
                if w == ":" {
                    return Some(Ok(i + 1));
                }
                what(w).then_some(Ok(i))
            })?
            .ok()
    };
    if cue.addressee && !COMPLEMENTIZERS.contains(word(cx, s)) {
        // `told reporters on Monday that …`, `asked him whether …`.
        if let Some(i) = find(s, &|w| COMPLEMENTIZERS.contains(w), false) {
            return Some(i);
        }
        let obj = attribution::after(cx, s, hi, false)?;
        let mut i = obj.end;
        while i < hi && matches!(word(cx, i), "," | ":") {
            i += 1;
        }
        return (i < hi).then_some(i);
    }
    if is_word(cx, s) && CLAUSE_LEADS.contains(word(cx, s)) {
        // `said in a statement that …`, `said Monday that …`.
        if let Some(i) = find(s, &|w| w.eq_ignore_ascii_case("that"), false) {
            return Some(i);
        }
        // `said in a statement, CLAUSE`
        let comma = (s..look).find(|&i| word(cx, i) == ",")?;
        return (comma + 1 < hi).then_some(comma + 1);
    }
    Some(s)
}

/// The clause from `s` to the end of the sentence (`hi`), stopping before `limit` (a
/// following cue of its own), extended over a quotation that the sentence splitter
/// cut in two, and trimmed of trailing punctuation. `None` if it holds under two words.
pub fn clause(cx: &Ctx, s: usize, hi: usize, limit: usize) -> Option<Range<usize>> {
    let mut e = hi.min(limit).min(s + MAX_CLAUSE);
    if e > s {
        if let Some(q) = cx.quote_at(e - 1) {
            let qe = cx.quotes[q].tokens.end;
            if qe > e && qe <= e + MAX_CLAUSE {
                e = qe;
            }
        }
    }
    trim(cx, s, e)
}

/// The clause before a comma: `CLAUSE, he said`. Starts at `lo` (the sentence start).
pub fn clause_before(cx: &Ctx, lo: usize, comma: usize) -> Option<Range<usize>> {
    let lo = lo.max(comma.saturating_sub(MAX_CLAUSE));
    trim(cx, lo, comma)
}

/// `s..e` without punctuation at either end or a dangling conjunction at the end;
/// `None` if under two words are left.
pub fn trim(cx: &Ctx, mut s: usize, mut e: usize) -> Option<Range<usize>> {
    while s < e && matches!(cx.doc.tokens[s].kind, TokenKind::Punct | TokenKind::Dash) {
        s += 1;
    }
    while e > s {
        let t = cx.doc.tokens[e - 1];
        let w = word(cx, e - 1);
        let dangling_quote =
            t.kind == TokenKind::Quote && cx.quote_at(e - 1).is_none_or(|q| cx.quotes[q].open < s);
        if matches!(t.kind, TokenKind::Punct | TokenKind::Dash)
            || dangling_quote
            || is_one_of(&["and", "but", "or"], w)
        {
            e -= 1;
        } else {
            break;
        }
    }
    let words = (s..e).filter(|&i| is_word(cx, i)).take(2).count();
    (words >= 2).then_some(s..e)
}
