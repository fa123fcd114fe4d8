//! The page's own statement of its metadata: `<meta>` tags (Open Graph, `article:`,
//! `author`, Dublin Core, Parse.ly), JSON-LD `NewsArticle`/`Article` objects
//! (`headline`, `datePublished`, `author`) and the visible byline (an element whose
//! class or id names the byline or the author, or `rel="author"`/`itemprop="author"`).
//!
//! Each field holds only its kind of value: a date must read as a date (ISO 8601 or a
//! month name with a year), an author must look like a name (no URL, no date, a few
//! words), so a page that fills `author` with its profile link or `published` with a
//! byline leaves the field to the next source.

use serde_json::Value;

use crate::pipeline::document::Metadata;

/// The metadata found in the page's markup.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub authors: Vec<String>,
}

impl PageMeta {
    /// The page's metadata: what its markup states, else what was read above the body
    /// when it holds the right kind of value (a date, names).
    pub fn merge(&self, from_lines: Metadata) -> Metadata {
        let published = self
            .published
            .clone()
            .or(from_lines.published.filter(|d| is_date(d)));
        let byline = if self.authors.is_empty() {
            from_lines
                .byline
                .into_iter()
                .filter(|a| is_name(a))
                .collect()
        } else {
            self.authors.clone()
        };
        Metadata {
            byline,
            published,
            dateline: from_lines.dateline,
            warnings: from_lines.warnings,
        }
    }
}

/// Collects metadata while the tokenizer reads the page.
#[derive(Debug, Default)]
pub(super) struct MetaReader {
    /// Candidates for each field, best source first once sorted by rank.
    headline: Vec<(u8, String)>,
    published: Vec<(u8, String)>,
    authors: Vec<(u8, Vec<String>)>,
    /// Inside `<script type="application/ld+json">`: the text so far.
    ld_json: Option<String>,
    /// The visible byline's text so far.
    byline: String,
}

/// Most bytes of JSON-LD read from one page (real pages have a few kilobytes).
const MAX_LD_JSON: usize = 256 << 10;

impl MetaReader {
    /// A start tag; `attr` gives an attribute's value as written.
    pub fn start_tag(&mut self, name: &str, attr: &dyn Fn(&str) -> Option<String>) {
        match name {
            "meta" => self.meta(attr),
            "script" => {
                let kind = attr("type").unwrap_or_default().to_ascii_lowercase();
                if kind.contains("ld+json") {
                    self.ld_json = Some(String::new());
                }
            }
            _ => {}
        }
    }

    fn meta(&mut self, attr: &dyn Fn(&str) -> Option<String>) {
        let key = attr("property")
            .or_else(|| attr("name"))
            .or_else(|| attr("itemprop"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(content) = attr("content").map(|c| c.trim().to_string()) else {
            return;
        };
        if content.is_empty() {
            return;
        }
        match key.as_str() {
            "og:title" => self.headline.push((1, content)),
            "twitter:title" | "dc.title" | "headline" => self.headline.push((2, content)),
            "article:published_time" | "datepublished" | "parsely-pub-date" => {
                self.published.push((1, content))
            }
            "dc.date" | "dc.date.issued" | "date" | "pubdate" | "publishdate" | "sailthru.date" => {
                self.published.push((2, content))
            }
            "author" | "article:author" | "parsely-author" | "dc.creator" | "byl" => {
                self.authors.push((2, split_authors(&content)))
            }
            _ => {}
        }
    }

    /// Text inside a raw-text element (scripts); only JSON-LD is kept.
    pub fn script_text(&mut self, text: &str) {
        if let Some(buf) = &mut self.ld_json {
            if buf.len() + text.len() <= MAX_LD_JSON {
                buf.push_str(text);
            }
        }
    }

    pub fn end_tag(&mut self, name: &str) {
        if name == "script" {
            if let Some(json) = self.ld_json.take() {
                if let Ok(v) = serde_json::from_str::<Value>(&json) {
                    self.ld(&v, 0);
                }
            }
        }
    }

    /// Text inside the visible byline.
    pub fn byline_text(&mut self, text: &str) {
        if self.byline.len() < 300 {
            self.byline.push_str(text);
            self.byline.push('\n');
        }
    }

    /// A JSON-LD value: an article object, a list or an `@graph` of them.
    fn ld(&mut self, v: &Value, depth: usize) {
        if depth > 4 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.ld(i, depth + 1)),
            Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    self.ld(g, depth + 1);
                }
                let kind = match o.get("@type") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => String::new(),
                };
                if !kind.contains("Article") && !kind.contains("Posting") {
                    return;
                }
                if let Some(Value::String(h)) = o.get("headline") {
                    self.headline.push((0, h.trim().to_string()));
                }
                if let Some(Value::String(d)) = o.get("datePublished") {
                    self.published.push((0, d.trim().to_string()));
                }
                if let Some(a) = o.get("author") {
                    let mut names = Vec::new();
                    ld_names(a, &mut names, 0);
                    self.authors.push((0, names));
                }
            }
            _ => {}
        }
    }

    /// The best value of each field that holds its kind of value.
    pub fn finish(mut self) -> PageMeta {
        if !self.byline.trim().is_empty() {
            self.authors.push((1, split_authors(&self.byline)));
        }
        self.headline.sort_by_key(|c| c.0);
        self.published.sort_by_key(|c| c.0);
        self.authors.sort_by_key(|c| c.0);
        PageMeta {
            headline: self
                .headline
                .into_iter()
                .map(|c| c.1)
                .find(|h| (1..=40).contains(&h.split_whitespace().count()) && !h.contains("://")),
            published: self.published.into_iter().map(|c| c.1).find(|d| is_date(d)),
            authors: self
                .authors
                .into_iter()
                .map(|c| c.1.into_iter().filter(|a| is_name(a)).collect::<Vec<_>>())
                .find(|a| !a.is_empty())
                .unwrap_or_default(),
        }
    }
}

