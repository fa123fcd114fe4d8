//! URLs (`https://…`, `www.…`) and bare domain names (`example.com`).

use std::sync::LazyLock;

use super::chars::is_word_char;
use super::Scanner;
use crate::pipeline::document::TokenKind;
use crate::text::words::{WordSet, DOMAINS};

/// Top-level domains (`resources/words/domains.txt`), parsed on first use.
static TOP_LEVEL_DOMAINS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(DOMAINS.load().kind("")));

impl Scanner<'_> {
    /// `http://…`, `https://…`, `www.…`: up to white space, without trailing punctuation.
    pub(super) fn url(&mut self) -> Option<TokenKind> {
        let rest = self.rest();
        // Compare bytes: slicing the first 8 bytes as a str fails when they end inside a
        // character, and lower-casing the whole rest instead made this quadratic.
        let has_prefix = |p: &str| {
            rest.as_bytes()
                .get(..p.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
        };
        if !(has_prefix("http://") || has_prefix("https://") || has_prefix("www.")) {
            return None;
        }
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '<' | '>'))
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(|c: char| {
            matches!(
                c,
                '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '\'' | '’'
            )
        });
        if url.len() <= 8 {
            return None;
        }
        self.pos += url.len();
        Some(TokenKind::Url)
    }

    /// `example.com`, `news.bbc.co.uk`: a word followed by dotted parts ending in a
    /// known top-level domain. Returns the end of the domain.
    pub(super) fn domain_end(&self, mut at: usize) -> Option<usize> {
        let mut end = None;
        for _ in 0..4 {
            let rest = &self.text[at..];
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            if len == 0 {
                break;
            }
            let part = &rest[..len];
            at += len;
            if TOP_LEVEL_DOMAINS.contains(part) {
                end = Some(at);
            }
            if self.peek_at(at) == Some('.')
                && self
                    .peek_at(at + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                at += 1;
            } else {
                break;
            }
        }
        // "said.The" is a missing space, not a domain: require a lower-case TLD.
        end.filter(|&e| self.text[..e].ends_with(|c: char| c.is_ascii_lowercase()))
            .filter(|&e| !self.peek_at(e).is_some_and(is_word_char))
    }
}
