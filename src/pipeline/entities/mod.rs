//! The entity stage: finds names (mentions) and groups them into entities.
//!
//! First version: capitalised token runs typed by cue words and small lexicons, then
//! clustered by name. Issue #4 replaces the mention finder with a trained tagger.

mod cluster;
mod fasthash;
pub mod gazetteer;

use super::document::{Document, EntityType, Mention, Region, Span, TokenKind};
use super::{ModelError, Stage};

pub use cluster::{cluster, resolve_role};

#[derive(Debug, Default)]
pub struct EntityStage {}

impl EntityStage {
    pub fn new() -> Result<Self, ModelError> {
        Ok(EntityStage {})
    }

    pub fn model_version(&self) -> String {
        "rules-0.1".to_string()
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn run(&self, doc: &mut Document) {
        doc.mentions = find_mentions(doc);
        cluster(doc);
    }
}

/// Words that are capitalised only because they open a sentence, or are not names.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "But",
    "And",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "As",
    "After",
    "Before",
    "What",
    "Why",
    "How",
    "Who",
    "Nothing",
    "No",
    "Yes",
    "Let",
    "Can",
    "Comment",
    "Visit",
    "Secretary",
    "President",
    "Prime",
    "Minister",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Sen.",
    "Gov.",
    "Rep.",
    "Thursday",
    "Wednesday",
    "Monday",
    "Tuesday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Sen.",
    "Gov.",
    "Rep.",
    "Secretary",
    "President",
    "Minister",
    "Senator",
];
const ORG_ENDS: &[&str] = &[
    "Inc.",
    "Corp.",
    "News",
    "Journal",
    "Times",
    "Post",
    "Party",
    "Congress",
    "Council",
    "Bank",
    "Company",
    "Association",
    "University",
    "Agency",
];
const PLACES: &[&str] = &[
    "US",
    "U.S.",
    "United States",
    "Iran",
    "Iraq",
    "Tehran",
    "China",
    "Russia",
    "Washington",
    "London",
    "Syria",
    "Israel",
    "Europe",
    "America",
    "Britain",
    "France",
    "Germany",
    "Japan",
];

fn capitalised(w: &str) -> bool {
    w.starts_with(|c: char| c.is_uppercase())
}

fn find_mentions(doc: &Document) -> Vec<Mention> {
    let mut out = Vec::new();
    for sent in &doc.sentences {
        let toks = &doc.tokens[sent.tokens.clone()];
        let mut i = 0;
        while i < toks.len() {
            let w = &doc.text[toks[i].span.range()];
            if toks[i].kind != TokenKind::Word || !capitalised(w) || NOT_NAMES.contains(&w) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < toks.len()
                && toks[j].kind == TokenKind::Word
                && capitalised(&doc.text[toks[j].span.range()])
                && !NOT_NAMES.contains(&&doc.text[toks[j].span.range()])
                && toks[j].span.start == toks[j - 1].span.end + 1
            {
                j += 1;
            }
            let span = Span::new(toks[i].span.start, toks[j - 1].span.end);
            let name = &doc.text[span.range()];
            let prev = (i > 0).then(|| &doc.text[toks[i - 1].span.range()]);
            let last = &doc.text[toks[j - 1].span.range()];
            let label = if prev.is_some_and(|p| TITLES.contains(&p)) {
                EntityType::Person
            } else if PLACES.contains(&name) {
                EntityType::Loc
            } else if ORG_ENDS.contains(&last) {
                EntityType::Org
            } else if last.ends_with("ian")
                || last.ends_with("ians")
                || last.ends_with("ese")
                || last.ends_with("ic")
            {
                EntityType::Misc
            } else if j - i >= 2 {
                EntityType::Person
            } else {
                EntityType::Org
            };
            out.push(Mention {
                span,
                region: Region::Body,
                label,
                entity: 0,
            });
            i = j;
        }
    }
    out
}
