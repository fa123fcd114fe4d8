//! Tests of the contract itself: planning, registration, the checks after each stage,
//! cancellation, and adding a stage (the toy in [`toy`]).

mod toy;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::clean::Cleaner;
use super::document::Document;
use super::layer::{Layer, LayerSet};
use super::registry::{Registry, RegistryError};
use super::segment::Segmenter;
use super::stage::{CancelToken, RunContext, Stage, StageError};
use super::{Annotation, Input, Options, Pipeline, PipelineError};
use toy::ToyLanguage;

/// A real article, so that cleaning keeps it.
const ARTICLE: &str = include_str!("../../../tests/fixtures/seed_article.txt");

/// No entities or quotes, and the text kept as sent: what the toy registries can answer.
fn plain() -> Options {
    Options::default()
        .with_clean(false)
        .with_entities(false)
        .with_quotes(false)
}

/// Clean and segment only: what the toy registries start from.
fn base() -> Registry {
    let mut r = Registry::new();
    r.register(Cleaner::new()).unwrap();
    r.register(Segmenter::new()).unwrap();
    r
}

/// Runs `stage` after clean and segment on `input` (kept as sent), asking for the
/// language layer (what the test stages assign).
fn run_after_segment(
    stage: impl Stage + 'static,
    input: &str,
    token: &CancelToken,
) -> Result<Annotation, PipelineError> {
    let mut r = base();
    r.register(stage).unwrap();
    let options = plain();
    Pipeline::with_registry(r).annotate_layers(
        Input::Text(input.into()),
        &options,
        options.layers().with(Layer::Language),
        token,
    )
}

fn names(plan: &[&dyn Stage]) -> Vec<&'static str> {
    plan.iter().map(|s| s.name()).collect()
}

#[test]
fn the_plan_follows_the_requested_layers_and_their_requirements() {
    let r = Registry::default_stages().unwrap();
    let all = Options::default();
    assert_eq!(
        names(&r.plan(all.layers()).unwrap()),
        ["clean", "language", "segment", "entities", "quotes"]
    );
    // Quotes need entities for their speakers, even when the answer leaves them out.
    let quotes_only = all.with_entities(false);
    assert_eq!(
        names(&r.plan(quotes_only.layers()).unwrap()),
        ["clean", "language", "segment", "entities", "quotes"]
    );
    assert!(!quotes_only.layers().contains(Layer::Entities));
    let entities_only = all.with_quotes(false);
    assert_eq!(
        names(&r.plan(entities_only.layers()).unwrap()),
        ["clean", "language", "segment", "entities"]
    );
    let neither = entities_only.with_entities(false);
    assert_eq!(
        names(&r.plan(neither.layers()).unwrap()),
        ["clean", "language", "segment"]
    );
    assert_eq!(
        names(&r.plan(LayerSet::of(&[Layer::Text])).unwrap()),
        ["clean"]
    );
}

#[test]
fn versions_come_from_the_registered_stages() {
    let v = Registry::default_stages().unwrap().version();
    let models: Vec<&str> = v.models.keys().map(String::as_str).collect();
    // The segment stage has no model.
    assert_eq!(models, ["clean", "entities", "language", "quotes"]);
}

#[test]
fn registration_checks_the_declarations() {
    let mut r = Registry::new();
    assert_eq!(
        r.register(Segmenter::new()).err(),
        Some(RegistryError::RequiredBeforeAssigned {
            stage: "segment",
            layer: Layer::Text
        })
    );
    let mut r = base();
    assert_eq!(
        r.register(Cleaner::new()).err(),
        Some(RegistryError::AssignedTwice {
            layer: Layer::Text,
            first: "clean",
            second: "clean"
        })
    );
    assert_eq!(
        base().plan(Options::default().layers()).err(),
        Some(RegistryError::Unassigned(Layer::Language))
    );
}

#[test]
fn a_new_stage_is_one_registration_line_and_its_layer_is_rendered() {
    let mut r = base();
    r.register(ToyLanguage).unwrap();
    let pipeline = Pipeline::with_registry(r);
    let options = plain();
    let layers = options.layers().with(Layer::Language);
    let welsh = "Rhedodd y ffordd newydd.\n";
    let a = pipeline
        .annotate_layers(
            Input::Text(welsh.into()),
            &options,
            layers,
            &CancelToken::new(),
        )
        .unwrap();
    assert_eq!(a.language, "cy");
    assert_eq!(
        a.version.models.get("toy").map(String::as_str),
        Some("toy-1")
    );
    assert!(a.stats.stage_us.contains_key("toy"));
    // Not requested: the toy does not run, and the answer keeps its default language.
    let mut without = layers;
    without.remove(Layer::Language);
    let a = pipeline
        .annotate_layers(
            Input::Text(welsh.into()),
            &options,
            without,
            &CancelToken::new(),
        )
        .unwrap();
    assert_eq!(a.language, "en");
    assert!(!a.stats.stage_us.contains_key("toy"));
}

