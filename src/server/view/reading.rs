//! The reading view: the cleaned article with its annotations drawn in, a side panel
//! of entities and quotes, the removed boilerplate, and the JSON.
//!
//! Works only from the [`Annotation`] (and, when given, the input it was made from), so
//! it shows exactly what a JSON client would receive.

use std::collections::HashMap;
use std::fmt::Write as _;

use maud::{html, Escaper, Markup, PreEscaped};

use super::nesting::{self, Event, Mark};
use super::page::layout;
use super::units::UnitIndex;
use crate::pipeline::language::english_name;
use crate::pipeline::output::{
    EntityOut, EntityType, OffsetUnit, QuoteKind, QuoteOut, RemovedOut, SpanOut,
};
use crate::Annotation;

/// What a mark in the text stands for.
#[derive(Debug, Clone, Copy)]
enum Tag {
    /// Part `part` of quote `quote`'s content; `last` is its final part.
    Quote {
        quote: usize,
        part: usize,
        last: bool,
    },
    Speaker,
    Cue,
    Mention {
        entity: usize,
        first: bool,
    },
}

impl Tag {
    /// Quotes wrap the speaker and cue words, which wrap names.
    fn rank(self) -> u8 {
        match self {
            Tag::Quote { .. } => 0,
            Tag::Speaker => 1,
            Tag::Cue => 2,
            Tag::Mention { .. } => 3,
        }
    }
}

/// Who said quote `q`, as the reader should see it.
pub(crate) fn speaker_name(a: &Annotation, q: &QuoteOut) -> Option<String> {
    if let Some(id) = &q.speaker_entity {
        if let Some(e) = a.entities.iter().find(|e| &e.id == id) {
            return Some(e.name.clone());
        }
    }
    q.speaker.as_ref().map(|s| s.text.clone())
}

/// The whole page for one annotation. `input` is the request's text or HTML, when the
/// caller still has it: the removed boilerplate is then shown as text, not only offsets.
pub fn reading_page(a: &Annotation, input: Option<&str>) -> Markup {
    let title = a.title.as_deref().unwrap_or("Untitled article");
    let speakers: Vec<Option<String>> = a.quotes.iter().map(|q| speaker_name(a, q)).collect();
    let body = html! {
        div class="reading" {
            article class="text" aria-labelledby="article-title" {
                h1 id="article-title" { (title) }
                (byline(a))
                (legend())
                (PreEscaped(marked_text(a, &speakers)))
            }
            aside class="panel" aria-label="Entities and quotes" {
                (entity_list(a))
                (quotes_by_speaker(a, &speakers))
            }
        }
        (removed_table(a, input))
        details {
            summary { "The annotation as JSON" }
            pre class="json" { code { (serde_json::to_string_pretty(a).unwrap_or_default()) } }
        }
        p { a href="/" { "Annotate another article" } }
    };
    layout(title, body)
}

fn byline(a: &Annotation) -> Markup {
    html! {
        @if !a.byline.is_empty() || a.published.is_some() || a.dateline.is_some() {
            p class="meta" {
                @if !a.byline.is_empty() { "By " (a.byline.join(", ")) }
                @if let Some(d) = &a.dateline { @if !a.byline.is_empty() { " · " } (d) }
                @if let Some(p) = &a.published {
                    @if !a.byline.is_empty() || a.dateline.is_some() { " · " }
                    time { (p) }
                }
            }
        }
        p class="meta" { (language_words(a)) }
        p class="meta" {
            (a.entities.len()) " entities, " (a.quotes.len()) " quotes, "
            (a.removed.len()) " removed stretches; annotated in "
            (format!("{:.1}", a.stats.total_us as f64 / 1000.0)) " ms."
        }
    }
}

/// The body's language in words: detected, taken as English, or forced.
fn language_words(a: &Annotation) -> String {
    let name = english_name(&a.language);
    if a.warnings.iter().any(|w| w.code == "language-forced") {
        format!("Language: {name}, detected; annotated as English, as the request asked.")
    } else if a.language_reliable {
        format!(
            "Language: {name}, detected ({:.0}% confident).",
            100.0 * a.language_confidence
        )
    } else {
        "Language: taken as English (the text is too short or mixed to tell).".into()
    }
}

fn legend() -> Markup {
    html! {
        ul class="legend" aria-label="Legend" {
            @for t in EntityType::ALL {
                li { mark class={"ent ent-" (t.as_str())} { (type_label(t)) } }
            }
            li { mark class="quote" { "quotation" } }
            li { span class="speaker-badge" { "speaker" } }
            li { span class="cue" { "reporting verb" } }
        }
    }
}

