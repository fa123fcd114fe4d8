//! Throughput of plain-text cleaning (issue 3 target: at least 50 MB/s on one core).
//!
//! The input is a pasted page made of hand-written furniture lines around an article of
//! plain paragraphs, repeated to about 1 MB, so the figure covers the whole clean stage
//! (repairs, layout, line features, both classifiers and the output with its alignment).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use news_annotator::pipeline::clean::Cleaner;
use news_annotator::Input;

const FURNITURE: &str = "Skip to content\nMenu\nNews\nPolitics\nBusiness\nSign in\nSubscribe\n\n";
const ARTICLE: &str = "City council approves budget after a long debate\n\nBy Jane Doe, Staff Writer\nNovember 18, 2019 11:03 PM\n\n\
The city council approved the new budget on Tuesday after a debate that lasted more than six hours, with members split over how much to spend on roads and schools.\n\n\
“We made the choices the city needed,” said the council’s chair, who voted for the plan. Critics said the increase in fees would fall on the poorest residents.\n\n\
The budget includes money for two new libraries, repairs to the old bridge over the river and a pay rise for teachers, which the union had asked for since the spring.\n\n\
Share\nTweet\nEmail\n\n";
const FOOTER: &str = "Read more\nMost popular\n© 2019 The City Paper. All rights reserved.\nPrivacy Policy\nTerms of Use\n\n";

fn page(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 4096);
    while s.len() < bytes {
        s.push_str(FURNITURE);
        s.push_str(ARTICLE);
        s.push_str(FOOTER);
    }
    s
}

fn bench_clean(c: &mut Criterion) {
    let cleaner = Cleaner::new();
    let text = page(1 << 20);
    let mut g = c.benchmark_group("clean");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("plain_text_1mb", |b| {
        b.iter(|| cleaner.clean(Input::Text(text.clone()), true).unwrap())
    });
    let article = ARTICLE.repeat(4);
    g.throughput(Throughput::Bytes(article.len() as u64));
    g.bench_function("plain_text_article", |b| {
        b.iter(|| cleaner.clean(Input::Text(article.clone()), true).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_clean);
criterion_main!(benches);
