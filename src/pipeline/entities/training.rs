//! Training the tagger on CoNLL-2003.
//!
//! The tagger must learn from the tokens it will see at run time, so each CoNLL
//! document is turned back into text the way the NER scorer sends it (tokens joined by
//! spaces, sentences by newlines) and segmented by the real segment stage; the gold
//! names are then projected onto those tokens by their byte offsets. A name whose ends
//! fall inside a token is counted and left out.
//!
//! Training is the averaged perceptron over documents in a seeded shuffled order, each
//! epoch scored on the development set; the best epoch's average is the model.

use std::ops::Range;

use super::bilou;
use super::features::TokenInfo;
use super::lexicon::Lexicon;
use super::perceptron::{Model, Scorer, Trainer};
use super::tagger::{greedy, names, tag_document};
use crate::learn::shuffle;
pub use crate::learn::Counts;
use crate::pipeline::document::{Document, EntityType};
use crate::pipeline::segment::Segmenter;
use crate::pipeline::stage::{RunContext, Stage};

/// A CoNLL document as the scorer sends it: its text and its names (byte ranges).
pub struct ConllDoc {
    pub text: String,
    pub names: Vec<(Range<usize>, EntityType)>,
}

fn conll_type(tag: &str) -> Option<EntityType> {
    match tag {
        "PER" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

/// Reads CoNLL data (IOB1 or IOB2, token first, tag last, `-DOCSTART-` between documents).
pub fn read_conll(data: &str) -> Vec<ConllDoc> {
    let mut docs = Vec::new();
    let mut text = String::new();
    let mut names = Vec::new();
    let mut open: Option<(usize, usize, EntityType)> = None; // start, end, type
    let mut in_sentence = false;
    let close = |open: &mut Option<(usize, usize, EntityType)>,
                 names: &mut Vec<(Range<usize>, EntityType)>| {
        if let Some((s, e, t)) = open.take() {
            names.push((s..e, t));
        }
    };
    for line in data.lines().chain(std::iter::once("-DOCSTART-")) {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") || line.trim().is_empty() {
            close(&mut open, &mut names);
            if in_sentence {
                text.push('\n');
                in_sentence = false;
            }
            if line.starts_with("-DOCSTART-") && !text.is_empty() {
                docs.push(ConllDoc {
                    text: std::mem::take(&mut text),
                    names: std::mem::take(&mut names),
                });
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let token = cols.next().unwrap_or_default();
        let tag = cols.last().unwrap_or("O");
        if in_sentence {
            text.push(' ');
        }
        in_sentence = true;
        let start = text.len();
        text.push_str(token);
        let end = text.len();
        let (prefix, ty) = tag.split_once('-').unwrap_or((tag, ""));
        let ty = conll_type(ty);
        match (prefix, ty) {
            ("I", Some(t)) if open.is_some_and(|(_, _, ot)| ot == t) => {
                if let Some(o) = open.as_mut() {
                    o.1 = end;
                }
            }
            ("B" | "I", Some(t)) => {
                close(&mut open, &mut names);
                open = Some((start, end, t));
            }
            _ => close(&mut open, &mut names),
        }
    }
    docs
}

/// How often each rewrite of [`augment`] is applied to a training document.
pub struct Augment {
    /// Split hyphenated words into `word - word` (as much of today's news data is
    /// tokenized: "Al - Fadhli", "anti - gay").
    pub split_hyphens: f64,
    /// Drop the period of titles (British and Commonwealth style: "Mr Smith", "Dr Ali").
    pub bare_titles: f64,
    /// Write all-capital headlines in title case, as today's headlines mostly are
    /// (CoNLL's are all capitals).
    pub title_case_headlines: f64,
}

impl Augment {
    pub const NONE: Augment = Augment {
        split_hyphens: 0.0,
        bare_titles: 0.0,
        title_case_headlines: 0.0,
    };
    pub const DEFAULT: Augment = Augment {
        split_hyphens: 0.3,
        bare_titles: 0.5,
        title_case_headlines: 0.5,
    };
}

/// Titles whose period [`Augment::bare_titles`] drops.
const TITLES_WITH_PERIOD: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Sen.", "Rep.", "Gov.", "Lt.", "Col.", "Sgt.",
    "Capt.", "Maj.", "Rev.", "Jr.", "St.",
];

/// Words a title-case headline keeps in lower case (unless first).
const HEADLINE_LOWER: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "as", "with",
    "from", "vs", "v",
];

/// Rewrites CoNLL data (token first, tag last) with the rewrites of `how`, each applied to
/// a document with its probability, drawn from a generator seeded by `seed`: the same
/// data and seed give the same text. Gold tags follow the tokens.
pub fn augment(data: &str, how: &Augment, seed: u64) -> String {
    let mut state = seed;
    let mut draw = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut out = String::with_capacity(data.len() + data.len() / 8);
    let (mut hyphens, mut titles, mut headlines) = (false, false, false);
    let mut sentence: Vec<(&str, &str)> = Vec::new();
    let flush = |sentence: &mut Vec<(&str, &str)>, out: &mut String, hyphens, titles, headlines| {
        let words = sentence
            .iter()
            .filter(|(t, _)| t.chars().any(char::is_alphabetic))
            .count();
        let caps = words >= 2
            && sentence
                .iter()
                .all(|(t, _)| !t.chars().any(char::is_lowercase));
        for (k, &(token, tag)) in sentence.iter().enumerate() {
            let mut token = token.to_string();
            if headlines && caps {
                token = title_case(&token, k == 0);
            }
            if titles && TITLES_WITH_PERIOD.contains(&token.as_str()) {
                token.pop();
            }
            let parts: Vec<&str> = if hyphens && is_hyphenated(&token) {
                token.split('-').collect()
            } else {
                vec![token.as_str()]
            };
            let (prefix, ty) = tag.split_once('-').unwrap_or((tag, ""));
            for (n, part) in parts.iter().enumerate() {
                let tag_here = if n == 0 || prefix == "O" {
                    tag.to_string()
                } else {
                    format!("I-{ty}")
                };
                if n > 0 {
                    out.push_str(&format!("- {tag_here}\n"));
                }
                out.push_str(&format!("{part} {tag_here}\n"));
            }
        }
        if !sentence.is_empty() {
            out.push('\n');
        }
        sentence.clear();
    };
    for line in data.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            flush(&mut sentence, &mut out, hyphens, titles, headlines);
            hyphens = draw() < how.split_hyphens;
            titles = draw() < how.bare_titles;
            headlines = draw() < how.title_case_headlines;
            out.push_str(line);
            out.push_str("\n\n");
        } else if line.trim().is_empty() {
            flush(&mut sentence, &mut out, hyphens, titles, headlines);
        } else {
            let token = line.split_whitespace().next().unwrap_or_default();
            let tag = line.split_whitespace().last().unwrap_or("O");
            sentence.push((token, tag));
        }
    }
    flush(&mut sentence, &mut out, hyphens, titles, headlines);
    out
}

