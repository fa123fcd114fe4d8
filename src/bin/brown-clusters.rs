//! brown-clusters: learns Brown word clusters (Liang 2005) from unlabelled text.
//!
//! The tagger uses the bit-string paths of a word's cluster (and their prefixes) as
//! features, so that a name seen in training helps with its unseen neighbours in the
//! hierarchy. This binary builds `resources/clusters/brown.txt`; see
//! `resources/PROVENANCE.md` for the command and inputs.
//!
//! Text is tokenized with the project's own tokenizer, so the vocabulary is the one the
//! tagger meets at run time. Words seen fewer than `--min-count` times are left out (their
//! bigrams too).
//!
//! # Algorithm
//! Liang's windowed agglomerative clustering. Words are taken in order of frequency. The
//! `C` most frequent start as singleton clusters; each further word enters as cluster
//! `C + 1` and then the pair of clusters whose merge loses the least average mutual
//! information between adjacent clusters is merged, keeping `C`. When every word is in, the
//! `C` clusters are merged greedily down to one, and that binary tree gives each cluster
//! its bit string (left `0`, right `1`).
//!
//! The merge loss `L(a, b)` of every pair is kept in a table and updated incrementally:
//! with unigram marginals fixed, the loss splits into a term for the pair itself and one
//! term per third cluster `x`, `f(a, b, x)`, which depends only on the counts between
//! `{a, b}` and `x`. Adding a cluster adds one term to every pair (zero unless the pair
//! is adjacent to the new word), merging `u, v` into `w` swaps the terms of `u` and `v` for
//! the one of `w`, and only the new cluster's row is computed from scratch, so a step
//! costs O(C²). Ties break on the lowest slot numbers, so runs are deterministic.
//!
//! Output: `word<TAB>bitpath<TAB>count`, sorted by path, then count (descending), then word.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use news_annotator::pipeline::segment::tokenizer::tokenize;

#[derive(Parser, Debug)]
#[command(about = "Learn Brown clusters from unlabelled text")]
struct Args {
    /// CoNLL-format files: the first column of non-blank lines is a token.
    #[arg(long)]
    conll: Vec<PathBuf>,
    /// JSON-lines files with the text field to read, as PATH:FIELD.
    #[arg(long)]
    jsonl: Vec<String>,
    /// Number of clusters C (the window).
    #[arg(long, default_value_t = 500)]
    clusters: usize,
    /// Words seen fewer times are left out.
    #[arg(long, default_value_t = 3)]
    min_count: u64,
    #[arg(long)]
    out: PathBuf,
    /// Check every incremental loss against a fresh computation after each step (slow;
    /// for testing the bookkeeping on small inputs).
    #[arg(long)]
    check: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let t0 = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    for path in &args.conll {
        read_conll(path, &mut lines)?;
    }
    for spec in &args.jsonl {
        let (path, field) = spec.rsplit_once(':').ok_or("--jsonl takes PATH:FIELD")?;
        read_jsonl(path, field, &mut lines)?;
    }
    let corpus = Corpus::new(&lines, args.min_count);
    eprintln!(
        "{} lines, {} tokens, vocabulary {} (min count {}), {} bigrams kept, read in {:.1}s",
        lines.len(),
        corpus.tokens,
        corpus.words.len(),
        args.min_count,
        corpus.bigrams,
        t0.elapsed().as_secs_f64()
    );
    let t1 = Instant::now();
    let paths = Clustering::run(&corpus, args.clusters, args.check);
    eprintln!("clustered in {:.1}s", t1.elapsed().as_secs_f64());

