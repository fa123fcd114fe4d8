//! The walk over the page's tokens that cuts it into blocks.
//!
//! The page is read by html5gum, a WHATWG-compliant HTML5 tokenizer that reports the
//! byte span of every token, with its state switching on so that `<script>`, `<style>`
//! and `<textarea>` contents are raw text. A small tree builder keeps the stack of open
//! elements (void elements, implied end tags and stray end tags handled the forgiving
//! way browsers do) so each piece of text knows its ancestors: the furniture-looking
//! elements around it, the strongest article marker, its block element and the
//! template (name and class) of the elements that contain it.

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::super::meta::{MetaReader, PageMeta};
use super::align::align_text;
use super::{Block, Shape};

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
pub(super) struct Soft {
    pub words: usize,
    pub holds_article: bool,
}

pub(super) fn read_blocks(src: &str) -> (Vec<Block>, Vec<Soft>, Shape, PageMeta) {
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
