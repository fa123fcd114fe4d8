//! The annotation document: the JSON a client receives (contract v1, see `openapi.yaml`).
//!
//! Rendering is the only place where internal byte offsets become client offsets (code
//! points, or UTF-16 units on request) and where indices between layers become the
//! string ids `E1`, `Q1` that clients follow.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::document::{Document, EntityType, QuoteKind, Region, RemovalReason, Span};
use super::offsets::{OffsetIndex, OffsetUnit};

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
    pub language: String,
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    /// The unit every `start`/`end` offset counts.
    pub offsets: OffsetUnit,
    pub sentences: Vec<SentenceOut>,
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    pub removed: Vec<RemovedOut>,
    pub stats: Stats,
    pub version: Version,
}

/// Renders spans of one document in one offset unit.
pub(crate) struct Renderer<'d> {
    doc: &'d Document,
    text_index: OffsetIndex<'d>,
    input_index: OffsetIndex<'d>,
}

impl<'d> Renderer<'d> {
    pub(crate) fn new(doc: &'d Document, unit: OffsetUnit) -> Self {
        Renderer {
            doc,
            text_index: OffsetIndex::new(&doc.text, unit),
            input_index: OffsetIndex::new(&doc.input, unit),
        }
    }

    pub(crate) fn span(&self, span: Span, region: Region) -> SpanOut {
        let input = self.doc.input_range(span, region);
        let (start, end) = match region {
            Region::Body => (
                Some(self.text_index.units(span.start)),
                Some(self.text_index.units(span.end)),
            ),
            Region::Title => (None, None),
        };
        SpanOut {
            text: self.doc.slice(span, region).to_string(),
            start,
            end,
            input_start: self.input_index.units(input.start),
            input_end: self.input_index.units(input.end),
        }
    }

    pub(crate) fn text_units(&self, byte: usize) -> usize {
        self.text_index.units(byte)
    }

    pub(crate) fn input_units(&self, byte: usize) -> usize {
        self.input_index.units(byte)
    }
}

/// Builds the annotation document from a finished [`Document`].
pub(crate) fn render(
    doc: &Document,
    unit: OffsetUnit,
    stats: Stats,
    version: Version,
    with_entities: bool,
) -> Annotation {
    let r = Renderer::new(doc, unit);
    let entity_id = |i: usize| format!("E{}", i + 1);
    let entities = if with_entities {
        doc.entities
            .iter()
            .enumerate()
            .map(|(i, e)| EntityOut {
                id: entity_id(i),
                kind: e.label,
                name: e.name.clone(),
                salience: e.salience,
                roles: e.roles.clone(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&m| r.span(doc.mentions[m].span, doc.mentions[m].region))
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let quotes = doc
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| QuoteOut {
            id: format!("Q{}", i + 1),
            kind: q.kind,
            content: q.content.iter().map(|&s| r.span(s, Region::Body)).collect(),
            cue: q.cue.map(|s| r.span(s, Region::Body)),
            speaker: q.speaker.map(|s| r.span(s, Region::Body)),
            // Without the entity list an entity id would point at nothing.
            speaker_entity: q.speaker_entity.filter(|_| with_entities).map(entity_id),
            confidence: q.confidence,
        })
        .collect();
    Annotation {
        id: None,
        title: doc.title.as_ref().map(|t| t.text.clone()),
        text: doc.text.clone(),
        language: "en".to_string(),
        byline: doc.byline.clone(),
        published: doc.published.clone(),
        dateline: doc.dateline.clone(),
        offsets: unit,
        sentences: doc
            .sentences
            .iter()
            .map(|s| SentenceOut {
                start: r.text_units(s.span.start),
                end: r.text_units(s.span.end),
            })
            .collect(),
        entities,
        quotes,
        removed: doc
            .removed
            .iter()
            .map(|x| RemovedOut {
                input_start: r.input_units(x.input.start),
                input_end: r.input_units(x.input.end),
                reason: x.reason,
            })
            .collect(),
        stats,
        version,
    }
}
