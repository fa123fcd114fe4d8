//! Newsroom boilerplate: phrases that mark a line as page furniture, by kind.
//!
//! The classifier learns how much to trust each kind of hit; the kind also names the
//! [`RemovalReason`] of a removed line. Short lines are compared whole ("Share",
//! "Advertisement"); longer ones by prefix ("Follow us on …", "Read more: …") or by a
//! phrase anywhere in a short line ("all rights reserved", "reflects comments made").
//! Only lines of at most [`MAX_LEXICON_BYTES`] bytes are looked up, which keeps the cost
//! of a long paragraph at zero and the whole pass linear.

use crate::pipeline::document::RemovalReason;

/// Lines longer than this are never boilerplate by lexicon (they are prose or a menu
/// flattened into one line, which the other features catch).
pub const MAX_LEXICON_BYTES: usize = 200;

use RemovalReason::*;

/// Whole-line matches (lower case, trailing punctuation and spaces ignored).
const EXACT: &[(&str, RemovalReason)] = &[
    ("skip to content", Navigation),
    ("skip to main content", Navigation),
    ("skip to navigation", Navigation),
    ("menu", Navigation),
    ("main menu", Navigation),
    ("back to main menu", Navigation),
    ("close", Navigation),
    ("search", Navigation),
    ("home", Navigation),
    ("sections", Navigation),
    ("more", Navigation),
    ("sign in", Navigation),
    ("log in", Navigation),
    ("login", Navigation),
    ("register", Navigation),
    ("toggle navigation", Navigation),
    ("next", Navigation),
    ("previous", Navigation),
    ("back to top", Navigation),
    ("share", Share),
    ("share this", Share),
    ("share this article", Share),
    ("share this story", Share),
    ("share on facebook", Share),
    ("share on twitter", Share),
    ("tweet", Share),
    ("facebook", Share),
    ("twitter", Share),
    ("linkedin", Share),
    ("whatsapp", Share),
    ("pinterest", Share),
    ("reddit", Share),
    ("flipboard", Share),
    ("instagram", Share),
    ("youtube", Share),
    ("email", Share),
    ("e-mail", Share),
    ("print", Share),
    ("copy link", Share),
    ("link copied", Share),
    ("comment", Comments),
    ("comments", Comments),
    ("show comments", Comments),
    ("view comments", Comments),
    ("leave a comment", Comments),
    ("join the conversation", Comments),
    ("advertisement", Advertisement),
    ("advertisement:", Advertisement),
    ("ad", Advertisement),
    ("ads", Advertisement),
    ("sponsored", Advertisement),
    ("sponsored content", Advertisement),
    ("paid content", Advertisement),
    ("story continues below", Advertisement),
    ("story continues below advertisement", Advertisement),
    ("adchoices", Advertisement),
    ("read more", Related),
    ("related", Related),
    ("related articles", Related),
    ("related stories", Related),
    ("related content", Related),
    ("more stories", Related),
    ("most popular", Related),
    ("most read", Related),
    ("top stories", Related),
    ("trending", Related),
    ("recommended", Related),
    ("you may also like", Related),
    ("you might also like", Related),
    ("newsletter", Newsletter),
    ("newsletters", Newsletter),
    ("subscribe", Newsletter),
    ("sign up", Newsletter),
    ("privacy policy", Footer),
    ("privacy", Footer),
    ("terms of use", Footer),
    ("terms of service", Footer),
    ("terms & conditions", Footer),
    ("terms and conditions", Footer),
    ("contact us", Footer),
    ("contact", Footer),
    ("about us", Footer),
    ("careers", Footer),
    ("advertise", Footer),
    ("advertise with us", Footer),
    ("site map", Footer),
    ("sitemap", Footer),
    ("rss", Footer),
    ("faq", Footer),
    ("accept", Cookies),
    ("accept cookies", Cookies),
];

