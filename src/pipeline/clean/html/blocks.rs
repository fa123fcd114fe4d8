//! An HTML page as blocks of text, with every character aligned to the HTML source.
//!
//! The page is read by html5gum, a WHATWG-compliant HTML5 tokenizer that reports the
//! byte span of every token, with its state switching on so that `<script>`, `<style>`
//! and `<textarea>` contents are raw text. A small tree builder keeps the stack of open
//! elements (void elements, implied end tags and stray end tags handled the forgiving
//! way browsers do) so each piece of text knows its ancestors.
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
//! Character references are decoded by the tokenizer; the alignment is rebuilt by
//! walking each text token's source span beside its decoded value, so a decoded `&amp;`
//! maps to the five source bytes it came from.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use rustc_hash::{FxHashMap, FxHashSet};

use super::meta::{MetaReader, PageMeta};
use crate::pipeline::alignment::{AlignedBuilder, Alignment};
use crate::pipeline::document::{RemovalReason, Removed};

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "ul",
];

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "head", "button", "select", "textarea",
    "iframe", "object",
];

/// Elements that usually hold page furniture; like furniture classes, they are left out
/// unless they turn out to hold the article (a page wrapped in one `<form>`, a `<nav>`
/// left unclosed).
const SOFT_SKIPPED: &[&str] = &["nav", "footer", "aside", "form", "figcaption", "label"];

/// Class or id words of page furniture (compared with the parts of each class or id
/// name split at `-` and `_`, so "share-bar" matches and "shareholders" does not).
const FURNITURE: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "author",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "caption",
    "comment",
    "comments",
    "cookie",
    "cookies",
    "footer",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "paywall",
    "popup",
    "promo",
    "recommended",
    "related",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "social",
    "subscribe",
    "taboola",
    "tags",
    "toolbar",
    "trending",
];

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A class or id naming the byline or the author.
fn is_byline(class_id: &str) -> bool {
    class_id
        .split_whitespace()
        .flat_map(|t| t.split(['-', '_']))
        .any(|part| matches!(part, "byline" | "author" | "authors"))
}

fn is_furniture(class_id: &str) -> bool {
    class_id
        .split_whitespace()
        .flat_map(|t| t.split(['-', '_']))
        .any(|part| FURNITURE.contains(&part))
}

/// Class words of an article's body.
const ARTICLE_BODY: &[&str] = &[
    "articlebody",
    "article-body",
    "article__body",
    "article-content",
    "articlecontent",
    "story-body",
    "storybody",
    "entry-content",
    "post-content",
    "post-body",
    "story-content",
    "article-text",
    "body-text",
    "main-content",
];

#[derive(Debug)]
struct Open {
    name: String,
    /// Text inside is never article text.
    skip: bool,
    /// This element looks like furniture (its index in `Soft`).
    soft: Option<usize>,
    /// This element is the page's article (body).
    article: u8,
    /// Inside the visible byline.
    byline: bool,
    /// This element's number in the page (in order of start tags).
    id: usize,
    /// A hash of its name and class: elements built from one template share it.
    signature: u64,
}

/// A furniture-looking element: how much text it holds, and whether the article's
/// marker was found inside it (then it was not furniture after all).
#[derive(Debug, Default, Clone)]
struct Soft {
    words: usize,
    holds_article: bool,
}

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

