//! Numbers: separators between digits, signs, ordinals and compounds, list numbers.

use super::chars::is_hyphen;
use super::Scanner;
use crate::pipeline::document::TokenKind;

impl Scanner<'_> {
    /// Is `at` the first non-blank position of its line?
    pub(super) fn at_line_start(&self, at: usize) -> bool {
        self.text[..at]
            .chars()
            .rev()
            .find(|c| !matches!(c, ' ' | '\t'))
            .is_none_or(|c| c == '\n' || c == '\r')
    }

    pub(super) fn number(&mut self) -> TokenKind {
        let start = self.pos;
        self.eat_word_chars();
        // 3,000  6.5  11:03  1/2  2019-11-18: separators between digits.
        while let Some(sep) = self.peek() {
            if !matches!(sep, ',' | '.' | ':' | '/') && !is_hyphen(sep) {
                break;
            }
            let after = self.pos + sep.len_utf8();
            if self.peek_at(after).is_some_and(|c| c.is_ascii_digit()) {
                self.pos = after;
                self.eat_word_chars();
            } else {
                break;
            }
        }
        if self.text[..self.pos].ends_with(|c: char| c.is_alphabetic()) {
            // 1990s, 3rd, 5G: a word that starts with a digit.
            self.word_tail();
            return TokenKind::Word;
        }
        let next = self.peek();
        let after = self.peek_at(self.pos + 1);
        if next.is_some_and(is_hyphen) && after.is_some_and(char::is_alphabetic) {
            // 26-year-old, 37-run, 6,739-yard: one compound word, as CoNLL has it.
            self.word_tail();
            return TokenKind::Word;
        }
        if next.is_some_and(is_hyphen) && after.is_none_or(char::is_whitespace) {
            // "6- 4" in score lines: the hyphen stays with its number.
            self.bump();
        } else if next == Some('.')
            && after.is_none_or(char::is_whitespace)
            && self.at_line_start(start)
            && self.pos - start <= 3
            && self.text[start..self.pos]
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            // "1. Michael Schumacher": a list number at the start of a line.
            self.bump();
        }
        TokenKind::Number
    }
}
