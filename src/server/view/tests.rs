//! The view's output for hand-made annotations: nesting, escaping, speakers.

use crate::pipeline::output::{
    EntityOut, EntityType, OffsetUnit, QuoteKind, QuoteOut, RemovalReason, RemovedOut, SpanOut,
    Stats, Version,
};
use crate::{Annotation, Input, Options, Pipeline};

fn span(text: &str, needle: &str) -> SpanOut {
    let b = text.find(needle).expect("needle in text");
    let start = text[..b].chars().count();
    SpanOut {
        text: needle.to_string(),
        start: Some(start),
        end: Some(start + needle.chars().count()),
        input_start: start,
        input_end: start + needle.chars().count(),
    }
}

fn annotation(text: &str) -> Annotation {
    Annotation {
        id: None,
        title: Some("Kerry & <Iran>".into()),
        text: text.into(),
        language: "en".into(),
        language_confidence: 0.99,
        language_reliable: true,
        byline: vec!["A. Reporter".into()],
        published: None,
        dateline: None,
        offsets: OffsetUnit::Codepoints,
        sentences: vec![],
        entities: vec![],
        quotes: vec![],
        removed: vec![],
        warnings: vec![],
        stats: Stats::default(),
        version: Version {
            service: "test".into(),
            models: Default::default(),
        },
    }
}

fn entity(id: &str, kind: EntityType, name: &str, mentions: Vec<SpanOut>) -> EntityOut {
    EntityOut {
        id: id.into(),
        kind,
        name: name.into(),
        salience: 0.5,
        roles: vec![],
        mentions,
    }
}

fn quote(
    id: &str,
    content: Vec<SpanOut>,
    speaker: Option<SpanOut>,
    entity: Option<&str>,
) -> QuoteOut {
    QuoteOut {
        id: id.into(),
        kind: QuoteKind::Direct,
        content,
        cue: None,
        speaker,
        speaker_entity: entity.map(str::to_string),
        confidence: 0.9,
    }
}

