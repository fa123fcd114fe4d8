//! The annotation document: the JSON a client receives (contract v1, see `openapi.yaml`).
//!
//! These types are the pipeline's public output: the shells (server, CLI, reading view)
//! read them and nothing else of the pipeline. They are filled by
//! `pipeline::render`, the only place where internal byte offsets become client
//! offsets (code points, or UTF-16 units on request) and where indices between layers
//! become the string ids `E1`, `Q1` that clients follow.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::offsets::OffsetUnit;

/// The four CoNLL types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Words inside quotation marks.
    Direct,
    /// Reported speech without quotation marks.
    Indirect,
    /// Reported speech with quoted fragments inside it.
    Mixed,
}

/// Why a stretch of input is not in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// Menus, "Skip to content", section lists.
    Navigation,
    /// The headline repeated (the first copy becomes the title).
    DuplicateTitle,
    /// The headline itself, moved to `title`.
    Title,
    Byline,
    Dateline,
    Caption,
    Share,
    Related,
    Newsletter,
    Comments,
    Footer,
    Advertisement,
    Cookies,
    /// Markup, scripts and styles of an HTML page.
    Markup,
    /// Control and zero-width characters.
    Control,
    /// Anything else judged not to be article text.
    Boilerplate,
}

/// A piece of text, located both in the returned `text` and in the input as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanOut {
    pub text: String,
    /// Offsets in the returned `text`; null for a span in the title.
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// Offsets in the request's text (or HTML source) as sent.
    pub input_start: usize,
    pub input_end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceOut {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityOut {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub name: String,
    pub salience: f32,
    pub roles: Vec<String>,
    pub mentions: Vec<SpanOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteOut {
    pub id: String,
    pub kind: QuoteKind,
    pub content: Vec<SpanOut>,
    pub cue: Option<SpanOut>,
    pub speaker: Option<SpanOut>,
    pub speaker_entity: Option<String>,
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedOut {
    pub input_start: usize,
    pub input_end: usize,
    pub reason: RemovalReason,
}

/// Something about how the answer was made that a client should know: the article was
/// too short for the boilerplate classifier and was kept by a looser rule
/// (`kept-without-classifier`), or the language was forced (`language-forced`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// A stable, machine-readable name of the warning.
    pub code: String,
    /// What happened, in words.
    pub detail: String,
}

/// Time spent per stage and sizes, for clients and for the metrics endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Microseconds per stage, in pipeline order (`clean`, `segment`, `entities`, `quotes`, `render`).
    pub stage_us: BTreeMap<String, u64>,
    pub total_us: u64,
    pub input_chars: usize,
    pub text_chars: usize,
    pub paragraphs: usize,
    pub sentences: usize,
    pub tokens: usize,
    pub mentions: usize,
    pub entities: usize,
    pub quotes: usize,
    pub removed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub service: String,
    /// Model name -> version of each model that took part.
    pub models: BTreeMap<String, String>,
}

/// The answer to one annotation request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The request's `id`, echoed when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    pub title: Option<String>,
    pub text: String,
    /// ISO 639-1 code of the body's language (`en` when too short or mixed to tell).
    pub language: String,
    /// The detector's confidence in `language`, 0 to 1.
    #[serde(default)]
    pub language_confidence: f32,
    /// Whether `language` is the detector's reliable judgement.
    #[serde(default)]
    pub language_reliable: bool,
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    /// The unit every `start`/`end` offset counts.
    pub offsets: OffsetUnit,
    pub sentences: Vec<SentenceOut>,
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    pub removed: Vec<RemovedOut>,
    /// How the answer departs from the ordinary path (empty for most articles).
    #[serde(default)]
    pub warnings: Vec<Warning>,
    pub stats: Stats,
    pub version: Version,
}
