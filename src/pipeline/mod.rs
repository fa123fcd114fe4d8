//! The annotation pipeline: clean, segment, entities, quotes.
//!
//! Each stage is plain synchronous Rust over one [`Document`]: it reads the layers that
//! earlier stages left and adds its own. No stage does I/O or keeps global state; models
//! are loaded once, when the [`Pipeline`] is built, from bytes embedded in the binary.
//! The HTTP server and the CLI only ever see [`Pipeline::annotate`].

pub mod alignment;
pub mod annotation;
pub mod clean;
pub mod document;
pub mod entities;
pub mod offsets;
pub mod quotes;
pub mod segment;

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

pub use annotation::Annotation;
pub use document::{Document, InputKind};
pub use offsets::OffsetUnit;

use annotation::{Stats, Version};
use document::Removed;

/// A stage that adds one layer to a document.
///
/// Cleaning is not a `Stage`: it makes the document out of the input, where every other
/// stage transforms one.
pub trait Stage: Send + Sync {
    /// Short name, used in `stats.stage_us` and in metrics.
    fn name(&self) -> &'static str;
    fn run(&self, doc: &mut Document);
}

/// What a request carries: plain text, or an HTML page or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(String),
    Html(String),
}

impl Input {
    pub fn kind(&self) -> InputKind {
        match self {
            Input::Text(_) => InputKind::Text,
            Input::Html(_) => InputKind::Html,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Input::Text(s) | Input::Html(s) => s,
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Input::Text(s) | Input::Html(s) => s,
        }
    }
}

fn yes() -> bool {
    true
}

/// Per-request switches. Every stage is on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Remove boilerplate and normalise. `false` keeps a text input exactly as sent
    /// (an HTML input is still turned into text: markup is never article text).
    #[serde(default = "yes")]
    pub clean: bool,
    #[serde(default = "yes")]
    pub entities: bool,
    /// Quotes with their speakers. Speakers are resolved to entities only when
    /// `entities` is on too (otherwise `speaker_entity` is null).
    #[serde(default = "yes")]
    pub quotes: bool,
    /// The unit of every offset in the answer.
    #[serde(default)]
    pub offsets: OffsetUnit,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            clean: true,
            entities: true,
            quotes: true,
            offsets: OffsetUnit::Codepoints,
        }
    }
}

/// Why a document could not be annotated. Each is the client's doing, not a fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    #[error("the text is empty or only white space")]
    EmptyText,
    #[error("the input looks like binary data, not text")]
    BinaryInput,
    #[error("no article text found: everything was removed as boilerplate")]
    NoArticleText { removed: Vec<Removed> },
}

/// Why the pipeline could not be built (a broken embedded model).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model {name} could not be loaded: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// The loaded stages, shared by all requests (it is `Send + Sync` and read-only).
pub struct Pipeline {
    cleaner: clean::Cleaner,
    segmenter: segment::Segmenter,
    entities: entities::EntityStage,
    quotes: quotes::QuoteStage,
}

impl Pipeline {
    /// Loads every model from the bytes embedded in the binary.
    pub fn new() -> Result<Self, ModelError> {
        // The gazetteers are parsed on first use (~0.4 s); doing it here keeps that cost
        // out of the first request and makes the server ready only once it is paid.
        entities::gazetteer::Gazetteers::embedded();
        Ok(Pipeline {
            cleaner: clean::Cleaner::new(),
            segmenter: segment::Segmenter::new(),
            entities: entities::EntityStage::new()?,
            quotes: quotes::QuoteStage::new(),
        })
    }

    /// Versions of the service and of each model, as reported in every annotation.
    pub fn version(&self) -> Version {
        let mut models = BTreeMap::new();
        models.insert("entities".to_string(), self.entities.model_version());
        models.insert("quotes".to_string(), self.quotes.model_version());
        models.insert("clean".to_string(), self.cleaner.model_version());
        Version {
            service: env!("CARGO_PKG_VERSION").to_string(),
            models,
        }
    }

    /// Runs the stages the options ask for and renders the result.
    pub fn annotate(&self, input: Input, options: &Options) -> Result<Annotation, PipelineError> {
        let started = Instant::now();
        let mut stage_us = BTreeMap::new();
        let mut timed = |name: &str, t: Instant| {
            stage_us.insert(name.to_string(), t.elapsed().as_micros() as u64);
        };

        let t = Instant::now();
        let mut doc = self.cleaner.clean(input, options.clean)?;
        timed("clean", t);

        let mut stages: Vec<&dyn Stage> = vec![&self.segmenter];
        // The quote stage resolves speakers through entities, so it needs them even
        // when the client did not ask to see them.
        if options.entities || options.quotes {
            stages.push(&self.entities);
        }
        if options.quotes {
            stages.push(&self.quotes);
        }
        for stage in stages {
            let t = Instant::now();
            stage.run(&mut doc);
            timed(stage.name(), t);
        }

        let stats = Stats {
            stage_us: BTreeMap::new(),
            total_us: 0,
            input_chars: doc.input.chars().count(),
            text_chars: doc.text.chars().count(),
            paragraphs: doc.paragraphs.len(),
            sentences: doc.sentences.len(),
            tokens: doc.tokens.len(),
            mentions: if options.entities {
                doc.mentions.len()
            } else {
                0
            },
            entities: if options.entities {
                doc.entities.len()
            } else {
                0
            },
            quotes: doc.quotes.len(),
            removed: doc.removed.len(),
        };
        let t = Instant::now();
        let mut annotation = annotation::render(
            &doc,
            options.offsets,
            stats,
            self.version(),
            options.entities,
        );
        timed("render", t);
        annotation.stats.stage_us = stage_us;
        annotation.stats.total_us = started.elapsed().as_micros() as u64;
        Ok(annotation)
    }
}