/// Checks that every element opened in `html` is closed in order (the text is escaped,
/// so every `<` starts a tag).
fn assert_well_nested(html: &str) {
    const VOID: [&str; 4] = ["meta", "input", "br", "!DOCTYPE"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("tag closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
        } else {
            let name = tag.split([' ', '/']).next().unwrap().to_string();
            if !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

#[test]
fn a_name_inside_a_quote_is_nested_inside_its_mark() {
    let text = "He said: \u{201c}Kerry was right.\u{201d}\n\nKerry left.";
    let mut a = annotation(text);
    let kerry_in_quote = span(text, "Kerry was");
    let kerry_in_quote = SpanOut {
        text: "Kerry".into(),
        end: Some(kerry_in_quote.start.unwrap() + 5),
        ..kerry_in_quote
    };
    a.entities = vec![entity(
        "E1",
        EntityType::Person,
        "John Kerry",
        vec![kerry_in_quote, span(text, "Kerry left")],
    )];
    a.entities[0].mentions[1].end = Some(a.entities[0].mentions[1].start.unwrap() + 5);
    a.quotes = vec![quote(
        "Q1",
        vec![span(text, "Kerry was right.")],
        None,
        Some("E1"),
    )];
    let html = super::render(&a, None);
    assert_well_nested(&html);
    assert!(html.contains(
        "<mark class=\"quote quote-direct\" data-quote=\"Q1\" id=\"quote-Q1\"><mark class=\"ent ent-PERSON\" data-entity=\"E1\""
    ));
    assert!(html.contains(">Kerry</mark> was right.</mark><span class=\"speaker-badge\""));
    assert!(html.contains("said by </span>John Kerry</span>"));
    let article = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    assert_eq!(article.matches("<p>").count(), 2, "two paragraphs");
    assert_eq!(
        html.matches("id=\"ent-E1\"").count(),
        1,
        "one anchor per entity"
    );
}

#[test]
fn crossing_spans_render_as_valid_nested_html() {
    let text = "one two three four";
    let mut a = annotation(text);
    a.quotes = vec![quote(
        "Q1",
        vec![span(text, "one two three")],
        Some(span(text, "three four")),
        None,
    )];
    a.entities = vec![entity(
        "E1",
        EntityType::Org,
        "two three",
        vec![span(text, "two three four")],
    )];
    let html = super::render(&a, None);
    assert_well_nested(&html);
    // The speaker span (outer-ranked after the quote) is split at the quote's end.
    assert!(
        html.contains("</mark></mark><span class=\"speaker-badge\""),
        "{html}"
    );
    assert!(
        html.contains("said by </span>three four</span>"),
        "speaker span text when no entity"
    );
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let text = "<script>alert(1)</script> & \"Mr <b>\" said";
    let mut a = annotation(text);
    a.entities = vec![entity(
        "E1\"><script>x</script>",
        EntityType::Person,
        "<img src=x onerror=alert(1)>",
        vec![span(text, "<script>")],
    )];
    a.quotes = vec![quote("Q1", vec![span(text, "Mr <b>")], None, None)];
    a.removed = vec![RemovedOut {
        input_start: 0,
        input_end: 8,
        reason: RemovalReason::Markup,
    }];
    let html = super::render(&a, Some(text));
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Kerry &amp; &lt;Iran&gt;"), "title escaped");
    assert!(html.contains("unattributed"));
    assert_well_nested(&html);
}

#[test]
fn quotes_are_grouped_by_speaker_and_removed_text_shown() {
    let text = "\u{201c}Yes,\u{201d} said Kerry. \u{201c}No.\u{201d} \u{201c}Maybe.\u{201d}";
    let input = format!("Skip to content\n{text}");
    let mut a = annotation(text);
    a.entities = vec![entity(
        "E1",
        EntityType::Person,
        "John Kerry",
        vec![span(text, "Kerry")],
    )];
    a.quotes = vec![
        quote(
            "Q1",
            vec![span(text, "Yes,")],
            Some(span(text, "Kerry")),
            Some("E1"),
        ),
        quote(
            "Q2",
            vec![span(text, "No.")],
            Some(span(text, "Kerry")),
            None,
        ),
        quote("Q3", vec![span(text, "Maybe.")], None, None),
    ];
    a.removed = vec![RemovedOut {
        input_start: 0,
        input_end: 16,
        reason: RemovalReason::Navigation,
    }];
    let html = super::render(&a, Some(&input));
    assert_well_nested(&html);
    assert!(html.contains("<h3>John Kerry</h3>"));
    assert!(html.contains("<h3>Kerry</h3>"));
    assert!(html.contains("<h3>Unattributed</h3>"));
    assert!(html.contains("<td>navigation</td><td><code>Skip to content</code></td>"));
    assert!(html.contains("<details><summary>The annotation as JSON</summary>"));
}

#[test]
fn utf16_offsets_and_bad_offsets_are_handled() {
    let text = "😀 Kerry";
    let mut a = annotation(text);
    a.offsets = OffsetUnit::Utf16;
    let mut m = span(text, "Kerry");
    m.start = Some(3);
    m.end = Some(8);
    let mut broken = m.clone();
    broken.start = Some(1); // inside the surrogate pair
    let mut past = m.clone();
    past.end = Some(99);
    a.entities = vec![entity(
        "E1",
        EntityType::Person,
        "Kerry",
        vec![m, broken, past],
    )];
    let html = super::render(&a, None);
    assert_eq!(
        html.matches("data-entity=\"E1\"").count(),
        1,
        "bad spans are skipped"
    );
    assert!(html.contains(">Kerry</mark>"));
}

#[test]
fn the_real_pipeline_renders_a_well_nested_page() {
    let text = include_str!("../../../tests/fixtures/seed_article.txt");
    let p = Pipeline::new().unwrap();
    let a = p
        .annotate(Input::Text(text.into()), &Options::default())
        .unwrap();
    let html = super::render(&a, Some(text));
    assert_well_nested(&html);
    assert!(html.contains("ent ent-PERSON"));
}

#[test]
fn the_form_page_is_accessible_and_keeps_what_was_sent() {
    use super::{form_page, Format, ProblemView};
    let html = form_page("</textarea><script>", Format::Html, None).into_string();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<label for=\"article\">"));
    assert!(html.contains("<textarea id=\"article\" name=\"text\""));
    assert!(html.contains("&lt;/textarea&gt;&lt;script&gt;"));
    assert!(html.contains("value=\"html\" checked"));
    assert!(html.contains("<main id=\"main\""));
    assert_well_nested(&html);
    let problem = ProblemView {
        status: 422,
        kind: "some-new-kind".into(),
        title: "Some new kind".into(),
        detail: "the `thing` went wrong".into(),
        removed: Vec::new(),
    };
    let html = form_page("", Format::Auto, Some(&problem)).into_string();
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("Some new kind: the thing went wrong"),
        "a kind without words of its own shows its title and detail, without backticks"
    );
}

#[test]
fn the_error_page_speaks_to_a_journalist_and_shows_what_was_removed() {
    use super::{error_page, Format, ProblemView};
    let sent = "Home | World | Sport\nShare on Facebook\n";
    // The problem as the API answers it (offsets in code points of what was sent).
    let problem: crate::api::Problem = serde_json::from_value(serde_json::json!({
        "type": "urn:news-annotator:problem:no-article-text",
        "title": "No article text found",
        "status": 422,
        "detail": "no article text found: cleaning removed everything (2 stretches of input, listed in `removed`)",
        "removed": [
            {"input_start": 0, "input_end": 20, "reason": "navigation"},
            {"input_start": 21, "input_end": 38, "reason": "share"}
        ]
    }))
    .unwrap();
    let html = error_page(&ProblemView::from_problem(&problem), sent, Format::Text).into_string();
    assert_well_nested(&html);
    let alert = &html[html.find("role=\"alert\"").unwrap()..html.find("</section>").unwrap()];
    assert!(alert.contains("No article text was found"), "{alert}");
    // Each removed stretch, with its text and the reason in words.
    assert!(
        alert.contains("<td>Home | World | Sport</td><td>site navigation or menu</td>"),
        "{alert}"
    );
    assert!(
        alert.contains("<td>Share on Facebook</td><td>share buttons or social links</td>"),
        "{alert}"
    );
    // Nothing meant for developers: no URN, no field names in backticks, no counts of
    // "stretches listed in removed".
    for developer_speak in ["urn:", "`", "stretches", "listed in"] {
        assert!(
            !alert.contains(developer_speak),
            "{developer_speak:?} in {alert}"
        );
    }
}
