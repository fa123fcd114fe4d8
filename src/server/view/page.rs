//! The page frame every view shares, and the two pages that are not the reading view:
//! the paste form (`GET /`) and the friendly error page.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::form::Format;
use super::units::UnitIndex;
use crate::api::Problem;
use crate::pipeline::output::{OffsetUnit, RemovedOut};

const STYLE: &str = include_str!("assets/style.css");

/// What went wrong, for a person at the paste form (a journalist, not a developer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemView {
    pub status: u16,
    /// The problem's kind, the slug of its type (`empty-text`, `no-article-text`, ...).
    pub kind: String,
    /// The problem's own title and detail: shown only for a kind this page has no
    /// words of its own for.
    pub title: String,
    pub detail: String,
    /// What cleaning removed, in offsets (code points) of the text that was sent.
    pub removed: Vec<RemovedOut>,
}

impl ProblemView {
    pub fn from_problem(p: &Problem) -> Self {
        ProblemView {
            status: p.status,
            kind: p.kind().to_string(),
            title: p.title.clone(),
            detail: p.detail.clone(),
            removed: p.removed.clone().unwrap_or_default(),
        }
    }

    /// What happened and what to do, in plain words. Problem details are written for
    /// the developers of API clients (field names, backticks, limits in bytes); this
    /// page speaks to the person who pasted the article.
    fn message(&self) -> String {
        match self.kind.as_str() {
            "empty-text" => "There was nothing to annotate: the box was empty or held only spaces. Paste the article's text and press Annotate.".into(),
            "binary-input" => "This does not look like text (it may be the contents of a file such as a PDF or an image). Paste the article's words, or the page's HTML source.".into(),
            "no-article-text" => "No article text was found: everything pasted looked like the furniture of a web page (menus, share buttons, captions, notices) and was set aside. What was removed, and why, is listed below. If the article is in there, paste just its paragraphs.".into(),
            "unsupported-language" => format!("{} This service finds names and quotations in English only, so it has not annotated it.", language_sentence(&self.detail)),
            "payload-too-large" | "text-too-large" => "The text is longer than this service accepts in one go. Paste a shorter part, or ask whoever runs the service to raise its size limit.".into(),
            "body-timeout" => "The text took too long to arrive. Check the connection and press Annotate again.".into(),
            "timeout" => "Annotating this text took too long. Try again in a moment; if it keeps happening, paste a shorter part.".into(),
            "overloaded" => "The service is busy right now. Wait a moment and press Annotate again.".into(),
            "not-ready" => "The service is still starting up. Wait a few seconds and press Annotate again.".into(),
            "unauthorized" => "This service asks for a key, which this page cannot send. Ask whoever runs it for access.".into(),
            "invalid-form" => "The form could not be read. Reload the page and try again.".into(),
            "internal" => "Something went wrong on our side; it has been logged. Try again, and tell whoever runs the service if it keeps happening.".into(),
            // A kind added later: its own words, without the markup meant for developers.
            _ => format!("{}: {}", self.title, self.detail).replace('`', ""),
        }
    }
}

/// "This text appears to be in German (de)." from an `unsupported-language` detail
/// ("the text is in German (de); ..."), or a plain sentence when the detail has no name.
fn language_sentence(detail: &str) -> String {
    let name = detail
        .strip_prefix("the text is in ")
        .and_then(|rest| rest.split(';').next())
        .filter(|n| !n.is_empty());
    match name {
        Some(n) => format!("This text appears to be in {n}."),
        None => "This text appears to be in a language other than English.".into(),
    }
}

