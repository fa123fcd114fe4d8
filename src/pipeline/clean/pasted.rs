//! Which lines of a pasted page are the article: the classifier's decision, the
//! headline, the byline and the date.
//!
//! The classifier ([`super::model`]) scores every line; lines above its threshold are
//! the body. The headline is then looked for just above the body (skipping the date,
//! the byline and photo captions, which pasted pages put between headline and text);
//! its other copies on the page (pages print it twice, once in the `<title>` with the
//! site's name) are removed as duplicates. Every line left out gets a reason.

use std::ops::Range;

use super::features::{line_facts, split_lines, LineFacts};
use super::model::LineModel;
use crate::pipeline::document::RemovalReason;

/// The outcome for one page: every non-blank line and what became of it.
#[derive(Debug, Clone)]
pub struct Selection {
    pub lines: Vec<Range<usize>>,
    /// `None`: the line is article text; otherwise why it was removed.
    pub removed: Vec<Option<RemovalReason>>,
    /// The line that is the headline.
    pub title: Option<usize>,
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    /// Set when the classifier judged no line to be article text and the lines were
    /// kept by [`Fallback`] instead (the answer says so in a warning).
    pub fallback: Option<Fallback>,
}

/// How the lines of a text were kept when the classifier kept none. A real article is
/// never refused: a one-sentence CMS body (`Apple shares fell 3% on Tuesday.`) is too
/// short for the classifier, whose features contrast article text with furniture
/// around it, so it is kept by the looser rules below, in order, the first that keeps
/// a line winning. Lines the lexicon names as furniture are never kept this way, so a
/// page of menus and share buttons is still refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The lines that read as running prose (at least 8 words, a sentence end, stop words).
    Prose,
    /// The lines that read as sentences (at least 2 words and a sentence end).
    Sentences,
    /// Every line of at least 2 words.
    AllLines,
}

impl Fallback {
    /// What was kept, in words, for the answer's warning.
    pub fn describe(self) -> &'static str {
        match self {
            Fallback::Prose => "the lines that read as prose were kept as the article",
            Fallback::Sentences => "the lines that read as sentences were kept as the article",
            Fallback::AllLines => "every line of two words or more was kept as the article",
        }
    }

    /// Whether `f` is kept under this rule.
    fn keeps(self, f: &LineFacts) -> bool {
        f.lexicon.is_none()
            && match self {
                Fallback::Prose => f.prose,
                Fallback::Sentences => f.words >= 2 && f.ends_sentence,
                Fallback::AllLines => f.words >= 2,
            }
    }
}

/// How far above the body the headline, byline and date are looked for.
const HEADER_LINES: usize = 8;

pub fn select(text: &str, model: &LineModel) -> Selection {
    let lines = split_lines(text);
    let facts = line_facts(text, &lines);
    let (keep, fallback) = keep_decision(text, &facts, model);
    let mut sel = decide(text, lines, &facts, &keep);
    sel.fallback = fallback;
    sel
}

/// Whether each line is article text, as served: the classifier's lines
/// ([`classifier_lines`]) or, when it keeps none, a [`Fallback`]'s.
pub fn keep_lines(text: &str, facts: &[LineFacts], model: &LineModel) -> Vec<bool> {
    keep_decision(text, facts, model).0
}

/// [`keep_lines`] and the fallback rule that kept the lines, if one did.
pub fn keep_decision(
    text: &str,
    facts: &[LineFacts],
    model: &LineModel,
) -> (Vec<bool>, Option<Fallback>) {
    let mut keep = classifier_lines(text, facts, model);
    let fallback = if keep.contains(&true) {
        None
    } else {
        fall_back(facts, &mut keep)
    };
    (keep, fallback)
}

/// Keeps lines by the first [`Fallback`] rule that keeps any; `None` when none does.
fn fall_back(facts: &[LineFacts], keep: &mut [bool]) -> Option<Fallback> {
    [Fallback::Prose, Fallback::Sentences, Fallback::AllLines]
        .into_iter()
        .find(|rule| {
            for (k, f) in keep.iter_mut().zip(facts) {
                *k = rule.keeps(f);
            }
            keep.contains(&true)
        })
}

