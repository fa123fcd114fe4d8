//! The article of an HTML page: its blocks of text, which of them are the body, and the
//! page's metadata.
//!
//! 1. [`blocks`] reads the page with html5gum (source offsets for every character) into
//!    blocks of text, each knowing where it sits (element, lists, links, furniture
//!    classes, the page's article marker).
//! 2. [`signal`] runs the `trafilatura` crate on the page as a second opinion and maps
//!    what it selects back onto the blocks by their words.
//! 3. The blocks either opinion keeps become the text the line classifier sees (so the
//!    usual character and layout passes run over it), and each line is kept when its
//!    block is (`BlockChoice::select`); the headline, byline and date are then found
//!    above the body as for pasted text.
//!
//! Keeping the text in our own blocks, rather than taking trafilatura's output, is what
//! keeps the offsets into the source; using its choice as a signal rather than the
//! answer is what lets the combination beat it.

mod blocks;
mod classify;
mod meta;
mod signal;

use std::cell::Cell;
use std::ops::Range;

use std::sync::LazyLock;

use super::features::{line_facts, split_lines, LineFacts};
use super::model::LineModel;
use super::pasted::{self, Selection};
use crate::pipeline::alignment::Alignment;
use crate::pipeline::document::{RemovalReason, Removed};
pub use classify::{BlockModel, N_BLOCK};
use classify::{BlockView, PageView};
pub use meta::PageMeta;

/// Share of a block's word trigrams trafilatura must have selected for it to count as
/// selected.
const SELECTED: f32 = 0.5;

/// The block classifier's weights (see `models/html/README.md`).
static BLOCK_MODEL: LazyLock<BlockModel> = LazyLock::new(|| {
    BlockModel::parse(include_str!("../../../../models/html/blocks.model"))
        .expect("the embedded block model parses")
});

/// The block model's version (a hash of its weights).
pub(super) fn block_model_version() -> &'static str {
    &BLOCK_MODEL.version
}

/// An HTML page turned into text for the line passes, and how to choose its lines.
pub(super) struct Page {
    /// The candidate blocks, a blank line between blocks.
    pub text: String,
    /// From `text` to the page's source.
    pub alignment: Alignment,
    /// Stretches of the source left out of `text` (markup, scripts, furniture).
    pub removed: Vec<Removed>,
    pub choice: BlockChoice,
    /// What the page's markup says of its headline, date and authors.
    pub meta: PageMeta,
}

/// Which of the page's blocks are the article.
pub(super) struct BlockChoice {
    /// The source span of each block in `Page::text`, in order.
    spans: Vec<Range<usize>>,
    /// What is known of each of them before the lines are read.
    views: Vec<BlockView>,
    page: PageView,
    /// Set by `select` when the classifier kept no block and the likeliest was kept.
    pub kept_best: Cell<bool>,
}

/// Reads an HTML page or fragment.
pub(super) fn read_page(src: &str) -> Page {
    let (blocks, shape, meta) = blocks::page_blocks(src);
    let signal = signal::extract(src, shape);
    let coverage: Vec<f32> = match &signal {
        Some(s) => blocks.iter().map(|b| s.coverage(&b.text)).collect(),
        None => vec![0.0; blocks.len()],
    };
    // Every block with text is a candidate: the classifier weighs the old rules
    // (furniture, the article marker) as evidence rather than obeying them.
    let candidate = |i: usize| !blocks[i].text.trim().is_empty();
    let (text, alignment, removed) = blocks::emit(src, &blocks, candidate);
    let mut spans = Vec::new();
    let mut views = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if candidate(i) {
            spans.push(b.source.clone());
            views.push(BlockView {
                coverage: coverage[i],
                rule_keep: b.rule_keep,
                furniture: b.furniture,
                in_scope: b.in_scope,
                h1: b.h1,
                link_density: b.link_bytes as f32 / b.text.len().max(1) as f32,
                element: b.element,
                in_header: b.in_header,
                in_list: b.in_list,
                in_table: b.in_table,
                in_figure: b.in_figure,
                in_quote: b.in_quote,
                words: b.words,
                depth: b.depth,
                template_count: b.template_count,
                container_share: b.container_share,
                ..BlockView::default()
            });
        }
    }
    let page = PageView {
        has_signal: signal.is_some(),
        has_marker: blocks.iter().any(|b| b.article > 0),
    };
    Page {
        text,
        alignment,
        removed,
        choice: BlockChoice {
            spans,
            views,
            page,
            kept_best: Cell::new(false),
        },
        meta,
    }
}

