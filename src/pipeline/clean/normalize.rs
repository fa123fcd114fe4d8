//! Normalisation of plain text, with alignment.
//!
//! - CRLF and CR become LF.
//! - Control and zero-width characters are dropped (tab becomes a space).
//! - NBSP and the other Unicode spaces become a plain space.
//! - Trailing white space on a line is dropped, and runs of blank lines become one
//!   blank line (the paragraph separator).
//! - Leading and trailing blank lines of the whole text are dropped.

use std::ops::Range;

use crate::pipeline::alignment::{AlignedBuilder, Alignment};
use crate::pipeline::document::Removed;

/// Characters dropped from the text: zero-width, byte-order mark, soft hyphen, and
/// C0/C1 controls other than the line feed.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    ) || (c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

fn is_odd_space(c: char) -> bool {
    c == '\t' || (c != ' ' && c != '\n' && c != '\r' && c.is_whitespace())
}

pub(super) fn normalize(input: &str) -> (String, Alignment, Vec<Removed>) {
    let mut b = AlignedBuilder::with_capacity(input.len());
    let mut removed: Vec<Removed> = Vec::new();
    // Newlines seen since the last non-blank character: 1 ends a line, 2+ a paragraph.
    let mut pending_newlines = 0usize;
    let mut pending_newline_at: Range<usize> = 0..0;
    // Spaces seen since the last non-space on this line, emitted lazily so that
    // trailing white space never reaches the output.
    let mut pending_space: Option<Range<usize>> = None;
    let mut copy_from: Option<usize> = None;

    let flush = |b: &mut AlignedBuilder, copy_from: &mut Option<usize>, upto: usize| {
        if let Some(s) = copy_from.take() {
            b.copy(input, s..upto);
        }
    };

    let mut iter = input.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let len = c.len_utf8();
        match c {
            '\r' | '\n' => {
                flush(&mut b, &mut copy_from, i);
                let mut end = i + len;
                if c == '\r' && input[end..].starts_with('\n') {
                    iter.next();
                    end += 1;
                }
                pending_space = None;
                if pending_newlines == 0 {
                    pending_newline_at = i..end;
                }
                pending_newlines += 1;
            }
            c if c == ' ' || is_odd_space(c) => {
                flush(&mut b, &mut copy_from, i);
                match &mut pending_space {
                    Some(r) => r.end = i + len,
                    None => pending_space = Some(i..i + len),
                }
            }
            c if is_dropped(c) => {
                flush(&mut b, &mut copy_from, i);
                match removed.last_mut() {
                    Some(r) if r.input.end == i => r.input.end = i + len,
                    _ => removed.push(super::control(i..i + len)),
                }
            }
            _ => {
                if copy_from.is_none() {
                    if pending_newlines > 0 {
                        if !b.is_empty() {
                            let sep = if pending_newlines >= 2 { "\n\n" } else { "\n" };
                            if sep == "\n" && &input[pending_newline_at.clone()] == "\n" {
                                b.copy(input, pending_newline_at.clone());
                            } else {
                                b.replace(sep, pending_newline_at.clone());
                            }
                        }
                        pending_newlines = 0;
                        // Indentation at the start of a line is dropped.
                        pending_space = None;
                    }
                    if let Some(r) = pending_space.take() {
                        if !b.is_empty() {
                            if &input[r.clone()] == " " {
                                b.copy(input, r);
                            } else {
                                b.replace(" ", r);
                            }
                        }
                    }
                    copy_from = Some(i);
                }
            }
        }
    }
    flush(&mut b, &mut copy_from, input.len());
    let (text, alignment) = b.finish();
    (text, alignment, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let (text, a, _) = normalize(input);
        assert_eq!(text, expect);
        assert!(a.is_consistent(input.len()));
    }

    #[test]
    fn line_endings_become_lf() {
        check("a\r\nb\rc\nd", "a\nb\nc\nd");
    }

    #[test]
    fn blank_lines_collapse_to_one() {
        check("\n\n a \n\n\n\n b\n\n", "a\n\nb");
        check("a  \n \n  b", "a\n\nb");
    }

    #[test]
    fn odd_spaces_and_controls() {
        check("a\u{00A0}b\u{200B}c\u{0007}d\te", "a bcd e");
    }

    #[test]
    fn every_char_maps_back() {
        let input = "  Héllo\u{00A0}wörld\r\n\r\n\r\nNext\u{200B} para  ";
        let (text, a, removed) = normalize(input);
        assert_eq!(text, "Héllo wörld\n\nNext para");
        for (i, c) in text.char_indices() {
            let r = a.to_input(i..i + c.len_utf8());
            let src = &input[r];
            assert!(
                src == c.to_string() || c.is_whitespace() && src.chars().all(char::is_whitespace),
                "{c:?} came from {src:?}"
            );
        }
        assert_eq!(removed.len(), 1);
    }
}
