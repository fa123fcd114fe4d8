//! Client offsets back to byte offsets.
//!
//! An [`Annotation`](crate::Annotation) counts its offsets in code points or UTF-16 units
//! (whichever the request asked for); slicing a Rust string needs bytes. The view
//! converts each offset once through a table with one entry per unit, which costs a few
//! bytes per character of one article: nothing next to the page it renders.

use crate::pipeline::OffsetUnit;

/// Byte offset of every unit boundary of one string.
pub(crate) struct UnitIndex {
    /// `bytes[u]` is the byte offset where unit `u` starts; the last entry is the length.
    /// The second unit of a surrogate pair is not a boundary and maps to `None`.
    bytes: Vec<Option<usize>>,
}

impl UnitIndex {
    pub(crate) fn new(text: &str, unit: OffsetUnit) -> Self {
        let mut bytes = Vec::with_capacity(text.len() + 1);
        for (b, c) in text.char_indices() {
            bytes.push(Some(b));
            if unit == OffsetUnit::Utf16 && c.len_utf16() == 2 {
                bytes.push(None);
            }
        }
        bytes.push(Some(text.len()));
        UnitIndex { bytes }
    }

    /// The byte offset of unit offset `units`, or `None` when it is past the end or
    /// inside a character: an annotation the view cannot trust is left unmarked rather
    /// than sliced mid-character.
    pub(crate) fn byte(&self, units: usize) -> Option<usize> {
        self.bytes.get(units).copied().flatten()
    }

    /// The byte range of `start..end` when both ends are boundaries and in order.
    pub(crate) fn range(&self, start: usize, end: usize) -> Option<std::ops::Range<usize>> {
        let (s, e) = (self.byte(start)?, self.byte(end)?);
        (s <= e).then_some(s..e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_and_utf16_units_map_to_bytes() {
        let s = "a€😀b";
        let cp = UnitIndex::new(s, OffsetUnit::Codepoints);
        assert_eq!(cp.byte(0), Some(0));
        assert_eq!(cp.byte(2), Some(4));
        assert_eq!(cp.byte(3), Some(8));
        assert_eq!(cp.byte(4), Some(9));
        assert_eq!(cp.byte(5), None);

        let u16 = UnitIndex::new(s, OffsetUnit::Utf16);
        assert_eq!(u16.byte(2), Some(4));
        assert_eq!(u16.byte(3), None, "inside the surrogate pair");
        assert_eq!(u16.byte(4), Some(8));
        assert_eq!(u16.range(1, 5), Some(1..9));
        assert_eq!(u16.range(4, 2), None);
    }
}
