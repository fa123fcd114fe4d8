//! The clean stage: turns the request's input into the article body, its headline and
//! its metadata, with an alignment from every character back to the input.
//!
//! Plain text goes through three steps, each a pass that builds a new string together
//! with its [`Alignment`] to the previous one (the alignments are composed at the end):
//!
//! 1. character repair (`charfix`): mojibake, escaped HTML entities, Unicode NFC;
//! 2. layout (`normalize`, `hyphen`): line endings, controls, odd spaces, blank
//!    lines, words hyphenated across a line break;
//! 3. boilerplate removal ([`pasted`]): a line classifier ([`features`], [`model`],
//!    [`lexicon`]) keeps the article's lines, finds the headline, byline and date.
//!
//! HTML is first turned into blocks of text by `html` (a real HTML5 tokenizer, with
//! source offsets, and trafilatura as a second opinion), then goes through the same
//! steps, its lines chosen by which blocks are the article.

mod charfix;
pub mod features;
mod html;
mod hyphen;
pub mod lexicon;
pub mod model;
mod normalize;
pub mod pasted;

/// The character references plain-text cleaning decodes (`&amp;`, `&#8217;`, …), for
/// clients and tests that need to say what cleaning may change.
pub use charfix::decode_reference;
/// The HTML block classifier's model and training rows (for `train-html`).
pub use html::{BlockModel, BlockRow, N_BLOCK};
use std::ops::Range;

use super::alignment::{AlignedBuilder, Alignment};
use super::document::{Document, InputKind, Metadata, RemovalReason, Removed, Title, Warning};
use super::layer::Layer;
use super::stage::{Refusal, RunContext, Stage, StageError};
use super::Input;
use model::LineModel;

/// The line classifier's weights (see `models/clean/README.md`).
const LINE_MODEL: &str = include_str!("../../../models/clean/lines.model");
/// The weights for blocks of text extracted from HTML (same features, other data).
const HTML_MODEL: &str = include_str!("../../../models/clean/html.model");

/// The clean stage: turns a document's input into its text, title, metadata and the
/// list of what was removed.
#[derive(Debug)]
pub struct Cleaner {
    model: LineModel,
    html_model: LineModel,
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner::new()
    }
}

impl Stage for Cleaner {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn requires(&self) -> &[Layer] {
        &[]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Text, Layer::Title, Layer::Metadata, Layer::Removed]
    }

    fn version(&self) -> Option<String> {
        Some(self.model_version())
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        Ok(self.clean_document(doc, cx.options().clean())?)
    }
}

/// What cleaning makes of an input: the clean stage's layers.
struct Cleaned {
    text: String,
    alignment: Alignment,
    title: Option<Title>,
    metadata: Metadata,
    removed: Vec<Removed>,
}

impl Cleaner {
    pub fn new() -> Self {
        Cleaner {
            model: LineModel::parse(LINE_MODEL).expect("the embedded clean model parses"),
            html_model: LineModel::parse(HTML_MODEL).expect("the embedded HTML model parses"),
        }
    }

    pub fn model_version(&self) -> String {
        format!(
            "{}+{}+{}",
            self.model.version,
            self.html_model.version,
            html::block_model_version()
        )
    }

    /// The block classifier's features and labels for an HTML page whose article body
    /// is `body` (for the training binary, which must see the blocks exactly as the
    /// cleaner does).
    pub fn html_block_rows(&self, input: &str, body: &str) -> Vec<BlockRow> {
        let page = html::read_page(input);
        let p = prepare(&page.text, page.alignment, page.removed);
        page.choice
            .rows(&p.text, &p.alignment, &self.html_model, body)
    }

    /// A document made of `input` and cleaned (for benchmarks and tests; the pipeline
    /// runs the stage); with `clean == false` a text input is kept exactly as sent.
    pub fn clean(&self, input: Input, clean: bool) -> Result<Document, Refusal> {
        let mut doc = Document::new(input);
        self.clean_document(&mut doc, clean)?;
        Ok(doc)
    }

