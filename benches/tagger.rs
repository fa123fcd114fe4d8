//! The entity tagger alone (both passes, with gazetteer look-ups and features), on the
//! seed article already segmented: tokens per second on one core.
//!
//!     cargo bench --bench tagger
//!
//! The machine is shared, so besides wall time the tagger is also timed in the thread's
//! own CPU time (`cpu time` lines), which other processes do not inflate.

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use news_annotator::pipeline::entities::EntityStage;
use news_annotator::pipeline::segment::Segmenter;
use news_annotator::pipeline::{Document, RunContext, Stage};

fn tagger(c: &mut Criterion) {
    let text = include_str!("../tests/fixtures/seed_article.txt");
    let mut doc = Document::verbatim(text.to_string());
    Segmenter::new()
        .run(&mut doc, &RunContext::default())
        .expect("segments");
    let (text, tokens, sentences) = (
        doc.text().unwrap(),
        doc.tokens().unwrap(),
        doc.sentences().unwrap(),
    );
    let stage = EntityStage::new().expect("the embedded model loads");
    let tagger = stage.tagger();

    let mut group = c.benchmark_group("tagger");
    group.throughput(Throughput::Elements(tokens.len() as u64));
    group.bench_function("seed article", |b| {
        b.iter(|| black_box(tagger.tag(text, tokens, sentences)))
    });
    group.bench_function("seed article, cpu time", |b| {
        b.iter_custom(|iters| {
            let start = thread_cpu_time();
            for _ in 0..iters {
                black_box(tagger.tag(text, tokens, sentences));
            }
            thread_cpu_time() - start
        })
    });
    group.finish();

    c.bench_function("entity stage start-up", |b| {
        b.iter(|| black_box(EntityStage::new().expect("loads")))
    });
}

/// CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

criterion_group!(benches, tagger);
criterion_main!(benches);