/// A removal reason in words, as a person would name that part of a page.
fn reason_words(r: &RemovedOut) -> String {
    let slug = serde_json::to_value(r.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match slug.as_str() {
        "navigation" => "site navigation or menu".into(),
        "duplicate_title" => "the headline, repeated".into(),
        "title" => "the headline".into(),
        "byline" => "the byline".into(),
        "dateline" => "the dateline".into(),
        "caption" => "a picture caption or credit".into(),
        "share" => "share buttons or social links".into(),
        "related" => "links to other stories".into(),
        "newsletter" => "a newsletter sign-up".into(),
        "comments" => "reader comments".into(),
        "footer" => "the page footer".into(),
        "advertisement" => "an advertisement".into(),
        "cookies" => "a cookie or privacy notice".into(),
        "markup" => "HTML markup".into(),
        "control" => "invisible control characters".into(),
        "boilerplate" => "page boilerplate".into(),
        other => other.replace('_', " "),
    }
}

/// The frame: landmarks, skip link, embedded stylesheet.
pub(crate) fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · news-annotator" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="site" {
                    a href="/" { "news-annotator" }
                    p { "Names, quotations and who said them, in any news article." }
                }
                main id="main" tabindex="-1" { (body) }
                footer class="site" {
                    "Annotations are made by statistical models and rules: check them before you rely on them. "
                    "The same analysis as JSON: " code { "POST /v1/annotate" } "."
                }
            }
        }
    }
}

/// `GET /`: the paste form, optionally with the text sent before and a problem to show.
pub fn form_page(prefill: &str, format: Format, problem: Option<&ProblemView>) -> Markup {
    let body = html! {
        h1 { "Annotate an article" }
        @if let Some(p) = problem {
            (problem_box(p, prefill))
        }
        form class="annotate" method="post" action="/" accept-charset="utf-8" {
            label for="article" { "Article text or HTML" }
            textarea id="article" name="text" required
                aria-describedby="article-hint" spellcheck="false" { (prefill) }
            p id="article-hint" class="hint" {
                "Paste the whole page if you like: menus, share buttons and other boilerplate are removed."
            }
            fieldset {
                legend { "The text above is" }
                @for (value, label) in [(Format::Auto, "detect automatically"), (Format::Text, "plain text"), (Format::Html, "HTML")] {
                    label {
                        input type="radio" name="format" value=(value.as_str()) checked[value == format];
                        " " (label)
                    }
                }
            }
            button type="submit" { "Annotate" }
        }
    };
    layout("Annotate an article", body)
}

/// A problem as a page: what went wrong in words, and the form again with what was sent.
pub fn error_page(problem: &ProblemView, prefill: &str, format: Format) -> Markup {
    form_page(prefill, format, Some(problem))
}

/// How many removed stretches the page lists before it says how many more there were.
const REMOVED_SHOWN: usize = 50;

fn problem_box(p: &ProblemView, sent: &str) -> Markup {
    // The form always asks for code-point offsets (the default).
    let index = UnitIndex::new(sent, OffsetUnit::Codepoints);
    html! {
        section class="problem" role="alert" aria-labelledby="problem-title" {
            h2 id="problem-title" { "The article could not be annotated" }
            p { (p.message()) }
            @if !p.removed.is_empty() {
                table class="removed" {
                    caption { "What was removed from the text you pasted" }
                    thead { tr { th scope="col" { "Removed text" } th scope="col" { "Why" } } }
                    tbody {
                        @for r in p.removed.iter().take(REMOVED_SHOWN) {
                            tr {
                                td { (removed_text(sent, &index, r)) }
                                td { (reason_words(r)) }
                            }
                        }
                    }
                }
                @if p.removed.len() > REMOVED_SHOWN {
                    p { "… and " (p.removed.len() - REMOVED_SHOWN) " more pieces." }
                }
            }
        }
    }
}

/// The removed text, white space collapsed and cut to a readable length.
fn removed_text(sent: &str, index: &UnitIndex, r: &RemovedOut) -> String {
    const MAX: usize = 200;
    let Some(range) = index.range(r.input_start, r.input_end) else {
        return String::new();
    };
    let collapsed = sent[range].split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > MAX {
        let cut: String = collapsed.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}
