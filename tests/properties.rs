//! Property tests of the annotation contract: for any input and any options,
//! [`Pipeline::annotate`] does not panic and every offset it returns is usable.
//!
//! What is checked, for each span (entity mention, quote content, cue, speaker):
//! - `start <= end`, both within the returned text, on character boundaries in the
//!   chosen unit, and `text[start..end]` (counted in that unit) is the span's text;
//! - `input_start <= input_end` within the input, on character boundaries, and the input
//!   slice is the span's text: exactly when cleaning is off, up to the normalisation the
//!   clean stage does (see [`canonical`]) when it is on, and, for HTML, every ASCII letter
//!   and digit of the span appears in order in the input slice (markup and character
//!   references sit in between).
//!
//! Sentences must be in range, on boundaries and in order; removed ranges in range.
//!
//! The generators mix arbitrary strings with fragments chosen to hurt: quotation marks of
//! every kind, apostrophes, dashes, line breaks, right-to-left text and controls, emoji
//! sequences, C0/C1 controls and terminal escapes, zero-width characters and HTML-ish
//! snippets. Case counts stay moderate so that `cargo test` is quick on two cores.

use std::sync::OnceLock;

use news_annotator::pipeline::clean::decode_reference;
use news_annotator::pipeline::output::SpanOut;
use news_annotator::pipeline::OffsetUnit;
use news_annotator::{Annotation, Input, Options, Pipeline, PipelineError};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use unicode_normalization::UnicodeNormalization;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new().expect("models load"))
}

/// Byte offset of every unit boundary of `s`: `map[u]` is the byte offset where unit `u`
/// starts, or `None` when `u` falls inside a character (the second half of a surrogate
/// pair). `map[len]` is `s.len()`.
fn unit_to_byte(s: &str, unit: OffsetUnit) -> Vec<Option<usize>> {
    let mut map = Vec::with_capacity(s.len() + 1);
    for (b, c) in s.char_indices() {
        map.push(Some(b));
        if unit == OffsetUnit::Utf16 && c.len_utf16() == 2 {
            map.push(None);
        }
    }
    map.push(Some(s.len()));
    map
}

/// The byte range of units `start..end`, checking that both are in range and on
/// character boundaries.
fn slice<'a>(
    s: &'a str,
    map: &[Option<usize>],
    start: usize,
    end: usize,
    what: &str,
) -> Result<&'a str, TestCaseError> {
    prop_assert!(start <= end, "{what}: start {start} > end {end}");
    prop_assert!(
        end < map.len(),
        "{what}: end {end} beyond the string ({} units)",
        map.len() - 1
    );
    let (Some(a), Some(b)) = (map[start], map[end]) else {
        return Err(TestCaseError::fail(format!(
            "{what}: {start}..{end} splits a character"
        )));
    };
    Ok(&s[a..b])
}

/// What plain-text cleaning may change: character references decoded, controls and
/// format characters dropped, compatibility forms, every run of white space one space,
/// nothing at either end. (A new normalisation in the clean stage belongs here too.)
///
/// The order is cleaning's: a dropped control can bring a letter and its combining
/// accent together ("e", BEL, U+0301), which then compose; normalising first would
/// leave them apart and call a correct span wrong.
fn canonical(s: &str) -> String {
    let kept: String = decode_references(s)
        .chars()
        .filter(|&c| c.is_whitespace() || !is_dropped(c))
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut space = false;
    for c in kept.nfkc() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Controls and invisible format characters, which cleaning removes.
fn is_dropped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Every character reference the clean stage knows decoded (`&amp;` -> `&`).
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(at) = s[i..].find('&').map(|k| i + k) {
        out.push_str(&s[i..at]);
        match decode_reference(&s[at..]) {
            Some((c, len)) => {
                out.push(c);
                i = at + len;
            }
            None => {
                out.push('&');
                i = at + 1;
            }
        }
    }
    out.push_str(&s[i..]);
    out
}

