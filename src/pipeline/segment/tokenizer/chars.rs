//! Character classes the tokenizer decides by.

/// Characters that are quotation marks (or may be: `'` and `’` are also apostrophes).
pub fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '„' | '‟' | '«' | '»' | '‹' | '›' | '‘' | '’' | '‚' | '`'
    )
}

pub(super) fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

pub(super) fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

pub(super) fn is_dash(c: char) -> bool {
    matches!(c, '–' | '—' | '―' | '\u{2012}' | '\u{2E3A}' | '\u{2E3B}')
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// Combining marks (text not in NFC still tokenizes as words).
pub(super) fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}')
}
