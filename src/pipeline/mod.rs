//! The annotation pipeline: clean, segment, entities, quotes.
//!
//! Each stage ([`Stage`]) is plain synchronous Rust over one [`Document`]: it declares
//! the layers it reads and the layers it adds ([`Layer`]), reads the first through the
//! document's accessors and adds the second with its setters. No stage does I/O or
//! keeps global state; models are loaded once, when the [`Pipeline`] is built, from
//! bytes embedded in the binary.
//!
//! The stages are listed once, in [`registry::Registry::default_stages`]. A request's
//! [`Options`] say which layers the answer reports ([`Options::layers`]); the registry
//! runs the stages that assign them and what those require; `render` turns each
//! reported layer into its part of the [`Annotation`]. The HTTP server and the CLI only
//! ever see [`Pipeline::annotate`] and the types of [`output`].

pub mod alignment;
pub mod clean;
pub mod document;
pub mod entities;
pub mod language;
pub mod layer;
mod offsets;
pub mod output;
pub mod quotes;
pub mod registry;
mod render;
pub mod segment;
pub mod stage;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

pub use document::{Document, InputKind};
pub use layer::{Layer, LayerSet};
pub use output::{Annotation, OffsetUnit, RemovedOut, Version, Warning};
pub use registry::{Registry, RegistryError};
pub use stage::{CancelToken, Cancelled, MissingLayer, Refusal, RunContext, Stage, StageError};

use offsets::OffsetIndex;

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
///
/// Built with [`Options::default`] and the `with_*` methods, so that a new switch
/// changes no caller:
///
/// ```
/// use news_annotator::{OffsetUnit, Options};
/// let options = Options::default().with_quotes(false).with_offsets(OffsetUnit::Utf16);
/// assert!(options.entities() && !options.quotes());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Remove boilerplate and normalise. `false` keeps a text input exactly as sent
    /// (an HTML input is still turned into text: markup is never article text).
    #[serde(default = "yes")]
    clean: bool,
    #[serde(default = "yes")]
    entities: bool,
    /// Quotes with their speakers. Speakers are resolved to entities only when
    /// `entities` is on too (otherwise `speaker_entity` is null).
    #[serde(default = "yes")]
    quotes: bool,
    /// The unit of every offset in the answer.
    #[serde(default)]
    offsets: OffsetUnit,
    /// Annotate as this language whatever the text reads as (`"en"`: annotate a text
    /// the language stage would refuse); `None` refuses a language not annotated.
    #[serde(default)]
    language: Option<ForcedLanguage>,
}

/// A language a request may force (`"options": {"language": "en"}`): the languages this
/// service annotates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForcedLanguage {
    #[serde(rename = "en")]
    En,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            clean: true,
            entities: true,
            quotes: true,
            offsets: OffsetUnit::Codepoints,
            language: None,
        }
    }
}

impl Options {
    #[must_use]
    pub fn with_clean(mut self, on: bool) -> Self {
        self.clean = on;
        self
    }

    #[must_use]
    pub fn with_entities(mut self, on: bool) -> Self {
        self.entities = on;
        self
    }

    #[must_use]
    pub fn with_quotes(mut self, on: bool) -> Self {
        self.quotes = on;
        self
    }

    #[must_use]
    pub fn with_offsets(mut self, unit: OffsetUnit) -> Self {
        self.offsets = unit;
        self
    }

    #[must_use]
    pub fn with_language(mut self, language: Option<ForcedLanguage>) -> Self {
        self.language = language;
        self
    }

    /// The language the request forces, if any.
    pub fn language(&self) -> Option<ForcedLanguage> {
        self.language
    }

    pub fn clean(&self) -> bool {
        self.clean
    }

    pub fn entities(&self) -> bool {
        self.entities
    }

    pub fn quotes(&self) -> bool {
        self.quotes
    }

    pub fn offsets(&self) -> OffsetUnit {
        self.offsets
    }

    /// The layers the answer reports: listed in the JSON, or counted in `stats`.
    pub fn layers(&self) -> LayerSet {
        let mut layers = LayerSet::of(&[
            Layer::Text,
            Layer::Title,
            Layer::Metadata,
            Layer::Removed,
            Layer::Language,
            Layer::Paragraphs,
            Layer::Tokens,
            Layer::Sentences,
        ]);
        if self.entities {
            layers = layers.with(Layer::Mentions).with(Layer::Entities);
        }
        if self.quotes {
            layers.insert(Layer::Quotes);
        }
        layers
    }
}

