//! The words that name a speaker beside a cue: the noun phrase before the verb
//! (`Secretary of State John Kerry said`), after it (`said Le Pen, who …`), or after
//! `according to`.
//!
//! There is no part-of-speech tagger in the pipeline, so a noun phrase is recognised by
//! what ends it: punctuation, quotation marks, and a closed list of function words
//! (prepositions other than `of`, conjunctions, auxiliaries, relative words). Every scan
//! is bounded to a short window, so a run of a million cues stays linear.
//!
//! Span boundaries follow PolNeAR's convention, which the scorer compares word by word:
//! the source includes determiners, titles and appositions (`Tad Devine, Sanders'
//! senior media adviser,`), but not the time or place phrases between it and the verb.

use super::cues::is_one_of;
use super::words::{DETERMINERS, GROUP_NOUNS, PRONOUNS, STOP, TIME};
use super::{is_word, word, Ctx};
use crate::pipeline::document::TokenKind;
use std::ops::Range;

/// How far a speaker phrase may reach from its cue.
const WINDOW: usize = 14;
/// How long an apposition between commas may be.
const APPOSITION: usize = 40;

fn capitalised(cx: &Ctx, i: usize) -> bool {
    is_word(cx, i) && word(cx, i).starts_with(|c: char| c.is_uppercase())
}

pub fn is_pronoun(w: &str) -> bool {
    PRONOUNS.contains(w)
}

fn possessive(cx: &Ctx, i: usize) -> bool {
    let w = word(cx, i);
    w.eq_ignore_ascii_case("'s") || w.eq_ignore_ascii_case("’s")
}

/// A token that may be part of a name phrase read right to left.
fn np_token(cx: &Ctx, i: usize, lowercase_budget: &mut usize) -> bool {
    let t = cx.doc.tokens[i];
    match t.kind {
        TokenKind::Number => true,
        TokenKind::Word => {
            let w = word(cx, i);
            if possessive(cx, i) || w.eq_ignore_ascii_case("of") {
                return true;
            }
            if STOP.contains(w) && !today_in_name(cx, i) {
                return false;
            }
            if w.starts_with(|c: char| c.is_uppercase()) || w.contains('.') {
                return true;
            }
            if *lowercase_budget == 0 {
                return false;
            }
            *lowercase_budget -= 1;
            true
        }
        // `Sanders' senior adviser`: an apostrophe right after a word.
        TokenKind::Quote => {
            i > 0
                && cx.doc.tokens[i - 1].span.end == t.span.start
                && {
                    let s = word(cx, i);
                    s == "'" || s == "’"
                }
                && word(cx, i - 1).ends_with(['s', 'S'])
        }
        TokenKind::Dash => {
            // Only a hyphen glued on both sides (`vice-presidential`, `R-Iowa`).
            i > 0
                && i + 1 < cx.doc.tokens.len()
                && cx.doc.tokens[i - 1].span.end == t.span.start
                && cx.doc.tokens[i + 1].span.start == t.span.end
        }
        _ => false,
    }
}

/// The noun phrase that ends just before token `end` (exclusive), not reaching before
/// `lo`. Handles pronouns, `who`, parentheses (`(R-Iowa)`), time phrases between the
/// subject and the verb, and an apposition between commas.
pub fn before(cx: &Ctx, lo: usize, end: usize) -> Option<Range<usize>> {
    if end <= lo {
        return None;
    }
    let mut j = end; // exclusive end of the phrase
                     // `Kerry on Wednesday said`, `Kerry said Monday`: skip the time words.
    let mut skipped = 0;
    while j > lo && skipped < 3 && is_word(cx, j - 1) && is_time(cx, j - 1) {
        j -= 1;
        skipped += 1;
    }
    if skipped > 0 && j > lo && is_one_of(&["on", "in", "at"], word(cx, j - 1)) {
        j -= 1;
    }
    if j <= lo {
        return None;
    }
    let last = j - 1;
    let w = word(cx, last);
    if is_word(cx, last) && (is_pronoun(w) || w.eq_ignore_ascii_case("who")) {
        return Some(last..j);
    }
    // An apposition: `Tad Devine, Sanders' senior media adviser, said`.
    if word(cx, last) == "," {
        let floor = lo.max(last.saturating_sub(APPOSITION));
        let mut k = last;
        while k > floor {
            k -= 1;
            let t = cx.doc.tokens[k];
            if t.kind == TokenKind::Quote && !np_token(cx, k, &mut 0) {
                return None;
            }
            if word(cx, k) == "," {
                let head = core_before(cx, lo, k)?;
                // The head must be a name or a determined phrase, not a clause.
                if head.clone().any(|i| capitalised(cx, i)) || head.len() <= 4 {
                    // `Clinton, at a later press gaggle, said`, `Obama, dedicating the
                    // museum, said`: an adverbial between commas is not part of the
                    // source, an apposition (`, a former aide,`, `, who …,`) is.
                    if adverbial(cx, k + 1) {
                        return Some(head);
                    }
                    return Some(head.start..end.min(last + 1).max(head.end));
                }
                return None;
            }
            // `R-Ky.`: a period glued to its word is an abbreviation, not an end.
            let glued = k > 0 && cx.doc.tokens[k - 1].span.end == cx.doc.tokens[k].span.start;
            if matches!(word(cx, k), "!" | "?" | ";" | ":") || (word(cx, k) == "." && !glued) {
                return None;
            }
        }
        return None;
    }
    let core = core_before(cx, lo, j)?;
    // `In a Bloomberg interview Trump said`: a phrase right after a preposition is
    // that preposition's object; the subject is the last name in it.
    let inside_pp = core.start > lo
        && is_one_of(
            &["in", "at", "during", "after", "on", "from", "with"],
            word(cx, core.start - 1),
        );
    if inside_pp {
        let last = cx.doc.tokens[core.end - 1].span;
        let m = cx.doc.mentions.partition_point(|m| m.span.end < last.end);
        if let Some(mention) = cx.doc.mentions.get(m).filter(|m| m.span.end == last.end) {
            let first =
                (core.clone()).find(|&i| cx.doc.tokens[i].span.start >= mention.span.start)?;
            if first > core.start {
                return Some(first..core.end);
            }
        }
    }
    Some(core)
}

