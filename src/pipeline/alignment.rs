//! Alignment between the cleaned text and the input it came from.
//!
//! Cleaning copies most of the input as it is, drops stretches (boilerplate, markup,
//! control characters) and replaces a few (CRLF becomes LF, `&amp;` becomes `&`,
//! mojibake is repaired). Every later stage works on the cleaned text, but clients want
//! spans in the text *they sent*, so every byte of the cleaned text must know where it
//! came from.
//!
//! The map is a sorted list of `Piece`s, one per run of output that came from one
//! place. A *copy* piece is byte-for-byte identical to its input, so an offset inside it
//! maps linearly; a *replacement* piece is atomic: its output came from its input range
//! as a whole, and an offset inside it maps to the piece's edges. Lookups are one binary
//! search. This is the same idea as `NormalizedString` in huggingface/tokenizers, kept to
//! the two kinds of piece cleaning actually produces.

use std::ops::Range;

/// One run of output text and the input range it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    text_start: usize,
    input_start: usize,
    text_len: usize,
    input_len: usize,
    /// Copies map offsets inside them one to one; replacements do not.
    copy: bool,
}

/// Maps byte ranges of a cleaned text back to byte ranges of the input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    pieces: Vec<Piece>,
    text_len: usize,
}

impl Alignment {
    /// The alignment of a text that is its input, unchanged.
    pub fn identity(len: usize) -> Self {
        let mut pieces = Vec::new();
        if len > 0 {
            pieces.push(Piece {
                text_start: 0,
                input_start: 0,
                text_len: len,
                input_len: len,
                copy: true,
            });
        }
        Alignment {
            pieces,
            text_len: len,
        }
    }

    /// Length in bytes of the text this alignment covers.
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// The input byte range that the text byte range `range` came from.
    ///
    /// Offsets inside a replacement widen to the whole replacement, so the result always
    /// covers everything the text range was made from. An empty range maps to an empty
    /// range at the input position of its start.
    pub fn to_input(&self, range: Range<usize>) -> Range<usize> {
        debug_assert!(range.start <= range.end && range.end <= self.text_len);
        if self.pieces.is_empty() {
            return 0..0;
        }
        let start = self.map_start(range.start);
        if range.is_empty() {
            return start..start;
        }
        let end = self.map_end(range.end);
        start..end.max(start)
    }

    fn piece_containing(&self, offset: usize) -> &Piece {
        // The last piece whose start is <= offset.
        let i = self
            .pieces
            .partition_point(|p| p.text_start <= offset)
            .saturating_sub(1);
        &self.pieces[i]
    }

    fn map_start(&self, offset: usize) -> usize {
        if offset >= self.text_len {
            let last = self.pieces.last().expect("non-empty");
            return last.input_start + last.input_len;
        }
        let p = self.piece_containing(offset);
        if p.copy {
            p.input_start + (offset - p.text_start)
        } else {
            p.input_start
        }
    }

    fn map_end(&self, offset: usize) -> usize {
        // `offset` is exclusive: look at the byte before it.
        let p = self.piece_containing(offset - 1);
        if p.copy {
            p.input_start + (offset - p.text_start)
        } else {
            p.input_start + p.input_len
        }
    }