/// Letters on both sides of every hyphen: "Al-Fadhli", "anti-gay" (not "1-0", "-").
fn is_hyphenated(token: &str) -> bool {
    token.contains('-')
        && token
            .split('-')
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic))
}

/// An all-capital headline word in title case; words of up to three letters stay as they
/// are (acronyms: "EU", "US") unless they are function words.
fn title_case(token: &str, first: bool) -> String {
    let lower = token.to_lowercase();
    if !first && HEADLINE_LOWER.contains(&lower.as_str()) {
        return lower;
    }
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 3 && !HEADLINE_LOWER.contains(&lower.as_str()) {
        return token.to_string();
    }
    let mut out = String::with_capacity(token.len());
    let mut start = true;
    for c in token.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic() && c != '\'';
    }
    out
}

/// A document ready for training: its tokens described, sentences and gold labels.
pub struct Example {
    pub infos: Vec<TokenInfo>,
    pub sentences: Vec<Range<usize>>,
    pub gold: Vec<u8>,
    /// The first pass's labels, once known (for training the second pass).
    pub first: Option<Vec<u8>>,
}

/// How well the run-time tokens matched the CoNLL tokens.
#[derive(Debug, Default, Clone, Copy)]
pub struct Alignment {
    pub names: usize,
    /// Names whose start or end falls inside a run-time token.
    pub misaligned: usize,
}