/// Whether each line is article text: the classifier's decision, the strong lexicon
/// entries, the main block, the end of the article at the comment section and the
/// copies of the article's text. It may keep nothing (see [`Fallback`]).
pub fn classifier_lines(text: &str, facts: &[LineFacts], model: &LineModel) -> Vec<bool> {
    let p = model.predict(facts);
    let mut keep: Vec<bool> = p
        .iter()
        .zip(facts)
        .map(|(&x, f)| x >= model.threshold && !f.lexicon.is_some_and(|h| h.strong))
        .collect();
    keep_main_block(&mut keep, &p, facts, model.threshold);
    end_at_comments(&mut keep, facts);
    drop_copies(text, &mut keep, facts);
    keep
}

/// The article ends where the comment section starts: a line the lexicon knows as the
/// comments' header ("167 comments", "Leave a reply", "Join the conversation") after the
/// first kept line. Comments are prose, sit right after the article and so pass the
/// classifier and the main block; their header does not.
fn end_at_comments(keep: &mut [bool], facts: &[LineFacts]) {
    let Some(first) = keep.iter().position(|&k| k) else {
        return;
    };
    let header = facts[first..].iter().position(|f| {
        f.lexicon
            .is_some_and(|h| h.strong && h.reason == RemovalReason::Comments)
    });
    if let Some(h) = header {
        for k in &mut keep[first + h..] {
            *k = false;
        }
    }
}

/// Lines of at least this many words are checked for being copies ([`drop_copies`]).
const COPY_MIN_WORDS: usize = 60;

/// Pages carry the article twice: once in paragraphs and once flattened into one line
/// (a teaser, the JSON-LD `articleBody` pasted along). A long kept line whose word
/// 4-grams are, at four fifths or more, in the other kept lines is such a copy and is
/// dropped; lines are tried longest first, so of two copies one stays.
fn drop_copies(text: &str, keep: &mut [bool], facts: &[LineFacts]) {
    use rustc_hash::{FxHashMap, FxHashSet};
    if !facts
        .iter()
        .zip(keep.iter())
        .any(|(f, &k)| k && f.words >= COPY_MIN_WORDS)
    {
        return;
    }
    let grams: Vec<FxHashSet<u64>> = facts
        .iter()
        .zip(keep.iter())
        .map(|(f, &k)| {
            if k {
                word_4grams(&text[f.range.clone()])
            } else {
                FxHashSet::default()
            }
        })
        .collect();
    let mut pool: FxHashMap<u64, u32> = FxHashMap::default();
    for g in grams.iter().flatten() {
        *pool.entry(*g).or_default() += 1;
    }
    let mut order: Vec<usize> = (0..facts.len())
        .filter(|&i| keep[i] && facts[i].words >= COPY_MIN_WORDS && !grams[i].is_empty())
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(facts[i].words));
    for i in order {
        let own = &grams[i];
        let elsewhere = own.iter().filter(|g| pool[*g] > 1).count();
        if elsewhere * 5 >= own.len() * 4 {
            keep[i] = false;
            for g in own {
                if let Some(c) = pool.get_mut(g) {
                    *c -= 1;
                }
            }
        }
    }
}

/// The hashes of a line's word 4-grams (words: runs of letters and digits, lower case).
fn word_4grams(line: &str) -> rustc_hash::FxHashSet<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(4)
        .map(|w| {
            let mut h = rustc_hash::FxHasher::default();
            for word in w {
                for c in word.chars().flat_map(char::to_lowercase) {
                    c.hash(&mut h);
                }
                0xffu8.hash(&mut h);
            }
            h.finish()
        })
        .collect()
}

/// Article text is one block of the page. The block is the stretch of lines with the
/// most evidence for article text (each line weighs its probability's distance from
/// the threshold, times its length in words: Kadane's maximum subarray); kept lines outside
/// it are teasers, related headlines or comments, and are dropped.
fn keep_main_block(keep: &mut [bool], p: &[f32], facts: &[LineFacts], threshold: f32) {
    let mut best = (0f32, 0usize, 0usize);
    let mut sum = 0f32;
    let mut start = 0;
    for i in 0..p.len() {
        let w = (p[i] - threshold) * (1 + facts[i].words) as f32;
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += w;
        if sum > best.0 {
            best = (sum, start, i + 1);
        }
    }
    if best.0 <= 0.0 {
        return;
    }
    for (i, k) in keep.iter_mut().enumerate() {
        if i < best.1 || i >= best.2 {
            *k = false;
        }
    }
}

