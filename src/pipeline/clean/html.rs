//! HTML to blocks of text, with every character aligned to the HTML source.
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
//! boilerplate. When the page marks its article (`itemprop="articleBody"`, a known
//! article-body class, or `<article>`), only text inside it (and the page's `<h1>`) is
//! kept; the line classifier then does the rest, exactly as for pasted text.
//!
//! Character references are decoded by the tokenizer; the alignment is rebuilt by
//! walking each text token's source span beside its decoded value, so a decoded `&amp;`
//! maps to the five source bytes it came from.

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

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
}

/// A furniture-looking element: how much text it holds, and whether the article's
/// marker was found inside it (then it was not furniture after all).
#[derive(Debug, Default, Clone)]
struct Soft {
    words: usize,
    holds_article: bool,
}

/// Turns an HTML page or fragment into text blocks aligned to the source; also returns
/// what was left out.
pub(super) fn html_to_text(src: &str) -> (String, Alignment, Vec<Removed>) {
    let (mut blocks, soft) = read_blocks(src);
    let total: usize = blocks.iter().map(|b| b.words).sum();
    let is_furniture = |i: &usize| !soft[*i].holds_article && soft[*i].words * 4 < total.max(1);
    for b in &mut blocks {
        b.skip |= b.soft.iter().any(is_furniture);
    }
    // The strongest article marker present with enough text in it decides the scope.
    let words_at = |level: u8| -> usize {
        blocks
            .iter()
            .filter(|b| b.article >= level)
            .map(|b| b.text.split_whitespace().count())
            .sum()
    };
    let scope = [3u8, 2, 1]
        .into_iter()
        .find(|&l| words_at(l) >= 60)
        .unwrap_or(0);

    let mut b = AlignedBuilder::with_capacity(src.len() / 4);
    let mut removed = Vec::new();
    let mut covered = 0;
    for block in &blocks {
        let keep =
            !block.skip && (block.article >= scope || block.h1) && !block.text.trim().is_empty();
        if !keep {
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

#[derive(Debug, Clone)]
enum Piece {
    Copy,
    Replace(String),
}

/// A block of text and how to build it from the source.
#[derive(Debug, Default)]
struct Block {
    text: String,
    pieces: Vec<(Piece, Range<usize>)>,
    source: Range<usize>,
    skip: bool,
    /// Furniture-looking elements around the block.
    soft: Vec<usize>,
    words: usize,
    article: u8,
    h1: bool,
}

fn read_blocks(src: &str) -> (Vec<Block>, Vec<Soft>) {
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
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut cur, &mut blocks, &mut soft);
                }
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
                let attr = |k: &str| -> String {
                    tag.attributes
                        .iter()
                        .find(|(n, _)| n.as_slice() == k.as_bytes())
                        .map(|(_, v)| String::from_utf8_lossy(v).to_ascii_lowercase())
                        .unwrap_or_default()
                };
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
                stack.push(Open {
                    name,
                    skip,
                    soft: soft_id,
                    article: article.max(parent_article),
                });
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
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
                if skip {
                    continue;
                }
                let span = s.span.start..s.span.end.min(src.len());
                if cur.pieces.is_empty() {
                    cur.source = span.start..span.end;
                    cur.skip = false;
                    cur.article = top.map_or(0, |o| o.article);
                    cur.h1 = in_title || stack.iter().any(|o| o.name == "h1");
                    cur.soft = stack.iter().filter_map(|o| o.soft).collect();
                }
                cur.source.end = span.end;
                let value = String::from_utf8_lossy(&s.value);
                align_text(src, span, &value, &mut cur);
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut blocks, &mut soft);
    (blocks, soft)
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
