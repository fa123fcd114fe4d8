//! Words: initialisms and abbreviations with their period, inner hyphens and
//! apostrophes, possessives and clitics split off as CoNLL does, currencies (`US$`),
//! `S&P`, and e-mail addresses.

use super::chars::{is_apostrophe, is_hyphen, is_word_char};
use super::Scanner;
use crate::pipeline::document::TokenKind;
use crate::pipeline::segment::abbreviations::{is_abbreviation, is_initialism};

impl Scanner<'_> {
    /// `'s` (possessive, as CoNLL splits it) and `'90s`.
    pub(super) fn apostrophe_word(&mut self) -> Option<TokenKind> {
        let at = self.pos + self.peek()?.len_utf8();
        let next = self.peek_at(at)?;
        if (next == 's' || next == 'S') && !self.peek_at(at + 1).is_some_and(is_word_char) {
            self.pos = at + 1;
            return Some(TokenKind::Word);
        }
        // 'm 're 've 'll 'd standing alone (text tokenized the PTB/CoNLL way: "I 'm").
        let rest = &self.text[at..];
        let clitic = ["m", "re", "ve", "ll", "d"]
            .iter()
            .find(|c| {
                rest.get(..c.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(c))
            })
            .map(|c| c.len());
        let after_space = self.text[..self.pos].ends_with(char::is_whitespace) || self.pos == 0;
        if let Some(len) = clitic {
            if after_space && !self.peek_at(at + len).is_some_and(is_word_char) {
                self.pos = at + len;
                return Some(TokenKind::Word);
            }
        }
        if next.is_ascii_digit() {
            let digits = self.text[at..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(self.text.len() - at);
            let end = at + digits;
            if digits == 2
                && self.peek_at(end) == Some('s')
                && !self.peek_at(end + 1).is_some_and(is_word_char)
            {
                self.pos = end + 1;
                return Some(TokenKind::Word);
            }
        }
        None
    }

    pub(super) fn word(&mut self) -> TokenKind {
        let start = self.pos;
        self.eat_word_chars();
        // Initialisms: U.S.  J.R.R.  e.g.  (one letter, a period, a letter, ...)
        if self.pos - start <= 4 && self.text[start..self.pos].chars().count() == 1 {
            let mut end = self.pos;
            let mut letters = 1;
            while self.peek_at(end) == Some('.') {
                match self.peek_at(end + 1) {
                    Some(c)
                        if c.is_alphabetic()
                            && !self
                                .peek_at(end + 1 + c.len_utf8())
                                .is_some_and(is_word_char) =>
                    {
                        end += 1 + c.len_utf8();
                        letters += 1;
                    }
                    _ => break,
                }
            }
            if letters >= 2 && self.peek_at(end) == Some('.') {
                self.pos = end + 1;
            } else if letters >= 2 {
                self.pos = end;
            }
            if letters >= 2 {
                self.word_tail();
                return TokenKind::Word;
            }
        }
        self.word_tail();
        let word = &self.text[start..self.pos];
        let short_caps = word.len() <= 4 && word.bytes().all(|b| b.is_ascii_uppercase());
        if short_caps && self.peek() == Some('$') {
            // C$, US$, HK$: a currency.
            self.bump();
            return TokenKind::Symbol;
        }
        if short_caps
            && self.peek() == Some('&')
            && self
                .peek_at(self.pos + 1)
                .is_some_and(|c| c.is_ascii_uppercase())
        {
            // S&P, AT&T.
            self.bump();
            self.eat_word_chars();
            return TokenKind::Word;
        }
        if self.peek() == Some('.') {
            let after = self.pos + 1;
            if let Some(end) = self.domain_end(after) {
                self.pos = end;
                return TokenKind::Url;
            }
            // Abbreviations and initials keep their period: Mr.  Sept.  John F. Kennedy
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if !is_initialism(word) && (initial || is_abbreviation(word)) {
                self.pos = after;
            }
        } else if self.peek() == Some('@') {
            let after = self.pos + 1;
            if self.peek_at(after).is_some_and(is_word_char) {
                let rest = &self.text[after..];
                let len = rest
                    .find(|c: char| !(is_word_char(c) || matches!(c, '.' | '-' | '_')))
                    .unwrap_or(rest.len());
                let domain = rest[..len].trim_end_matches('.');
                if domain.contains('.') {
                    self.pos = after + domain.len();
                    return TokenKind::Email;
                }
            }
        }
        TokenKind::Word
    }

    /// After the first run of a word: hyphenated parts, inner apostrophes and
    /// the dotted parts of an e-mail's local part are all one word.
    pub(super) fn word_tail(&mut self) {
        loop {
            let Some(c) = self.peek() else { return };
            let after = self.pos + c.len_utf8();
            let next = self.peek_at(after);
            if is_hyphen(c) && next.is_some_and(is_word_char) {
                self.pos = after;
                self.eat_word_chars();
            } else if is_apostrophe(c) && next.is_some_and(is_word_char) {
                // Possessive 's splits off; don't, O'Neill, rock'n stay whole.
                let s_end = after + 1;
                if matches!(next, Some('s') | Some('S'))
                    && !self.peek_at(s_end).is_some_and(is_word_char)
                {
                    return;
                }
                self.pos = after;
                self.eat_word_chars();
            } else if (c == '_' || c == '.' || c == '+')
                && next.is_some_and(is_word_char)
                && self.local_part_of_email(after)
            {
                self.pos = after;
                self.eat_word_chars();
            } else {
                return;
            }
        }
    }

    /// Does an '@' follow before the next white space? (jane.doe@example.com)
    pub(super) fn local_part_of_email(&self, from: usize) -> bool {
        self.text[from..]
            .chars()
            .take(64)
            .take_while(|c| !c.is_whitespace())
            .any(|c| c == '@')
    }
}