fn read_blocks(src: &str) -> (Vec<Block>, Vec<Soft>, Shape, PageMeta) {
    let mut shape = Shape::default();
    let mut meta = MetaReader::default();
    let mut opened = 0usize;
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let tokens = Tokenizer::new_with_emitter(src, emitter);
    let mut stack: Vec<Open> = Vec::new();
    let mut blocks = Vec::new();
    let mut soft: Vec<Soft> = Vec::new();
    let mut cur = Block::default();
    let flush = |cur: &mut Block, blocks: &mut Vec<Block>, soft: &mut Vec<Soft>| {
        if !cur.pieces.is_empty() {
            cur.words = cur.text.split_whitespace().count();
            for &i in &cur.soft {
                soft[i].words += cur.words;
            }
            blocks.push(std::mem::take(cur));
        }
    };
    for token in tokens {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                shape.max_attributes = shape.max_attributes.max(tag.attributes.len());
                shape.elements += 1;
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut cur, &mut blocks, &mut soft);
                }
                let raw_attr = |k: &str| -> Option<String> {
                    tag.attributes
                        .iter()
                        .find(|(n, _)| n.as_slice() == k.as_bytes())
                        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
                };
                meta.start_tag(&name, &raw_attr);
                if VOID.contains(&name.as_str()) || tag.self_closing {
                    continue;
                }
                // Implied end tags: a new paragraph or list item closes the open one.
                if matches!(name.as_str(), "p" | "li" | "dt" | "dd" | "tr" | "td" | "th") {
                    if let Some(pos) = stack.iter().rposition(|o| o.name == name) {
                        if stack.len() - pos <= 3 {
                            stack.truncate(pos);
                        }
                    }
                }
                let attr =
                    |k: &str| -> String { raw_attr(k).unwrap_or_default().to_ascii_lowercase() };
                let class_id = format!("{} {}", attr("class"), attr("id"));
                let role = attr("role");
                let parent_skip = stack.last().is_some_and(|o| o.skip);
                let parent_article = stack.last().map_or(0, |o| o.article);
                let furniture = !matches!(name.as_str(), "html" | "body" | "main" | "article")
                    && is_furniture(&class_id)
                    && !ARTICLE_BODY.iter().any(|w| class_id.contains(w));
                let skip = parent_skip || SKIPPED.contains(&name.as_str());
                let looks_soft = SOFT_SKIPPED.contains(&name.as_str())
                    || furniture
                    || matches!(
                        role.as_str(),
                        "navigation" | "banner" | "contentinfo" | "complementary"
                    );
                let article = if attr("itemprop") == "articlebody" {
                    3
                } else if ARTICLE_BODY.iter().any(|w| class_id.contains(w)) {
                    2
                } else if name == "article" {
                    1
                } else {
                    0
                };
                if article > parent_article {
                    for o in &stack {
                        if let Some(i) = o.soft {
                            soft[i].holds_article = true;
                        }
                    }
                }
                let soft_id = looks_soft.then(|| {
                    soft.push(Soft::default());
                    soft.len() - 1
                });
                let byline = stack.last().is_some_and(|o| o.byline)
                    || is_byline(&class_id)
                    || attr("rel") == "author"
                    || attr("itemprop") == "author";
                opened += 1;
                let signature =
                    fnv1a(name.as_bytes()) ^ fnv1a(attr("class").as_bytes()).rotate_left(17);
                stack.push(Open {
                    name,
                    skip,
                    soft: soft_id,
                    article: article.max(parent_article),
                    byline,
                    id: opened,
                    signature,
                });
                shape.max_depth = shape.max_depth.max(stack.len());
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                meta.end_tag(&name);
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut cur, &mut blocks, &mut soft);
                }
                if let Some(pos) = stack.iter().rposition(|o| o.name == name) {
                    stack.truncate(pos);
                }
            }
            Token::String(s) => {
                let top = stack.last();
                let in_title = top.is_some_and(|o| o.name == "title");
                let skip = top.is_some_and(|o| o.skip) && !in_title;
                if top.is_some_and(|o| o.name == "script") {
                    meta.script_text(&String::from_utf8_lossy(&s.value));
                }
                if skip {
                    continue;
                }
                if top.is_some_and(|o| o.byline) {
                    meta.byline_text(&String::from_utf8_lossy(&s.value));
                }
                let span = s.span.start..s.span.end.min(src.len());
                if cur.pieces.is_empty() {
                    cur.source = span.start..span.end;
                    cur.article = top.map_or(0, |o| o.article);
                    cur.h1 = in_title || stack.iter().any(|o| o.name == "h1");
                    cur.soft = stack.iter().filter_map(|o| o.soft).collect();
                    let has =
                        |names: &[&str]| stack.iter().any(|o| names.contains(&o.name.as_str()));
                    cur.element = stack
                        .iter()
                        .rev()
                        .find_map(|o| BLOCKS.iter().find(|b| **b == o.name).copied())
                        .unwrap_or("");
                    cur.in_header = has(&["header"]);
                    cur.in_list = has(&["ul", "ol", "li", "dl"]);
                    cur.in_table = has(&["table"]);
                    cur.in_figure = has(&["figure", "figcaption"]);
                    cur.in_quote = has(&["blockquote"]);
                    cur.depth = stack.len();
                    // The elements around the block's own element: its container and
                    // the container's parent.
                    let own = stack
                        .iter()
                        .rposition(|o| BLOCKS.contains(&o.name.as_str()))
                        .unwrap_or(stack.len());
                    for (level, c) in cur.containers.iter_mut().enumerate() {
                        *c = own
                            .checked_sub(level + 1)
                            .map(|k| (stack[k].id, stack[k].signature));
                    }
                }
                cur.source.end = span.end;
                let value = String::from_utf8_lossy(&s.value);
                if stack.iter().any(|o| o.name == "a") {
                    cur.link_bytes += value.len();
                }
                align_text(src, span, &value, &mut cur);
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks, &mut soft);
    (blocks, soft, shape, meta.finish())
}