    let mut rows: Vec<(&str, &str, u64)> = corpus
        .words
        .iter()
        .zip(&corpus.counts)
        .zip(&paths)
        .map(|((w, &c), p)| (w.as_str(), p.as_str(), c))
        .collect();
    rows.sort_by(|a, b| a.1.cmp(b.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    if let Some(dir) = args.out.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(fs::File::create(&args.out)?);
    for (w, p, c) in rows {
        writeln!(out, "{w}\t{p}\t{c}")?;
    }
    out.flush()?;
    Ok(())
}

/// One CoNLL sentence a line, tokens joined by spaces (re-tokenized later).
fn read_conll(path: &PathBuf, lines: &mut Vec<String>) -> std::io::Result<()> {
    let mut sentence: Vec<String> = Vec::new();
    for line in BufReader::new(fs::File::open(path)?).lines() {
        let line = line?;
        match line.split_whitespace().next() {
            Some("-DOCSTART-") => {}
            Some(tok) => sentence.push(tok.to_string()),
            None if !sentence.is_empty() => lines.push(std::mem::take(&mut sentence).join(" ")),
            None => {}
        }
    }
    if !sentence.is_empty() {
        lines.push(sentence.join(" "));
    }
    Ok(())
}

/// Each non-blank line of the field's text.
fn read_jsonl(path: &str, field: &str, lines: &mut Vec<String>) -> std::io::Result<()> {
    for line in BufReader::new(fs::File::open(path)?).lines() {
        let v: serde_json::Value = serde_json::from_str(&line?)?;
        if let Some(text) = v.get(field).and_then(|t| t.as_str()) {
            lines.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
        }
    }
    Ok(())
}

/// The vocabulary in frequency order and each word's bigram neighbours.
struct Corpus {
    words: Vec<String>,
    counts: Vec<u64>,
    /// Per word: (next word, count), sorted by word.
    next: Vec<Vec<(u32, u64)>>,
    /// Per word: (previous word, count), sorted by word.
    prev: Vec<Vec<(u32, u64)>>,
    tokens: usize,
    bigrams: u64,
}

impl Corpus {
    fn new(lines: &[String], min_count: u64) -> Corpus {
        let mut toks = Vec::new();
        let mut seqs: Vec<Vec<&str>> = Vec::with_capacity(lines.len());
        let mut freq: HashMap<&str, u64> = HashMap::new();
        let mut tokens = 0;
        for line in lines {
            toks.clear();
            tokenize(line, &mut toks);
            let seq: Vec<&str> = toks.iter().map(|t| &line[t.span.range()]).collect();
            for w in &seq {
                *freq.entry(w).or_default() += 1;
            }
            tokens += seq.len();
            seqs.push(seq);
        }
        let mut vocab: Vec<(&str, u64)> = freq
            .iter()
            .filter(|(_, &c)| c >= min_count)
            .map(|(&w, &c)| (w, c))
            .collect();
        vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let id: HashMap<&str, u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (*w, i as u32))
            .collect();
        let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
        let mut bigrams = 0;
        for seq in &seqs {
            for w in seq.windows(2) {
                if let (Some(&a), Some(&b)) = (id.get(w[0]), id.get(w[1])) {
                    *pairs.entry((a, b)).or_default() += 1;
                    bigrams += 1;
                }
            }
        }
        let mut next = vec![Vec::new(); vocab.len()];
        let mut prev = vec![Vec::new(); vocab.len()];
        for (&(a, b), &c) in &pairs {
            next[a as usize].push((b, c));
            prev[b as usize].push((a, c));
        }
        for l in next.iter_mut().chain(prev.iter_mut()) {
            l.sort_unstable();
        }
        Corpus {
            words: vocab.iter().map(|(w, _)| w.to_string()).collect(),
            counts: vocab.iter().map(|(_, c)| *c).collect(),
            next,
            prev,
            tokens,
            bigrams,
        }
    }
}

/// `n ln n` for counts, from a table for the small ones.
struct NLogN(Vec<f64>);

impl NLogN {
    const TABLE: usize = 1 << 16;

    fn new() -> Self {
        NLogN(
            (0..Self::TABLE)
                .map(|n| {
                    if n == 0 {
                        0.0
                    } else {
                        n as f64 * (n as f64).ln()
                    }
                })
                .collect(),
        )
    }

    #[inline]
    fn get(&self, n: f64) -> f64 {
        if n < Self::TABLE as f64 {
            self.0[n as usize]
        } else {
            n * n.ln()
        }
    }
}

/// The clustering state over `k` slots (C + 1: the window and the word entering it).
struct Clustering<'c> {
    corpus: &'c Corpus,
    k: usize,
    active: Vec<bool>,
    /// Unigram count of each slot's cluster, and its log.
    n1: Vec<f64>,
    log1: Vec<f64>,
    /// Bigram counts between slots, row-major `k × k`: `nb[a * k + b]` = a then b.
    nb: Vec<f64>,
    /// Log of the unigram count of the union of two slots (symmetric).
    log_union: Vec<f64>,
    /// Merge loss of a pair, stored at `[min * k + max]`.
    loss: Vec<f64>,
    word_slot: Vec<u32>,
    members: Vec<Vec<u32>>,
    h: NLogN,
}

const NONE: u32 = u32::MAX;