/// Why a document was not annotated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    /// The client's doing: nothing to annotate.
    #[error("the text is empty or only white space")]
    EmptyText,
    /// The client's doing: not text.
    #[error("the input looks like binary data, not text")]
    BinaryInput,
    /// The client's doing: only boilerplate. `removed` is in the request's offset unit.
    #[error("no article text found: everything was removed as boilerplate")]
    NoArticleText { removed: Vec<RemovedOut> },
    /// The client's doing: the text is in a language this service does not annotate
    /// (`code` ISO 639-1, `name` in English), and the request did not force English.
    #[error("the text is in {name} ({code}), a language this service does not annotate")]
    UnsupportedLanguage { code: String, name: String },
    /// The cleaned text is longer than the pipeline's limit
    /// ([`Pipeline::with_text_limit`]): later stages would need too much memory.
    #[error("the article text is {bytes} bytes, over the limit of {limit}")]
    TextTooLarge { bytes: usize, limit: usize },
    /// The caller's [`CancelToken`] was cancelled (or its deadline passed) mid-run.
    #[error("the annotation was cancelled before it finished")]
    Cancelled,
    /// A fault of the service, never the client's: a stage failed or broke the contract.
    #[error("stage {stage} failed: {reason}")]
    Internal { stage: &'static str, reason: String },
}

/// Why the pipeline could not be built (a broken embedded model, or stages registered
/// against the contract).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model {name} could not be loaded: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// The loaded stages, shared by all requests (it is `Send + Sync` and read-only).
pub struct Pipeline {
    registry: Registry,
    version: Version,
    /// Longest cleaned text (bytes) the later stages are run on.
    max_text_bytes: Option<usize>,
}

impl Pipeline {
    /// Loads every model from the bytes embedded in the binary.
    pub fn new() -> Result<Self, ModelError> {
        Ok(Pipeline::with_registry(Registry::default_stages()?))
    }

    /// A pipeline over other stages than the default ones (tests, tools).
    pub fn with_registry(registry: Registry) -> Self {
        let version = registry.version();
        Pipeline {
            registry,
            version,
            max_text_bytes: None,
        }
    }

    /// The same pipeline, refusing a document whose cleaned text is over `bytes`
    /// ([`PipelineError::TextTooLarge`]), checked as soon as the text layer is added
    /// and before any later stage runs. Later stages use memory in proportion to the
    /// text, which can be far smaller than the input (an HTML page), so this bounds a
    /// request's memory where a limit on the body cannot.
    #[must_use]
    pub fn with_text_limit(mut self, bytes: usize) -> Self {
        self.max_text_bytes = Some(bytes);
        self
    }

    /// The limit set by [`with_text_limit`](Pipeline::with_text_limit), if any.
    pub fn text_limit(&self) -> Option<usize> {
        self.max_text_bytes
    }

    /// Versions of the service and of each model, as reported in every annotation.
    pub fn version(&self) -> Version {
        self.version.clone()
    }

    /// Runs the stages the options ask for and renders the result.
    pub fn annotate(&self, input: Input, options: &Options) -> Result<Annotation, PipelineError> {
        self.annotate_with(input, options, &CancelToken::new())
    }

    /// [`annotate`](Pipeline::annotate), stopping with [`PipelineError::Cancelled`] at
    /// the first checkpoint after `cancel` is cancelled or its deadline passes.
    pub fn annotate_with(
        &self,
        input: Input,
        options: &Options,
        cancel: &CancelToken,
    ) -> Result<Annotation, PipelineError> {
        self.annotate_layers(input, options, options.layers(), cancel)
    }

    /// The document after the stages the options need, unrendered (benchmarks, tools).
    pub fn document(&self, input: Input, options: &Options) -> Result<Document, PipelineError> {
        let cx = RunContext::new(*options, CancelToken::new());
        let mut doc = Document::new(input);
        self.run(&mut doc, options.layers(), &cx, &mut BTreeMap::new())?;
        Ok(doc)
    }