/// Appends a text token to `block`: `value` is the tokenizer's decoded text of
/// `src[span]`. Runs that are equal are copies; character references and line breaks
/// are replacements of the source bytes they came from.
fn align_text(src: &str, span: Range<usize>, value: &str, block: &mut Block) {
    let raw = &src[span.clone()];
    block.text.push_str(value);
    if raw == value && !raw.contains(['\n', '\r', '\t']) {
        block.pieces.push((Piece::Copy, span));
        return;
    }
    let mut i = 0; // in raw
    let mut j = 0; // in value
    let mut run: Option<usize> = None;
    let rb = raw.as_bytes();
    let close = |run: &mut Option<usize>, i: usize, block: &mut Block| {
        if let Some(s) = run.take() {
            if i > s {
                block
                    .pieces
                    .push((Piece::Copy, span.start + s..span.start + i));
            }
        }
    };
    while i < raw.len() && j < value.len() {
        let rc = raw[i..].chars().next().unwrap();
        let vc = value[j..].chars().next().unwrap();
        if rc == vc && rc != '&' && !matches!(rc, '\n' | '\t' | '\r') {
            run.get_or_insert(i);
            i += rc.len_utf8();
            j += vc.len_utf8();
            continue;
        }
        close(&mut run, i, block);
        if matches!(rc, '\n' | '\r' | '\t') {
            // White space inside a block is a space; a CRLF is one character to the tokenizer.
            let mut end = i + 1;
            if rc == '\r' && rb.get(end) == Some(&b'\n') {
                end += 1;
            }
            block
                .pieces
                .push((Piece::Replace(" ".into()), span.start + i..span.start + end));
            i = end;
            j += vc.len_utf8();
        } else if rc == '&' && (vc != '&' || raw[i..].starts_with("&amp")) {
            let len = reference_len(&raw[i..]).max(1);
            let end = i + len;
            // A named reference gives one or two characters; take as many as it takes
            // for the value to meet the source again.
            let mut vend = j + vc.len_utf8();
            let next_raw = raw[end..].chars().next();
            if let Some(v2) = value[vend..].chars().next() {
                if Some(v2) != next_raw && !raw[i + 1..].starts_with('#') {
                    vend += v2.len_utf8();
                }
            }
            block.pieces.push((
                Piece::Replace(value[j..vend].to_string()),
                span.start + i..span.start + end,
            ));
            i = end;
            j = vend;
        } else if rc == '&' {
            // A bare ampersand.
            run.get_or_insert(i);
            i += 1;
            j += 1;
        } else {
            // Anything else (NUL, odd references): the rest as one replacement.
            block.pieces.push((
                Piece::Replace(value[j..].to_string()),
                span.start + i..span.end,
            ));
            return;
        }
    }
    close(&mut run, i, block);
    if j < value.len() {
        block.pieces.push((
            Piece::Replace(value[j..].to_string()),
            span.start + i..span.end,
        ));
    }
}

/// Length in bytes of the character reference at the start of `s` (`&…;`, or `&name`
/// without the semicolon for the legacy names).
fn reference_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut k = 1;
    if b.get(k) == Some(&b'#') {
        k += 1;
        if matches!(b.get(k), Some(b'x' | b'X')) {
            k += 1;
        }
    }
    while k < b.len() && k < 40 && b[k].is_ascii_alphanumeric() {
        k += 1;
    }
    if b.get(k) == Some(&b';') {
        k += 1;
    }
    k
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
