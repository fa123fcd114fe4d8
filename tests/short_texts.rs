//! Short articles through the built binary's CLI and the HTTP API: a one-sentence CMS
//! body is annotated, never refused as boilerplate; only empty, blank or binary input
//! and pages of nothing but furniture are refused (issue 14).

mod common;

use common::{check_spans, run_bin, spawn_app, Contract};
use serde_json::{json, Value};

/// Bodies a CMS sends that are too short for the boilerplate classifier.
const SHORT_BODIES: [&str; 3] = [
    "“We will win,” Biden said.",
    "Apple shares fell 3% on Tuesday.",
    "Shinzo Abe has died, NHK said.",
];

/// A short body's document: the body whole, one sentence, and any warning a known one.
fn assert_kept(doc: &Value, body: &str) {
    Contract::load().assert_valid("Annotation", doc);
    assert_eq!(doc["text"], body, "{doc}");
    assert_eq!(doc["sentences"].as_array().unwrap().len(), 1, "{doc}");
    check_spans(doc, body, true);
    for w in doc["warnings"].as_array().unwrap() {
        assert_eq!(w["code"], "kept-without-classifier", "{doc}");
    }
}

fn entity_names(doc: &Value) -> Vec<&str> {
    doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect()
}

#[test]
fn cli_annotates_one_sentence_bodies() {
    for body in SHORT_BODIES {
        let out = run_bin(&["annotate", "-"], body.as_bytes());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{body}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_kept(&doc, body);
    }
    let doc: Value =
        serde_json::from_slice(&run_bin(&["annotate", "-"], SHORT_BODIES[2].as_bytes()).stdout)
            .unwrap();
    assert!(entity_names(&doc).contains(&"Shinzo Abe"), "{doc}");
}

#[test]
fn cli_batch_annotates_short_bodies_and_refuses_only_blank_or_furniture() {
    let mut input = String::new();
    for (i, body) in SHORT_BODIES.iter().enumerate() {
        input += &format!("{}\n", json!({"id": i, "text": body}));
    }
    input += &format!("{}\n", json!({"id": "blank", "text": " \n "}));
    input += &format!(
        "{}\n",
        json!({"id": "menu", "text": "Menu\nShare\nPrivacy Policy"})
    );
    let out = run_bin(&["annotate", "--jsonl"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for (doc, body) in lines.iter().zip(SHORT_BODIES) {
        assert_kept(doc, body);
    }
    assert_eq!(
        lines[3]["error"]["type"],
        "urn:news-annotator:problem:empty-text"
    );
    assert_eq!(
        lines[4]["error"]["type"],
        "urn:news-annotator:problem:no-article-text"
    );
}

#[tokio::test]
async fn http_annotates_one_sentence_bodies_as_text_json_and_html() {
    let app = spawn_app().await;
    for body in SHORT_BODIES {
        let r = app.post("text/plain", body).await;
        assert_eq!(r.status(), 200, "{body}");
        assert_kept(&r.json().await.unwrap(), body);
        let r = app
            .post("application/json", json!({"text": body}).to_string())
            .await;
        assert_eq!(r.status(), 200, "{body}");
        assert_kept(&r.json().await.unwrap(), body);
        let page = format!("<html><body><p>{body}</p></body></html>");
        let r = app.post("text/html", page).await;
        assert_eq!(r.status(), 200, "{body}");
        let doc: Value = r.json().await.unwrap();
        Contract::load().assert_valid("Annotation", &doc);
        assert_eq!(doc["text"], body, "{doc}");
    }
}

#[tokio::test]
async fn http_a_short_body_among_furniture_is_kept_with_a_warning() {
    let app = spawn_app().await;
    let page = "Share\nMenu\nApple shares fell 3% on Tuesday.\nAdvertisement\n";
    let r = app.post("text/plain", page).await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    Contract::load().assert_valid("Annotation", &doc);
    assert_eq!(doc["text"], "Apple shares fell 3% on Tuesday.");
    assert_eq!(doc["removed"].as_array().unwrap().len(), 3, "{doc}");
    assert_eq!(
        doc["warnings"][0]["code"], "kept-without-classifier",
        "{doc}"
    );
}