impl<'c> Clustering<'c> {
    /// Runs the whole algorithm; returns each word's bit path.
    fn run(corpus: &'c Corpus, clusters: usize, check: bool) -> Vec<String> {
        let v = corpus.words.len();
        let c = clusters.min(v).max(1);
        let k = c + 1;
        let mut s = Clustering {
            corpus,
            k,
            active: vec![false; k],
            n1: vec![0.0; k],
            log1: vec![0.0; k],
            nb: vec![0.0; k * k],
            log_union: vec![0.0; k * k],
            loss: vec![0.0; k * k],
            word_slot: vec![NONE; v],
            members: vec![Vec::new(); k],
            h: NLogN::new(),
        };
        for w in 0..c {
            s.place(w as u32, w);
        }
        for a in 0..k {
            for b in a + 1..k {
                if s.active[a] && s.active[b] {
                    s.loss[a * k + b] = s.fresh_loss(a, b);
                }
            }
        }
        let t = Instant::now();
        for w in c..v {
            let slot = (0..k).find(|&i| !s.active[i]).expect("a free slot");
            s.add_word(w as u32, slot);
            s.merge_best();
            if check {
                s.check();
            }
            if (w - c + 1).is_multiple_of(2000) {
                eprintln!(
                    "  {} / {} words placed, {:.1}s",
                    w + 1,
                    v,
                    t.elapsed().as_secs_f64()
                );
            }
        }
        // The C clusters are the leaves; merge them down to one to build the tree.
        let mut node: Vec<usize> = (0..k).collect();
        let mut children: Vec<(usize, usize)> = Vec::new();
        let leaves: Vec<Vec<u32>> = s.members.clone();
        let mut root = (0..k).find(|&i| s.active[i]).unwrap_or(0);
        while s.active.iter().filter(|&&a| a).count() > 1 {
            let (a, b) = s.merge_best();
            children.push((node[a], node[b]));
            node[a] = k + children.len() - 1;
            root = node[a];
        }
        let mut paths = vec![String::new(); v];
        let mut stack = vec![(root, String::new())];
        while let Some((n, path)) = stack.pop() {
            if n < k {
                for &w in &leaves[n] {
                    paths[w as usize] = path.clone();
                }
            } else {
                let (l, r) = children[n - k];
                stack.push((r, format!("{path}1")));
                stack.push((l, format!("{path}0")));
            }
        }
        // A single cluster has an empty path; give it a bit so that every path is a prefix
        // of something.
        for p in &mut paths {
            if p.is_empty() {
                p.push('0');
            }
        }
        paths
    }

    /// Panics when an incremental loss has drifted from a fresh computation.
    fn check(&self) {
        let k = self.k;
        for a in 0..k {
            for b in a + 1..k {
                if self.active[a] && self.active[b] {
                    let (inc, fresh) = (self.loss[a * k + b], self.fresh_loss(a, b));
                    assert!(
                        (inc - fresh).abs() <= 1e-6 * fresh.abs().max(1.0),
                        "loss({a}, {b}): incremental {inc} vs fresh {fresh}"
                    );
                }
            }
        }
    }

    #[inline]
    fn q(&self, n: f64, la: f64, lb: f64) -> f64 {
        if n == 0.0 {
            0.0
        } else {
            self.h.get(n) - n * (la + lb)
        }
    }

    /// The part of L(a, b) due to third cluster x.
    #[inline]
    fn f(&self, a: usize, b: usize, x: usize) -> f64 {
        let k = self.k;
        let (nax, nxa, nbx, nxb) = (
            self.nb[a * k + x],
            self.nb[x * k + a],
            self.nb[b * k + x],
            self.nb[x * k + b],
        );
        if nax == 0.0 && nxa == 0.0 && nbx == 0.0 && nxb == 0.0 {
            return 0.0;
        }
        // The q terms' log n(x) parts cancel (the merge keeps every count between {a, b}
        // and x), which leaves n ln n terms and the marginals of a, b and their union.
        let h = &self.h;
        let (la, lb) = (self.log1[a], self.log1[b]);
        let lab = self.log_union[a * k + b];
        h.get(nax) + h.get(nxa) + h.get(nbx) + h.get(nxb)
            - h.get(nax + nbx)
            - h.get(nxa + nxb)
            - la * (nax + nxa)
            - lb * (nbx + nxb)
            + lab * (nax + nbx + nxa + nxb)
    }

    /// The part of L(a, b) within the pair.
    fn g(&self, a: usize, b: usize) -> f64 {
        let k = self.k;
        let (naa, nab, nba, nbb) = (
            self.nb[a * k + a],
            self.nb[a * k + b],
            self.nb[b * k + a],
            self.nb[b * k + b],
        );
        let (la, lb) = (self.log1[a], self.log1[b]);
        let lab = self.log_union[a * k + b];
        self.q(naa, la, la) + self.q(nab, la, lb) + self.q(nba, lb, la) + self.q(nbb, lb, lb)
            - self.q(naa + nab + nba + nbb, lab, lab)
    }

    fn fresh_loss(&self, a: usize, b: usize) -> f64 {
        let mut l = self.g(a, b);
        for x in 0..self.k {
            if self.active[x] && x != a && x != b {
                l += self.f(a, b, x);
            }
        }
        l
    }

