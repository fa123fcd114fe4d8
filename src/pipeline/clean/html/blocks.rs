//! An HTML page as blocks of text, with every character aligned to the HTML source.
//!
//! Output: one line per block of text (paragraphs, headings, list items, table cells,
//! `<br>`-separated lines), blank lines between blocks. Text inside `<script>`,
//! `<style>`, `<head>` (but the `<title>`), `<nav>`, `<footer>`, `<aside>`, forms,
//! buttons, and elements whose class or id names page furniture (share bars,
//! comments, newsletters, related links, cookie banners, ads) is left out as markup or
//! boilerplate by the old rules (`Block::rule_keep`). When the page marks its article
//! (`itemprop="articleBody"`, a known article-body class, or `<article>`), only text
//! inside it (and the page's `<h1>`) passes those rules. Each block also records where
//! it sits (its element, lists, tables, links) for the block classifier.
//!
//! - [`tree`] walks the tokens into blocks, keeping the stack of open elements;
//! - [`align`] records how each block's text is built from the source bytes;
//! - this file decides what the old rules keep (`page_blocks`) and writes the chosen
//!   blocks out as aligned text (`emit`).

mod align;
mod tree;

use tree::read_blocks;

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::meta::PageMeta;
use crate::pipeline::alignment::{AlignedBuilder, Alignment};
use crate::pipeline::document::{RemovalReason, Removed};

/// What the tokenizer saw of the page's shape, for the extractors that walk a tree
/// recursively (they are not run on pages nested deeper than they can afford).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Shape {
    /// The deepest stack of open elements.
    pub max_depth: usize,
    /// The most attributes on one tag.
    pub max_attributes: usize,
    /// How many start tags the page has.
    pub elements: usize,
}

/// The page's blocks of text with what the old rules (furniture, article scope) make of
/// each: `Block::rule_keep`.
pub(super) fn page_blocks(src: &str) -> (Vec<Block>, Shape, PageMeta) {
    let (mut blocks, soft, shape, meta) = read_blocks(src);
    let total: usize = blocks.iter().map(|b| b.words).sum();
    let is_furniture = |i: &usize| !soft[*i].holds_article && soft[*i].words * 4 < total.max(1);
    for b in &mut blocks {
        b.furniture = b.soft.iter().any(is_furniture);
    }
    // The strongest article marker present with enough text in it decides the scope.
    let words_at = |level: u8| -> usize {
        blocks
            .iter()
            .filter(|b| b.article >= level)
            .map(|b| b.words)
            .sum()
    };
    let scope = [3u8, 2, 1]
        .into_iter()
        .find(|&l| words_at(l) >= 60)
        .unwrap_or(0);
    // Teaser cards and related links repeat one template in many elements; the
    // article's paragraphs sit in one element that holds much of the page's words.
    for level in 0..2 {
        let mut instances: FxHashMap<u64, FxHashSet<usize>> = FxHashMap::default();
        let mut words: FxHashMap<usize, usize> = FxHashMap::default();
        for b in &blocks {
            if let Some((id, sig)) = b.containers[level] {
                instances.entry(sig).or_default().insert(id);
                *words.entry(id).or_default() += b.words;
            }
        }
        for b in &mut blocks {
            if let Some((id, sig)) = b.containers[level] {
                b.template_count[level] = instances[&sig].len();
                b.container_share[level] = words[&id] as f32 / total.max(1) as f32;
            }
        }
    }
    for b in &mut blocks {
        b.in_scope = b.article >= scope;
        b.rule_keep = !b.furniture && (b.in_scope || b.h1) && !b.text.trim().is_empty();
    }
    (blocks, shape, meta)
}

/// The text of the blocks `keep` picks, a blank line between blocks, aligned to `src`;
/// also the stretches of `src` left out, as markup.
pub(super) fn emit(
    src: &str,
    blocks: &[Block],
    keep: impl Fn(usize) -> bool,
) -> (String, Alignment, Vec<Removed>) {
    let mut b = AlignedBuilder::with_capacity(src.len() / 4);
    let mut removed = Vec::new();
    let mut covered = 0;
    for (i, block) in blocks.iter().enumerate() {
        if !keep(i) || block.text.trim().is_empty() {
            continue;
        }
        if block.source.start > covered {
            removed.push(Removed {
                input: covered..block.source.start,
                reason: RemovalReason::Markup,
            });
        }
        if !b.is_empty() {
            b.replace("\n\n", block.source.start..block.source.start);
        }
        for (piece, range) in &block.pieces {
            match piece {
                Piece::Copy => b.copy(src, range.clone()),
                Piece::Replace(s) => b.replace(s, range.clone()),
            }
        }
        covered = covered.max(block.source.end);
    }
    if covered < src.len() {
        removed.push(Removed {
            input: covered..src.len(),
            reason: RemovalReason::Markup,
        });
    }
    let (text, alignment) = b.finish();
    (text, alignment, removed)
}