    /// Adds the stage's layers to `doc`, made from its input.
    fn clean_document(&self, doc: &mut Document, clean: bool) -> Result<(), Refusal> {
        let cleaned = self.clean_input(doc.input(), doc.input_kind(), clean)?;
        doc.set_text(cleaned.text, cleaned.alignment);
        doc.set_title(cleaned.title);
        doc.set_metadata(cleaned.metadata);
        doc.set_removed(cleaned.removed);
        Ok(())
    }

    fn clean_input(&self, input: &str, kind: InputKind, clean: bool) -> Result<Cleaned, Refusal> {
        if looks_binary(input) {
            return Err(Refusal::BinaryInput);
        }
        if input.trim().is_empty() {
            return Err(Refusal::EmptyText);
        }
        let cleaned = match (kind, clean) {
            (InputKind::Text, false) => Cleaned {
                text: input.to_string(),
                alignment: Alignment::identity(input.len()),
                title: None,
                metadata: Metadata::default(),
                removed: Vec::new(),
            },
            (InputKind::Text, true) => {
                let prepared = prepare(input, Alignment::identity(input.len()), Vec::new());
                self.finish(kind, prepared, None)
            }
            (InputKind::Html, _) => {
                let page = html::read_page(input);
                let prepared = prepare(&page.text, page.alignment, page.removed);
                let mut cleaned = self.finish(kind, prepared, Some(&page.choice));
                cleaned.metadata = page.meta.merge(cleaned.metadata);
                if page.choice.kept_best.get() {
                    cleaned.metadata.warnings.push(Warning {
                        code: "kept-best-block".to_string(),
                        detail: "the block classifier kept no block of this page, so its \
                                 likeliest block of text was kept as the article (what else \
                                 was removed is in `removed`)"
                            .to_string(),
                    });
                }
                cleaned
            }
        };
        if cleaned.text.trim().is_empty() {
            return Err(if input.trim().is_empty() || cleaned.removed.is_empty() {
                Refusal::EmptyText
            } else {
                Refusal::NoArticleText {
                    removed: cleaned.removed,
                }
            });
        }
        Ok(cleaned)
    }

    /// Chooses the article's lines and builds the clean stage's layers (for an HTML
    /// page, `blocks` says which of its blocks are the article).
    fn finish(&self, kind: InputKind, p: Prepared, blocks: Option<&html::BlockChoice>) -> Cleaned {
        let model = match kind {
            InputKind::Text => &self.model,
            InputKind::Html => &self.html_model,
        };
        let sel = match blocks {
            Some(b) => b.select(&p.text, &p.alignment, model),
            None => pasted::select(&p.text, model),
        };
        let mut removed = p.removed;
        let mut b = AlignedBuilder::with_capacity(p.text.len());
        let wrapped = p.text.contains("\n\n");
        let mut prev: Option<Range<usize>> = None;
        for (line, why) in sel.lines.iter().zip(&sel.removed) {
            if let Some(reason) = why {
                removed.push(Removed {
                    input: p.alignment.to_input(line.clone()),
                    reason: *reason,
                });
                continue;
            }
            if let Some(pr) = &prev {
                let gap = &p.text[pr.end..line.start];
                // In text that marks paragraphs with blank lines, a single line break
                // inside a paragraph is kept; otherwise every line is a paragraph.
                let ends_sentence = p.text[pr.clone()].ends_with(['.', '!', '?', '"', '”', ':']);
                if gap == "\n\n" || (gap == "\n" && wrapped && !ends_sentence) {
                    b.copy(&p.text, pr.end..line.start);
                } else {
                    b.replace("\n\n", pr.end..pr.end + 1);
                }
            }
            b.copy(&p.text, line.clone());
            prev = Some(line.clone());
        }
        let (text, outer) = b.finish();
        let alignment = outer.compose(&p.alignment);
        let title = sel.title.map(|t| {
            let r = sel.lines[t].clone();
            let mut tb = AlignedBuilder::new();
            tb.copy(&p.text, r);
            let (text, a) = tb.finish();
            Title {
                text,
                alignment: a.compose(&p.alignment),
            }
        });
        removed.sort_by_key(|r| (r.input.start, r.input.end));
        let warnings = sel
            .fallback
            .map(|f| Warning {
                code: "kept-without-classifier".to_string(),
                detail: format!(
                    "the text is too short for the boilerplate classifier, which kept no line, \
                     so {} (what else was removed is in `removed`)",
                    f.describe()
                ),
            })
            .into_iter()
            .collect();
        Cleaned {
            text,
            alignment,
            title,
            metadata: Metadata {
                byline: sel.byline,
                published: sel.published,
                dateline: sel.dateline,
                warnings,
            },
            removed: merge(removed),
        }
    }
}