/// Turns per-line decisions into a [`Selection`] (separate from `select` so the training
/// binary can score a model's decisions exactly as served).
pub fn decide(
    text: &str,
    lines: Vec<Range<usize>>,
    facts: &[LineFacts],
    keep: &[bool],
) -> Selection {
    let n = lines.len();
    // A headline printed twice (once alone, once in the page's <title> with the site's
    // name) may be kept by the classifier as the top of the body.
    let mut keep = keep.to_vec();
    let page_title = lines.first().map_or("", |r| &text[r.clone()]);
    if let Some(b) = keep.iter().position(|&k| k) {
        for i in b..n.min(b + 3) {
            let f = &facts[i];
            let s = &text[lines[i].clone()];
            let echoed = i > 0 && s.len() >= 15 && page_title.starts_with(s);
            if keep[i] && (f.repeated || echoed) && !f.prose && f.words <= 30 {
                keep[i] = false;
            } else if keep[i] {
                break;
            }
        }
    }
    // The date and byline printed above the first paragraph are metadata, not text.
    if let Some(b) = keep.iter().position(|&k| k) {
        for i in b..n {
            let f = &facts[i];
            if !(keep[i] && !f.prose && (f.datelike || f.byline)) {
                break;
            }
            keep[i] = false;
        }
    }
    let first = keep.iter().position(|&k| k);
    let last = keep.iter().rposition(|&k| k);
    let mut removed: Vec<Option<RemovalReason>> = (0..n)
        .map(|i| {
            if keep[i] {
                return None;
            }
            let f = &facts[i];
            Some(match (f.lexicon, first, last) {
                (Some(h), _, _) => h.reason,
                (None, Some(b), _) if i < b && f.byline => RemovalReason::Byline,
                (None, Some(b), _) if i < b && f.datelike => RemovalReason::Dateline,
                (None, Some(b), _) if i < b => RemovalReason::Navigation,
                (None, _, Some(e)) if i > e => RemovalReason::Footer,
                _ => RemovalReason::Boilerplate,
            })
        })
        .collect();
    let mut sel = Selection {
        lines,
        removed: Vec::new(),
        title: None,
        byline: Vec::new(),
        published: None,
        dateline: None,
        fallback: None,
    };
    let Some(body_start) = first else {
        sel.removed = removed;
        return sel;
    };

    // The header: the lines just above the body.
    let header = body_start.saturating_sub(HEADER_LINES)..body_start;
    for i in header.clone() {
        let f = &facts[i];
        let s = &text[sel.lines[i].clone()];
        let (date, by) = split_by(s);
        if sel.byline.is_empty() && (f.byline || (f.datelike && by.is_some())) {
            sel.byline = authors(by.unwrap_or(s));
        }
        if f.datelike && sel.published.is_none() {
            sel.published = published(date);
        }
    }
    let headline_like = |i: usize| {
        let f = &facts[i];
        let is_caption = f.lexicon.is_some();
        let skippable = f.byline || f.datelike || is_caption;
        !skippable && (3..=30).contains(&f.words) && !text[sel.lines[i].clone()].ends_with(':')
    };
    // A pasted page opens with its <title>, the headline and the site's name: the
    // headline is the line above the body that the first line starts with.
    let echoed = (1..body_start).rev().find(|&i| {
        let s = &text[sel.lines[i].clone()];
        headline_like(i) && s.len() >= 15 && page_title.starts_with(s)
    });
    let title = echoed.or_else(|| header.clone().rev().find(|&i| headline_like(i)));
    if let Some(t) = title {
        let t_text = &text[sel.lines[t].clone()];
        // The first copy of the headline is the title; the others are duplicates. A
        // copy may carry the site's name ("Headline | Site", "Headline - Site").
        let mut copies: Vec<usize> = (0..body_start)
            .filter(|&i| {
                let s = &text[sel.lines[i].clone()];
                s == t_text || (s.starts_with(t_text) && s.len() < t_text.len() + 60)
            })
            .collect();
        if copies.is_empty() {
            copies.push(t);
        }
        let chosen = copies
            .iter()
            .copied()
            .find(|&i| &text[sel.lines[i].clone()] == t_text)
            .unwrap_or(t);
        for &c in &copies {
            removed[c] = Some(RemovalReason::DuplicateTitle);
        }
        removed[chosen] = Some(RemovalReason::Title);
        sel.title = Some(chosen);
    }
    sel.dateline = dateline(&text[sel.lines[body_start].clone()]);
    sel.removed = removed;
    sel
}

/// "Monday November 18, 2019 7:45 am PST by Joe Rossignol" → the date before " by " and
/// the byline from "by" on; `(line, None)` without " by ".
fn split_by(line: &str) -> (&str, Option<&str>) {
    match line.find(" by ").or_else(|| line.find(" By ")) {
        Some(i) if i > 0 => (line[..i].trim(), Some(line[i + 1..].trim())),
        _ => (line, None),
    }
}

