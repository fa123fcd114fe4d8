//! How a block's decoded text is built from the source bytes.
//!
//! Character references are decoded by the tokenizer; the alignment is rebuilt by
//! walking each text token's source span beside its decoded value, so a decoded `&amp;`
//! maps to the five source bytes it came from.

use std::ops::Range;

use super::{Block, Piece};

/// Appends a text token to `block`: `value` is the tokenizer's decoded text of
/// `src[span]`. Runs that are equal are copies; character references and line breaks
/// are replacements of the source bytes they came from.
pub(super) fn align_text(src: &str, span: Range<usize>, value: &str, block: &mut Block) {
    let raw = &src[span.clone()];
    block.text.push_str(value);
    if raw == value && !raw.contains(['\n', '\r', '\t']) {
        block.pieces.push((Piece::Copy, span));
        return;
    }
    let mut i = 0; // in raw
    let mut j = 0; // in value
    let mut run: Option<usize> = None;
    let rb = raw.as_bytes();
    let close = |run: &mut Option<usize>, i: usize, block: &mut Block| {
        if let Some(s) = run.take() {
            if i > s {
                block
                    .pieces
                    .push((Piece::Copy, span.start + s..span.start + i));
            }
        }
    };
    while i < raw.len() && j < value.len() {
        let rc = raw[i..].chars().next().unwrap();
        let vc = value[j..].chars().next().unwrap();
        if rc == vc && rc != '&' && !matches!(rc, '\n' | '\t' | '\r') {
            run.get_or_insert(i);
            i += rc.len_utf8();
            j += vc.len_utf8();
            continue;
        }
        close(&mut run, i, block);
        if matches!(rc, '\n' | '\r' | '\t') {
            // White space inside a block is a space; a CRLF is one character to the tokenizer.
            let mut end = i + 1;
            if rc == '\r' && rb.get(end) == Some(&b'\n') {
                end += 1;
            }
            block
                .pieces
                .push((Piece::Replace(" ".into()), span.start + i..span.start + end));
            i = end;
            j += vc.len_utf8();
        } else if rc == '&' && (vc != '&' || raw[i..].starts_with("&amp")) {
            let len = reference_len(&raw[i..]).max(1);
            let end = i + len;
            // A named reference gives one or two characters; take as many as it takes
            // for the value to meet the source again.
            let mut vend = j + vc.len_utf8();
            let next_raw = raw[end..].chars().next();
            if let Some(v2) = value[vend..].chars().next() {
                if Some(v2) != next_raw && !raw[i + 1..].starts_with('#') {
                    vend += v2.len_utf8();
                }
            }
            block.pieces.push((
                Piece::Replace(value[j..vend].to_string()),
                span.start + i..span.start + end,
            ));
            i = end;
            j = vend;
        } else if rc == '&' {
            // A bare ampersand.
            run.get_or_insert(i);
            i += 1;
            j += 1;
        } else {
            // Anything else (NUL, odd references): the rest as one replacement.
            block.pieces.push((
                Piece::Replace(value[j..].to_string()),
                span.start + i..span.end,
            ));
            return;
        }
    }
    close(&mut run, i, block);
    if j < value.len() {
        block.pieces.push((
            Piece::Replace(value[j..].to_string()),
            span.start + i..span.end,
        ));
    }
}

/// Length in bytes of the character reference at the start of `s` (`&…;`, or `&name`
/// without the semicolon for the legacy names).
fn reference_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut k = 1;
    if b.get(k) == Some(&b'#') {
        k += 1;
        if matches!(b.get(k), Some(b'x' | b'X')) {
            k += 1;
        }
    }
    while k < b.len() && k < 40 && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    if b.get(k) == Some(&b';') {
        k += 1;
    }
    k
}