/// The text the line classifier sees for a plain-text input (for the training binary,
/// which must derive its features exactly as the cleaner does).
pub fn prepared_text(input: &str) -> String {
    prepare(input, Alignment::identity(input.len()), Vec::new()).text
}

/// The same for an HTML input: the blocks of text the page was turned into.
pub fn prepared_html(input: &str) -> String {
    let page = html::read_page(input);
    prepare(&page.text, page.alignment, page.removed).text
}

/// Text after character repair and layout normalisation, aligned to the input.
struct Prepared {
    text: String,
    alignment: Alignment,
    removed: Vec<Removed>,
}

/// Runs the character and layout passes over `text`, whose alignment to the input is
/// `to_input`; `removed` already holds input ranges.
fn prepare(text: &str, to_input: Alignment, mut removed: Vec<Removed>) -> Prepared {
    let mut alignment = to_input;
    let mut current: Option<String> = None;
    let (fixed, a) = charfix::repair(text);
    if let Some(f) = fixed {
        alignment = a.compose(&alignment);
        current = Some(f);
    }
    let cur = current.as_deref().unwrap_or(text);
    let (t, a, controls) = normalize::normalize(cur);
    removed.extend(controls.into_iter().map(|r| Removed {
        input: alignment.to_input(r.input),
        reason: r.reason,
    }));
    let mut alignment = a.compose(&alignment);
    let mut text = t;
    if let Some((joined, a)) = hyphen::join(&text) {
        alignment = a.compose(&alignment);
        text = joined;
    }
    Prepared {
        text,
        alignment,
        removed,
    }
}

/// The end of a pass that copied `text` into `b` up to `copied`, with its changes: the
/// rest of `text` copied, or `None` when the pass changed nothing (the passes of
/// [`prepare`] skip their alignment then).
fn finish_pass(
    mut b: AlignedBuilder,
    text: &str,
    copied: usize,
    changed: bool,
) -> Option<(String, Alignment)> {
    if !changed {
        return None;
    }
    b.copy(text, copied..text.len());
    Some(b.finish())
}

/// Adjacent or overlapping removals with the same reason become one.
fn merge(removed: Vec<Removed>) -> Vec<Removed> {
    let mut out: Vec<Removed> = Vec::with_capacity(removed.len());
    for r in removed {
        match out.last_mut() {
            Some(last) if last.reason == r.reason && last.input.end >= r.input.start => {
                last.input.end = last.input.end.max(r.input.end)
            }
            _ => out.push(r),
        }
    }
    out
}

/// Binary data (images, PDFs, compressed files) sent by mistake: NUL bytes, or many
/// control characters, in the first few kilobytes.
fn looks_binary(s: &str) -> bool {
    let head = &s.as_bytes()[..s.len().min(4096)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 10 > head.len().max(1) && controls > 8
}

/// Removed stretches that are control characters (kept apart so the list stays short).
pub(crate) fn control(input: Range<usize>) -> Removed {
    Removed {
        input,
        reason: RemovalReason::Control,
    }
}

#[cfg(test)]
mod tests;
