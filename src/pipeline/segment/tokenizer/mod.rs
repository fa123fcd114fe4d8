//! Tokens for news text.
//!
//! News has conventions a whitespace split gets wrong: abbreviations and initials keep
//! their periods (`Mr.`, `U.S.`, `J.R.R.`), possessives split off (`Iran` `'s`, as
//! CoNLL tokenizes), hyphenated compounds stay whole (`hand-in-hand`, `U.S.-led`),
//! numbers keep their separators (`3,000`, `6.5`, `11:03`), URLs and e-mail addresses
//! are one token, and every quotation-mark style is a token of its own so that the quote
//! stage can pair them. Apostrophes inside words (`don't`, `O'Neill`) and before decades
//! (`'90s`) are not quotation marks.
//!
//! The scan is a single forward pass over the text with bounded look-ahead, so it is
//! linear in the input whatever the input is.
//!
//! The scanner is split by job: `chars` (character classes), `words` (words,
//! initialisms, abbreviations, clitics, e-mail addresses), `numbers`, and `web` (URLs
//! and bare domain names); this file holds the scan loop and the choice between them.

mod chars;
mod numbers;
mod web;
mod words;

use crate::pipeline::document::{Span, Token, TokenKind};
pub use chars::is_quote_char;
use chars::{is_apostrophe, is_dash, is_hyphen, is_word_char};

/// Splits `text` into tokens, appending to `out`.
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    let mut s = Scanner { text, pos: 0 };
    while let Some(c) = s.peek() {
        if c.is_whitespace() {
            s.pos += c.len_utf8();
            continue;
        }
        let start = s.pos;
        let kind = s.token(c);
        debug_assert!(s.pos > start);
        out.push(Token {
            span: Span::new(start, s.pos),
            kind,
        });
    }
}

struct Scanner<'t> {
    text: &'t str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|r| r.chars().next())
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    /// Consumes one token starting with `c` and says what it is.
    fn token(&mut self, c: char) -> TokenKind {
        if let Some(kind) = self.url() {
            return kind;
        }
        if is_apostrophe(c) {
            if let Some(kind) = self.apostrophe_word() {
                return kind;
            }
        }
        if is_quote_char(c) {
            self.bump();
            return TokenKind::Quote;
        }
        if c.is_ascii_digit() {
            return self.number();
        }
        // +0.435, +44: a signed number (CoNLL keeps the plus; a minus is a dash there).
        if c == '+'
            && self
                .peek_at(self.pos + 1)
                .is_some_and(|d| d.is_ascii_digit())
            && !self.text[..self.pos].ends_with(char::is_alphanumeric)
        {
            self.bump();
            return self.number();
        }
        // .596, .45-caliber: a decimal without its leading zero (batting averages).
        if c == '.'
            && self
                .peek_at(self.pos + 1)
                .is_some_and(|d| d.is_ascii_digit())
            && !self.text[..self.pos].ends_with(|p: char| p.is_alphanumeric() || p == '.')
        {
            self.bump();
            return self.number();
        }
        if is_word_char(c) {
            return self.word();
        }
        if is_dash(c) {
            while self.peek().is_some_and(is_dash) {
                self.bump();
            }
            return TokenKind::Dash;
        }
        if is_hyphen(c) {
            // A hyphen that is not inside a word: a dash ("--", " - ") or a sign.
            while self.peek().is_some_and(is_hyphen) {
                self.bump();
            }
            return TokenKind::Dash;
        }
        if c == '.' || c == '…' {
            while self.peek().is_some_and(|c| c == '.' || c == '…') {
                self.bump();
            }
            return TokenKind::Punct;
        }
        if c == '!' || c == '?' {
            while self.peek().is_some_and(|c| c == '!' || c == '?') {
                self.bump();
            }
            return TokenKind::Punct;
        }
        self.bump();
        if matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '¿' | '¡'
        ) {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        }
    }

    fn eat_word_chars(&mut self) {
        while self.peek().is_some_and(is_word_char) {
            self.bump();
        }
    }
}

#[cfg(test)]
mod tests;
