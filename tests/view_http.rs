//! Black-box tests of the newsroom pages and the batch endpoint, over real HTTP.

mod common;

use common::{spawn_app, spawn_app_with, Contract, TestApp, SEED};
use news_annotator::server::Config;
use serde_json::Value;

/// `application/x-www-form-urlencoded` encoding of one value.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

async fn post_form(app: &TestApp, text: &str, format: &str) -> reqwest::Response {
    app.post_form(format!("text={}&format={format}", urlencode(text)))
        .await
}

async fn html_of(r: reqwest::Response, status: u16) -> String {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    r.text().await.unwrap()
}

fn ndjson(body: &str) -> Vec<Value> {
    body.lines()
        .map(|l| serde_json::from_str(l).expect("each answer line is JSON"))
        .collect()
}

#[tokio::test]
async fn the_form_page_is_served_at_the_root() {
    let app = spawn_app().await;
    let page = html_of(app.client.get(app.url("/")).send().await.unwrap(), 200).await;
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<form class=\"annotate\" method=\"post\" action=\"/\""));
    assert!(page.contains("<label for=\"article\">"));
    assert!(!page.contains("<script"), "works without JavaScript");
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no CDN"
    );
}

#[tokio::test]
async fn posting_the_form_answers_the_reading_view() {
    let app = spawn_app().await;
    let page = html_of(post_form(&app, SEED, "auto").await, 200).await;
    assert!(page.contains("class=\"ent ent-PERSON\""));
    assert!(page.contains("Kerry</mark>"));
    assert!(page.contains("class=\"speaker-badge"));
    assert!(page.contains("<details><summary>The annotation as JSON</summary>"));
    assert!(page.contains("<td>navigation</td>") || page.contains("Skip to content"));

    // HTML pasted in the textarea is detected as such.
    let html = "<html><body><nav>Home | World</nav><article><p>Kerry said the talks were over.</p></article></body></html>";
    let page = html_of(post_form(&app, html, "auto").await, 200).await;
    let article = &page[page.find("<article").unwrap()..page.find("</article>").unwrap()];
    assert!(article.contains("talks were over"));
    assert!(!article.contains("&lt;"), "markup is not article text");
}

#[tokio::test]
async fn a_refused_form_is_a_page_with_the_problem_and_its_status() {
    let app = spawn_app().await;
    let page = html_of(post_form(&app, "   ", "text").await, 422).await;
    assert!(page.contains("role=\"alert\""));
    assert!(page.contains("There was nothing to annotate"));
    assert!(
        !page.contains("urn:"),
        "problem types are for API clients, not this page"
    );
    let small = spawn_app_with(Config {
        body_limit: 100,
        ..Config::default()
    })
    .await;
    let page = html_of(post_form(&small, &"word ".repeat(50), "text").await, 413).await;
    assert!(page.contains("longer than this service accepts"));
}

#[tokio::test]
async fn annotate_answers_html_to_browsers_and_json_to_the_rest() {
    let app = spawn_app().await;
    let browser = app
        .client
        .post(app.url("/v1/annotate"))
        .header("content-type", "text/plain")
        .header(
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .body(SEED)
        .send()
        .await
        .unwrap();
    let page = html_of(browser, 200).await;
    assert!(page.contains("class=\"ent ent-PERSON\""));
    let api = app.post("text/plain", SEED).await;
    assert_eq!(api.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn batch_answers_every_line_in_order_with_errors_in_place() {
    let app = spawn_app().await;
    let mut body = String::new();
    for i in 0..30 {
        let line = match i {
            4 => "{\"id\": 4, \"text\": ".to_string(),
            9 => "{\"id\": \"nine\", \"text\": \"a\", \"html\": \"b\"}".to_string(),
            12 => "{\"id\": 12, \"text\": \"   \"}".to_string(),
            _ => serde_json::json!({"id": i, "text": format!("Doc {i}: Kerry said it. {}", "More. ".repeat(i * 7)), "options": {"clean": false}}).to_string(),
        };
        body.push_str(&line);
        body.push('\n');
        if i == 20 {
            body.push_str("\n  \n");
        }
    }
    let r = app.post_batch(body).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let lines = ndjson(&r.text().await.unwrap());
    assert_eq!(
        lines.len(),
        30,
        "blank lines are skipped, all others answered"
    );
    let contract = Contract::load();
    for (i, v) in lines.iter().enumerate() {
        match i {
            4 => {
                assert_eq!(v["id"], Value::Null, "not JSON: no id to salvage");
                assert_eq!(v["error"]["title"], "Malformed JSON");
            }
            9 => {
                assert_eq!(v["id"], "nine");
                assert_eq!(v["error"]["status"], 400);
            }
            12 => {
                assert_eq!(v["id"], 12);
                assert_eq!(v["error"]["status"], 422);
            }
            _ => {
                assert_eq!(v["id"], i);
                assert!(v["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("Doc {i}:")));
                contract.assert_valid("Annotation", v);
            }
        }
        if let Some(e) = v.get("error") {
            contract.assert_valid("Problem", e);
        }
    }
}

#[tokio::test]
async fn batch_limits_are_413_and_other_types_415() {
    let app = spawn_app_with(Config {
        batch_max_lines: 3,
        batch_body_limit: 2000,
        body_limit: 500,
        ..Config::default()
    })
    .await;
    let line = |i: usize| format!("{{\"id\": {i}, \"text\": \"Kerry said so.\"}}\n");
    let ok = app.post_batch((0..3).map(line).collect::<String>()).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ndjson(&ok.text().await.unwrap()).len(), 3);

    let r = app.post_batch((0..4).map(line).collect::<String>()).await;
    assert_eq!(r.status(), 413);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["type"], "urn:news-annotator:problem:too-many-lines");

    let r = app
        .post_batch(format!("{{\"text\": \"{}\"}}\n", "a".repeat(2100)))
        .await;
    assert_eq!(r.status(), 413);

    // One line over the single-request limit is an error line, not the batch's end.
    let big = format!("{{\"id\": \"big\", \"text\": \"{}\"}}\n", "a ".repeat(400));
    let r = app.post_batch(format!("{big}{}", line(1))).await;
    let lines = ndjson(&r.text().await.unwrap());
    assert_eq!(lines[0]["id"], "big");
    assert_eq!(lines[0]["error"]["status"], 413);
    assert_eq!(lines[1]["id"], 1);

    let r = app
        .client
        .post(app.url("/v1/annotate/batch"))
        .header("content-type", "application/json")
        .body(line(0))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    // The batch's own media type, not the single route's list (which names JSON).
    let p: Value = r.json().await.unwrap();
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("send application/x-ndjson"), "{detail}");
    assert!(!detail.contains("text/plain"), "{detail}");
}
