//! Overlapping spans as properly nested markup.
//!
//! Annotations are stand-off: a quote, its cue, its speaker and the names inside it are
//! independent byte ranges that may nest or cross. HTML elements must nest. The spans are
//! turned into a flat list of open/close events over the text; where two spans cross, the
//! inner one is closed at the crossing and opened again just after, so one span may
//! become several elements (its *pieces*). Spans that start together open the longer one
//! first, and equal spans open in rank order, so the usual cases (a name inside a quote)
//! need no split at all.

use std::ops::Range;

/// A span to mark: a byte range and a rank (lower ranks wrap higher ranks when equal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub range: Range<usize>,
    pub rank: u8,
}

/// One step of the markup, in text order. Indices point into the marks given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// Open an element for mark `i`; `first` is true for its first piece.
    Open { mark: usize, first: bool },
    /// Close the innermost open element (mark `i`).
    Close { mark: usize },
    /// Mark `i` has ended for good (after its last piece was closed).
    End { mark: usize },
    /// Plain text between events.
    Text(Range<usize>),
}

/// Events for the text `within` (one paragraph), for the marks clipped to it.
///
/// A mark partly outside `within` is clipped, so a quote running over two paragraphs
/// becomes one piece in each; `End` is sent only in the paragraph where the mark ends.
/// Empty and reversed marks are ignored.
pub(crate) fn events(marks: &[Mark], within: Range<usize>) -> Vec<Event> {
    let clipped: Vec<Option<Range<usize>>> = marks
        .iter()
        .map(|m| {
            let r = m.range.start.max(within.start)..m.range.end.min(within.end);
            (r.start < r.end).then_some(r)
        })
        .collect();
    let outer_first = |a: &usize, b: &usize| {
        let (ra, rb) = (clipped[*a].as_ref().unwrap(), clipped[*b].as_ref().unwrap());
        rb.end
            .cmp(&ra.end)
            .then(marks[*a].rank.cmp(&marks[*b].rank))
            .then(a.cmp(b))
    };
    let mut starting: Vec<usize> = (0..marks.len()).filter(|&i| clipped[i].is_some()).collect();
    starting.sort_by(|a, b| {
        let (ra, rb) = (clipped[*a].as_ref().unwrap(), clipped[*b].as_ref().unwrap());
        ra.start.cmp(&rb.start).then_with(|| outer_first(a, b))
    });

    let mut bounds: Vec<usize> = vec![within.start, within.end];
    for r in clipped.iter().flatten() {
        bounds.push(r.start);
        bounds.push(r.end);
    }
    bounds.sort_unstable();
    bounds.dedup();

    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut opened = vec![false; marks.len()];
    let mut next_start = 0;
    for (k, &pos) in bounds.iter().enumerate() {
        // Close every element that ends here, and whatever is open inside it.
        let mut reopen = Vec::new();
        if let Some(lowest) = stack
            .iter()
            .position(|&m| clipped[m].as_ref().unwrap().end == pos)
        {
            while stack.len() > lowest {
                let m = stack.pop().unwrap();
                out.push(Event::Close { mark: m });
                if clipped[m].as_ref().unwrap().end == pos {
                    if marks[m].range.end == pos {
                        out.push(Event::End { mark: m });
                    }
                } else {
                    reopen.push(m);
                }
            }
        }
        // Open what was split plus what starts here, outermost first.
        while next_start < starting.len()
            && clipped[starting[next_start]].as_ref().unwrap().start == pos
        {
            reopen.push(starting[next_start]);
            next_start += 1;
        }
        reopen.sort_by(outer_first);
        for m in reopen {
            out.push(Event::Open {
                mark: m,
                first: !opened[m],
            });
            opened[m] = true;
            stack.push(m);
        }
        if let Some(&next) = bounds.get(k + 1) {
            if pos < next {
                out.push(Event::Text(pos..next));
            }
        }
    }
    debug_assert!(stack.is_empty());
    out
}

/// Byte ranges of the paragraphs of `text`: runs separated by blank lines.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            // A blank line: a newline, optional spaces, another newline.
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b' ' | b'\t' | b'\r') {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'\n' {
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if !text[start..i].trim().is_empty() {
                    out.push(start..i);
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders events as bracketed text: `[0|` opens mark 0, `]` closes, `!0` ends it.
    fn show(text: &str, marks: &[Mark]) -> String {
        let mut s = String::new();
        for e in events(marks, 0..text.len()) {
            match e {
                Event::Open { mark, .. } => s.push_str(&format!("[{mark}|")),
                Event::Close { .. } => s.push(']'),
                Event::End { mark } => s.push_str(&format!("!{mark}")),
                Event::Text(r) => s.push_str(&text[r]),
            }
        }
        s
    }

    fn mark(range: Range<usize>, rank: u8) -> Mark {
        Mark { range, rank }
    }

    #[test]
    fn a_name_inside_a_quote_nests_without_a_split() {
        let text = "said Kerry today";
        let s = show(text, &[mark(0..16, 0), mark(5..10, 2)]);
        assert_eq!(s, "[0|said [1|Kerry]!1 today]!0");
    }

    #[test]
    fn crossing_spans_are_split_into_nested_pieces() {
        // 0: 0..8, 1: 4..12 cross at 4..8.
        let text = "aaaabbbbcccc";
        let evs = events(&[mark(0..8, 0), mark(4..12, 1)], 0..12);
        let s = show(text, &[mark(0..8, 0), mark(4..12, 1)]);
        assert_eq!(s, "[0|aaaa[1|bbbb]]!0[1|cccc]!1");
        let firsts: Vec<bool> = evs
            .iter()
            .filter_map(|e| match e {
                Event::Open { first, .. } => Some(*first),
                _ => None,
            })
            .collect();
        assert_eq!(firsts, vec![true, true, false]);
        // Every prefix keeps at least as many opens as closes, and they balance.
        let mut depth = 0i32;
        for e in &evs {
            match e {
                Event::Open { .. } => depth += 1,
                Event::Close { .. } => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0);
        }
        assert_eq!(depth, 0);
    }

    #[test]
    fn equal_spans_open_in_rank_order_and_paragraphs_clip() {
        let text = "Kerry";
        assert_eq!(
            show(text, &[mark(0..5, 2), mark(0..5, 1)]),
            "[1|[0|Kerry]!0]!1"
        );
        let evs = events(&[mark(0..20, 0)], 10..15);
        assert_eq!(
            evs,
            vec![
                Event::Open {
                    mark: 0,
                    first: true
                },
                Event::Text(10..15),
                Event::Close { mark: 0 },
            ],
            "clipped at the paragraph's end: closed but not ended"
        );
        assert_eq!(
            show(
                "ab",
                &[
                    mark(1..1, 0),
                    Mark {
                        range: Range { start: 2, end: 1 },
                        rank: 0
                    }
                ]
            ),
            "ab"
        );
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let text = "One.\nStill one.\n\nTwo.\n \n\n\nThree.";
        let ps: Vec<&str> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(ps, vec!["One.\nStill one.", "Two.", "Three."]);
        assert!(paragraphs("\n\n  \n").is_empty());
    }
}
