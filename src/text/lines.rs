//! Lines of text as byte ranges: the shapes cleaning, segmenting and the quote stage
//! all cut text into.

use std::ops::Range;

/// `range` of `text` without the white space at either end (empty if all white space).
pub fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    start..start + s.trim().len()
}

/// The lines of `text` (split at `\n`), each trimmed, blank ones left out.
pub fn non_blank(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let range = start..start + line.len();
        start = range.end;
        let t = trimmed(text, range);
        (!t.is_empty()).then_some(t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_trimmed_and_blank_ones_dropped() {
        let t = "  one \n\n \t\ntwo\r\n three";
        let lines: Vec<&str> = non_blank(t).map(|r| &t[r]).collect();
        assert_eq!(lines, ["one", "two", "three"]);
        assert_eq!(non_blank("").count(), 0);
        assert_eq!(trimmed(t, 0..6), 2..5);
        assert!(trimmed(t, 7..11).is_empty());
    }
}