    /// Composes two alignments: `self` maps text to an intermediate string, `inner`
    /// maps that intermediate string to the input. Used when one cleaning pass runs over
    /// the output of another (e.g. text normalisation over text extracted from HTML).
    pub fn compose(&self, inner: &Alignment) -> Alignment {
        let mut out = Vec::with_capacity(self.pieces.len());
        for p in &self.pieces {
            let mid = p.input_start..p.input_start + p.input_len;
            if p.copy {
                // A copy of the intermediate string keeps the intermediate's pieces.
                for q in inner.pieces_overlapping(mid.clone()) {
                    let lo = q.text_start.max(mid.start);
                    let hi = (q.text_start + q.text_len).min(mid.end);
                    let text_start = p.text_start + (lo - mid.start);
                    if q.copy {
                        out.push(Piece {
                            text_start,
                            input_start: q.input_start + (lo - q.text_start),
                            text_len: hi - lo,
                            input_len: hi - lo,
                            copy: true,
                        });
                    } else {
                        // Part of an atomic replacement: the part stays atomic.
                        out.push(Piece {
                            text_start,
                            input_start: q.input_start,
                            text_len: hi - lo,
                            input_len: q.input_len,
                            copy: false,
                        });
                    }
                }
            } else {
                let r = inner.to_input(mid);
                out.push(Piece {
                    text_start: p.text_start,
                    input_start: r.start,
                    text_len: p.text_len,
                    input_len: r.len(),
                    copy: false,
                });
            }
        }
        out.retain(|p| p.text_len > 0);
        Alignment {
            pieces: out,
            text_len: self.text_len,
        }
    }

    fn pieces_overlapping(&self, range: Range<usize>) -> impl Iterator<Item = &Piece> {
        let first = self
            .pieces
            .partition_point(|p| p.text_start + p.text_len <= range.start);
        self.pieces[first..]
            .iter()
            .take_while(move |p| p.text_start < range.end)
    }

    /// Checks the structural invariants; used by tests and debug assertions.
    pub fn is_consistent(&self, input_len: usize) -> bool {
        let mut expect = 0;
        for p in &self.pieces {
            if p.text_start != expect || p.text_len == 0 {
                return false;
            }
            if p.copy && p.text_len != p.input_len {
                return false;
            }
            if p.input_start + p.input_len > input_len {
                return false;
            }
            expect += p.text_len;
        }
        expect == self.text_len
    }
}

/// Builds a text and its [`Alignment`] together, so that the two cannot drift apart.
///
/// Cleaning code never pushes to the output string directly: it says where each piece
/// of output came from, and input that is never pushed is, by construction, removed.
#[derive(Debug, Default)]
pub struct AlignedBuilder {
    text: String,
    pieces: Vec<Piece>,
}

