//! The language stage: which language the article body is in, and whether this service
//! annotates it.
//!
//! The entity tagger, the quote cues and the speaker rules are English; run on German
//! they find "Mittwoch" as an organisation. So a body in another language is refused
//! (`unsupported-language`, naming it), unless the request forces English
//! (`"options": {"language": "en"}`) or asks for cleaning only, which is language-blind.
//!
//! Detection is `whatlang` (character trigrams over 70 languages) on the body that
//! cleaning kept, not on the page's furniture: the paragraphs of eight words or more
//! (`sample`). A trigram detector is unreliable on a sentence or two: one-line English
//! CMS bodies come out as Welsh or Latin. Refusing a real English article is far worse
//! than annotating a short foreign one, so the stage refuses only when all of these hold
//! ([`Verdict`]): the detector says it is reliable, the sample has at least
//! [`MIN_WORDS`] words, and fewer than 1 word in 20 is an English function word
//! (`resources/languages/english_function_words.txt`; English news runs at about 1 in
//! 5). Otherwise the text is taken as English, `language_reliable` is false unless the
//! detector itself said English, and `language_confidence` is the detector's confidence
//! in English (0 when it guessed another language).

mod names;

pub use names::{english_name, iso639_1};

use rustc_hash::FxHashSet;

use super::document::{Document, Language};
use super::layer::Layer;
use super::stage::{Refusal, RunContext, Stage, StageError};
use super::ForcedLanguage;

/// The most text the detector reads (bytes of the sample): trigram counts settle long
/// before this, and the stage stays cheap on a long article.
const SAMPLE_BYTES: usize = 4096;
/// Fewer different words than this and the text is taken as English, whatever the
/// detector says.
pub const MIN_WORDS: usize = 12;
/// Paragraphs shorter than this (in words) are left out of the sample when there are
/// longer ones: captions, bylines and leftover furniture are not the article's language.
const SAMPLE_PARAGRAPH_WORDS: usize = 8;
/// A share of English function words at or above this is English, whatever the trigrams say.
const ENGLISH_SHARE: f32 = 0.05;

const FUNCTION_WORDS: &str =
    include_str!("../../../resources/languages/english_function_words.txt");

/// The language stage (see the module documentation).
#[derive(Debug)]
pub struct LanguageStage {
    english_words: FxHashSet<&'static str>,
}

impl Default for LanguageStage {
    fn default() -> Self {
        LanguageStage::new()
    }
}

/// What the detector makes of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// ISO 639-1 code of the detected language, or `en` when the text is taken as English.
    pub code: &'static str,
    /// The detector's confidence in `code` (0 to 1).
    pub confidence: f32,
    /// Whether `code` is the detector's reliable judgement.
    pub reliable: bool,
}

impl LanguageStage {
    pub fn new() -> Self {
        let english_words = FUNCTION_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        LanguageStage { english_words }
    }

    /// The language of `text` (an article body), by the rules of the module documentation.
    pub fn detect(&self, text: &str) -> Verdict {
        let sample = sample(text);
        let (mut words, mut english) = (0usize, 0usize);
        let mut distinct = FxHashSet::default();
        for w in sample.split(|c: char| !c.is_alphabetic()) {
            if w.is_empty() {
                continue;
            }
            words += 1;
            if distinct.len() < MIN_WORDS {
                distinct.insert(w);
            }
            if w.len() <= 5 && self.english_words.contains(w.to_lowercase().as_str()) {
                english += 1;
            }
        }
        let info = whatlang::detect(&sample);
        let detected = info.as_ref().and_then(|i| iso639_1(i.lang().code()));
        let confidence = info.as_ref().map_or(0.0, |i| i.confidence() as f32);
        let reliable = info.as_ref().is_some_and(whatlang::Info::is_reliable);
        let looks_english = words > 0 && english as f32 >= ENGLISH_SHARE * words as f32;
        match detected {
            Some("en") => Verdict {
                code: "en",
                confidence,
                reliable,
            },
            // Twelve different words: "word word word ..." is no language.
            Some(code) if reliable && distinct.len() >= MIN_WORDS && !looks_english => Verdict {
                code,
                confidence,
                reliable: true,
            },
            _ => Verdict {
                code: "en",
                confidence: 0.0,
                reliable: false,
            },
        }
    }
}

/// The body's paragraphs of [`SAMPLE_PARAGRAPH_WORDS`] words or more (all of it when it
/// has none), joined, at most [`SAMPLE_BYTES`] bytes.
fn sample(text: &str) -> String {
    let long = |p: &&str| p.split_whitespace().count() >= SAMPLE_PARAGRAPH_WORDS;
    let mut paragraphs: Vec<&str> = text.lines().filter(long).collect();
    if paragraphs.is_empty() {
        paragraphs = vec![text];
    }
    let mut out = String::with_capacity(SAMPLE_BYTES.min(text.len()) + 1);
    for p in paragraphs {
        if out.len() >= SAMPLE_BYTES {
            break;
        }
        let room = SAMPLE_BYTES - out.len();
        let mut end = p.len().min(room);
        while !p.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&p[..end]);
        out.push('\n');
    }
    out
}

impl Stage for LanguageStage {
    fn name(&self) -> &'static str {
        "language"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Text]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Language]
    }

    fn version(&self) -> Option<String> {
        Some("whatlang-0.18+english-guard-1".to_string())
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        let verdict = self.detect(doc.text()?);
        let options = cx.options();
        let forced = options.language() == Some(ForcedLanguage::En);
        // Cleaning alone does not depend on the language.
        let annotates = options.entities() || options.quotes();
        if verdict.code != "en" && annotates && !forced {
            return Err(Refusal::UnsupportedLanguage {
                code: verdict.code.to_string(),
                name: english_name(verdict.code).to_string(),
            }
            .into());
        }
        doc.set_language(Language {
            code: verdict.code.to_string(),
            confidence: verdict.confidence,
            reliable: verdict.reliable,
            forced: forced && verdict.code != "en",
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
