//! Tests of the whole clean stage on small hand-written pages.

use super::*;

fn clean_text(s: &str) -> Document {
    Cleaner::new().clean(Input::Text(s.into()), true).unwrap()
}

/// Every character of the body and title maps back to the same character of the input
/// (or, for separators and repairs, to a stretch of input).
fn assert_aligned(doc: &Document) {
    let alignment = doc.alignment().unwrap();
    assert!(alignment.is_consistent(doc.input().len()));
    for (i, c) in doc.text().unwrap().char_indices() {
        let r = alignment.to_input(i..i + c.len_utf8());
        let src = &doc.input()[r];
        if c.is_alphanumeric() && src.chars().count() == 1 {
            assert_eq!(src, c.to_string());
        }
    }
}

#[test]
fn binary_input_is_refused() {
    let c = Cleaner::new();
    let e = c.clean(Input::Text("PNG\0\0\0IHDR".into()), true);
    assert_eq!(e.unwrap_err(), Refusal::BinaryInput);
}

#[test]
fn blank_text_is_refused() {
    let c = Cleaner::new();
    let e = c.clean(Input::Text(" \n\t ".into()), true);
    assert_eq!(e.unwrap_err(), Refusal::EmptyText);
}

#[test]
fn unclean_text_is_kept_exactly() {
    let c = Cleaner::new();
    let doc = c.clean(Input::Text("a\r\n  b ".into()), false).unwrap();
    assert_eq!(doc.text().unwrap(), "a\r\n  b ");
}

#[test]
fn repairs_compose_with_layout() {
    let doc = clean_text(
        "The minister said itâ€™s a &quot;good&quot; deal for the inter-\nnational market.\r\n",
    );
    assert!(doc
        .text()
        .unwrap()
        .contains("it’s a \"good\" deal for the international market."));
    assert_aligned(&doc);
}

#[test]
fn all_boilerplate_is_refused_with_what_was_removed() {
    let page =
        "Skip to content\nMenu\nShare\nTwitter\nFacebook\nPrivacy Policy\n© 2019 The Paper\n"
            .repeat(200);
    match Cleaner::new().clean(Input::Text(page), true) {
        Err(Refusal::NoArticleText { removed }) => assert!(!removed.is_empty()),
        other => panic!("expected NoArticleText, got {other:?}"),
    }
}

#[test]
fn a_single_four_mib_line_is_cleaned() {
    let line =
        "The council said the budget would pass and the mayor agreed with it. ".repeat(62_000);
    assert!(line.len() > 4 << 20);
    let doc = clean_text(&line);
    assert_eq!(doc.text().unwrap(), line.trim_end());
}

#[test]
fn seed_like_page_loses_its_furniture() {
    let page = "Skip to content\n\nCouncil passes the city budget after long debate\n\nCouncil passes the city budget after long debate\n\n\
The city council approved the new budget on Tuesday after a debate that lasted more than six hours on roads and schools.\n\n\
“We made the choices the city needed,” said the chair of the council, who voted for the plan with most members.\n\n\
Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops.\n\n\
Comment count on this article reflects comments made on the site and Facebook. Visit our Facebook Page.";
    let doc = clean_text(page);
    assert_eq!(
        doc.title().unwrap().unwrap().text,
        "Council passes the city budget after long debate"
    );
    assert!(doc.text().unwrap().starts_with("The city council approved"));
    assert!(doc.text().unwrap().ends_with("small shops."));
    assert_aligned(&doc);
    let t = doc.title().unwrap().unwrap();
    assert_eq!(&doc.input()[t.alignment.to_input(0..t.text.len())], t.text);
}

#[test]
fn html_offsets_point_into_the_source() {
    let body = "<p>The city council approved the new budget on Tuesday after a debate that lasted more than six hours.</p>".repeat(3);
    let src = format!("<html><head><title>Budget</title></head><body><nav><a href=/>Home</a></nav><article><h1>Budget passes</h1>{body}<p>Tom &amp; Jerry said it was &ldquo;fine&rdquo; for the city and for its people in the end.</p></article></body></html>");
    let doc = Cleaner::new()
        .clean(Input::Html(src.clone()), true)
        .unwrap();
    assert!(doc
        .text()
        .unwrap()
        .contains("Tom & Jerry said it was “fine”"));
    assert!(!doc.text().unwrap().contains("Home"));
    let at = doc.text().unwrap().find("Jerry").unwrap();
    assert_eq!(&src[doc.alignment().unwrap().to_input(at..at + 5)], "Jerry");
    let amp = doc.text().unwrap().find('&').unwrap();
    assert_eq!(
        &src[doc.alignment().unwrap().to_input(amp..amp + 1)],
        "&amp;"
    );
}

/// One-sentence CMS bodies: too short for the classifier, never refused.
const SHORT_BODIES: [&str; 3] = [
    "“We will win,” Biden said.",
    "Apple shares fell 3% on Tuesday.",
    "Shinzo Abe has died, NHK said.",
];

#[test]
fn a_one_sentence_body_is_kept_whole() {
    for body in SHORT_BODIES {
        let doc = clean_text(body);
        assert_eq!(doc.text().unwrap(), body);
        assert_aligned(&doc);
        // Kept by the classifier or by a fallback; a fallback says so.
        for w in &doc.metadata().unwrap().warnings {
            assert_eq!(w.code, "kept-without-classifier", "{body}: {w:?}");
        }
    }
}

