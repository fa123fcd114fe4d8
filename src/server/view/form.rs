//! The paste form's fields (`application/x-www-form-urlencoded`) and what they mean.

use serde::Deserialize;

use crate::pipeline::Input;

/// How to read the pasted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// HTML when it looks like markup (see [`looks_like_html`]), text otherwise.
    #[default]
    Auto,
    Text,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

/// What the form at `GET /` posts.
#[derive(Debug, Clone, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub format: Format,
}

impl ArticleForm {
    /// The pipeline input the form asks for.
    pub fn input(&self) -> Input {
        let html = match self.format {
            Format::Html => true,
            Format::Text => false,
            Format::Auto => looks_like_html(&self.text),
        };
        if html {
            Input::Html(self.text.clone())
        } else {
            Input::Text(self.text.clone())
        }
    }
}

/// True when pasted text is markup rather than prose: it opens with a tag (or a doctype
/// or comment) and has at least one closing tag. Prose that merely mentions `<b>` does
/// not open with one; an HTML fragment copied from a page's source nearly always does.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches('\u{feff}');
    let opens = t.starts_with('<')
        && t[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!');
    opens && t.contains("</")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_markup_but_not_prose_about_markup() {
        assert!(looks_like_html(
            "<!DOCTYPE html><html><body><p>Hi</p></body></html>"
        ));
        assert!(looks_like_html("  <article><p>Kerry said.</p></article>"));
        assert!(!looks_like_html("Kerry said <b> is bold </b>."));
        assert!(!looks_like_html("< 5 percent </ said"));
        assert!(!looks_like_html("<p>unclosed"));
    }

    #[test]
    fn the_format_field_overrides_detection() {
        let form = |text: &str, format| ArticleForm {
            text: text.into(),
            format,
        };
        assert!(matches!(
            form("<p>x</p>", Format::Auto).input(),
            Input::Html(_)
        ));
        assert!(matches!(
            form("<p>x</p>", Format::Text).input(),
            Input::Text(_)
        ));
        assert!(matches!(
            form("plain", Format::Html).input(),
            Input::Html(_)
        ));
    }
}