/// Turns an HTML page or fragment into text blocks aligned to the source, by the old
/// rules alone; also returns what was left out.
#[cfg(test)]
pub(super) fn html_to_text(src: &str) -> (String, Alignment, Vec<Removed>) {
    let (blocks, _, _) = page_blocks(src);
    emit(src, &blocks, |i| blocks[i].rule_keep)
}

#[derive(Debug, Clone)]
enum Piece {
    Copy,
    Replace(String),
}

/// A block of text and how to build it from the source.
#[derive(Debug, Default)]
pub(super) struct Block {
    /// The decoded text (white space as in the source).
    pub text: String,
    pieces: Vec<(Piece, Range<usize>)>,
    /// From the start of its first text to the end of its last, in the source.
    pub source: Range<usize>,
    /// Furniture-looking elements around the block.
    soft: Vec<usize>,
    pub words: usize,
    /// The strongest article marker around the block (3 `articleBody`, 2 a body class,
    /// 1 `<article>`).
    pub article: u8,
    /// In the page's `<h1>` or `<title>`.
    pub h1: bool,
    /// Inside an element that holds page furniture (and not the article).
    pub furniture: bool,
    /// Inside the page's article, when the page marks one.
    pub in_scope: bool,
    /// What the old rules keep: not furniture, in scope (or the headline).
    pub rule_keep: bool,
    /// Bytes of its text inside links.
    pub link_bytes: usize,
    /// The nearest block element around it.
    pub element: &'static str,
    /// Inside a `<header>`, a list, a table, a `<figure>`, a `<blockquote>`.
    pub in_header: bool,
    pub in_list: bool,
    pub in_table: bool,
    pub in_figure: bool,
    pub in_quote: bool,
    /// How many elements are open around it.
    pub depth: usize,
    /// The block element's container and the container's parent: (number, signature).
    containers: [Option<(usize, u64)>; 2],
    /// For each of them: how many elements of the page share its signature, and the
    /// share of the page's words it holds.
    pub template_count: [usize; 2],
    pub container_share: [f32; 2],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(src: &str) -> (String, Alignment) {
        let (t, a, _) = html_to_text(src);
        assert!(a.is_consistent(src.len()));
        (t, a)
    }

    #[test]
    fn paragraphs_and_references() {
        let src = "<p>Tom &amp; Jerry</p><script>x<y</script><p>said &ldquo;hi&rdquo;</p>";
        let (text, a) = text_of(src);
        assert_eq!(text, "Tom & Jerry\n\nsaid “hi”");
        let at = text.find("Jerry").unwrap();
        assert_eq!(&src[a.to_input(at..at + 5)], "Jerry");
        let amp = text.find('&').unwrap();
        assert_eq!(&src[a.to_input(amp..amp + 1)], "&amp;");
        let q = text.find('“').unwrap();
        assert_eq!(&src[a.to_input(q..q + '“'.len_utf8())], "&ldquo;");
    }

    #[test]
    fn inline_tags_and_line_breaks() {
        let src = "<p>The <b>bold</b>\n<a href=x>link</a> text<br>next line</p><blockquote>Quoted.</blockquote>";
        let (text, _) = text_of(src);
        assert_eq!(text, "The bold link text\n\nnext line\n\nQuoted.");
    }

    #[test]
    fn furniture_is_left_out() {
        let body = "Word ".repeat(20);
        let src = format!("<nav><a>Home</a></nav><div class=\"share-bar\">Share</div><p>{body}</p><footer>© 2019</footer>");
        let (text, _) = text_of(&src);
        assert_eq!(text, body);
    }

    #[test]
    fn a_form_around_the_whole_page_is_not_furniture() {
        let (text, _) = text_of("<form><p>The article.</p></form>");
        assert_eq!(text, "The article.");
    }

    #[test]
    fn article_scope_wins() {
        let body = "Word ".repeat(70);
        let src = format!("<div>Outside text.</div><h1>Head</h1><article><p>{body}</p></article>");
        let (text, _) = text_of(&src);
        assert!(text.starts_with("Head\n\nWord"));
        assert!(!text.contains("Outside"));
    }
}
