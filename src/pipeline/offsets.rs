//! Conversion of internal byte offsets to the units clients count in.
//!
//! The JSON contract counts Unicode code points (Python's `len`), or UTF-16 code units
//! on request (JavaScript's `String.length`). Converting each offset by scanning from the
//! start of the text would be quadratic on long articles, and a full table (one entry per
//! byte) costs four bytes of memory per input byte. The index keeps a checkpoint every
//! [`STRIDE`] bytes and counts forward from the nearest one: linear to build, a bounded
//! scan to query.

use serde::{Deserialize, Serialize};

const STRIDE: usize = 256;

/// The unit offsets are reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetUnit {
    /// Unicode scalar values (code points), as Python and Rust's `chars()` count.
    #[default]
    Codepoints,
    /// UTF-16 code units, as JavaScript counts.
    Utf16,
}

impl OffsetUnit {
    fn width(self, c: char) -> usize {
        match self {
            OffsetUnit::Codepoints => 1,
            OffsetUnit::Utf16 => c.len_utf16(),
        }
    }
}

/// Answers "how many units precede byte offset `b`" for one string.
pub struct OffsetIndex<'a> {
    text: &'a str,
    unit: OffsetUnit,
    /// (byte offset on a char boundary, units before it), one per stride.
    checkpoints: Vec<(usize, usize)>,
}

impl<'a> OffsetIndex<'a> {
    pub fn new(text: &'a str, unit: OffsetUnit) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        checkpoints.push((0, 0));
        let mut units = 0;
        let mut next = STRIDE;
        for (b, c) in text.char_indices() {
            if b >= next {
                checkpoints.push((b, units));
                next = b + STRIDE;
            }
            units += unit.width(c);
        }
        OffsetIndex {
            text,
            unit,
            checkpoints,
        }
    }

    /// Units before byte offset `byte` (which must be a char boundary).
    pub fn units(&self, byte: usize) -> usize {
        debug_assert!(self.text.is_char_boundary(byte));
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte) - 1;
        let (b0, u0) = self.checkpoints[i];
        u0 + self.text[b0..byte]
            .chars()
            .map(|c| self.unit.width(c))
            .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_points_and_utf16_units() {
        let s = "a€😀b";
        let cp = OffsetIndex::new(s, OffsetUnit::Codepoints);
        let u16 = OffsetIndex::new(s, OffsetUnit::Utf16);
        assert_eq!(cp.units(0), 0);
        assert_eq!(cp.units(1), 1);
        assert_eq!(cp.units(4), 2);
        assert_eq!(cp.units(8), 3);
        assert_eq!(cp.units(9), 4);
        assert_eq!(u16.units(8), 4);
        assert_eq!(u16.units(9), 5);
    }

    #[test]
    fn long_text_uses_checkpoints_correctly() {
        let s: String = "é".repeat(1000) + "x" + &"ü".repeat(1000);
        let idx = OffsetIndex::new(&s, OffsetUnit::Codepoints);
        for (b, _) in s.char_indices().step_by(37) {
            assert_eq!(idx.units(b), s[..b].chars().count());
        }
        assert_eq!(idx.units(s.len()), 2001);
    }
}
