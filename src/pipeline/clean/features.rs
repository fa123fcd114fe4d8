//! Features of the lines of a pasted page, for the boilerplate classifier.
//!
//! A line of a pasted page is either article text or page furniture. What tells them
//! apart is partly in the line (prose is long, full of stop words and ends with a full
//! stop; menus are short, capitalised and end with nothing) and partly around it
//! (article text sits among other article text, after the headline and before the
//! footer). So there are two sets of features, used by two stacked logistic regressions:
//!
//! - [`line_facts`]: the line itself and where it sits in the page (the prose lines
//!   before and after it, as in jusText's context pass);
//! - [`context_features`]: the first model's probabilities for the neighbours.
//!
//! Everything here is linear in the length of the page. The training binary
//! (`src/bin/train-clean.rs`) calls these same functions, so training and serving
//! cannot drift apart.

use std::ops::Range;

use super::lexicon::{self, Match};

/// Number of features of [`line_facts`].
pub const N_LINE: usize = 40;
/// Number of features of [`context_features`].
pub const N_CONTEXT: usize = 12;

/// Facts about one line that the features and the decision both use.
#[derive(Debug, Clone)]
pub struct LineFacts {
    /// Byte range of the line in the text (without its line break).
    pub range: Range<usize>,
    pub words: usize,
    pub lexicon: Option<lexicon::Hit>,
    /// Looks like a sentence of running text.
    pub prose: bool,
    /// Ends with a full stop, question or exclamation mark (closing quotes aside).
    pub ends_sentence: bool,
    /// Starts with "By " and is short: an author line.
    pub byline: bool,
    /// Short and holds a month name and a number, or a time.
    pub datelike: bool,
    /// The same line occurs elsewhere in the page.
    pub repeated: bool,
    raw: [f32; N_LINE],
}

/// The non-blank lines of `text`, trimmed.
pub fn split_lines(text: &str) -> Vec<Range<usize>> {
    crate::text::lines::non_blank(text).collect()
}

const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "during", "each", "few", "for", "from", "had", "has", "have", "having", "he",
    "her", "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may",
    "me", "more", "most", "much", "my", "no", "nor", "not", "now", "of", "on", "once", "only",
    "or", "other", "our", "out", "over", "said", "says", "she", "should", "since", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// A word of at most 16 ASCII letters packed into an integer, lower-cased: stop words
/// and month names are looked up by integer comparison, without allocating.
fn word_key(w: &str) -> Option<u128> {
    if w.len() > 16 || !w.is_ascii() {
        return None;
    }
    let mut k = 0u128;
    for b in w.bytes() {
        k = (k << 8) | b.to_ascii_lowercase() as u128;
    }
    Some(k)
}

fn sorted_keys(words: &[&str]) -> Vec<u128> {
    let mut v: Vec<u128> = words.iter().filter_map(|w| word_key(w)).collect();
    v.sort_unstable();
    v
}

static STOP_KEYS: std::sync::LazyLock<Vec<u128>> =
    std::sync::LazyLock::new(|| sorted_keys(STOP_WORDS));
static MONTH_KEYS: std::sync::LazyLock<Vec<u128>> =
    std::sync::LazyLock::new(|| sorted_keys(MONTHS));

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

/// Computes the facts and own features of each line.
pub fn line_facts(text: &str, lines: &[Range<usize>]) -> Vec<LineFacts> {
    let mut facts: Vec<LineFacts> = lines
        .iter()
        .map(|r| one_line(&text[r.clone()], r.clone()))
        .collect();
    // Repetition: the same line elsewhere in the page (menus repeat, headlines repeat).
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in lines {
        *seen.entry(&text[r.clone()]).or_default() += 1;
    }
    for (f, r) in facts.iter_mut().zip(lines) {
        f.repeated = seen[&text[r.clone()]] > 1;
    }
    add_position_features(&mut facts);
    facts
}

