//! Sentence boundaries over tokens.
//!
//! A sentence ends at a line break, or after `.`, `!`, `?` or `…` (with any closing
//! quotation marks and brackets that follow) when the next token does not continue the
//! sentence: a lower-case word or a comma continues it ("'Why?' he asked"). Abbreviations
//! carry their period inside the token, so "Mr. Smith" never splits; the few that often
//! end a sentence ("Inc.", "U.S.") split only before a typical sentence opener.

use super::abbreviations::{is_month, is_sentence_opener, is_title, may_end_sentence};
use crate::pipeline::document::{Sentence, Span, Token, TokenKind};

fn is_terminal(tok: &str) -> bool {
    tok.starts_with(['.', '!', '?', '…'])
}

fn is_closing(tok: &str, kind: TokenKind) -> bool {
    matches!(tok, ")" | "]" | "}")
        || (kind == TokenKind::Quote && !matches!(tok, "“" | "„" | "«" | "‹" | "‘" | "‚"))
}

/// Splits `tokens` of `text` into sentences, appending to `out`.
pub fn split(text: &str, tokens: &[Token], out: &mut Vec<Sentence>) {
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let tok = &text[tokens[i].span.range()];
        let mut end = i + 1; // exclusive end of the sentence if it ends here
        let mut boundary = false;
        if tokens[i].kind == TokenKind::Punct && is_terminal(tok) {
            // Closing quotes and brackets belong to the sentence they close, when
            // they stick to the punctuation or stand before white space.
            while end < tokens.len()
                && is_closing(&text[tokens[end].span.range()], tokens[end].kind)
                && !newline_between(text, tokens[end - 1].span, tokens[end].span)
                && closes(text, tokens, end)
            {
                end += 1;
            }
            boundary = match tokens.get(end) {
                None => true,
                Some(next) => starts_sentence(&text[next.span.range()], next.kind),
            };
        } else if tokens[i].kind == TokenKind::Word && tok.ends_with('.') {
            boundary = match tokens.get(end) {
                None => true,
                Some(next) => {
                    let next_text = &text[next.span.range()];
                    if is_title(tok) || tok.chars().count() == 2 {
                        false // Mr. Smith, John F. Kennedy
                    } else if is_month(tok) {
                        next.kind != TokenKind::Number && is_sentence_opener(next_text)
                    } else if may_end_sentence(tok) {
                        is_sentence_opener(next_text)
                            || (next.kind == TokenKind::Quote && opens(text, tokens, end))
                    } else {
                        is_sentence_opener(next_text)
                    }
                }
            };
        }
        if !boundary
            && end < tokens.len()
            && newline_between(text, tokens[end - 1].span, tokens[end].span)
        {
            boundary = true;
        }
        if boundary || end == tokens.len() {
            out.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[end - 1].span.end),
                tokens: start..end,
            });
            start = end;
        }
        i = end;
    }
}

fn newline_between(text: &str, a: Span, b: Span) -> bool {
    text[a.end..b.start].contains('\n')
}

/// Does the quote token at `i` close (rather than open) a quotation? A closing mark
/// follows its text directly; an opening one is followed directly by its text.
fn closes(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &text[tokens[i].span.range()];
    if matches!(t, ")" | "]" | "}" | "”" | "»" | "›" | "’") {
        return true;
    }
    let prev_touches = i > 0 && tokens[i - 1].span.end == tokens[i].span.start;
    let next_touches = tokens
        .get(i + 1)
        .is_some_and(|n| n.span.start == tokens[i].span.end);
    prev_touches || !next_touches
}

fn opens(text: &str, tokens: &[Token], i: usize) -> bool {
    !closes(text, tokens, i)
}

fn starts_sentence(tok: &str, kind: TokenKind) -> bool {
    match kind {
        TokenKind::Word => !tok.starts_with(|c: char| c.is_lowercase()),
        TokenKind::Punct => matches!(tok, "(" | "[" | "¿" | "¡"),
        TokenKind::Quote | TokenKind::Number | TokenKind::Dash | TokenKind::Symbol => true,
        TokenKind::Url | TokenKind::Email => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokenizer::tokenize;
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let mut out = Vec::new();
        split(text, &toks, &mut out);
        out.iter().map(|s| &text[s.span.range()]).collect()
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(
            sents("Mr. Smith met Sen. John F. Kennedy on Sept. 11 in Washington. He left."),
            [
                "Mr. Smith met Sen. John F. Kennedy on Sept. 11 in Washington.",
                "He left."
            ]
        );
    }

    #[test]
    fn initialisms_end_sentences_only_before_openers() {
        assert_eq!(
            sents("The U.S. Army said so. It moved to the U.S. The army left."),
            [
                "The U.S. Army said so.",
                "It moved to the U.S.",
                "The army left."
            ]
        );
    }

    #[test]
    fn decimals_and_money() {
        assert_eq!(
            sents("It rose 4.5% to $6.5 billion. Shares fell."),
            ["It rose 4.5% to $6.5 billion.", "Shares fell."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sents("He said, “We are ready.” Then he left."),
            ["He said, “We are ready.”", "Then he left."]
        );
        assert_eq!(
            sents("\"Why?\" he asked. \"Now.\""),
            ["\"Why?\" he asked.", "\"Now.\""]
        );
        assert_eq!(
            sents("“Can you see it?” Kerry was asked."),
            ["“Can you see it?”", "Kerry was asked."]
        );
    }

    #[test]
    fn table_rows_are_sentences() {
        assert_eq!(
            sents("1. Michael Schumacher (Germany) 1:32.456\n2. Damon Hill (Britain) 1:33.001"),
            [
                "1. Michael Schumacher (Germany) 1:32.456",
                "2. Damon Hill (Britain) 1:33.001"
            ]
        );
    }

    #[test]
    fn line_breaks_end_sentences() {
        assert_eq!(
            sents("Headline Without Stop\n\nFirst para."),
            ["Headline Without Stop", "First para."]
        );
    }

    #[test]
    fn em_dash_does_not_end() {
        assert_eq!(
            sents("Iran – that we know – is here. Yes."),
            ["Iran – that we know – is here.", "Yes."]
        );
    }

    #[test]
    fn lowercase_continuation() {
        assert_eq!(
            sents("It was e.g. fine... and then? nothing."),
            ["It was e.g. fine... and then? nothing."]
        );
    }
}