/// Numeric character references decoded, so that `&#65;` counts as the `A` it is.
fn decode_numeric_refs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (hex, digits) = match after.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, after),
        };
        let n = digits
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(digits.len());
        let value = if hex {
            u32::from_str_radix(&digits[..n], 16).ok()
        } else {
            digits[..n].parse::<u32>().ok()
        };
        match value.and_then(char::from_u32) {
            Some(c) if n > 0 => {
                out.push(c);
                let skip = n + usize::from(digits[n..].starts_with(';'));
                rest = &digits[skip..];
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_subsequence(needle: impl Iterator<Item = char>, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.into_iter().all(|c| hay.any(|h| h == c))
}

struct Checker<'a> {
    ann: &'a Annotation,
    input: &'a str,
    html: bool,
    clean: bool,
    text_map: Vec<Option<usize>>,
    input_map: Vec<Option<usize>>,
}

impl Checker<'_> {
    fn span(&self, span: &SpanOut, what: &str) -> Result<(), TestCaseError> {
        match (span.start, span.end) {
            (Some(s), Some(e)) => {
                let got = slice(&self.ann.text, &self.text_map, s, e, what)?;
                prop_assert_eq!(got, span.text.as_str(), "{}: text slice", what);
            }
            (None, None) => {
                // A span in the title.
                let title = self.ann.title.as_deref().unwrap_or("");
                prop_assert!(
                    title.contains(span.text.as_str()),
                    "{what}: {:?} is not in the title {:?}",
                    span.text,
                    title
                );
            }
            _ => prop_assert!(false, "{what}: only one of start and end is null"),
        }
        let src = slice(
            self.input,
            &self.input_map,
            span.input_start,
            span.input_end,
            &format!("{what} (input)"),
        )?;
        if self.html {
            let letters = span.text.chars().filter(char::is_ascii_alphanumeric);
            prop_assert!(
                is_subsequence(letters, &decode_numeric_refs(src)),
                "{what}: {:?} does not come from input {:?}",
                span.text,
                src
            );
        } else if self.clean {
            prop_assert_eq!(
                canonical(src),
                canonical(&span.text),
                "{}: input slice differs beyond normalisation",
                what
            );
        } else {
            prop_assert_eq!(src, span.text.as_str(), "{}: input slice", what);
        }
        Ok(())
    }

    fn all(&self) -> Result<(), TestCaseError> {
        let ann = self.ann;
        if !self.html && !self.clean {
            prop_assert_eq!(&ann.text, self.input, "clean:false keeps a text input");
        }
        let mut last_end = 0;
        for (i, s) in ann.sentences.iter().enumerate() {
            let what = format!("sentence {i}");
            slice(&ann.text, &self.text_map, s.start, s.end, &what)?;
            prop_assert!(s.start >= last_end, "{what} overlaps the one before");
            last_end = s.end;
        }
        for e in &ann.entities {
            for (i, m) in e.mentions.iter().enumerate() {
                self.span(m, &format!("{} mention {i}", e.id))?;
            }
        }
        for q in &ann.quotes {
            for (i, c) in q.content.iter().enumerate() {
                self.span(c, &format!("{} content {i}", q.id))?;
            }
            if let Some(c) = &q.cue {
                self.span(c, &format!("{} cue", q.id))?;
            }
            if let Some(s) = &q.speaker {
                self.span(s, &format!("{} speaker", q.id))?;
            }
            if let Some(id) = &q.speaker_entity {
                prop_assert!(
                    ann.entities.iter().any(|e| &e.id == id),
                    "{} names missing entity {}",
                    q.id,
                    id
                );
            }
        }
        for (i, r) in ann.removed.iter().enumerate() {
            slice(
                self.input,
                &self.input_map,
                r.input_start,
                r.input_end,
                &format!("removed {i}"),
            )?;
        }
        Ok(())
    }
}

fn check(input: &str, html: bool, options: Options) -> Result<(), TestCaseError> {
    let request = if html {
        Input::Html(input.to_string())
    } else {
        Input::Text(input.to_string())
    };
    let ann = match pipeline().annotate(request, &options) {
        Ok(ann) => ann,
        // Refusals are answers too; what matters is that nothing panicked.
        Err(PipelineError::EmptyText)
        | Err(PipelineError::BinaryInput)
        | Err(PipelineError::NoArticleText { .. })
        | Err(PipelineError::UnsupportedLanguage { .. }) => return Ok(()),
        // Nothing cancels or limits these runs, and a fault is a finding.
        Err(
            e @ (PipelineError::Cancelled
            | PipelineError::Internal { .. }
            | PipelineError::TextTooLarge { .. }),
        ) => return Err(TestCaseError::fail(format!("{e}"))),
    };
    prop_assert_eq!(ann.offsets, options.offsets());
    Checker {
        ann: &ann,
        input,
        html,
        clean: options.clean(),
        text_map: unit_to_byte(&ann.text, options.offsets()),
        input_map: unit_to_byte(input, options.offsets()),
    }
    .all()
}

