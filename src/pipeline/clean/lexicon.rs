//! Newsroom boilerplate: phrases that mark a line as page furniture, by kind.
//!
//! The classifier learns how much to trust each kind of hit; the kind also names the
//! [`RemovalReason`] of a removed line. Short lines are compared whole ("Share",
//! "Advertisement", "167 comments"); longer ones by prefix ("Follow us on …", "Read
//! more: …") or by a phrase anywhere in a short line ("all rights reserved", "(Image:
//! Getty)"). The phrases are data (`resources/clean/lexicon.tsv`, whose header says how
//! each kind matches). Only lines of at most [`MAX_LEXICON_BYTES`] bytes are looked up,
//! which keeps the cost of a long paragraph at zero.
//!
//! One lookup is one hash probe for the whole line and one pass of an Aho-Corasick
//! automaton over every prefix and phrase at once, so the cost of a line does not grow
//! with the size of the lexicon.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use crate::pipeline::document::RemovalReason;

/// Lines longer than this are never boilerplate by lexicon (they are prose or a menu
/// flattened into one line, which the other features catch).
pub const MAX_LEXICON_BYTES: usize = 200;

const LEXICON_TSV: &str = include_str!("../../../resources/clean/lexicon.tsv");

/// Social networks: a line that starts with "follow" and names one of them is a social
/// prompt ("Follow Newsbeat on Instagram"), never article text.
const SOCIAL_NETWORKS: &[&str] = &[
    "instagram",
    "twitter",
    "facebook",
    "youtube",
    "tiktok",
    "linkedin",
    "snapchat",
    "pinterest",
    "threads",
    "bluesky",
    "telegram",
    "whatsapp",
];

/// How a line matched the lexicon; the strongest match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub kind: Match,
    pub reason: RemovalReason,
    /// Removed whatever the classifier says (whole-line matches and the strong kinds).
    pub strong: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Contains,
    Prefix,
    Exact,
}

/// The kinds of phrase of the data file, in the order a line's matches are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    StrongPrefix,
    StrongContains,
    Prefix,
    Contains,
}

impl Kind {
    fn hit(self, reason: RemovalReason) -> Hit {
        let (kind, strong) = match self {
            Kind::StrongPrefix => (Match::Prefix, true),
            Kind::StrongContains => (Match::Contains, true),
            Kind::Prefix => (Match::Prefix, false),
            Kind::Contains => (Match::Contains, false),
        };
        Hit {
            kind,
            reason,
            strong,
        }
    }

    fn at_start_only(self) -> bool {
        matches!(self, Kind::StrongPrefix | Kind::Prefix)
    }
}

/// The parsed data file.
struct Lexicon {
    /// Whole lines (digit runs as `#`) and their reason.
    exact: FxHashMap<&'static str, RemovalReason>,
    /// Every prefix and phrase, matched in one pass; `phrases[i]` is pattern `i`.
    automaton: AhoCorasick,
    phrases: Vec<(Kind, RemovalReason)>,
}

/// A line of the data file that does not parse (the tests catch it before a release).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("resources/clean/lexicon.tsv line {line}: {problem}")]
pub struct LexiconError {
    line: usize,
    problem: String,
}

