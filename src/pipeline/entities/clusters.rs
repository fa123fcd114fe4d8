//! Brown word clusters: each known word's bit-string path in a binary merge tree learnt
//! from unlabelled news text (`src/bin/brown-clusters.rs`; inputs and command in
//! `resources/PROVENANCE.md`).
//!
//! Words with similar neighbours share long path prefixes, so prefixes of 4, 6, 10 and 20
//! bits are useful tagger features: a name never seen in the labelled data still gets the
//! prefixes of the names it resembles.
//!
//! The file `resources/clusters/brown.txt` (`word<TAB>path<TAB>count` lines) is embedded
//! with `include_str!` and parsed once, on first use. Paths are interned: there are only
//! as many distinct paths as clusters.
//!
//! ```
//! use news_annotator::pipeline::entities::clusters::BrownClusters;
//! let c = BrownClusters::embedded();
//! let monday = c.path("Monday").unwrap();
//! assert_eq!(c.path("MONDAY"), Some(monday)); // case fallback
//! assert!(c.prefix("Monday", 4).unwrap().len() <= 4);
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fasthash::FxBuild;

const EMBEDDED: &str = include_str!("../../../resources/clusters/brown.txt");

/// Word → cluster path.
#[derive(Debug, Default)]
pub struct BrownClusters {
    words: HashMap<Box<str>, u32, FxBuild>,
    paths: Vec<Box<str>>,
}

static EMBEDDED_CLUSTERS: OnceLock<BrownClusters> = OnceLock::new();

impl BrownClusters {
    /// The shipped clusters, parsed on first call and shared afterwards.
    pub fn embedded() -> &'static BrownClusters {
        EMBEDDED_CLUSTERS.get_or_init(|| {
            BrownClusters::parse(EMBEDDED).expect("the embedded cluster file is well-formed")
        })
    }

    /// Parses `word<TAB>path[<TAB>count]` lines; a malformed line is an error naming it.
    pub fn parse(text: &str) -> Result<BrownClusters, String> {
        let mut c = BrownClusters::default();
        let mut path_ids: HashMap<&str, u32> = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(word), Some(path)) = (fields.next(), fields.next()) else {
                return Err(format!("line {}: expected word<TAB>path", n + 1));
            };
            if word.is_empty() || path.is_empty() || !path.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(format!("line {}: bad word or path {line:?}", n + 1));
            }
            let next = c.paths.len() as u32;
            let id = *path_ids.entry(path).or_insert(next);
            if id == next {
                c.paths.push(path.into());
            }
            c.words.insert(word.into(), id);
        }
        Ok(c)
    }

    /// The word's path: the word as written, else lower case ("The" → "the"), else with
    /// only its first letter capital ("IRAN" → "Iran", for all-caps headlines).
    pub fn path(&self, word: &str) -> Option<&str> {
        let id = self.words.get(word).copied().or_else(|| {
            if !word.chars().any(char::is_uppercase) {
                return None;
            }
            let lower = word.to_lowercase();
            self.words.get(lower.as_str()).copied().or_else(|| {
                let mut chars = lower.chars();
                let first = chars.next()?;
                let title: String = first.to_uppercase().chain(chars).collect();
                self.words.get(title.as_str()).copied()
            })
        })?;
        Some(&self.paths[id as usize])
    }

    /// The first `bits` bits of the word's path (the whole path when it is shorter).
    pub fn prefix(&self, word: &str, bits: usize) -> Option<&str> {
        self.path(word).map(|p| &p[..bits.min(p.len())])
    }

    /// Number of words with a path.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Number of distinct paths (clusters).
    pub fn clusters(&self) -> usize {
        self.paths.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_falls_back_on_case() {
        let c = BrownClusters::parse("the\t0010\t90\nIran\t1101\t5\nsaid\t0111\t40\n").unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c.clusters(), 3);
        assert_eq!(c.path("the"), Some("0010"));
        assert_eq!(c.path("The"), Some("0010"));
        assert_eq!(c.path("IRAN"), Some("1101"));
        assert_eq!(c.path("iran"), None, "no upper-casing fallback");
        assert_eq!(c.prefix("said", 2), Some("01"));
        assert_eq!(c.prefix("said", 10), Some("0111"));
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(BrownClusters::parse("word\n").is_err());
        assert!(BrownClusters::parse("word\t01x\t3\n").is_err());
    }

    #[test]
    fn embedded_clusters_group_like_words() {
        let c = BrownClusters::embedded();
        assert!(c.len() > 10_000, "{} words", c.len());
        // Weekdays share a long prefix; a weekday and a preposition do not.
        let common = |a: &str, b: &str| {
            let (a, b) = (c.path(a).unwrap(), c.path(b).unwrap());
            a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
        };
        assert!(common("Monday", "Tuesday") > common("Monday", "of"));
    }
}