/// Segments a CoNLL document with the real segment stage and projects its names.
pub fn prepare(doc: &ConllDoc, lexicon: &Lexicon, stats: &mut Alignment) -> Example {
    let mut d = Document::verbatim(doc.text.clone());
    Segmenter::new()
        .run(&mut d, &RunContext::default())
        .expect("a verbatim document has every layer the segment stage reads");
    let (text, tokens) = (&doc.text, d.tokens().expect("segmented"));
    let infos = lexicon.describe(text, tokens.iter().map(|t| (t.span.range(), t.kind)));
    let sentences: Vec<Range<usize>> = d
        .sentences()
        .expect("segmented")
        .iter()
        .map(|s| s.tokens.clone())
        .collect();
    let mut spans = Vec::new();
    for (range, ty) in &doc.names {
        stats.names += 1;
        let first = tokens.iter().position(|t| t.span.start == range.start);
        let last = tokens.iter().position(|t| t.span.end == range.end);
        match (first, last) {
            (Some(a), Some(b)) if a <= b => spans.push((a, b + 1, *ty as usize)),
            _ => stats.misaligned += 1,
        }
    }
    let gold = bilou::encode(&spans, infos.len());
    Example {
        infos,
        sentences,
        gold,
        first: None,
    }
}

/// Exact typed-span scores of `model` on `examples`.
pub fn evaluate(model: &impl Scorer, examples: &[Example]) -> Counts {
    let mut c = Counts::default();
    for ex in examples {
        let labels = tag_document(&ex.infos, &ex.sentences, ex.first.as_deref(), greedy(model));
        let mut pred = names(&labels, &ex.sentences);
        let mut gold = names(&ex.gold, &ex.sentences);
        pred.sort_by_key(|(r, t)| (r.start, r.end, *t));
        gold.sort_by_key(|(r, t)| (r.start, r.end, *t));
        let tp = pred.iter().filter(|p| gold.contains(p)).count();
        c.tp += tp;
        c.fp += pred.len() - tp;
        c.fn_ += gold.len() - tp;
    }
    c
}

pub struct Settings {
    /// log2 of the rows in the weight table.
    pub bits: u32,
    pub max_epochs: usize,
    pub seed: u64,
    /// Averaged weights smaller than this are not shipped.
    pub prune: f64,
}

/// Trains on the examples `subset` of `examples` for up to `epochs` epochs. With a `dev`
/// set, keeps the epoch that scores best on it (`log` hears each epoch's scores);
/// without, the last.
fn train_pass(
    examples: &[Example],
    subset: &[usize],
    dev: Option<&[Example]>,
    settings: &Settings,
    epochs: usize,
    log: &mut dyn FnMut(usize, Counts),
) -> (Model, usize, Counts) {
    let mut trainer = Trainer::new(settings.bits);
    let mut order = subset.to_vec();
    let mut state = settings.seed;
    let mut best: Option<(Model, usize, Counts)> = None;
    for epoch in 1..=epochs {
        shuffle(&mut order, &mut state);
        for &d in &order {
            let ex = &examples[d];
            let mut scores = [0i64; bilou::N_LABELS];
            tag_document(
                &ex.infos,
                &ex.sentences,
                ex.first.as_deref(),
                |i, features| {
                    trainer.scores(features, &mut scores);
                    let guess = super::perceptron::best(&scores);
                    trainer.update(features, ex.gold[i], guess);
                    trainer.tick();
                    guess
                },
            );
        }
        let Some(dev) = dev else {
            if epoch == epochs {
                best = Some((trainer.average(settings.prune), epoch, Counts::default()));
            }
            continue;
        };
        let model = trainer.average(settings.prune);
        let counts = evaluate(&model, dev);
        log(epoch, counts);
        if best.as_ref().is_none_or(|b| counts.f1() > b.2.f1()) {
            best = Some((model, epoch, counts));
        }
    }
    best.expect("at least one epoch")
}

/// What training found: the kept epoch and dev scores of each pass.
pub struct Report {
    pub first_epoch: usize,
    pub first: Counts,
    pub second_epoch: usize,
    pub second: Counts,
}

/// Folds for the first pass's labels on the training data.
const FOLDS: usize = 5;