impl Lexicon {
    fn parse(tsv: &'static str) -> Result<Self, LexiconError> {
        let mut exact = FxHashMap::default();
        let mut patterns = Vec::new();
        let mut phrases = Vec::new();
        for (i, l) in tsv.lines().enumerate() {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let fail = |problem: String| LexiconError {
                line: i + 1,
                problem,
            };
            let mut f = l.split('\t');
            let (Some(kind), Some(reason), Some(phrase), None) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                return Err(fail(
                    "expected KIND, REASON and PHRASE, tab-separated".into(),
                ));
            };
            let reason: RemovalReason =
                serde_json::from_value(serde_json::Value::String(reason.to_string()))
                    .map_err(|_| fail(format!("unknown reason {reason:?}")))?;
            if phrase.is_empty() || phrase != phrase.to_lowercase() {
                return Err(fail(format!("the phrase {phrase:?} is not in lower case")));
            }
            let kind = match kind {
                "exact" => {
                    if exact.insert(phrase, reason).is_some() {
                        return Err(fail(format!("{phrase:?} is listed twice")));
                    }
                    continue;
                }
                "strong-prefix" => Kind::StrongPrefix,
                "strong-contains" => Kind::StrongContains,
                "prefix" => Kind::Prefix,
                "contains" => Kind::Contains,
                other => return Err(fail(format!("unknown kind {other:?}"))),
            };
            patterns.push(phrase);
            phrases.push((kind, reason));
        }
        let automaton = AhoCorasick::new(&patterns).map_err(|e| LexiconError {
            line: 0,
            problem: e.to_string(),
        })?;
        Ok(Lexicon {
            exact,
            automaton,
            phrases,
        })
    }

    fn lookup(&self, lower: &str) -> Option<Hit> {
        let core = lower.trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | ':' | '»' | '›' | '>' | '|')
        });
        let exact = if core.bytes().any(|b| b.is_ascii_digit()) {
            self.exact.get(hash_digits(core).as_str())
        } else {
            self.exact.get(core)
        };
        if let Some(&reason) = exact {
            return Some(Hit {
                kind: Match::Exact,
                reason,
                strong: true,
            });
        }
        // The best match: the strongest kind, then the phrase listed first.
        let mut best: Option<(Kind, usize)> = None;
        for m in self.automaton.find_overlapping_iter(lower) {
            let i = m.pattern().as_usize();
            let kind = self.phrases[i].0;
            if kind.at_start_only() && m.start() != 0 {
                continue;
            }
            if best.is_none_or(|b| (kind, i) < b) {
                best = Some((kind, i));
            }
        }
        let social =
            lower.starts_with("follow ") && SOCIAL_NETWORKS.iter().any(|n| lower.contains(n));
        if social && best.is_none_or(|(k, _)| k > Kind::StrongPrefix) {
            return Some(Kind::StrongPrefix.hit(RemovalReason::Share));
        }
        best.map(|(kind, i)| kind.hit(self.phrases[i].1))
    }
}

/// `s` with every run of ASCII digits written as one `#`.
fn hash_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_digits = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    Lexicon::parse(LEXICON_TSV)
        .unwrap_or_else(|e| panic!("embedded lexicon: {e} (the lexicon tests catch this)"))
});

/// Looks `line` up in the lexicon. `lower` is the line in lower case.
pub fn lookup(lower: &str) -> Option<Hit> {
    if lower.len() > MAX_LEXICON_BYTES {
        return None;
    }
    LEXICON.lookup(lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RemovalReason::*;

    #[test]
    fn the_data_file_parses() {
        let l = Lexicon::parse(LEXICON_TSV).unwrap();
        assert!(l.exact.len() > 50 && l.phrases.len() > 50);
        assert!(Lexicon::parse("exact\tnowhere\tmenu\n").is_err());
        assert!(Lexicon::parse("exact\tnavigation\tMenu\n").is_err());
        assert!(Lexicon::parse("exact\tnavigation\tmenu\nexact\tshare\tmenu\n").is_err());
    }

    #[test]
    fn kinds_of_match() {
        assert_eq!(lookup("skip to content").unwrap().kind, Match::Exact);
        assert_eq!(lookup("share:").unwrap().reason, Share);
        assert_eq!(
            lookup("follow venturebeat on twitter").unwrap().kind,
            Match::Prefix
        );
        let c = lookup("comment count on this article reflects comments made on breitbart.com")
            .unwrap();
        assert_eq!(c.reason, Comments);
        assert_eq!(
            lookup("2019 the times. all rights reserved").unwrap().kind,
            Match::Contains
        );
        assert!(lookup("the senator said she would share the report").is_none());
    }

    #[test]
    fn counts_are_matched_whole_and_social_prompts_are_strong() {
        let c = lookup("[ 167 comments ]").unwrap();
        assert_eq!((c.kind, c.reason, c.strong), (Match::Exact, Comments, true));
        let f = lookup("follow newsbeat on instagram").unwrap();
        assert_eq!((f.reason, f.strong), (Share, true));
        assert!(!lookup("follow the money").is_some_and(|h| h.strong));
        let credit = lookup("china has warned they will cease control (image: getty )").unwrap();
        assert_eq!((credit.reason, credit.strong), (Caption, true));
    }

    #[test]
    fn long_lines_are_not_looked_up() {
        let long = "share ".repeat(100);
        assert!(lookup(&long).is_none());
    }
}
