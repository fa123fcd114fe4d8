//! Tests of the whole clean stage on small hand-written pages.

use super::*;

fn clean_text(s: &str) -> Document {
    Cleaner::new().clean(Input::Text(s.into()), true).unwrap()
}

/// Every character of the body and title maps back to the same character of the input
/// (or, for separators and repairs, to a stretch of input).
fn assert_aligned(doc: &Document) {
    assert!(doc.alignment.is_consistent(doc.input.len()));
    for (i, c) in doc.text.char_indices() {
        let r = doc.alignment.to_input(i..i + c.len_utf8());
        let src = &doc.input[r];
        if c.is_alphanumeric() && src.chars().count() == 1 {
            assert_eq!(src, c.to_string());
        }
    }
}

#[test]
fn binary_input_is_refused() {
    let c = Cleaner::new();
    let e = c.clean(Input::Text("PNG\0\0\0IHDR".into()), true);
    assert_eq!(e.unwrap_err(), PipelineError::BinaryInput);
}

#[test]
fn blank_text_is_refused() {
    let c = Cleaner::new();
    let e = c.clean(Input::Text(" \n\t ".into()), true);
    assert_eq!(e.unwrap_err(), PipelineError::EmptyText);
}

#[test]
fn unclean_text_is_kept_exactly() {
    let c = Cleaner::new();
    let doc = c.clean(Input::Text("a\r\n  b ".into()), false).unwrap();
    assert_eq!(doc.text, "a\r\n  b ");
}

#[test]
fn repairs_compose_with_layout() {
    let doc = clean_text(
        "The minister said itâ€™s a &quot;good&quot; deal for the inter-\nnational market.\r\n",
    );
    assert!(doc
        .text
        .contains("it’s a \"good\" deal for the international market."));
    assert_aligned(&doc);
}
