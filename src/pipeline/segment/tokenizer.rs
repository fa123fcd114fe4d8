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

use super::abbreviations::{is_abbreviation, is_initialism};
use crate::pipeline::document::{Span, Token, TokenKind};

/// Characters that are quotation marks (or may be: `'` and `’` are also apostrophes).
pub fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‘' | '’' | '‚' | '`'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

fn is_dash(c: char) -> bool {
    matches!(c, '–' | '—' | '―' | '\u{2012}' | '\u{2E3A}' | '\u{2E3B}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (text not in NFC still tokenizes as words).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}

const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "io", "co", "uk", "us", "de", "fr", "info", "news", "tv",
    "int", "mil", "eu", "ca", "au",
];

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

    /// `http://…`, `https://…`, `www.…`: up to white space, without trailing punctuation.
    fn url(&mut self) -> Option<TokenKind> {
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

    /// `'s` (possessive, as CoNLL splits it) and `'90s`.
    fn apostrophe_word(&mut self) -> Option<TokenKind> {
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

    /// Is `at` the first non-blank position of its line?
    fn at_line_start(&self, at: usize) -> bool {
        self.text[..at]
            .chars()
            .rev()
            .find(|c| !matches!(c, ' ' | '\t'))
            .is_none_or(|c| c == '\n' || c == '\r')
    }

    fn number(&mut self) -> TokenKind {
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

    fn eat_word_chars(&mut self) {
        while self.peek().is_some_and(is_word_char) {
            self.bump();
        }
    }

    fn word(&mut self) -> TokenKind {
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
    fn word_tail(&mut self) {
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
    fn local_part_of_email(&self, from: usize) -> bool {
        self.text[from..]
            .chars()
            .take(64)
            .take_while(|c| !c.is_whitespace())
            .any(|c| c == '@')
    }

    /// `example.com`, `news.bbc.co.uk`: a word followed by dotted parts ending in a
    /// known top-level domain. Returns the end of the domain.
    fn domain_end(&self, mut at: usize) -> Option<usize> {
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
            if TOP_LEVEL_DOMAINS.contains(&part.to_ascii_lowercase().as_str()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        let mut v = Vec::new();
        tokenize(text, &mut v);
        v.iter().map(|t| (&text[t.span.range()], t.kind)).collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn abbreviations_and_initials_keep_their_period() {
        assert_eq!(
            words("Mr. Smith met Sen. Jones."),
            ["Mr.", "Smith", "met", "Sen.", "Jones", "."]
        );
        assert_eq!(
            words("the U.S. and J.R.R. Tolkien"),
            ["the", "U.S.", "and", "J.R.R.", "Tolkien"]
        );
        assert_eq!(words("John F. Kennedy"), ["John", "F.", "Kennedy"]);
        assert_eq!(words("on Sept. 11"), ["on", "Sept.", "11"]);
        assert_eq!(words("U.S.-led forces"), ["U.S.-led", "forces"]);
    }

    #[test]
    fn possessives_split_contractions_do_not() {
        assert_eq!(words("Iran's plan"), ["Iran", "'s", "plan"]);
        assert_eq!(words("Neumann’s firm"), ["Neumann", "’s", "firm"]);
        assert_eq!(words("don't O'Neill"), ["don't", "O'Neill"]);
        assert_eq!(words("in the '90s"), ["in", "the", "'90s"]);
        assert_eq!(words("Iran 's"), ["Iran", "'s"]);
    }

    #[test]
    fn numbers_keep_separators() {
        assert_eq!(words("$6.5 billion"), ["$", "6.5", "billion"]);
        assert_eq!(
            words("3,000 people, 4.5%"),
            ["3,000", "people", ",", "4.5", "%"]
        );
        assert_eq!(words("at 11:03 PM"), ["at", "11:03", "PM"]);
        assert_eq!(toks("1990s")[0].1, TokenKind::Word);
        assert_eq!(toks("3,000")[0].1, TokenKind::Number);
    }

    #[test]
    fn quotes_of_every_style_are_tokens() {
        let t = toks("“Yes,” he said. «Non» „Ja“ 'no' \"ok\"");
        let quotes: Vec<&str> = t
            .iter()
            .filter(|t| t.1 == TokenKind::Quote)
            .map(|t| t.0)
            .collect();
        assert_eq!(quotes, ["“", "”", "«", "»", "„", "“", "'", "'", "\"", "\""]);
    }

    #[test]
    fn dashes_and_hyphens() {
        assert_eq!(words("Iran – that"), ["Iran", "–", "that"]);
        assert_eq!(words("hand-in-hand—now"), ["hand-in-hand", "—", "now"]);
        assert_eq!(words("a -- b"), ["a", "--", "b"]);
        assert_eq!(toks("—")[0].1, TokenKind::Dash);
    }

    #[test]
    fn urls_and_emails() {
        let t =
            toks("See https://example.com/a?b=1. Mail jane.doe@example.com, or visit bbc.co.uk.");
        assert_eq!(t[1], ("https://example.com/a?b=1", TokenKind::Url));
        assert_eq!(t[4], ("jane.doe@example.com", TokenKind::Email));
        assert_eq!(t[8], ("bbc.co.uk", TokenKind::Url));
        assert_eq!(words("said.The"), ["said", ".", "The"]);
    }

    #[test]
    fn ellipsis_and_question_runs() {
        assert_eq!(words("well... why?!"), ["well", "...", "why", "?!"]);
    }

    #[test]
    fn initials_of_several_letters() {
        assert_eq!(
            words("J.R.R. Tolkien wrote"),
            ["J.R.R.", "Tolkien", "wrote"]
        );
        assert_eq!(words("Sen. John McCain"), ["Sen.", "John", "McCain"]);
        assert_eq!(
            words("the U.N. and Mr. Ban"),
            ["the", "U.N.", "and", "Mr.", "Ban"]
        );
    }

    #[test]
    fn all_caps_headline_with_abbreviations() {
        assert_eq!(
            words("KERRY: U.S. TO SHARE INFO WITH IRAN'S LEADERS"),
            ["KERRY", ":", "U.S.", "TO", "SHARE", "INFO", "WITH", "IRAN", "'S", "LEADERS"]
        );
    }

    #[test]
    fn numbers_joined_to_words_as_conll_has_them() {
        assert_eq!(words("a 26-year-old man"), ["a", "26-year-old", "man"]);
        assert_eq!(words("a 37-run win"), ["a", "37-run", "win"]);
        assert_eq!(toks("26-year-old")[0].1, TokenKind::Word);
        // Between digits the hyphen is still a separator: scores and dates.
        assert_eq!(
            words("won 6-4 on 1996-08-22"),
            ["won", "6-4", "on", "1996-08-22"]
        );
        assert_eq!(words("6- 4"), ["6-", "4"]);
    }

    #[test]
    fn signed_and_bare_decimals() {
        assert_eq!(
            words("rose +0.435 to .596"),
            ["rose", "+0.435", "to", ".596"]
        );
        assert_eq!(toks("+44")[0].1, TokenKind::Number);
        assert_eq!(toks(".596")[0].1, TokenKind::Number);
        // A sentence's period before a number stays punctuation.
        assert_eq!(words("in 1996.5 more"), ["in", "1996.5", "more"]);
        assert_eq!(words("end. 5 more"), ["end", ".", "5", "more"]);
        assert_eq!(words("Tel+44"), ["Tel", "+", "44"]);
    }

    #[test]
    fn currencies_and_ampersand_names() {
        assert_eq!(words("C$ 1.5 million"), ["C$", "1.5", "million"]);
        assert_eq!(words("US$6.5"), ["US$", "6.5"]);
        assert_eq!(
            words("the S&P 500 and AT&T"),
            ["the", "S&P", "500", "and", "AT&T"]
        );
        assert_eq!(words("Marks & Spencer"), ["Marks", "&", "Spencer"]);
    }

    #[test]
    fn clitics_of_pre_tokenized_text() {
        assert_eq!(words("I 'm sure we 've"), ["I", "'m", "sure", "we", "'ve"]);
        assert_eq!(words("do n't"), ["do", "n't"]);
        // A quotation that opens with such letters is still a quotation.
        assert_eq!(words("'move on'"), ["'", "move", "on", "'"]);
    }

    #[test]
    fn sports_result_table() {
        let table = "1. Michael Schumacher (Germany) Ferrari 1:32.456\n\
                     2. Damon Hill (Britain) Williams 1:33.001\n\
                     Leeds 2 Chelsea 1\n\
                     Standings: W D L F A Pts";
        assert_eq!(
            words(table),
            [
                "1.",
                "Michael",
                "Schumacher",
                "(",
                "Germany",
                ")",
                "Ferrari",
                "1:32.456",
                "2.",
                "Damon",
                "Hill",
                "(",
                "Britain",
                ")",
                "Williams",
                "1:33.001",
                "Leeds",
                "2",
                "Chelsea",
                "1",
                "Standings",
                ":",
                "W",
                "D",
                "L",
                "F",
                "A",
                "Pts"
            ]
        );
        // Only at the start of a line is "2." a list number.
        assert_eq!(words("scored 2. Then"), ["scored", "2", ".", "Then"]);
    }

    #[test]
    fn all_caps_headline() {
        assert_eq!(
            words("SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT ."),
            [
                "SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", ",", "CHINA", "IN", "SURPRISE",
                "DEFEAT", "."
            ]
        );
    }

    #[test]
    fn pathological_inputs_terminate() {
        for s in [
            "''''",
            "'",
            "a'",
            "U.",
            "U.S",
            "x@",
            "@@",
            "www.",
            "1.",
            "-",
            "‘’‘’",
        ] {
            let mut v = Vec::new();
            tokenize(s, &mut v);
            assert!(!v.is_empty(), "{s:?}");
        }
    }
}