impl AlignedBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(bytes: usize) -> Self {
        AlignedBuilder {
            text: String::with_capacity(bytes),
            pieces: Vec::new(),
        }
    }

    /// The text built so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends `input[range]` unchanged.
    pub fn copy(&mut self, input: &str, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(&input[range.clone()]);
        if let Some(last) = self.pieces.last_mut() {
            // Adjacent copies merge, which keeps the map small for clean text.
            if last.copy
                && last.text_start + last.text_len == text_start
                && last.input_start + last.input_len == range.start
            {
                last.text_len += range.len();
                last.input_len += range.len();
                return;
            }
        }
        self.pieces.push(Piece {
            text_start,
            input_start: range.start,
            text_len: range.len(),
            input_len: range.len(),
            copy: true,
        });
    }

    /// Appends `replacement`, made from `input[range]` as a whole. `range` may be
    /// empty (text inserted at a point, such as a paragraph break between HTML blocks).
    pub fn replace(&mut self, replacement: &str, range: Range<usize>) {
        if replacement.is_empty() {
            return;
        }
        let text_start = self.text.len();
        self.text.push_str(replacement);
        self.pieces.push(Piece {
            text_start,
            input_start: range.start,
            text_len: replacement.len(),
            input_len: range.len(),
            copy: false,
        });
    }

    /// Removes trailing characters for which `pred` holds (e.g. trailing white space).
    pub fn trim_end_matches(&mut self, pred: impl Fn(char) -> bool) {
        let keep = self.text.trim_end_matches(&pred).len();
        self.truncate(keep);
    }

    /// Shortens the text to `len` bytes (a char boundary), dropping the map beyond it.
    pub fn truncate(&mut self, len: usize) {
        assert!(self.text.is_char_boundary(len));
        self.text.truncate(len);
        while let Some(last) = self.pieces.last_mut() {
            if last.text_start >= len {
                self.pieces.pop();
            } else {
                if last.text_start + last.text_len > len {
                    let cut = last.text_start + last.text_len - len;
                    last.text_len -= cut;
                    if last.copy {
                        last.input_len -= cut;
                    }
                }
                break;
            }
        }
    }

    pub fn finish(self) -> (String, Alignment) {
        let text_len = self.text.len();
        (
            self.text,
            Alignment {
                pieces: self.pieces,
                text_len,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_every_range_to_itself() {
        let a = Alignment::identity(10);
        assert_eq!(a.to_input(2..5), 2..5);
        assert_eq!(a.to_input(0..10), 0..10);
        assert_eq!(a.to_input(10..10), 10..10);
        assert!(a.is_consistent(10));
    }

    #[test]
    fn skipped_input_is_jumped_over() {
        let input = "menu\n\nHello world\r\nBye";
        let mut b = AlignedBuilder::new();
        b.copy(input, 6..17); // "Hello world"
        b.replace("\n", 17..19); // CRLF -> LF
        b.copy(input, 19..22); // "Bye"
        let (text, a) = b.finish();
        assert_eq!(text, "Hello world\nBye");
        assert!(a.is_consistent(input.len()));
        assert_eq!(&input[a.to_input(0..5)], "Hello");
        assert_eq!(&input[a.to_input(6..11)], "world");
        assert_eq!(a.to_input(11..12), 17..19);
        assert_eq!(&input[a.to_input(12..15)], "Bye");
        assert_eq!(&input[a.to_input(0..15)], "Hello world\r\nBye");
    }

    #[test]
    fn offsets_inside_a_replacement_widen_to_it() {
        let input = "a &amp; b";
        let mut b = AlignedBuilder::new();
        b.copy(input, 0..2);
        b.replace("&", 2..7);
        b.copy(input, 7..9);
        let (text, a) = b.finish();
        assert_eq!(text, "a & b");
        assert_eq!(a.to_input(2..3), 2..7);
        assert_eq!(a.to_input(0..5), 0..9);
    }

    #[test]
    fn multi_byte_replacement_is_atomic() {
        // Mojibake: three input chars become one output char of three bytes.
        let input = "itâ€™s";
        let mut b = AlignedBuilder::new();
        b.copy(input, 0..2);
        b.replace("\u{2019}", 2..10);
        b.copy(input, 10..11);
        let (text, a) = b.finish();
        assert_eq!(text, "it\u{2019}s");
        assert_eq!(a.to_input(2..5), 2..10);
        assert_eq!(a.to_input(0..6), 0..11);
    }

    #[test]
    fn truncate_drops_the_map_beyond() {
        let input = "abc   ";
        let mut b = AlignedBuilder::new();
        b.copy(input, 0..6);
        b.trim_end_matches(char::is_whitespace);
        let (text, a) = b.finish();
        assert_eq!(text, "abc");
        assert!(a.is_consistent(input.len()));
        assert_eq!(a.to_input(0..3), 0..3);
    }

    #[test]
    fn compose_follows_both_maps() {
        // input -> mid: drop "<p>" and "</p>"; mid -> text: CR dropped.
        let input = "<p>ab\rc</p>";
        let mut b = AlignedBuilder::new();
        b.copy(input, 3..7);
        let (mid, inner) = b.finish();
        assert_eq!(mid, "ab\rc");
        let mut b = AlignedBuilder::new();
        b.copy(&mid, 0..2);
        b.replace("\n", 2..3);
        b.copy(&mid, 3..4);
        let (text, outer) = b.finish();
        let a = outer.compose(&inner);
        assert_eq!(text, "ab\nc");
        assert!(a.is_consistent(input.len()));
        assert_eq!(&input[a.to_input(0..2)], "ab");
        assert_eq!(&input[a.to_input(3..4)], "c");
        assert_eq!(&input[a.to_input(2..3)], "\r");
    }
}