fn one_line(line: &str, range: Range<usize>) -> LineFacts {
    let mut raw = [0f32; N_LINE];
    let mut words = 0usize;
    let mut stops = 0usize;
    let mut capitalised = 0usize;
    let mut months = 0usize;
    for w in line.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        if w.chars().next().is_some_and(char::is_uppercase) {
            capitalised += 1;
        }
        if let Some(k) = word_key(w) {
            if STOP_KEYS.binary_search(&k).is_ok() {
                stops += 1;
            }
            if MONTH_KEYS.binary_search(&k).is_ok() {
                months += 1;
            }
        }
    }
    let chars = line.chars().count().max(1);
    let mut digits = 0usize;
    let mut letters = 0usize;
    let mut uppers = 0usize;
    let mut commas = 0usize;
    let mut quotes = 0usize;
    let mut separators = 0usize;
    for c in line.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                uppers += 1;
            }
        } else if c == ',' {
            commas += 1;
        } else if matches!(c, '"' | '“' | '”') {
            quotes += 1;
        } else if matches!(c, '|' | '•' | '»' | '›' | '·' | '/') {
            separators += 1;
        }
    }
    let trimmed_end = line.trim_end_matches(is_closer);
    let last = trimmed_end.chars().last().unwrap_or(' ');
    let first = line.chars().next().unwrap_or(' ');
    let lower = if line.len() <= lexicon::MAX_LEXICON_BYTES {
        line.to_lowercase()
    } else {
        String::new()
    };
    let hit = lexicon::lookup(&lower);
    let wf = words as f32;
    let stop_density = if words > 0 { stops as f32 / wf } else { 0.0 };
    let ends_sentence = is_sentence_end(last);
    let prose = words >= 8 && ends_sentence && stop_density >= 0.2;
    let byline = words <= 10 && (lower.starts_with("by ") || lower.starts_with("written by "));
    let has_time = lower.contains(" am") || lower.contains(" pm") || lower.contains(":");
    let datelike = words <= 14 && digits > 0 && (months > 0 || (has_time && digits >= 3));
    let is_url = lower.contains("http")
        || lower.contains("www.")
        || lower.contains('@')
        || lower.contains(".com");

    raw[0] = 1.0;
    raw[1] = (1.0 + wf).ln();
    raw[2] = (words <= 3) as u8 as f32;
    raw[3] = (4..=8).contains(&words) as u8 as f32;
    raw[4] = (9..=20).contains(&words) as u8 as f32;
    raw[5] = (words > 20) as u8 as f32;
    raw[6] = stop_density;
    raw[7] = if words >= 5 { stop_density } else { 0.0 };
    raw[8] = ends_sentence as u8 as f32;
    raw[9] = (last == ':') as u8 as f32;
    raw[10] = last.is_alphanumeric() as u8 as f32;
    raw[11] = first.is_lowercase() as u8 as f32;
    raw[12] = if words > 0 {
        capitalised as f32 / wf
    } else {
        0.0
    };
    raw[13] = digits as f32 / chars as f32;
    raw[14] = (separators > 0) as u8 as f32;
    raw[15] = (letters >= 3 && uppers == letters) as u8 as f32;
    raw[16] = hit.is_some_and(|h| h.kind == Match::Exact) as u8 as f32;
    raw[17] = hit.is_some_and(|h| h.kind == Match::Prefix) as u8 as f32;
    raw[18] = hit.is_some_and(|h| h.kind == Match::Contains) as u8 as f32;
    raw[19] = (lower.contains('©')
        || lower.contains("copyright")
        || lower.contains("all rights reserved")) as u8 as f32;
    raw[20] = is_url as u8 as f32;
    // 21: repeated, 22..=28: position and context, filled in later.
    raw[29] = byline as u8 as f32;
    raw[30] = datelike as u8 as f32;
    raw[31] = (quotes > 0) as u8 as f32;
    raw[32] = if words > 0 {
        (commas as f32 / wf).min(1.0)
    } else {
        0.0
    };
    // 33, 34: neighbours' prose, 35: own prose, 36: window length, 37: first line.
    raw[35] = prose as u8 as f32;
    raw[38] = (first == '(' && last == ')') as u8 as f32;
    raw[39] = matches!(first, '•' | '-' | '*' | '·' | '–' | '—' | '>') as u8 as f32;
    LineFacts {
        range,
        words,
        lexicon: hit,
        prose,
        ends_sentence,
        byline,
        datelike,
        repeated: false,
        raw,
    }
}

