//! The page frame every view shares, and the two pages that are not the reading view:
//! the paste form (`GET /`) and the friendly error page.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::form::Format;

const STYLE: &str = include_str!("assets/style.css");

/// What went wrong, in the fields of an RFC 9457 problem, for a person to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemView {
    pub status: u16,
    pub title: String,
    pub detail: Option<String>,
    /// The problem type URI (`about:blank` when there is none).
    pub kind: String,
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
            (problem_box(p))
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

/// A problem as a page: the problem's fields, and the form again with what was sent.
pub fn error_page(problem: &ProblemView, prefill: &str, format: Format) -> Markup {
    form_page(prefill, format, Some(problem))
}

fn problem_box(p: &ProblemView) -> Markup {
    html! {
        section class="problem" role="alert" aria-labelledby="problem-title" {
            h2 id="problem-title" { "The article could not be annotated" }
            dl {
                dt { "Problem" } dd { (p.title) }
                @if let Some(d) = &p.detail { dt { "Detail" } dd { (d) } }
                dt { "Status" } dd { (p.status) }
                @if p.kind != "about:blank" { dt { "Type" } dd { code { (p.kind) } } }
            }
        }
    }
}
