//! Hostile inputs from issue 6, at full size, through the library: each must come back as
//! an annotation or a [`PipelineError`], never a panic, and the answer must still be a
//! consistent document (spans inside the text).
//!
//! How long each takes is measured by `scripts/hostile.sh` (release build, half-size twins
//! to show linearity), not asserted here: wall time on a shared machine is noise.

use std::sync::OnceLock;

use news_annotator::pipeline::OffsetUnit;
use news_annotator::{Annotation, Input, Options, Pipeline, PipelineError};

/// Full size in release builds (`cargo test --release --test hostile`); a quarter in
/// debug builds, where the same code runs ~20x slower and the sizes would dominate the
/// suite. `.ci/run` also sends the full-size inputs through the release binary
/// (`scripts/hostile.sh`).
const MIB: usize = if cfg!(debug_assertions) {
    1 << 18
} else {
    1 << 20
};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new().expect("models load"))
}

/// Annotates `input` with every stage on and checks that the spans it returns lie inside
/// the returned text.
fn survives(input: &str) -> Result<(), PipelineError> {
    survives_in(input, &[OffsetUnit::Codepoints])
}

/// The same in each of `units` (UTF-16 only where astral characters make it differ, to
/// keep the debug-build test time down).
fn survives_in(input: &str, units: &[OffsetUnit]) -> Result<(), PipelineError> {
    for &offsets in units {
        let options = Options::default().with_offsets(offsets);
        let ann = pipeline().annotate(Input::Text(input.to_string()), &options)?;
        spans_inside(&ann, offsets);
    }
    Ok(())
}

fn spans_inside(ann: &Annotation, unit: OffsetUnit) {
    let len = match unit {
        OffsetUnit::Codepoints => ann.text.chars().count(),
        OffsetUnit::Utf16 => ann.text.encode_utf16().count(),
    };
    for s in &ann.sentences {
        assert!(s.start <= s.end && s.end <= len, "sentence {s:?} of {len}");
    }
    let spans =
        ann.entities
            .iter()
            .flat_map(|e| e.mentions.iter())
            .chain(ann.quotes.iter().flat_map(|q| {
                q.content
                    .iter()
                    .chain(q.cue.as_ref())
                    .chain(q.speaker.as_ref())
            }));
    for span in spans {
        if let (Some(a), Some(b)) = (span.start, span.end) {
            assert!(a <= b && b <= len, "span {a}..{b} of {len}");
        }
        assert!(span.input_start <= span.input_end);
    }
}

#[test]
fn four_mib_of_quotation_marks() {
    let _ = survives(&"\"".repeat(4 * MIB));
    let _ = survives(&"\u{201C}".repeat(4 * MIB / 3));
    let _ = survives(&"\u{201C}\u{201D}'\u{2018}\u{2019}«»".repeat(4 * MIB / 18));
}

#[test]
fn a_four_mib_word() {
    let word = "a".repeat(4 * MIB);
    // Cleaning may judge one endless word not to be an article (a 422 to a client)...
    match survives(&word) {
        Ok(()) | Err(PipelineError::NoArticleText { .. }) => {}
        Err(e) => panic!("a long word is text, not {e:?}"),
    }
    // ...but every later stage must still take it when cleaning is off.
    let options = Options::default().with_clean(false);
    let ann = pipeline()
        .annotate(Input::Text(word), &options)
        .expect("one long word is text");
    spans_inside(&ann, OffsetUnit::Codepoints);
    let _ = survives(&"é".repeat(2 * MIB));
}

#[test]
fn one_mib_of_he_said() {
    survives(&"he said, ".repeat(MIB / 9)).expect("words are text");
}

#[test]
fn twenty_thousand_nested_quotes() {
    let depth = 20_000;
    let mut s = String::from("He said ");
    for i in 0..depth {
        s.push_str(if i % 2 == 0 {
            "\u{201C}word "
        } else {
            "\u{2018}word "
        });
    }
    s.push_str("deep");
    for i in (0..depth).rev() {
        s.push_str(if i % 2 == 0 {
            " word\u{201D}"
        } else {
            " word\u{2019}"
        });
    }
    s.push('.');
    survives(&s).expect("nested quotes are text");
    // Straight quotes nest ambiguously: every mark may open or close.
    survives(&format!(
        "She said {}deep{}.",
        "\"'".repeat(depth / 2),
        "'\"".repeat(depth / 2)
    ))
    .expect("straight quotes are text");
}

#[test]
fn nul_control_and_terminal_escape_bytes() {
    assert_eq!(
        survives(&"\0".repeat(MIB)),
        Err(PipelineError::BinaryInput),
        "NUL bytes are binary"
    );
    let _ = survives(&"\u{1b}[31mred\u{1b}[0m \u{7}\u{8}\u{7f}\u{85}\u{9b} ".repeat(MIB / 24));
    // Sparse enough to pass as text, so that every stage sees the escapes.
    survives(
        &"He said \u{1b}[1mbold\u{1b}[0m words\u{85} \u{1b}]0;title\u{7} ok. ".repeat(MIB / 48),
    )
    .expect("text with a few escapes is text");
}

#[test]
fn right_to_left_text_and_emoji() {
    let rtl = "مرحبا \u{202E}שלום\u{202C} \u{200F}said\u{200E} ";
    let emoji = "😀👩\u{200D}👩\u{200D}👧 🇺🇸 ❤\u{FE0F} 👍🏽 ";
    let both = [OffsetUnit::Codepoints, OffsetUnit::Utf16];
    survives_in(&format!("{rtl}{emoji}").repeat(MIB / 64), &both).expect("RTL and emoji are text");
    // 43,690 quotes: the slowest case in a debug build while the quote stage is quadratic.
    survives(&"“😀” said 👍🏽. ".repeat(MIB / 24)).expect("emoji quotes are text");
}