fn add_position_features(facts: &mut [LineFacts]) {
    let n = facts.len();
    if n == 0 {
        return;
    }
    // Prefix sums of prose lines and of log word counts, for windows in O(1).
    let mut prose_sum = vec![0usize; n + 1];
    let mut len_sum = vec![0f32; n + 1];
    for i in 0..n {
        prose_sum[i + 1] = prose_sum[i] + facts[i].prose as usize;
        len_sum[i + 1] = len_sum[i] + facts[i].raw[1];
    }
    let total = prose_sum[n];
    let window = |i: usize, k: usize| -> f32 {
        let lo = i.saturating_sub(k);
        let hi = (i + k + 1).min(n);
        // The line itself is not its own context.
        let own = facts[i].prose as usize;
        let cnt = hi - lo - 1;
        if cnt == 0 {
            0.0
        } else {
            (prose_sum[hi] - prose_sum[lo] - own) as f32 / cnt as f32
        }
    };
    let mut ctx = Vec::with_capacity(n);
    for i in 0..n {
        let before = prose_sum[i];
        let after = total - prose_sum[i + 1];
        let lo = i.saturating_sub(2);
        let hi = (i + 3).min(n);
        ctx.push([
            facts[i].repeated as u8 as f32,
            i as f32 / n as f32,
            window(i, 3),
            window(i, 10),
            (before == 0) as u8 as f32,
            (after == 0) as u8 as f32,
            (1.0 + before as f32).ln(),
            (1.0 + after as f32).ln(),
            (i > 0 && facts[i - 1].prose) as u8 as f32,
            (i + 1 < n && facts[i + 1].prose) as u8 as f32,
            (len_sum[hi] - len_sum[lo]) / (hi - lo) as f32,
            (i == 0) as u8 as f32,
        ]);
    }
    for (f, c) in facts.iter_mut().zip(ctx) {
        f.raw[21..=28].copy_from_slice(&c[..8]);
        f.raw[33] = c[8];
        f.raw[34] = c[9];
        f.raw[36] = c[10];
        f.raw[37] = c[11];
    }
}

impl LineFacts {
    /// The features of the first model.
    pub fn features(&self) -> &[f32; N_LINE] {
        &self.raw
    }
}

/// The features of the second model: the first model's view of the line and of its
/// neighbours (`p` holds the first model's probabilities, one per line).
pub fn context_features(p: &[f32]) -> Vec<[f32; N_CONTEXT]> {
    let n = p.len();
    let at = |i: isize| -> f32 {
        if i < 0 || i as usize >= n {
            0.0
        } else {
            p[i as usize]
        }
    };
    let mut sum = vec![0f32; n + 1];
    for i in 0..n {
        sum[i + 1] = sum[i] + p[i];
    }
    let mean = |lo: usize, hi: usize| -> f32 {
        if hi > lo {
            (sum[hi] - sum[lo]) / (hi - lo) as f32
        } else {
            0.0
        }
    };
    // Highest probability seen so far from each side: article text is one block, so a
    // line with confident text on both sides is inside it.
    let mut max_before = vec![0f32; n];
    let mut max_after = vec![0f32; n];
    let mut m = 0f32;
    for i in 0..n {
        max_before[i] = m;
        m = m.max(p[i]);
    }
    m = 0.0;
    for i in (0..n).rev() {
        max_after[i] = m;
        m = m.max(p[i]);
    }
    (0..n)
        .map(|i| {
            let ii = i as isize;
            let logit = (p[i].clamp(1e-4, 1.0 - 1e-4) / (1.0 - p[i].clamp(1e-4, 1.0 - 1e-4))).ln();
            [
                1.0,
                logit,
                at(ii - 2),
                at(ii - 1),
                at(ii + 1),
                at(ii + 2),
                mean(i.saturating_sub(5), i),
                mean(i + 1, (i + 6).min(n)),
                max_before[i],
                max_after[i],
                max_before[i].min(max_after[i]),
                mean(0, n),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lines_are_trimmed_and_blank_ones_skipped() {
        let t = "  Menu \n\nThe minister said so.\n";
        let lines = split_lines(t);
        assert_eq!(lines.len(), 2);
        assert_eq!(&t[lines[0].clone()], "Menu");
        assert_eq!(&t[lines[1].clone()], "The minister said so.");
    }

    #[test]
    fn prose_and_furniture_differ() {
        let t = "Share\nThe minister said on Tuesday that the plan would go ahead as it was.\nBy Jane Doe\nNovember 18, 2019 11:03 PM";
        let f = line_facts(t, &split_lines(t));
        assert!(f[0].lexicon.is_some() && !f[0].prose);
        assert!(f[1].prose && f[1].lexicon.is_none());
        assert!(f[2].byline);
        assert!(f[3].datelike);
    }
}