/// Pieces that stress quote pairing, tokenisation, offsets and cleaning.
const FRAGMENTS: &[&str] = &[
    // Quotation marks and apostrophes.
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    "‚",
    "‹",
    "›",
    "``",
    "''",
    "＂",
    "「",
    "」",
    // Dashes and hyphens.
    "-",
    "–",
    "—",
    "--",
    "―",
    "‐",
    "−",
    // Line breaks of every kind.
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\n \n",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{0c}",
    // Right-to-left text and bidi controls.
    "مرحبا بالعالم",
    "שלום",
    "\u{202E}",
    "\u{200F}",
    "\u{2067}",
    "\u{2069}",
    // Emoji: astral, ZWJ sequences, flags, variation selectors, skin tones.
    "😀",
    "👩\u{200D}👩\u{200D}👧",
    "🇺🇸",
    "❤\u{FE0F}",
    "👍🏽",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    // Controls, terminal escapes, zero-width and odd spaces.
    "\u{1b}[31m",
    "\u{1b}]0;title\u{7}",
    "\u{7}",
    "\u{8}",
    "\u{7f}",
    "\u{9b}",
    "\t",
    "\u{200B}",
    "\u{FEFF}",
    "\u{AD}",
    "\u{A0}",
    "\u{3000}",
    "\u{2009}",
    // Combining marks, compatibility forms.
    "e\u{301}",
    "\u{301}",
    "ﬁ",
    "Ｈｅｌｌｏ",
    "Å",
    "ß",
    "İ",
    // HTML-ish snippets and character references.
    "<p>",
    "</p>",
    "<br>",
    "<div class=\"x\">",
    "<script>x=\"</p>\"</script>",
    "<style>",
    "<!--",
    "-->",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "&#8220;",
    "&#x201D;",
    "&#0;",
    "&#99999999;",
    "&#xD800;",
    "<title>Headline</title>",
    "<h1>",
    "</h1>",
    // Words that make sentences, entities and attributions.
    " ",
    " ",
    " ",
    "said",
    " said ",
    "he",
    "He",
    "She",
    "they",
    "told",
    "according to",
    "Mr.",
    "Dr.",
    "U.S.",
    "Barack Obama",
    "Angela Merkel",
    "Reuters",
    "Washington",
    "New York",
    "the",
    "President",
    ",",
    ".",
    "?",
    "!",
    "…",
    ":",
    ";",
    "(",
    ")",
    "3,000",
    "$4.5",
    "http://example.com/a?b=c",
    "a@b.example",
    "By Jane Doe",
    "WASHINGTON (Reuters) -",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{0,6}",
    ]
}

/// Arbitrary strings and strings assembled from hostile fragments.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        4 => prop::collection::vec(fragment(), 0..80).prop_map(|v| v.concat()),
    ]
}

fn options() -> impl Strategy<Value = Options> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![OffsetUnit::Codepoints, OffsetUnit::Utf16]),
    )
        .prop_map(|(clean, entities, quotes, offsets)| {
            Options::default()
                .with_clean(clean)
                .with_entities(entities)
                .with_quotes(quotes)
                .with_offsets(offsets)
        })
}