fn type_label(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "person",
        EntityType::Org => "organisation",
        EntityType::Loc => "place",
        EntityType::Misc => "other name",
    }
}

/// The marks of the body text, as byte ranges of `a.text`.
fn marks(a: &Annotation) -> (Vec<Mark>, Vec<Tag>) {
    let index = UnitIndex::new(&a.text, a.offsets);
    let range = |s: &SpanOut| match (s.start, s.end) {
        (Some(start), Some(end)) => index.range(start, end),
        _ => None,
    };
    let mut marks = Vec::new();
    let mut tags = Vec::new();
    let mut push = |r: Option<std::ops::Range<usize>>, tag: Tag| {
        if let Some(range) = r {
            marks.push(Mark {
                range,
                rank: tag.rank(),
            });
            tags.push(tag);
        }
    };
    for (qi, q) in a.quotes.iter().enumerate() {
        for (part, s) in q.content.iter().enumerate() {
            let last = part + 1 == q.content.len();
            push(
                range(s),
                Tag::Quote {
                    quote: qi,
                    part,
                    last,
                },
            );
        }
        if let Some(s) = &q.speaker {
            push(range(s), Tag::Speaker);
        }
        if let Some(s) = &q.cue {
            push(range(s), Tag::Cue);
        }
    }
    for (ei, e) in a.entities.iter().enumerate() {
        let mut first = true;
        for m in &e.mentions {
            let r = range(m);
            if r.is_some() {
                push(r, Tag::Mention { entity: ei, first });
                first = false;
            }
        }
    }
    (marks, tags)
}

/// The body as `<p>` elements with every annotation drawn in.
fn marked_text(a: &Annotation, speakers: &[Option<String>]) -> String {
    let (marks, tags) = marks(a);
    let mut out = String::with_capacity(a.text.len() * 2);
    for para in nesting::paragraphs(&a.text) {
        out.push_str("<p>");
        for event in nesting::events(&marks, para) {
            match event {
                Event::Text(r) => escape(&mut out, &a.text[r]),
                Event::Open { mark, first } => open_tag(&mut out, a, tags[mark], first),
                Event::Close { mark } => out.push_str(match tags[mark] {
                    Tag::Quote { .. } | Tag::Mention { .. } => "</mark>",
                    Tag::Speaker | Tag::Cue => "</span>",
                }),
                Event::End { mark } => {
                    if let Tag::Quote {
                        quote, last: true, ..
                    } = tags[mark]
                    {
                        badge(&mut out, &a.quotes[quote], speakers[quote].as_deref());
                    }
                }
            }
        }
        out.push_str("</p>\n");
    }
    out
}

fn open_tag(out: &mut String, a: &Annotation, tag: Tag, first_piece: bool) {
    match tag {
        Tag::Quote { quote, part, .. } => {
            let q = &a.quotes[quote];
            out.push_str("<mark class=\"quote quote-");
            escape(out, kind_str(q));
            out.push_str("\" data-quote=\"");
            escape(out, &q.id);
            if first_piece && part == 0 {
                out.push_str("\" id=\"quote-");
                escape(out, &q.id);
            }
            out.push_str("\">");
        }
        Tag::Speaker => out.push_str("<span class=\"speaker-ref\">"),
        Tag::Cue => out.push_str("<span class=\"cue\">"),
        Tag::Mention { entity, first } => {
            let e = &a.entities[entity];
            let _ = write!(
                out,
                "<mark class=\"ent ent-{}\" data-entity=\"",
                e.kind.as_str()
            );
            escape(out, &e.id);
            out.push_str("\" title=\"");
            escape(out, &format!("{}: {}", type_label(e.kind), e.name));
            if first && first_piece {
                out.push_str("\" id=\"ent-");
                escape(out, &e.id);
            }
            out.push_str("\">");
        }
    }
}

/// The speaker's name beside the end of a quote.
fn badge(out: &mut String, q: &QuoteOut, speaker: Option<&str>) {
    match speaker {
        Some(name) => {
            out.push_str("<span class=\"speaker-badge\" data-speaker-of=\"");
            escape(out, &q.id);
            out.push_str("\"><span class=\"visually-hidden\">said by </span>");
            escape(out, name);
        }
        None => {
            out.push_str("<span class=\"speaker-badge unattributed\" data-speaker-of=\"");
            escape(out, &q.id);
            out.push_str("\">unattributed");
        }
    }
    out.push_str("</span>");
}