impl BlockChoice {
    /// The lines of `text` (the page's text after the character and layout passes,
    /// aligned to the source by `to_input`) that are article text, with the headline,
    /// byline and date found above them.
    pub fn select(&self, text: &str, to_input: &Alignment, model: &LineModel) -> Selection {
        let lines = split_lines(text);
        let facts = line_facts(text, &lines);
        let line_block = self.line_blocks(&lines, to_input);
        let views = self.with_lines(text, &facts, &line_block, model);
        let p = BLOCK_MODEL.predict(&classify::block_features(self.page, &views));
        let mut keep_block: Vec<bool> = p.iter().map(|&x| x >= BLOCK_MODEL.threshold).collect();
        let headline = above_the_headline(&views, &mut keep_block);
        // A line of symbols alone (the 2 MB of "<" in one <p> of a hostile page) is never
        // kept from a page. Pasted text keeps them: a CMS body's "* * *" or "--" counts
        // as words kept (scripts/eval_clean_kept.py).
        let keep: Vec<bool> = line_block
            .iter()
            .zip(&lines)
            .map(|(b, line)| {
                b.is_some_and(|b| keep_block[b])
                    && text[line.clone()].chars().any(char::is_alphanumeric)
            })
            .collect();
        let mut sel = pasted::decide(text, lines, &facts, &keep);
        // The `<h1>` taken off the top of the body is the title, whatever line the
        // line passes found above the body.
        if let Some(h) = headline.and_then(|h| line_block.iter().position(|&b| b == Some(h))) {
            if let Some(old) = sel.title.filter(|&t| t != h) {
                sel.removed[old] = Some(RemovalReason::Navigation);
            }
            sel.title = Some(h);
            sel.removed[h] = Some(RemovalReason::Title);
        }
        // A page with words is never left empty: its likeliest block of prose (or of any
        // words) is kept, so a short article or a fragment is still answered. A page of
        // symbols alone ("<<<<") is refused as having no article text, as pasted text is.
        if sel.removed.iter().all(Option::is_some) {
            let mut has_word = vec![false; views.len()];
            for (l, b) in sel.lines.iter().zip(&line_block) {
                if let Some(b) = *b {
                    has_word[b] |= text[l.clone()].chars().any(char::is_alphanumeric);
                }
            }
            let best = |prose_only: bool| {
                (0..views.len())
                    .filter(|&b| has_word[b] && (views[b].prose || !prose_only))
                    .max_by(|&a, &b| p[a].total_cmp(&p[b]))
            };
            if let Some(b) = best(true).or_else(|| best(false)) {
                self.kept_best.set(true);
                for (r, lb) in sel.removed.iter_mut().zip(&line_block) {
                    if *lb == Some(b) {
                        *r = None;
                    }
                }
                if sel.title.is_some_and(|t| line_block[t] == Some(b)) {
                    sel.title = None;
                }
            }
        }
        sel
    }

    /// The block classifier's features and labels for this page, whose article body is
    /// `body` (for the training binary).
    pub fn rows(
        &self,
        text: &str,
        to_input: &Alignment,
        model: &LineModel,
        body: &str,
    ) -> Vec<BlockRow> {
        let lines = split_lines(text);
        let facts = line_facts(text, &lines);
        let line_block = self.line_blocks(&lines, to_input);
        let views = self.with_lines(text, &facts, &line_block, model);
        let features = classify::block_features(self.page, &views);
        let gold = signal::Signal::of_text(body);
        let mut block_text = vec![String::new(); views.len()];
        for (l, b) in lines.iter().zip(&line_block) {
            if let Some(b) = b {
                block_text[*b].push_str(&text[l.clone()]);
                block_text[*b].push('\n');
            }
        }
        features
            .iter()
            .zip(&views)
            .zip(&block_text)
            .filter(|(_, t)| !t.is_empty())
            .map(|((f, v), t)| BlockRow {
                features: f.to_vec(),
                label: gold.coverage(t) >= SELECTED,
                words: v.words,
                text: t.clone(),
            })
            .collect()
    }

    /// The blocks' views completed with what the line classifier says of their lines.
    fn with_lines(
        &self,
        text: &str,
        facts: &[LineFacts],
        line_block: &[Option<usize>],
        model: &LineModel,
    ) -> Vec<BlockView> {
        let p = model.predict(facts);
        let line_keep = pasted::keep_lines(text, facts, model);
        let mut views = self.views.clone();
        let mut lines = vec![0usize; views.len()];
        for (i, b) in line_block.iter().enumerate() {
            let Some(b) = *b else { continue };
            let v = &mut views[b];
            if lines[b] == 0 {
                let f = &facts[i];
                v.prose = f.prose;
                v.lexicon = f.lexicon.is_some();
                v.strong_lexicon = f.lexicon.is_some_and(|h| h.strong);
                v.byline = f.byline;
                v.datelike = f.datelike;
                v.repeated = f.repeated;
            }
            lines[b] += 1;
            v.line_p += p[i];
            v.line_keep += line_keep[i] as u8 as f32;
        }
        for (v, &n) in views.iter_mut().zip(&lines) {
            if n > 0 {
                v.line_p /= n as f32;
                v.line_keep /= n as f32;
            }
        }
        views
    }

    /// The block each line belongs to.
    fn line_blocks(&self, lines: &[Range<usize>], to_input: &Alignment) -> Vec<Option<usize>> {
        lines
            .iter()
            .map(|l| self.block_at(to_input.to_input(l.clone()).start))
            .collect()
    }

    /// The block whose source span holds byte `at` of the source.
    fn block_at(&self, at: usize) -> Option<usize> {
        let i = self.spans.partition_point(|s| s.start <= at);
        (i > 0 && at < self.spans[i - 1].end).then(|| i - 1)
    }
}

/// The page's `<title>` is never body text (it is the headline with the site's name),
/// nor is an `<h1>` kept above the first paragraph (the headline, which the line
/// passes then take as the title), nor what is kept above that `<h1>` and is not
/// prose (breadcrumbs, section labels, teasers of other stories). Returns that `<h1>`.
fn above_the_headline(views: &[BlockView], keep: &mut [bool]) -> Option<usize> {
    for (k, v) in keep.iter_mut().zip(views) {
        *k &= v.element != "title";
    }
    let first_paragraph = (0..views.len()).find(|&b| keep[b] && views[b].prose && !views[b].h1)?;
    let headline = (0..first_paragraph)
        .rev()
        .find(|&b| keep[b] && views[b].h1)?;
    keep[headline] = false;
    for b in 0..headline {
        keep[b] &= views[b].prose;
    }
    Some(headline)
}

/// One block's features and label, for the training binary.
#[derive(Debug, Clone)]
pub struct BlockRow {
    pub features: Vec<f32>,
    /// Whether most of the block's word trigrams are in the hand-made body.
    pub label: bool,
    pub words: usize,
    /// Its lines, as the line classifier saw them.
    pub text: String,
}