#[test]
fn a_stage_error_of_its_own_becomes_an_internal_error() {
    let e = run_after_segment(ToyLanguage, "it went boom", &CancelToken::new()).unwrap_err();
    assert!(
        matches!(&e, PipelineError::Internal { stage: "toy", reason } if reason.contains("boom")),
        "{e:?}"
    );
}

/// Declares the language layer but forgets to add it.
struct Forgetful;

impl Stage for Forgetful {
    fn name(&self) -> &'static str {
        "forgetful"
    }
    fn requires(&self) -> &[Layer] {
        &[Layer::Text]
    }
    fn assigns(&self) -> &[Layer] {
        &[Layer::Language]
    }
    fn run(&self, _: &mut Document, _: &RunContext) -> Result<(), StageError> {
        Ok(())
    }
}

#[test]
fn a_stage_that_does_not_add_its_layer_is_caught() {
    let e = run_after_segment(Forgetful, ARTICLE, &CancelToken::new()).unwrap_err();
    assert!(
        matches!(
            &e,
            PipelineError::Internal {
                stage: "forgetful",
                ..
            }
        ),
        "{e:?}"
    );
}

/// Loops over checkpoints and cancels the run itself after `after` of them, as the
/// server's time limit would from another thread; counts the checkpoints it passed.
struct Spinner {
    token: CancelToken,
    after: usize,
    passed: Arc<AtomicUsize>,
}

impl Stage for Spinner {
    fn name(&self) -> &'static str {
        "spinner"
    }
    fn requires(&self) -> &[Layer] {
        &[Layer::Tokens]
    }
    fn assigns(&self) -> &[Layer] {
        &[Layer::Language]
    }
    fn run(&self, _: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        for i in 0.. {
            if i == self.after {
                self.token.cancel();
            }
            cx.checkpoint()?;
            self.passed.fetch_add(1, Ordering::Relaxed);
        }
        unreachable!("the loop only ends by cancellation")
    }
}

#[test]
fn a_cancelled_run_stops_at_the_next_checkpoint_with_its_own_error() {
    let token = CancelToken::new();
    let passed = Arc::new(AtomicUsize::new(0));
    let spinner = Spinner {
        token: token.clone(),
        after: 1000,
        passed: Arc::clone(&passed),
    };
    let e = run_after_segment(spinner, ARTICLE, &token).unwrap_err();
    assert_eq!(e, PipelineError::Cancelled);
    assert_eq!(passed.load(Ordering::Relaxed), 1000);
}

#[test]
fn a_token_cancelled_or_past_its_deadline_stops_the_default_pipeline() {
    let pipeline = Pipeline::new().unwrap();
    let options = Options::default();
    let cancelled = CancelToken::new();
    cancelled.cancel();
    assert_eq!(
        pipeline.annotate_with(Input::Text(ARTICLE.into()), &options, &cancelled),
        Err(PipelineError::Cancelled)
    );
    let late = CancelToken::new().with_deadline(Instant::now());
    assert_eq!(
        pipeline.annotate_with(Input::Text(ARTICLE.into()), &options, &late),
        Err(PipelineError::Cancelled)
    );
    assert!(pipeline
        .annotate_with(Input::Text(ARTICLE.into()), &options, &CancelToken::new())
        .is_ok());
}

#[test]
fn layers_left_out_of_the_answer_are_neither_listed_nor_counted() {
    let pipeline = Pipeline::new().unwrap();
    let quotes_only = Options::default().with_entities(false);
    let a = pipeline
        .annotate(Input::Text(ARTICLE.into()), &quotes_only)
        .unwrap();
    assert!(a.entities.is_empty() && a.stats.entities == 0 && a.stats.mentions == 0);
    assert!(a.quotes.iter().all(|q| q.speaker_entity.is_none()));
    assert!(a.stats.stage_us.contains_key("entities"), "{:?}", a.stats);
    assert!(!a.quotes.is_empty());
    let all = pipeline
        .annotate(Input::Text(ARTICLE.into()), &Options::default())
        .unwrap();
    assert!(all.quotes.iter().any(|q| q.speaker_entity.is_some()));
}

#[test]
fn a_text_over_the_limit_is_refused_before_the_later_stages() {
    let pipeline = Pipeline::new().unwrap().with_text_limit(1000);
    let e = pipeline
        .annotate(Input::Text(ARTICLE.into()), &Options::default())
        .unwrap_err();
    assert!(
        matches!(e, PipelineError::TextTooLarge { bytes, limit: 1000 } if bytes > 1000),
        "{e:?}"
    );
    // An HTML page may be far larger than its text.
    let paragraphs: String = ARTICLE
        .split("\n\n")
        .skip(4)
        .take(4)
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let page = format!(
        "<html><head><style>{}</style></head><body><article>{paragraphs}</article></body></html>",
        "p{color:red}".repeat(500)
    );
    let a = pipeline.annotate(Input::Html(page.clone()), &Options::default());
    assert!(page.len() > 5000 && a.is_ok(), "{a:?}");
}
