//! The quote stage alone, on news-like text and on inputs built to find quadratic
//! behaviour (a wall of quotation marks, a million bytes of `he said, `, quotes nested
//! twenty thousand deep), next to the whole pipeline on the same article so that the
//! stage's share of the time can be read off.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use news_annotator::pipeline::quotes::QuoteStage;
use news_annotator::pipeline::{Document, RunContext, Stage};
use news_annotator::{Input, Options, Pipeline};

const PARAGRAPHS: &[&str] = &[
    "Secretary of State John Kerry said the United States is interested in sharing key information with Tehran over the ongoing crisis in Iraq.",
    "“We are interested in communicating with Iran,” said Secretary Kerry. “There is a sharing of information so people aren’t making mistakes.”",
    "When asked if the US would work with Iran, Kerry said, “No. We’re not sitting around contemplating how we’re going to do that.”",
    "Kerry said that “nothing is off the table” and “all options” are available for the President to choose at his disposal.",
    "The President met with senior congress members Wednesday, reportedly telling them that he did not need their authority.",
    "The Wall Street Journal reported that Obama has also called upon Prime Minister Nouri Maliki to resign, according to two officials.",
    "Iran’s leaders, who came of age in the ’90s, have not responded, a spokesman for the ministry told reporters on Monday.",
];

/// About `bytes` of news-like paragraphs.
fn article(bytes: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(PARAGRAPHS[i % PARAGRAPHS.len()]);
        s.push_str("\n\n");
        i += 1;
    }
    s
}

/// A document segmented and with entities, ready for the quote stage.
fn prepared(text: &str, pipeline: &Pipeline) -> Document {
    let options = Options::default().with_clean(false).with_quotes(false);
    pipeline
        .document(Input::Text(text.to_string()), &options)
        .expect("the text annotates")
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::new().expect("models");
    let stage = QuoteStage::new();
    let cx = RunContext::default();
    let cases = [
        ("article_16k", article(16 * 1024)),
        ("quote_marks_4m", "“”\"'‘’«»„ ".repeat(4 * 1024 * 1024 / 21)),
        ("he_said_1m", "he said, ".repeat(1024 * 1024 / 9)),
        (
            "nested_20k",
            "“‘".repeat(10_000) + "x" + &"’”".repeat(10_000),
        ),
    ];
    let mut group = c.benchmark_group("quotes");
    group.sample_size(10);
    for (name, text) in &cases {
        let doc = prepared(text, &pipeline);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("stage", name), &doc, |b, doc| {
            b.iter_batched_ref(
                || doc.clone(),
                |d| stage.run(d, &cx),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    let text = article(16 * 1024);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("pipeline/article_16k", |b| {
        b.iter(|| {
            pipeline
                .annotate(Input::Text(text.clone()), &Options::default())
                .expect("annotates")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