fn kind_str(q: &QuoteOut) -> &'static str {
    match q.kind {
        QuoteKind::Direct => "direct",
        QuoteKind::Indirect => "indirect",
        QuoteKind::Mixed => "mixed",
    }
}

fn escape(out: &mut String, s: &str) {
    // maud's escaper handles `& < > "`, all that text and double-quoted attributes need.
    let _ = Escaper::new(out).write_str(s);
}

fn entity_list(a: &Annotation) -> Markup {
    let mut by_salience: Vec<&EntityOut> = a.entities.iter().collect();
    by_salience.sort_by(|x, y| y.salience.total_cmp(&x.salience));
    html! {
        h2 id="entities-heading" { "Entities" }
        @if by_salience.is_empty() {
            p { "No names found." }
        } @else {
            ol aria-labelledby="entities-heading" {
                @for e in by_salience {
                    li {
                        @if e.mentions.iter().any(|m| m.start.is_some()) {
                            a href={"#ent-" (e.id)} { (e.name) }
                        } @else {
                            (e.name)
                        }
                        " "
                        mark class={"type ent-" (e.kind.as_str())} { (e.kind.as_str()) }
                        " · " (e.mentions.len()) @if e.mentions.len() == 1 { " mention" } @else { " mentions" }
                        @if !e.roles.is_empty() { " · " (e.roles.join(", ")) }
                    }
                }
            }
        }
    }
}

fn quotes_by_speaker(a: &Annotation, speakers: &[Option<String>]) -> Markup {
    // Groups in order of first appearance; the unattributed ones last.
    let mut order: Vec<Option<&str>> = Vec::new();
    let mut groups: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for (i, s) in speakers.iter().enumerate() {
        let key = s.as_deref();
        if !groups.contains_key(&key) {
            order.push(key);
        }
        groups.entry(key).or_default().push(i);
    }
    order.sort_by_key(|k| k.is_none());
    html! {
        section class="quotes-by-speaker" aria-labelledby="quotes-heading" {
            h2 id="quotes-heading" { "Quotes by speaker" }
            @if order.is_empty() { p { "No quotations found." } }
            @for key in order {
                h3 { (key.unwrap_or("Unattributed")) }
                @for &qi in &groups[&key] {
                    @let q = &a.quotes[qi];
                    blockquote {
                        (q.content.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" … "))
                        " "
                        @if q.content.iter().any(|s| s.start.is_some()) {
                            a href={"#quote-" (q.id)} aria-label={"Go to quote " (q.id)} { "(" (kind_str(q)) ")" }
                        } @else {
                            "(" (kind_str(q)) ")"
                        }
                    }
                }
            }
        }
    }
}

fn removed_table(a: &Annotation, input: Option<&str>) -> Markup {
    let index = input.map(|i| (i, UnitIndex::new(i, a.offsets)));
    html! {
        section aria-labelledby="removed-heading" {
            h2 id="removed-heading" { "Removed from the input" }
            @if a.removed.is_empty() {
                p { "Nothing was removed." }
            } @else {
                table {
                    caption { "Offsets count " (offset_unit(a)) " of the input as sent." }
                    thead { tr {
                        th scope="col" { "Input offsets" }
                        th scope="col" { "Reason" }
                        @if index.is_some() { th scope="col" { "Removed text" } }
                    } }
                    tbody {
                        @for r in &a.removed {
                            tr {
                                td { (r.input_start) "–" (r.input_end) }
                                td { (reason_str(r)) }
                                @if let Some((input, idx)) = &index {
                                    td { code { (snippet(input, idx, r.input_start, r.input_end)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn offset_unit(a: &Annotation) -> &'static str {
    match a.offsets {
        OffsetUnit::Codepoints => "code points",
        OffsetUnit::Utf16 => "UTF-16 units",
    }
}

fn reason_str(r: &RemovedOut) -> String {
    serde_json::to_value(r.reason)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// The removed input, white space collapsed, cut to a readable length.
fn snippet(input: &str, idx: &UnitIndex, start: usize, end: usize) -> String {
    const MAX: usize = 160;
    let Some(r) = idx.range(start, end) else {
        return String::new();
    };
    let collapsed: String = input[r].split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > MAX {
        let cut: String = collapsed.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        collapsed
    }
}