/// The date of a date line, without labels ("Published: ", "Updated ") and never a
/// link or a line without a digit.
fn published(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    if lower.contains("http") || lower.contains("www.") || !line.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut s = line;
    // "By Tess Bonn - 11/19/19 06:56 AM EST": the date is after the byline.
    if lower.starts_with("by ") {
        if let Some(i) = [" - ", " — ", " – ", " | "]
            .iter()
            .filter_map(|d| line.find(d))
            .min()
        {
            s = line[i..].trim_start_matches([' ', '-', '—', '–', '|']);
        }
    }
    for label in [
        "published:",
        "published",
        "updated:",
        "posted on",
        "posted:",
        "posted",
        "date:",
    ] {
        if s.to_lowercase().starts_with(label) {
            s = s[label.len()..].trim_start();
        }
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '-' | '–' | '—' | '·'));
    (!s.is_empty()).then(|| s.to_string())
}

/// Whether `s` reads as a person's or an agency's name: one to five words, no digits,
/// no link, each word capitalised but for name particles ("de", "van", "al").
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && !s.contains(['@', '/', ':'])
        && !s.bytes().any(|b| b.is_ascii_digit())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    *w,
                    "de" | "da" | "van" | "von" | "der" | "al" | "bin" | "la" | "le" | "di" | "du"
                )
        })
}

/// "By Jane Doe and John Roe, Reuters" → ["Jane Doe", "John Roe", "Reuters"]; what is not
/// a name ("Updated 5:03 PM", "Staff Writer" stays: it is capitalised) is left out.
fn authors(line: &str) -> Vec<String> {
    let rest = line
        .trim_start_matches("Written by ")
        .trim_start_matches("written by ")
        .trim_start_matches("By ")
        .trim_start_matches("by ")
        .trim_start_matches("BY ");
    rest.split([',', '|', '—', '–'])
        .flat_map(|s| s.split(" - "))
        .flat_map(|s| s.split(" and "))
        .map(|s| s.trim().to_string())
        .filter(|s| is_name(s))
        .collect()
}

/// "WASHINGTON (AP) — The …" → "WASHINGTON (AP)"; the dateline stays in the body.
fn dateline(first_paragraph: &str) -> Option<String> {
    let head = &first_paragraph[..floor_char(first_paragraph, 80)];
    let cut = [" — ", " – ", " -- ", " - ", ": "]
        .iter()
        .filter_map(|d| head.find(d))
        .min()?;
    let d = head[..cut].trim();
    let letters: Vec<char> = d.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() >= 2
        && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 7;
    (shouting || d.ends_with(')')).then(|| d.to_string())
}

fn floor_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_are_split() {
        assert_eq!(
            authors("By Jane Doe and John Roe, Reuters"),
            ["Jane Doe", "John Roe", "Reuters"]
        );
    }

    #[test]
    fn dates_and_bylines_hold_only_their_kind() {
        let (date, by) = split_by("Monday November 18, 2019 7:45 am PST by Joe Rossignol");
        assert_eq!(
            published(date).as_deref(),
            Some("Monday November 18, 2019 7:45 am PST")
        );
        assert_eq!(authors(by.unwrap()), ["Joe Rossignol"]);
        assert_eq!(
            published("Published: 10:48, Tue, Nov 19, 2019").as_deref(),
            Some("10:48, Tue, Nov 19, 2019")
        );
        assert_eq!(published("https://example.com/2019/11/18/story"), None);
        assert_eq!(authors("By Jane Doe, Updated 5:03 PM"), ["Jane Doe"]);
        let line = "By Tess Bonn - 11/19/19 06:56 AM EST";
        assert_eq!(authors(line), ["Tess Bonn"]);
        assert_eq!(published(line).as_deref(), Some("11/19/19 06:56 AM EST"));
    }

    #[test]
    fn datelines_are_found() {
        assert_eq!(
            dateline("WASHINGTON (AP) — The Senate voted.").as_deref(),
            Some("WASHINGTON (AP)")
        );
        assert_eq!(
            dateline("(Reuters) — The company said.").as_deref(),
            Some("(Reuters)")
        );
        assert_eq!(dateline("The plan - which failed - was new."), None);
        assert_eq!(
            dateline("NEW DELHI: The Supreme Court said.").as_deref(),
            Some("NEW DELHI")
        );
        assert_eq!(
            dateline("WASHINGTON – The Senate voted.").as_deref(),
            Some("WASHINGTON")
        );
    }
}