/// The names in a JSON-LD `author`: a string, a `Person`/`Organization` with a `name`,
/// or a list of them.
fn ld_names(v: &Value, out: &mut Vec<String>, depth: usize) {
    match v {
        Value::String(s) => out.extend(split_authors(s)),
        Value::Object(o) => {
            if let Some(Value::String(n)) = o.get("name") {
                out.extend(split_authors(n));
            }
        }
        Value::Array(a) if depth < 2 => a.iter().for_each(|i| ld_names(i, out, depth + 1)),
        _ => {}
    }
}

/// "By Jane Doe and John Roe" → ["Jane Doe", "John Roe"].
pub(super) fn split_authors(s: &str) -> Vec<String> {
    s.split([',', '|', ';', '&', '\n'])
        .flat_map(|p| p.split(" and "))
        .map(|p| {
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut rest = p.as_str();
            for prefix in ["Written by", "written by", "By", "by", "BY"] {
                if let Some(r) = rest.strip_prefix(prefix) {
                    if r.is_empty() || r.starts_with(' ') {
                        rest = r;
                        break;
                    }
                }
            }
            rest.trim().trim_end_matches('.').trim().to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether `s` reads as a person's or an agency's name: one to six words, no URL, no
/// digits, no e-mail address, starting with a capital letter.
pub(super) fn is_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=6).contains(&words)
        && !s.contains("://")
        && !s.contains('@')
        && !s.contains('/')
        && !s.chars().any(|c| c.is_ascii_digit())
        && s.chars().next().is_some_and(char::is_uppercase)
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Whether `s` reads as a date: ISO 8601 (`2019-11-19`, with or without a time), or a
/// month name and a four-digit year, and nothing as long as a sentence or a URL.
pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let iso = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if iso {
        return s.len() <= 40;
    }
    let lower = s.to_ascii_lowercase();
    let has_month = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m)));
    let has_year = lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")));
    has_month && has_year && s.len() <= 60 && !s.contains("://") && !lower.contains("by ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(tags: &[(&str, &[(&str, &str)])], scripts: &[&str]) -> PageMeta {
        let mut m = MetaReader::default();
        for (name, attrs) in tags {
            let a = |k: &str| {
                attrs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            };
            m.start_tag(name, &a);
        }
        for s in scripts {
            m.start_tag("script", &|k: &str| {
                (k == "type").then(|| "application/ld+json".to_string())
            });
            m.script_text(s);
            m.end_tag("script");
        }
        m.finish()
    }

    #[test]
    fn json_ld_wins_over_meta_tags() {
        let meta = read(
            &[
                (
                    "meta",
                    &[("property", "og:title"), ("content", "OG headline")],
                ),
                (
                    "meta",
                    &[("name", "author"), ("content", "https://x.com/jane")],
                ),
            ],
            &[
                r#"{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
                "headline":"The headline","datePublished":"2019-11-19T10:00:00Z",
                "author":[{"@type":"Person","name":"Jane Doe"},{"name":"John Roe"}]}]}"#,
            ],
        );
        assert_eq!(meta.headline.as_deref(), Some("The headline"));
        assert_eq!(meta.published.as_deref(), Some("2019-11-19T10:00:00Z"));
        assert_eq!(meta.authors, ["Jane Doe", "John Roe"]);
    }

    #[test]
    fn each_field_holds_only_its_kind() {
        let meta = read(
            &[
                (
                    "meta",
                    &[
                        ("property", "article:published_time"),
                        ("content", "By Jane Doe"),
                    ],
                ),
                ("meta", &[("name", "date"), ("content", "Nov. 19, 2019")]),
                (
                    "meta",
                    &[("name", "author"), ("content", "November 19, 2019")],
                ),
            ],
            &[],
        );
        assert_eq!(meta.published.as_deref(), Some("Nov. 19, 2019"));
        assert!(meta.authors.is_empty());
        assert!(!is_date("https://example.com/2019/11/19/story"));
        assert!(!is_name("Jane Doe, 2019"));
    }

    #[test]
    fn visible_byline_is_split() {
        let mut m = MetaReader::default();
        m.byline_text("By Jane Doe and ");
        m.byline_text("John Roe");
        assert_eq!(m.finish().authors, ["Jane Doe", "John Roe"]);
    }
}
