//! The entity tagger alone (both passes, with gazetteer look-ups and features), on the
//! seed article already segmented: tokens per second on one core.
//!
//!     cargo bench --bench tagger

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use news_annotator::pipeline::entities::EntityStage;
use news_annotator::pipeline::segment::Segmenter;
use news_annotator::pipeline::{Document, InputKind, Stage};

fn tagger(c: &mut Criterion) {
    let text = include_str!("../tests/fixtures/seed_article.txt");
    let mut doc = Document::verbatim(text.to_string(), InputKind::Text);
    Segmenter::new().run(&mut doc);
    let stage = EntityStage::new().expect("the embedded model loads");
    let tagger = stage.tagger();

    let mut group = c.benchmark_group("tagger");
    group.throughput(Throughput::Elements(doc.tokens.len() as u64));
    group.bench_function("seed article", |b| {
        b.iter(|| black_box(tagger.tag(&doc.text, &doc.tokens, &doc.sentences)))
    });
    group.finish();

    c.bench_function("entity stage start-up", |b| {
        b.iter(|| black_box(EntityStage::new().expect("loads")))
    });
}

criterion_group!(benches, tagger);
criterion_main!(benches);
