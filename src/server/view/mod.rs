//! The newsroom reading view: HTML pages rendered on the server.
//!
//! Pure functions from an [`Annotation`](crate::Annotation) (or a form's state) to
//! markup; the handlers only call them. Templates are [`maud`] macros, checked at
//! compile time and escaping every value they interpolate; the one stylesheet is
//! embedded in the binary, so the pages work offline and need no CDN. The annotated text
//! itself is built from open/close events (`nesting`) because stand-off spans may
//! cross, and HTML elements may not.

mod form;
mod nesting;
mod page;
mod reading;
mod units;

pub use form::{looks_like_html, ArticleForm, Format};
pub use page::{error_page, form_page, ProblemView};
pub use reading::reading_page;

/// The reading view of `annotation` as a complete HTML document.
pub fn render(annotation: &crate::Annotation, input: Option<&str>) -> String {
    reading_page(annotation, input).into_string()
}

#[cfg(test)]
mod tests;
