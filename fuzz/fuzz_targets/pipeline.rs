//! Arbitrary bytes as a document: the first byte picks the options (clean, entities,
//! quotes, offset unit, text or HTML), the rest, read as UTF-8 (lossily), is the input.
//! Any panic is a finding; refusals (`PipelineError`) are fine. Runs on the service's
//! worker stack with its text limit (see `service.rs`).
#![no_main]

#[path = "service.rs"]
mod service;

use libfuzzer_sys::fuzz_target;
use news_annotator::pipeline::OffsetUnit;
use news_annotator::{Input, Options};
use service::{on_worker_stack, pipeline};

fuzz_target!(|data: &[u8]| on_worker_stack(|| one(data)));

fn one(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let options = Options::default()
        .with_clean(flags & 1 != 0)
        .with_entities(flags & 2 != 0)
        .with_quotes(flags & 4 != 0)
        .with_offsets(if flags & 8 != 0 {
            OffsetUnit::Utf16
        } else {
            OffsetUnit::Codepoints
        });
    let text = String::from_utf8_lossy(rest).into_owned();
    let input = if flags & 16 != 0 {
        Input::Html(text)
    } else {
        Input::Text(text)
    };
    if let Ok(ann) = pipeline().annotate(input, &options) {
        // Every offset must index the returned text (the property tests check more;
        // here it is cheap enough to run millions of times).
        let len = match options.offsets() {
            OffsetUnit::Codepoints => ann.text.chars().count(),
            OffsetUnit::Utf16 => ann.text.encode_utf16().count(),
        };
        for s in &ann.sentences {
            assert!(s.start <= s.end && s.end <= len);
        }
        for q in &ann.quotes {
            for c in q.content.iter().chain(&q.cue).chain(&q.speaker) {
                if let (Some(a), Some(b)) = (c.start, c.end) {
                    assert!(a <= b && b <= len);
                }
                assert!(c.input_start <= c.input_end);
            }
        }
        serde_json::to_vec(&ann).expect("annotation serialises");
    }
}