/// A time word (`Monday`, `today`), but not `Today` after a name (`USA Today`).
fn is_time(cx: &Ctx, i: usize) -> bool {
    TIME.contains(word(cx, i)) && !today_in_name(cx, i)
}

/// `Today` or `Tonight` right after a capitalised word: part of a name (`USA Today`).
fn today_in_name(cx: &Ctx, i: usize) -> bool {
    let w = word(cx, i);
    w.starts_with(char::is_uppercase)
        && is_one_of(&["today", "tonight"], w)
        && i > 0
        && capitalised(cx, i - 1)
}

/// A phrase between commas that is not an apposition: a prepositional phrase or a
/// participle (`, at a press gaggle,`, `, summing up the talks,`).
fn adverbial(cx: &Ctx, i: usize) -> bool {
    let w = word(cx, i);
    if is_one_of(&["who", "whose", "including"], w) {
        return false;
    }
    STOP.contains(w) || (w.ends_with("ing") && w.starts_with(char::is_lowercase))
}

/// The plain noun phrase ending before `end`.
fn core_before(cx: &Ctx, lo: usize, end: usize) -> Option<Range<usize>> {
    let mut k = end;
    let floor = lo.max(end.saturating_sub(WINDOW));
    let mut budget = 4;
    // `(R-Iowa)` after a name.
    if k > floor && word(cx, k - 1) == ")" {
        let mut p = k - 1;
        while p > floor && word(cx, p) != "(" {
            p -= 1;
        }
        if word(cx, p) == "(" && end - p <= 8 {
            k = p;
        }
    }
    let mut start = k;
    while k > floor {
        let i = k - 1;
        if is_word(cx, i) && DETERMINERS.contains(word(cx, i)) {
            start = i;
            // `a spokesman for the campaign`: one more hop over `for`/`of`/`at`.
            if i > floor + 1
                && is_one_of(
                    &["for", "of", "at", "with", "from", "by", "in", "on"],
                    word(cx, i - 1),
                )
                && is_word(cx, i - 2)
                && !STOP.contains(word(cx, i - 2))
            {
                k = i - 1;
                start = k;
                continue;
            }
            break;
        }
        // `Mr. Grassley and Mr. Leahy said`, `France and Germany`.
        if i > floor
            && is_one_of(&["and", "&"], word(cx, i))
            && start < end
            && capitalised(cx, start)
            && capitalised(cx, i - 1)
        {
            start = i;
            k = i;
            continue;
        }
        if !np_token(cx, i, &mut budget) {
            // `A spokeswoman for Hillary Clinton`, `Officials at Homeland Security`:
            // a head noun and a preposition before a name belong to the phrase.
            if start < end && capitalised(cx, start) {
                if let Some(head) = head_before_preposition(cx, floor, i) {
                    start = head;
                }
            }
            break;
        }
        start = i;
        k = i;
    }
    // Trim what cannot begin a phrase.
    while start < end && (word(cx, start).eq_ignore_ascii_case("of") || possessive(cx, start)) {
        start += 1;
    }
    while start < end && !is_word(cx, start) && word(cx, start) != "(" {
        start += 1;
    }
    let range = start..end;
    // A phrase of only lowercase words must be short and end in a noun-like word
    // (`officials`, `sources`, `a campaign operative`); longer runs are clauses.
    let has_capital = range.clone().any(|i| capitalised(cx, i));
    let has_det = DETERMINERS.contains(word(cx, range.start));
    if range.is_empty() || (!has_capital && !has_det && range.len() > 2) {
        return None;
    }
    if !has_capital && range.clone().all(|i| DETERMINERS.contains(word(cx, i))) {
        return None;
    }
    Some(range)
}