/// The README's test command must not go flaky, so the property tests run the same
/// cases on every run: a fixed seed, and no regression file written next to the source
/// (`cargo test` never changes a tracked file). A case they find is kept on purpose, as
/// a named test below. To look for new cases, pick a seed and more cases:
/// `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=4000 cargo test --release --test properties`
/// (the seed is printed with any failure).
fn config() -> ProptestConfig {
    let from_env = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            from_env.cases
        } else {
            384
        },
        rng_seed: if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
            from_env.rng_seed
        } else {
            RngSeed::Fixed(0x6e65_7773)
        },
        failure_persistence: None,
        ..from_env
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn text_input_spans_are_in_range_and_map_back(s in text(), opts in options()) {
        check(&s, false, opts)?;
    }

    #[test]
    fn html_input_spans_are_in_range_and_map_back(s in text(), opts in options()) {
        check(&s, true, opts)?;
    }

    #[test]
    fn wrapped_in_a_page_spans_map_back(s in text(), opts in options()) {
        let page = format!("<html><head><title>T</title></head><body><p>{s}</p></body></html>");
        check(&page, true, opts)?;
    }
}

/// Cases the property tests found, kept as tests (issue 10: proptest no longer writes a
/// regression file). Each runs with every option that matters to it.
fn check_all_units(input: &str, options: Options) {
    for unit in [OffsetUnit::Codepoints, OffsetUnit::Utf16] {
        for entities in [false, true] {
            let o = options.with_offsets(unit).with_entities(entities);
            check(input, false, o).unwrap_or_else(|e| panic!("{o:?}: {e}"));
        }
    }
}

/// Dropping the BEL brings "e" and U+0301 together and cleaning composes them ("titlé");
/// the quote's input slice rightly spans "title\u{7}\u{301}". The oracle normalised
/// before dropping controls and so saw "title\u{301}" there: the oracle was wrong.
#[test]
fn a_dropped_control_between_a_letter_and_its_accent() {
    let s = "http://example.com/a?b=c\n\u{1b}[31m said \u{1b}]0;title\u{7}\u{301}\n\n";
    check_all_units(s, Options::default());
    assert_eq!(canonical("title\u{7}\u{301}"), canonical("titl\u{e9}"));
}

/// `&amp;` in plain text is decoded by cleaning (it was the oracle that did not).
#[test]
fn a_character_reference_in_plain_text() {
    let s =
        "«مرحبا بالعالم&amp;＂\u{2028}\u{1b}[31m:\n\"مرحبا بالعالم«http://example.com/a?b=c\"\"\"";
    check_all_units(s, Options::default());
}

#[test]
fn unit_map_marks_the_middle_of_surrogate_pairs() {
    let m = unit_to_byte("a😀b", OffsetUnit::Utf16);
    assert_eq!(m, vec![Some(0), Some(1), None, Some(5), Some(6)]);
    let m = unit_to_byte("a😀b", OffsetUnit::Codepoints);
    assert_eq!(m, vec![Some(0), Some(1), Some(5), Some(6)]);
}

#[test]
fn canonical_forgives_exactly_what_cleaning_does() {
    assert_eq!(canonical(" a\r\n\u{A0}b\u{200B}c\u{7} "), "a bc");
    assert_ne!(canonical("ab"), canonical("a b"));
    assert_eq!(decode_numeric_refs("&#65;&#x42;&#;x"), "AB&#;x");
    assert_eq!(
        canonical("Tom &amp; Jerry&#8217;s &bogus;"),
        "Tom & Jerry’s &bogus;"
    );
}

/// The checker itself: a real article passes, and one wrong offset is caught.
#[test]
fn checker_catches_a_span_that_does_not_map_back() {
    let input = "WASHINGTON \u{2014} \u{201C}We will not wait,\u{201D} Barack Obama said on \
                 Tuesday.\r\n\r\nThe  President told Reuters that talks\u{00A0}had failed.";
    let options = Options::default();
    let ann = pipeline()
        .annotate(Input::Text(input.to_string()), &options)
        .unwrap();
    assert!(!ann.quotes.is_empty() && !ann.entities.is_empty());
    let checker = |ann| Checker {
        ann,
        input,
        html: false,
        clean: true,
        text_map: unit_to_byte(&ann.text, options.offsets()),
        input_map: unit_to_byte(input, options.offsets()),
    };
    checker(&ann).all().unwrap();

    let mut shifted = ann.clone();
    let m = &mut shifted.entities[0].mentions[0];
    m.input_start += 1;
    m.input_end += 1;
    assert!(checker(&shifted).all().is_err());

    let mut shifted = ann.clone();
    let c = &mut shifted.quotes[0].content[0];
    c.start = c.start.map(|s| s + 1);
    assert!(checker(&shifted).all().is_err());
}