/// Line starts that are never article text, whatever the line's neighbours say.
const STRONG_PREFIX: &[(&str, RemovalReason)] = &[
    ("follow us", Share),
    ("comment count on this article", Comments),
    ("image credit", Caption),
    ("photo credit", Caption),
    ("copyright ©", Footer),
    ("©", Footer),
    ("we use cookies", Cookies),
    ("this site uses cookies", Cookies),
    ("this website uses cookies", Cookies),
    ("sign up for our", Newsletter),
    ("subscribe to our", Newsletter),
    ("click to share", Share),
    ("click to email", Share),
    ("share this article", Share),
    ("share this story", Share),
];

/// Line starts (lower case).
const PREFIX: &[(&str, RemovalReason)] = &[
    ("follow us", Share),
    ("follow ", Share),
    ("share this", Share),
    ("share on ", Share),
    ("click to share", Share),
    ("click to email", Share),
    ("read more", Related),
    ("read next", Related),
    ("read also", Related),
    ("also read", Related),
    ("see also", Related),
    ("more from ", Related),
    ("related:", Related),
    ("recommended:", Related),
    ("image credit", Caption),
    ("image:", Caption),
    ("photo:", Caption),
    ("(photo", Caption),
    ("photo credit", Caption),
    ("photograph:", Caption),
    ("credit:", Caption),
    ("above:", Caption),
    ("caption:", Caption),
    ("sign up for", Newsletter),
    ("sign up to", Newsletter),
    ("subscribe to", Newsletter),
    ("get our newsletter", Newsletter),
    ("copyright", Footer),
    ("©", Footer),
    ("(c) ", Footer),
    ("comment count on this article", Comments),
    ("we use cookies", Cookies),
    ("this site uses cookies", Cookies),
    ("this website uses cookies", Cookies),
];

/// Phrases anywhere in a short line (lower case).
const CONTAINS: &[(&str, RemovalReason)] = &[
    ("all rights reserved", Footer),
    ("©", Footer),
    ("reflects comments made", Comments),
    ("facebook page", Share),
    ("on twitter", Share),
    ("on facebook", Share),
    ("newsletter", Newsletter),
    ("delivered to your inbox", Newsletter),
    ("in your inbox", Newsletter),
    ("enter your email", Newsletter),
    ("cookie", Cookies),
    ("privacy policy", Footer),
    ("terms of use", Footer),
    ("getty images", Caption),
    ("ap photo", Caption),
    ("/reuters", Caption),
    ("/ reuters", Caption),
    ("file photo", Caption),
    ("(photo:", Caption),
    ("image credit", Caption),
    ("click here", Related),
    ("subscribe", Newsletter),
    ("advertisement", Advertisement),
];

/// How a line matched the lexicon; the strongest match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub kind: Match,
    pub reason: RemovalReason,
    /// Removed whatever the classifier says (whole-line matches and the strong prefixes).
    pub strong: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    Contains,
    Prefix,
    Exact,
}

/// Looks `line` up in the lexicon. `lower` is the line in lower case.
pub fn lookup(lower: &str) -> Option<Hit> {
    if lower.len() > MAX_LEXICON_BYTES {
        return None;
    }
    let core = lower.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ':' | '»' | '›' | '>' | '|')
    });
    if let Some(&(_, reason)) = EXACT.iter().find(|(p, _)| *p == core) {
        return Some(Hit {
            kind: Match::Exact,
            reason,
            strong: true,
        });
    }
    if let Some(&(_, reason)) = STRONG_PREFIX.iter().find(|(p, _)| lower.starts_with(p)) {
        return Some(Hit {
            kind: Match::Prefix,
            reason,
            strong: true,
        });
    }
    if let Some(&(_, reason)) = PREFIX.iter().find(|(p, _)| lower.starts_with(p)) {
        return Some(Hit {
            kind: Match::Prefix,
            reason,
            strong: false,
        });
    }
    CONTAINS
        .iter()
        .find(|(p, _)| lower.contains(p))
        .map(|&(_, reason)| Hit {
            kind: Match::Contains,
            reason,
            strong: false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn long_lines_are_not_looked_up() {
        let long = "share ".repeat(100);
        assert!(lookup(&long).is_none());
    }
}