/// Trains both passes; returns the first and second pass's models.
///
/// The second pass learns from first-pass labels, which must be as wrong on the
/// training data as they will be on new text: each training document gets them from a
/// first-pass model trained on the other folds (jack-knifing), never from the model
/// that saw it.
pub fn train(
    train: &mut [Example],
    dev: &mut [Example],
    settings: &Settings,
    mut log: impl FnMut(&str, usize, Counts),
) -> (Model, Model, Report) {
    let all: Vec<usize> = (0..train.len()).collect();
    let (first, first_epoch, first_counts) = train_pass(
        train,
        &all,
        Some(dev),
        settings,
        settings.max_epochs,
        &mut |e, c| log("first pass", e, c),
    );
    for fold in 0..FOLDS {
        let rest: Vec<usize> = all.iter().copied().filter(|d| d % FOLDS != fold).collect();
        let (model, _, _) = train_pass(train, &rest, None, settings, first_epoch, &mut |_, _| {});
        for ex in train.iter_mut().skip(fold).step_by(FOLDS) {
            ex.first = Some(tag_document(&ex.infos, &ex.sentences, None, greedy(&model)));
        }
        log("fold", fold + 1, Counts::default());
    }
    for ex in dev.iter_mut() {
        ex.first = Some(tag_document(&ex.infos, &ex.sentences, None, greedy(&first)));
    }
    let (second, second_epoch, second_counts) = train_pass(
        train,
        &all,
        Some(dev),
        settings,
        settings.max_epochs,
        &mut |e, c| log("second pass", e, c),
    );
    let report = Report {
        first_epoch,
        first: first_counts,
        second_epoch,
        second: second_counts,
    };
    (first, second, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\
        German JJ B-NP B-MISC\ncall NN I-NP O\n. . O O\n\nPeter NNP B-NP B-PER\n\
        Blackburn NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nIran NNP I-NP I-LOC\n's POS O O\n";

    #[test]
    fn conll_documents_become_scorer_text_with_names() {
        let docs = read_conll(SAMPLE);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].text, "EU rejects German call .\nPeter Blackburn\n");
        let names: Vec<(&str, EntityType)> = docs[0]
            .names
            .iter()
            .map(|(r, t)| (&docs[0].text[r.clone()], *t))
            .collect();
        assert_eq!(
            names,
            [
                ("EU", EntityType::Org),
                ("German", EntityType::Misc),
                ("Peter Blackburn", EntityType::Person)
            ]
        );
        // IOB1: a name may open with I-.
        assert_eq!(&docs[1].text[docs[1].names[0].0.clone()], "Iran");
    }

    #[test]
    fn augmentation_rewrites_tokens_and_keeps_tags_in_step() {
        let data = "-DOCSTART- O\n\nEU B-ORG\nREJECTS O\nGERMAN B-MISC\nCALL O\nTO O\n\n\
            Mr. O\nAl-Fadhli B-PER\nsaid O\n";
        let all = Augment {
            split_hyphens: 1.0,
            bare_titles: 1.0,
            title_case_headlines: 1.0,
        };
        let out = augment(data, &all, 1);
        assert_eq!(
            out,
            "-DOCSTART- O\n\nEU B-ORG\nRejects O\nGerman B-MISC\nCall O\nto O\n\n\
             Mr O\nAl B-PER\n- I-PER\nFadhli I-PER\nsaid O\n\n"
        );
        let docs = read_conll(&out);
        let names: Vec<&str> = docs[0]
            .names
            .iter()
            .map(|(r, _)| &docs[0].text[r.clone()])
            .collect();
        assert_eq!(names, ["EU", "German", "Al - Fadhli"]);
        // Nothing applied: the same tokens and tags.
        let same = augment(data, &Augment::NONE, 1);
        assert_eq!(read_conll(&same)[0].text, read_conll(data)[0].text);
    }

    #[test]
    fn names_project_onto_runtime_tokens() {
        let docs = read_conll(SAMPLE);
        let mut stats = Alignment::default();
        let ex = prepare(&docs[0], &Lexicon::default(), &mut stats);
        assert_eq!(stats.misaligned, 0);
        assert_eq!(ex.sentences.len(), 2);
        let gold = names(&ex.gold, &ex.sentences);
        assert_eq!(gold.len(), 3);
        assert_eq!(gold[2], (5..7, EntityType::Person));
    }

    #[test]
    fn training_learns_a_tiny_corpus() {
        let docs = read_conll(SAMPLE);
        let mut stats = Alignment::default();
        let mut examples: Vec<Example> = docs
            .iter()
            .map(|d| prepare(d, &Lexicon::default(), &mut stats))
            .collect();
        let settings = Settings {
            bits: 12,
            max_epochs: 5,
            seed: 7,
            prune: 0.0,
        };
        let mut dev: Vec<Example> = docs
            .iter()
            .map(|d| prepare(d, &Lexicon::default(), &mut stats))
            .collect();
        let (first, _, report) = train(&mut examples, &mut dev, &settings, |_, _, _| {});
        assert_eq!(report.first.fp + report.first.fn_, 0, "{:?}", report.first);
        assert_eq!(report.second.tp, 4);
        for ex in &mut dev {
            ex.first = None;
        }
        assert_eq!(evaluate(&first, &dev).tp, 4);
    }
}
