//! conll-tokens: checks that the tokenizer reproduces CoNLL-2003 tokenization.
//!
//! The NER scorer only credits mentions whose boundaries fall on CoNLL token boundaries,
//! so every place where our tokenizer splits or joins differently from CoNLL can cost a
//! mention. This joins each CoNLL sentence's tokens with single spaces, tokenizes the
//! result, and reports the sentences where the token sequences differ, grouped by the
//! CoNLL tokens involved. Evaluation only: it reads `../shared/data`, so it is no test.
//!
//! Usage: `conll-tokens ../shared/data/conll2003/dev.txt [--show N]`

use std::collections::HashMap;
use std::fs;

use news_annotator::pipeline::segment::tokenizer::tokenize;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: conll-tokens CONLL_FILE [--show N]")?;
    let show: usize = match args.iter().position(|a| a == "--show") {
        Some(i) => args.get(i + 1).ok_or("--show N")?.parse()?,
        None => 20,
    };
    let text = fs::read_to_string(path)?;
    let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        match line.split_whitespace().next() {
            Some("-DOCSTART-") => {}
            Some(tok) => sentences.last_mut().unwrap().push(tok),
            None => sentences.push(Vec::new()),
        }
    }
    sentences.retain(|s| !s.is_empty());

    let (mut tokens, mut bad_sentences, mut bad_tokens) = (0usize, 0usize, 0usize);
    let mut kinds: HashMap<String, usize> = HashMap::new();
    let mut examples: Vec<String> = Vec::new();
    let mut toks = Vec::new();
    for sent in &sentences {
        let joined = sent.join(" ");
        // Byte offset where each CoNLL token starts and ends in `joined`.
        let mut bounds = Vec::with_capacity(sent.len());
        let mut at = 0;
        for t in sent {
            bounds.push((at, at + t.len()));
            at += t.len() + 1;
        }
        toks.clear();
        tokenize(&joined, &mut toks);
        let ours: Vec<(usize, usize)> = toks.iter().map(|t| (t.span.start, t.span.end)).collect();
        tokens += sent.len();
        if ours == bounds {
            continue;
        }
        bad_sentences += 1;
        // CoNLL tokens whose span is not exactly one of ours.
        for (i, b) in bounds.iter().enumerate() {
            if !ours.contains(b) {
                bad_tokens += 1;
                *kinds.entry(shape(sent[i])).or_default() += 1;
                if examples.len() < show {
                    let ours_here: Vec<&str> = ours
                        .iter()
                        .filter(|o| o.0 < b.1 && b.0 < o.1)
                        .map(|o| &joined[o.0..o.1])
                        .collect();
                    examples.push(format!("{:?} -> {:?}", sent[i], ours_here));
                }
            }
        }
    }
    println!(
        "{} sentences, {} tokens; {} sentences differ; {} CoNLL tokens not reproduced ({:.3}%)",
        sentences.len(),
        tokens,
        bad_sentences,
        bad_tokens,
        100.0 * bad_tokens as f64 / tokens.max(1) as f64
    );
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("by shape (X upper, x lower, d digit):");
    for (k, n) in kinds.iter().take(25) {
        println!("  {n:6}  {k}");
    }
    println!("examples (CoNLL token -> our tokens overlapping it):");
    for e in &examples {
        println!("  {e}");
    }
    Ok(())
}

/// A token's shape with runs collapsed: "U.S." → "X.X.", "3,000" → "d,d", "Iran's" → "Xx'x".
fn shape(t: &str) -> String {
    let mut out = String::new();
    for c in t.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(s) || !matches!(s, 'X' | 'x' | 'd') {
            out.push(s);
        }
    }
    out
}
