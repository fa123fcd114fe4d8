//! HTML to text, first version: a single forward scan that drops tags, comments,
//! scripts and styles, turns block elements into paragraph breaks and decodes the common
//! character references. Issue #3 replaces it with a real HTML5 parser and
//! main-content extraction.

use crate::pipeline::alignment::{AlignedBuilder, Alignment};
use crate::pipeline::document::{RemovalReason, Removed};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "tr",
    "table",
    "ul",
    "ol",
    "figure",
    "figcaption",
];

pub(super) fn html_to_text(src: &str) -> (String, Alignment, Vec<Removed>) {
    let mut b = AlignedBuilder::with_capacity(src.len() / 2);
    let mut removed = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut text_from = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                b.copy(src, text_from..i);
                let start = i;
                let end = if src[i..].starts_with("<!--") {
                    src[i..].find("-->").map(|e| i + e + 3).unwrap_or(src.len())
                } else {
                    src[i..].find('>').map(|e| i + e + 1).unwrap_or(src.len())
                };
                let name: String = src[start + 1..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let mut stop = end;
                if (name == "script" || name == "style") && !src[start + 1..].starts_with('/') {
                    let close = format!("</{name}");
                    stop = find_ascii_ci(&src[end..], &close)
                        .map(|e| end + e)
                        .and_then(|e| src[e..].find('>').map(|g| e + g + 1))
                        .unwrap_or(src.len());
                }
                if BLOCKS.contains(&name.as_str()) {
                    b.replace("\n\n", start..stop);
                }
                removed.push(Removed {
                    input: start..stop,
                    reason: RemovalReason::Markup,
                });
                i = stop;
                text_from = i;
            }
            b'&' => {
                if let Some((decoded, len)) = decode_reference(&src[i..]) {
                    b.copy(src, text_from..i);
                    b.replace(&decoded.to_string(), i..i + len);
                    i += len;
                    text_from = i;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    b.copy(src, text_from..src.len());
    let (text, alignment) = b.finish();
    (text, alignment, merge(removed))
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decodes `&name;` or `&#N;` / `&#xN;` at the start of `s`: (char, bytes consumed).
pub(crate) fn decode_reference(s: &str) -> Option<(char, usize)> {
    let semi = s.as_bytes()[..s.len().min(12)]
        .iter()
        .position(|&b| b == b';')?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let n = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        char::from_u32(n)?
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{00A0}',
            "mdash" => '—',
            "ndash" => '–',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "hellip" => '…',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

fn merge(removed: Vec<Removed>) -> Vec<Removed> {
    let mut out: Vec<Removed> = Vec::with_capacity(removed.len());
    for r in removed {
        match out.last_mut() {
            Some(last) if last.reason == r.reason && last.input.end == r.input.start => {
                last.input.end = r.input.end
            }
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_references() {
        let src = "<p>Tom &amp; Jerry</p><script>x<y</script><p>said “hi”</p>";
        let (text, a, _) = html_to_text(src);
        assert_eq!(text.trim(), "Tom & Jerry\n\n\n\nsaid “hi”");
        assert!(a.is_consistent(src.len()));
        let at = text.find("Jerry").unwrap();
        assert_eq!(&src[a.to_input(at..at + 5)], "Jerry");
    }
}