    /// Runs and renders for an explicit set of reported layers.
    pub(crate) fn annotate_layers(
        &self,
        input: Input,
        options: &Options,
        layers: LayerSet,
        cancel: &CancelToken,
    ) -> Result<Annotation, PipelineError> {
        let started = Instant::now();
        let cx = RunContext::new(*options, cancel.clone());
        let mut doc = Document::new(input);
        let mut stage_us = BTreeMap::new();
        self.run(&mut doc, layers, &cx, &mut stage_us)?;
        cx.checkpoint().map_err(|_| PipelineError::Cancelled)?;
        let t = Instant::now();
        let mut annotation = render::render(&doc, options.offsets, layers, self.version())
            .map_err(|e| PipelineError::Internal {
                stage: "render",
                reason: e.to_string(),
            })?;
        stage_us.insert("render".to_string(), t.elapsed().as_micros() as u64);
        annotation.stats.stage_us = stage_us;
        annotation.stats.total_us = started.elapsed().as_micros() as u64;
        Ok(annotation)
    }

    /// Runs the planned stages over `doc`, timing each into `stage_us`.
    fn run(
        &self,
        doc: &mut Document,
        layers: LayerSet,
        cx: &RunContext,
        stage_us: &mut BTreeMap<String, u64>,
    ) -> Result<(), PipelineError> {
        let plan = self
            .registry
            .plan(layers)
            .map_err(|e| PipelineError::Internal {
                stage: "plan",
                reason: e.to_string(),
            })?;
        for stage in plan {
            cx.checkpoint().map_err(|_| PipelineError::Cancelled)?;
            let before = doc.layers();
            let t = Instant::now();
            stage
                .run(doc, cx)
                .map_err(|e| stage_error(stage.name(), e, doc, cx.options().offsets))?;
            stage_us.insert(stage.name().to_string(), t.elapsed().as_micros() as u64);
            check_assigned(stage, before, doc.layers())?;
            if let (Some(limit), Ok(text)) = (self.max_text_bytes, doc.text()) {
                if text.len() > limit && stage.assigns().contains(&Layer::Text) {
                    return Err(PipelineError::TextTooLarge {
                        bytes: text.len(),
                        limit,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A stage must add exactly the layers it declares (and may not take one away).
fn check_assigned(
    stage: &dyn Stage,
    before: LayerSet,
    after: LayerSet,
) -> Result<(), PipelineError> {
    let declared = LayerSet::of(stage.assigns());
    let fault = |reason: String| PipelineError::Internal {
        stage: stage.name(),
        reason,
    };
    if let Some(l) = declared.iter().find(|&l| !after.contains(l)) {
        return Err(fault(format!("it did not add the {l} layer it assigns")));
    }
    if let Some(l) = after
        .iter()
        .find(|&l| !before.contains(l) && !declared.contains(l))
    {
        return Err(fault(format!(
            "it added the {l} layer, which it does not assign"
        )));
    }
    if !before.is_subset(after) {
        return Err(fault("it removed a layer".to_string()));
    }
    Ok(())
}

/// A stage's error as the pipeline reports it; a refusal's removed stretches are given
/// in the client's offset unit.
fn stage_error(
    stage: &'static str,
    e: StageError,
    doc: &Document,
    unit: OffsetUnit,
) -> PipelineError {
    match e {
        StageError::Cancelled(_) => PipelineError::Cancelled,
        StageError::Refused(Refusal::EmptyText) => PipelineError::EmptyText,
        StageError::Refused(Refusal::BinaryInput) => PipelineError::BinaryInput,
        StageError::Refused(Refusal::UnsupportedLanguage { code, name }) => {
            PipelineError::UnsupportedLanguage { code, name }
        }
        StageError::Refused(Refusal::NoArticleText { removed }) => {
            let index = OffsetIndex::new(doc.input(), unit);
            PipelineError::NoArticleText {
                removed: removed
                    .iter()
                    .map(|r| RemovedOut {
                        input_start: index.units(r.input.start),
                        input_end: index.units(r.input.end),
                        reason: r.reason,
                    })
                    .collect(),
            }
        }
        e @ (StageError::MissingLayer(_) | StageError::Failed(_)) => PipelineError::Internal {
            stage,
            reason: e.to_string(),
        },
    }
}
