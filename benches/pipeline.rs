//! Whole pipeline and per-stage time on the seed article (`tests/fixtures/seed_article.txt`).
//!
//! `cargo bench --bench pipeline`. Per-stage benches start from a document that the
//! earlier stages have already filled, cloned outside the timed part, so each number is
//! the stage alone.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use news_annotator::pipeline::clean::Cleaner;
use news_annotator::pipeline::entities::EntityStage;
use news_annotator::pipeline::quotes::QuoteStage;
use news_annotator::pipeline::segment::Segmenter;
use news_annotator::pipeline::{OffsetUnit, RunContext, Stage};
use news_annotator::{Input, Options, Pipeline};

const SEED: &str = include_str!("../tests/fixtures/seed_article.txt");

fn whole(c: &mut Criterion) {
    let pipeline = Pipeline::new().expect("models load");
    let mut g = c.benchmark_group("pipeline");
    g.throughput(Throughput::Bytes(SEED.len() as u64));
    g.bench_function("seed_article", |b| {
        b.iter(|| {
            pipeline
                .annotate(Input::Text(SEED.to_string()), &Options::default())
                .expect("seed article annotates")
        })
    });
    g.bench_function("seed_article_utf16", |b| {
        let options = Options::default().with_offsets(OffsetUnit::Utf16);
        b.iter(|| {
            pipeline
                .annotate(Input::Text(SEED.to_string()), &options)
                .expect("seed article annotates")
        })
    });
    g.bench_function("seed_article_as_html", |b| {
        let html = format!(
            "<html><body><article>{}</article></body></html>",
            SEED.split("\n\n")
                .map(|p| format!("<p>{p}</p>"))
                .collect::<String>()
        );
        b.iter(|| {
            pipeline
                .annotate(Input::Html(html.clone()), &Options::default())
                .expect("seed article annotates")
        })
    });
    g.finish();
}

fn stages(c: &mut Criterion) {
    let cleaner = Cleaner::new();
    let segmenter = Segmenter::new();
    let entities = EntityStage::new().expect("model loads");
    let quotes = QuoteStage::new();
    let cx = RunContext::default();
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(SEED.len() as u64));

    g.bench_function("clean", |b| {
        b.iter(|| cleaner.clean(Input::Text(SEED.to_string()), true).unwrap())
    });
    let cleaned = cleaner.clean(Input::Text(SEED.to_string()), true).unwrap();
    g.bench_function("segment", |b| {
        b.iter_batched_ref(
            || cleaned.clone(),
            |doc| segmenter.run(doc, &cx).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let mut segmented = cleaned.clone();
    segmenter.run(&mut segmented, &cx).unwrap();
    g.bench_function("entities", |b| {
        b.iter_batched_ref(
            || segmented.clone(),
            |doc| entities.run(doc, &cx).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let mut with_entities = segmented.clone();
    entities.run(&mut with_entities, &cx).unwrap();
    g.bench_function("quotes", |b| {
        b.iter_batched_ref(
            || with_entities.clone(),
            |doc| quotes.run(doc, &cx).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    // Small samples: the machine is shared; the numbers are for comparing, not for
    // the last percent.
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = whole, stages
}
criterion_main!(benches);