#[test]
fn a_short_body_among_furniture_keeps_only_the_body_and_says_so() {
    let page = "Share\nMenu\nApple shares fell 3% on Tuesday.\nAdvertisement\n";
    let doc = clean_text(page);
    assert_eq!(doc.text().unwrap(), "Apple shares fell 3% on Tuesday.");
    let warnings = &doc.metadata().unwrap().warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].code, "kept-without-classifier");
    assert!(warnings[0].detail.contains("sentences"), "{warnings:?}");
    assert_eq!(doc.removed().unwrap().len(), 3);
}

#[test]
fn a_headline_only_body_is_kept_and_a_single_word_is_not() {
    let doc = clean_text("Biden wins Pennsylvania");
    assert_eq!(doc.text().unwrap(), "Biden wins Pennsylvania");
    let c = Cleaner::new();
    assert!(matches!(
        c.clean(Input::Text("Menu".into()), true),
        Err(Refusal::NoArticleText { .. })
    ));
}

#[test]
fn an_html_page_of_symbols_alone_is_refused() {
    // HTML reads a lone "<" as text: 4 MiB of them was kept as the page's best block and
    // took seconds in the entity stage.
    let page = "<".repeat(10_000);
    assert!(matches!(
        Cleaner::new().clean(Input::Html(page), true),
        Err(Refusal::NoArticleText { .. })
    ));
}

#[test]
fn a_tiny_html_page_is_kept() {
    let page = "<html><body><p>Shinzo Abe has died, NHK said.</p></body></html>";
    let doc = Cleaner::new()
        .clean(Input::Html(page.into()), true)
        .unwrap();
    assert_eq!(doc.text().unwrap(), "Shinzo Abe has died, NHK said.");
}

#[test]
fn the_article_ends_where_its_comments_begin() {
    let article = "The city council approved the new budget on Tuesday after a debate that lasted more than six hours on roads and schools.\n\n\
“We made the choices the city needed,” said the chair of the council, who voted for the plan with most members.\n\n\
Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops.\n\n";
    let comments = "[ 167 comments ]\n\nNick A\n\n2 days ago at 07:52 am\n\n\
I think the council should have waited for the spring and asked the people of the city what they wanted from the budget.\n\n\
Rating: 25 Votes\n\n\
Nobody asked the shop owners, who will pay the most for all of this in the end, as they always do in this city.\n";
    let doc = clean_text(&format!(
        "Skip to content\n\nCouncil passes the city budget\n\n{article}{comments}"
    ));
    let text = doc.text().unwrap();
    assert!(text.ends_with("small shops."), "{text}");
    assert!(!text.contains("I think"), "{text}");
}

#[test]
fn a_flattened_copy_of_the_article_is_dropped() {
    let paragraphs = [
        "The city council approved the new budget on Tuesday after a debate that lasted more than six hours on roads and schools and parks.",
        "“We made the choices the city needed,” said the chair of the council, who voted for the plan with most of the members of the council.",
        "Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops, which are already struggling.",
    ];
    let page = format!(
        "Council passes the city budget\n\n{}\n\n{}\n\nShare\n",
        paragraphs.join("\n\n"),
        paragraphs.join(" ")
    );
    let text = clean_text(&page).text().unwrap().to_string();
    assert!(text.ends_with(&paragraphs.join("\n\n")), "{text}");
    assert_eq!(text.matches(paragraphs[0]).count(), 1, "{text}");
}

#[test]
fn social_prompts_and_image_credits_are_removed() {
    let page = "The city council approved the new budget on Tuesday after a debate that lasted more than six hours on roads and schools.\n\n\
The council chair, seen at the meeting on Tuesday, voted for it (Image: Getty)\n\n\
“We made the choices the city needed,” said the chair of the council, who voted for the plan with most members.\n\n\
Follow Newsbeat on Instagram, Facebook and Twitter.\n\n\
Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops.\n";
    let text = clean_text(page).text().unwrap().to_string();
    assert!(
        !text.contains("Newsbeat") && !text.contains("(Image"),
        "{text}"
    );
    assert!(text.ends_with("small shops."), "{text}");
}

#[test]
fn the_date_and_byline_above_the_text_are_metadata() {
    let page = "Senate passes the budget bill after a long night\n\nBy Jane Doe and John Roe, Reuters\nNovember 18, 2019 11:03 PM\n\n\
WASHINGTON – The Senate voted on Tuesday to pass the budget after a debate that lasted more than six hours on roads and schools.\n\n\
Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops.\n";
    let doc = clean_text(page);
    let m = doc.metadata().unwrap();
    assert_eq!(m.byline, ["Jane Doe", "John Roe", "Reuters"]);
    assert_eq!(m.published.as_deref(), Some("November 18, 2019 11:03 PM"));
    assert_eq!(m.dateline.as_deref(), Some("WASHINGTON"));
    assert!(doc.text().unwrap().starts_with("WASHINGTON – The Senate"));
    assert_eq!(
        doc.title().unwrap().unwrap().text,
        "Senate passes the budget bill after a long night"
    );
}

#[test]
fn the_headline_is_the_line_the_page_title_starts_with() {
    let page = "Council passes the city budget - The City Paper\n\nClose share panel\n\nCouncil passes the city budget\n\n\
The city council approved the new budget on Tuesday after a debate that lasted more than six hours on roads and schools.\n\n\
Critics said that the increase in fees would fall on the poorest residents of the city and on its small shops.\n";
    let doc = clean_text(page);
    assert_eq!(
        doc.title().unwrap().unwrap().text,
        "Council passes the city budget"
    );
}
