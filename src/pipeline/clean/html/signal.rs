//! A second opinion on the page's main content: the `trafilatura` crate (a Rust port of
//! go-trafilatura, itself a port of Python's trafilatura).
//!
//! Trafilatura works on its own DOM (html5ever) and returns plain text, so what it
//! selects is mapped back onto this module's blocks by their words: each block gets the
//! share of its word trigrams (its words, for blocks under three words) that occur in
//! trafilatura's text. The block classifier then weighs that share with its own
//! evidence; trafilatura never decides alone, and the text kept always comes from the
//! blocks, so every character keeps its offset in the source.
//!
//! Trafilatura walks its tree recursively, so it is only run on pages whose nesting and
//! attribute counts it can afford on a worker's stack; other pages get no signal (the
//! classifier has a feature for that).

use rustc_hash::FxHashSet;

use super::blocks::Shape;

/// Deepest nesting trafilatura is run on (real pages stay under about 60).
const MAX_DEPTH: usize = 200;
/// Most attributes on one tag trafilatura is run on.
const MAX_ATTRIBUTES: usize = 1_000;
/// Largest page trafilatura is run on (bytes); real article pages are under 2 MB, and
/// its parse of 4 MiB of text took 3.5 s.
const MAX_BYTES: usize = 3 << 20;
/// Most elements trafilatura is run on. Its DOM costs about 2.5 KiB an element (1.5 MB
/// of `<p>x</p>` peaked at 570 MiB), and heavy news pages have a few thousand elements,
/// rarely 20,000.
const MAX_ELEMENTS: usize = 40_000;

/// What trafilatura selected, ready for matching blocks against.
pub(super) struct Signal {
    /// Word trigrams of each line, with a mark for the line's start and end, so that a
    /// block of one or two words matches only a line of those words.
    trigrams: FxHashSet<u64>,
}

/// The marks around a line's words.
const START: u64 = 0x5354_4152_5400_0001;
const END: u64 = 0x454e_4400_0000_0002;

/// Trafilatura's main content of `src`, or `None` when it was not run (see the limits
/// above) or found nothing.
pub(super) fn extract(src: &str, shape: Shape) -> Option<Signal> {
    if shape.max_depth > MAX_DEPTH
        || shape.max_attributes > MAX_ATTRIBUTES
        || shape.elements > MAX_ELEMENTS
        || src.len() > MAX_BYTES
    {
        return None;
    }
    let options = trafilatura::Options::default()
        .with_fallback(true)
        .with_exclude_comments(true);
    let result = trafilatura::extract(src, &options).ok()?;
    let signal = Signal::of_text(&result.content_text);
    (!signal.trigrams.is_empty()).then_some(signal)
}

impl Signal {
    /// The lines of `text` as a signal (the hand-made body, when training).
    pub fn of_text(text: &str) -> Signal {
        let mut set = FxHashSet::default();
        for line in text.lines() {
            let words = framed(line);
            if words.len() > 2 {
                set.extend(trigrams(&words));
            }
        }
        Signal { trigrams: set }
    }

    /// The share (0 to 1) of `text`'s word trigrams found in trafilatura's text.
    pub fn coverage(&self, text: &str) -> f32 {
        let mut words = word_hashes(text);
        if words.is_empty() {
            return 0.0;
        }
        if words.len() < 3 {
            // Too short for trigrams of its own: it must be a line by itself.
            words = framed(text);
        }
        let total = words.len() - 2;
        let hits = trigrams(&words)
            .filter(|t| self.trigrams.contains(t))
            .count();
        hits as f32 / total as f32
    }
}

/// The hashes of `text`'s words (runs of letters and digits, lower-cased), so that
/// white space, punctuation and quotes the two extractors render differently do not
/// matter.
fn word_hashes(text: &str) -> Vec<u64> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in w.chars().flat_map(char::to_lowercase) {
                h ^= c as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h
        })
        .collect()
}

/// The words of a line between its start and end marks.
fn framed(line: &str) -> Vec<u64> {
    let words = word_hashes(line);
    if words.is_empty() {
        return words;
    }
    let mut out = Vec::with_capacity(words.len() + 2);
    out.push(START);
    out.extend(words);
    out.push(END);
    out
}

fn trigrams(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    words.windows(3).map(|w| {
        w[0].rotate_left(42) ^ w[1].rotate_left(21) ^ w[2].wrapping_mul(0x9e37_79b9_7f4a_7c15)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_counts_trigrams_in_the_extracted_text() {
        let s = Signal::of_text("The council voted on Tuesday to close the bridge.");
        assert_eq!(s.coverage("the council VOTED on tuesday"), 1.0);
        assert_eq!(s.coverage("Sign up for our newsletter"), 0.0);
        assert_eq!(
            s.coverage("Council"),
            0.0,
            "one word of a line is not the line"
        );
        let menu = Signal::of_text("Home\nThe council voted.");
        assert_eq!(menu.coverage("home"), 1.0);
        let half = s.coverage("close the bridge now please");
        assert!((half - 1.0 / 3.0).abs() < 1e-6, "{half}");
    }

    #[test]
    fn deep_pages_get_no_signal() {
        let shape = Shape {
            max_depth: MAX_DEPTH + 1,
            ..Shape::default()
        };
        assert!(extract("<p>The council voted.</p>", shape).is_none());
    }

    #[test]
    fn pages_of_many_elements_get_no_signal() {
        let page = "<p>The council voted.</p>";
        assert!(extract(page, Shape::default()).is_some());
        let shape = Shape {
            elements: MAX_ELEMENTS + 1,
            ..Shape::default()
        };
        assert!(extract(page, shape).is_none());
    }
}