/// Where the phrase before preposition `p` starts when it is a determined head
/// (`A spokeswoman for`, `the top aide to`) or one plural noun opening the sentence
/// (`Officials at`): up to three lower-case words after the determiner.
fn head_before_preposition(cx: &Ctx, floor: usize, p: usize) -> Option<usize> {
    if !is_one_of(&["for", "at", "to", "with", "from"], word(cx, p)) || p <= floor {
        return None;
    }
    let mut h = p;
    while h > floor && p - h < 3 {
        let w = word(cx, h - 1);
        if !is_word(cx, h - 1) || STOP.contains(w) && !DETERMINERS.contains(w) {
            break;
        }
        if DETERMINERS.contains(w) {
            return (h < p && !PRONOUNS.contains(w)).then_some(h - 1);
        }
        if capitalised(cx, h - 1) && h - 1 != floor {
            return None;
        }
        h -= 1;
    }
    let opens = h + 1 == p && (h == 0 || !is_word(cx, h - 1));
    (opens && word(cx, h).ends_with('s') && h == floor).then_some(h)
}

/// The noun phrase starting at `start` (`said Kerry`, `according to the Post`), up to
/// `hi`. With `apposition`, a following `, a former aide` or `, who …` is included, up
/// to the next comma or the end of the sentence.
pub fn after(cx: &Ctx, start: usize, hi: usize, apposition: bool) -> Option<Range<usize>> {
    if start >= hi {
        return None;
    }
    let w = word(cx, start);
    if is_word(cx, start) && is_pronoun(w) {
        return Some(start..start + 1);
    }
    let ceil = hi.min(start + WINDOW);
    let mut k = start;
    let mut budget = 4;
    let determined = k < ceil && is_word(cx, k) && DETERMINERS.contains(word(cx, k));
    if determined {
        k += 1;
    }
    let mut seen_capital = false;
    let mut after_capital = 0;
    while k < ceil {
        // `the Roper Center for Public Opinion Research`: `for` inside a name.
        if seen_capital
            && word(cx, k).eq_ignore_ascii_case("for")
            && k + 1 < ceil
            && capitalised(cx, k + 1)
            && !is_time(cx, k + 1)
            && !PRONOUNS.contains(word(cx, k + 1))
        {
            k += 1;
            continue;
        }
        // After a name, a lower-case word is the verb (`Cruz exhorted`), except one
        // head noun of a determined phrase (`the Clinton campaign`).
        if seen_capital
            && is_word(cx, k)
            && word(cx, k).starts_with(char::is_lowercase)
            && !word(cx, k).eq_ignore_ascii_case("of")
            && !possessive(cx, k)
        {
            let w = word(cx, k);
            if !determined || after_capital > 0 || !GROUP_NOUNS.contains(w) {
                break;
            }
            after_capital += 1;
        }
        seen_capital |= capitalised(cx, k);
        if !np_token(cx, k, &mut budget) {
            // `Sen. Chuck Grassley (R-Iowa)`.
            if word(cx, k) == "(" {
                let mut p = k + 1;
                while p < ceil && p < k + 8 && word(cx, p) != ")" {
                    p += 1;
                }
                if p < ceil && word(cx, p) == ")" {
                    k = p + 1;
                    continue;
                }
            }
            break;
        }
        k += 1;
    }
    while k > start && word(cx, k - 1).eq_ignore_ascii_case("of") {
        k -= 1;
    }
    if k == start || (k - start == 1 && DETERMINERS.contains(w)) {
        return None;
    }
    if !(start..k).any(|i| capitalised(cx, i)) && k - start > 3 {
        return None;
    }
    let mut end = k;
    if apposition && k + 1 < hi && word(cx, k) == "," && is_word(cx, k + 1) && !adverbial(cx, k + 1)
    {
        let mut p = k + 1;
        let ceil = hi.min(k + 1 + APPOSITION);
        while p < ceil && !matches!(word(cx, p), "." | "!" | "?" | ";" | ":") {
            if cx.doc.tokens[p].kind == TokenKind::Quote && !np_token(cx, p, &mut 0) {
                break;
            }
            // `…, the top Democrat on the panel, in a statement`: stop before an
            // adverbial after a comma.
            if word(cx, p) == "," && p + 1 < hi && adverbial(cx, p + 1) {
                break;
            }
            p += 1;
        }
        if p < hi && matches!(word(cx, p), "," | "." | "!" | "?" | ";" | ":") || p == hi {
            end = p;
        }
    }
    Some(start..end)
}

/// The subject at the start of a sentence (`The President met …, reportedly telling`),
/// after any leading conjunction.
pub fn subject_at(cx: &Ctx, start: usize, hi: usize) -> Option<Range<usize>> {
    let mut s = start;
    while s < hi && !is_word(cx, s) {
        s += 1;
    }
    if s < hi && is_one_of(&["but", "and", "so", "yet", "still", "then"], word(cx, s)) {
        s += 1;
        if s < hi && word(cx, s) == "," {
            s += 1;
        }
    }
    if s >= hi || STOP.contains(word(cx, s)) && !is_pronoun(word(cx, s)) {
        return None;
    }
    after(cx, s, hi, false)
}