    fn set_unigram(&mut self, slot: usize, n: f64) {
        let k = self.k;
        self.n1[slot] = n;
        self.log1[slot] = n.ln();
        for x in 0..k {
            let u = (n + self.n1[x]).ln();
            self.log_union[slot * k + x] = u;
            self.log_union[x * k + slot] = u;
        }
    }

    /// Puts word `w` into the empty slot `slot` with its bigram counts to active slots.
    fn place(&mut self, w: u32, slot: usize) {
        let k = self.k;
        self.word_slot[w as usize] = slot as u32;
        self.members[slot] = vec![w];
        self.active[slot] = true;
        self.set_unigram(slot, self.corpus.counts[w as usize] as f64);
        for x in 0..k {
            self.nb[slot * k + x] = 0.0;
            self.nb[x * k + slot] = 0.0;
        }
        for &(o, c) in &self.corpus.next[w as usize] {
            let t = self.word_slot[o as usize];
            if t != NONE {
                self.nb[slot * k + t as usize] += c as f64;
            }
        }
        for &(o, c) in &self.corpus.prev[w as usize] {
            let t = self.word_slot[o as usize];
            // The self-bigram (w, w) was counted once already through `next`.
            if t != NONE && o != w {
                self.nb[t as usize * k + slot] += c as f64;
            }
        }
    }

    /// Active slots with a bigram to or from any of `slots`, as a mask.
    fn neighbours(&self, slots: &[usize]) -> Vec<bool> {
        let k = self.k;
        (0..k)
            .map(|x| {
                self.active[x]
                    && slots
                        .iter()
                        .any(|&s| self.nb[s * k + x] != 0.0 || self.nb[x * k + s] != 0.0)
            })
            .collect()
    }

    /// Adds `sign * f(a, b, x)` to the loss of every active pair not involving `x`
    /// or `skip`, visiting only pairs next to `near` (the others' terms are zero).
    fn update_pairs(&mut self, x: usize, skip: usize, near: &[bool], sign: f64) {
        let k = self.k;
        for a in 0..k {
            if !self.active[a] || a == x || a == skip {
                continue;
            }
            for b in a + 1..k {
                if !self.active[b] || b == x || b == skip || !(near[a] || near[b]) {
                    continue;
                }
                let d = self.f(a, b, x);
                self.loss[a * k + b] += sign * d;
            }
        }
    }

    fn add_word(&mut self, w: u32, slot: usize) {
        let k = self.k;
        self.place(w, slot);
        let near = self.neighbours(&[slot]);
        self.update_pairs(slot, slot, &near, 1.0);
        for x in 0..k {
            if self.active[x] && x != slot {
                let (a, b) = (x.min(slot), x.max(slot));
                self.loss[a * k + b] = self.fresh_loss(a, b);
            }
        }
    }

    /// Merges the pair of least loss (the later slot into the earlier); returns it.
    fn merge_best(&mut self) -> (usize, usize) {
        let k = self.k;
        let mut best = (f64::INFINITY, 0, 0);
        for a in 0..k {
            if !self.active[a] {
                continue;
            }
            for b in a + 1..k {
                if self.active[b] && self.loss[a * k + b] < best.0 {
                    best = (self.loss[a * k + b], a, b);
                }
            }
        }
        let (_, a, b) = best;
        // Other pairs: drop the terms of a and b as they are...
        let near = self.neighbours(&[a, b]);
        self.update_pairs(a, b, &near, -1.0);
        self.update_pairs(b, a, &near, -1.0);
        // ...merge b into a...
        let (nab, nba) = (self.nb[a * k + b], self.nb[b * k + a]);
        self.nb[a * k + a] += nab + nba + self.nb[b * k + b];
        for x in 0..k {
            if x != a && x != b {
                self.nb[a * k + x] += self.nb[b * k + x];
                self.nb[x * k + a] += self.nb[x * k + b];
            }
        }
        for x in 0..k {
            self.nb[b * k + x] = 0.0;
            self.nb[x * k + b] = 0.0;
        }
        self.active[b] = false;
        self.set_unigram(a, self.n1[a] + self.n1[b]);
        let moved = std::mem::take(&mut self.members[b]);
        for &w in &moved {
            self.word_slot[w as usize] = a as u32;
        }
        self.members[a].extend(moved);
        // ...and add the merged cluster's term back.
        let near = self.neighbours(&[a]);
        self.update_pairs(a, a, &near, 1.0);
        for x in 0..k {
            if self.active[x] && x != a {
                let (p, q) = (x.min(a), x.max(a));
                self.loss[p * k + q] = self.fresh_loss(p, q);
            }
        }
        (a, b)
    }
}
