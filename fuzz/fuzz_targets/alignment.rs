//! The alignment map under arbitrary edit scripts: copies, replacements (possibly of an
//! empty range) and truncations over an arbitrary input, then composition with a second
//! map. Every text range must map inside the input, monotonically, and copied text must
//! map back to identical input. Runs on the service's worker stack (see `service.rs`).
#![no_main]

#[path = "service.rs"]
mod service;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use news_annotator::pipeline::alignment::{AlignedBuilder, Alignment};
use service::on_worker_stack;

#[derive(Debug, Arbitrary)]
enum Edit {
    Copy { len: u8 },
    Skip { len: u8 },
    Replace { with: u8, len: u8 },
    Truncate { by: u8 },
}

#[derive(Debug, Arbitrary)]
struct Script {
    input: String,
    edits: Vec<Edit>,
    second: Vec<Edit>,
}

/// A copied stretch: text offset, input offset, length.
type Copied = (usize, usize, usize);

/// Runs `edits` over `input`, keeping every cut on a char boundary. Also returns the
/// stretches that were copied (and survived truncation).
fn build(input: &str, edits: &[Edit]) -> (String, Alignment, Vec<Copied>) {
    let mut b = AlignedBuilder::new();
    let mut copies: Vec<Copied> = Vec::new();
    let mut pos = 0;
    let forward = |pos: usize, len: u8| {
        let mut end = (pos + len as usize).min(input.len());
        while !input.is_char_boundary(end) {
            end += 1;
        }
        end
    };
    for e in edits {
        match *e {
            Edit::Copy { len } => {
                let end = forward(pos, len);
                if end > pos {
                    copies.push((b.len(), pos, end - pos));
                }
                b.copy(input, pos..end);
                pos = end;
            }
            Edit::Skip { len } => pos = forward(pos, len),
            Edit::Replace { with, len } => {
                let end = forward(pos, len);
                let r = ["\n", " ", "\u{2019}", "&", "\n\n", "é"][with as usize % 6];
                b.replace(r, pos..end);
                pos = end;
            }
            Edit::Truncate { by } => {
                let mut keep = b.len().saturating_sub(by as usize % 8);
                while !b.text().is_char_boundary(keep) {
                    keep -= 1;
                }
                b.truncate(keep);
                copies.retain_mut(|c| {
                    c.2 = c.2.min(keep.saturating_sub(c.0));
                    c.2 > 0
                });
            }
        }
    }
    let (text, a) = b.finish();
    (text, a, copies)
}

fn check(text: &str, a: &Alignment, input: &str, copies: &[Copied]) {
    for &(t, i, len) in copies {
        assert_eq!(a.to_input(t..t + len), i..i + len, "a copy maps one to one");
        assert_eq!(&text[t..t + len], &input[i..i + len]);
    }
    assert_eq!(a.text_len(), text.len());
    assert!(a.is_consistent(input.len()));
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut last = 0;
    for w in bounds.windows(2) {
        let r = a.to_input(w[0]..w[1]);
        assert!(r.start <= r.end && r.end <= input.len());
        assert!(r.start >= last, "input ranges go backwards");
        last = r.start;
        let whole = a.to_input(0..w[1]);
        assert!(whole.start <= r.start && r.end <= whole.end);
    }
    assert!(a.to_input(text.len()..text.len()).end <= input.len());
}

fuzz_target!(|s: Script| on_worker_stack(|| one(&s)));

fn one(s: &Script) {
    let (mid, inner, copies) = build(&s.input, &s.edits);
    check(&mid, &inner, &s.input, &copies);
    let (text, outer, _) = build(&mid, &s.second);
    check(&text, &outer, &mid, &[]);
    let composed = outer.compose(&inner);
    check(&text, &composed, &s.input, &[]);
}
