//! Black-box tests of the HTTP API: a real server on a free port, spoken to over HTTP.
//! Every answer is also checked against its schema in `openapi.yaml`.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{check_spans, spawn_app, spawn_app_with, spawn_loading_app, Contract, TestApp, SEED};
use news_annotator::server::Config;
use serde_json::{json, Value};

/// Asserts an RFC 9457 answer with `status` and returns its body.
async fn expect_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem is JSON");
    Contract::load().assert_valid("Problem", &body);
    assert_eq!(body["status"], status);
    assert!(body["type"]
        .as_str()
        .unwrap()
        .starts_with("urn:news-annotator:problem:"));
    assert!(!body["title"].as_str().unwrap().is_empty());
    assert!(!body["detail"].as_str().unwrap().is_empty());
    body
}

async fn document(response: reqwest::Response) -> Value {
    assert_eq!(response.status().as_u16(), 200, "status");
    assert_eq!(response.headers()["content-type"], "application/json");
    let doc: Value = response.json().await.expect("document is JSON");
    Contract::load().assert_valid("Annotation", &doc);
    doc
}

async fn post_json(app: &TestApp, body: Value) -> reqwest::Response {
    app.post("application/json", body.to_string()).await
}

/// The parts of a document that do not depend on timing.
fn without_timings(mut doc: Value) -> Value {
    doc["stats"]["stage_us"] = Value::Null;
    doc["stats"]["total_us"] = Value::Null;
    doc.as_object_mut().unwrap().remove("id");
    doc
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let contract = Contract::load();
    for path in ["/healthz", "/readyz"] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body: Value = r.json().await.unwrap();
        contract.assert_valid("Status", &body);
    }
}

#[tokio::test]
async fn readiness_follows_model_loading() {
    let TestApp { base, client, .. } = spawn_loading_app(Config::default()).await;
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A document sent during start-up waits for the models instead of being refused.
    let early = client
        .post(format!("{base}/v1/annotate"))
        .header("content-type", "text/plain")
        .body(SEED)
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), 200);
    let mut ready = false;
    for _ in 0..200 {
        let r = client.get(format!("{base}/readyz")).send().await.unwrap();
        match r.status().as_u16() {
            200 => {
                ready = true;
                break;
            }
            503 => tokio::time::sleep(Duration::from_millis(50)).await,
            other => panic!("readyz answered {other}"),
        }
    }
    assert!(ready, "never became ready");
}

#[tokio::test]
async fn openapi_yaml_is_served_as_in_the_repository() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/openapi.yaml"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/yaml");
    assert_eq!(r.text().await.unwrap(), include_str!("../openapi.yaml"));
}

#[tokio::test]
async fn plain_text_and_json_give_the_same_document() {
    let app = spawn_app().await;
    let plain = document(app.post("text/plain; charset=utf-8", SEED).await).await;
    let json = document(post_json(&app, json!({"id": "seed-1", "text": SEED})).await).await;
    assert_eq!(json["id"], "seed-1");
    assert!(plain.get("id").is_none(), "no id was sent");
    assert_eq!(without_timings(plain), without_timings(json));
}

#[tokio::test]
async fn every_span_gives_its_text_in_both_offset_units() {
    let app = spawn_app().await;
    // Odd white space, zero-width characters and astral code points make the two
    // units and the input/text offsets differ.
    let input = format!(
        "{SEED}\r\n\r\n\u{200B}Mr. Ali\u{00A0}Khan 😀 of the U.N. said: “We   won’t 😀 go,” he added.\t\r\n"
    );
    for unit in ["codepoints", "utf16"] {
        let doc =
            document(post_json(&app, json!({"text": input, "options": {"offsets": unit}})).await)
                .await;
        assert_eq!(doc["offsets"], unit);
        let n = check_spans(&doc, &input, false);
        assert!(n > 10, "only {n} spans to check");
    }
    // Without cleaning the text is the input, and input slices are exact.
    let doc =
        document(post_json(&app, json!({"text": input, "options": {"clean": false}})).await).await;
    assert_eq!(doc["text"], input.as_str());
    check_spans(&doc, &input, true);
}

#[tokio::test]
async fn utf16_offsets_count_surrogate_pairs() {
    let app = spawn_app().await;
    let input = "😀😀 John Smith said he would go.";
    let cp =
        document(post_json(&app, json!({"text": input, "options": {"clean": false}})).await).await;
    let u16 = document(
        post_json(
            &app,
            json!({"text": input, "options": {"clean": false, "offsets": "utf16"}}),
        )
        .await,
    )
    .await;
    let first = |d: &Value| d["entities"][0]["mentions"][0].clone();
    assert_eq!(first(&cp)["text"], "John Smith");
    assert_eq!(
        (first(&cp)["start"].as_u64(), first(&u16)["start"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(
        (
            first(&cp)["input_end"].as_u64(),
            first(&u16)["input_end"].as_u64()
        ),
        (Some(13), Some(15))
    );
}

#[tokio::test]
async fn html_bodies_are_accepted() {
    let app = spawn_app().await;
    // The seed article as a page: one <p> a paragraph, an entity in the markup.
    let mut paragraphs: Vec<String> = SEED
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;")))
        .collect();
    // Inside the article: what follows the page's comment count is not article text.
    let middle = paragraphs.len() / 2;
    paragraphs.insert(middle, "<p>Tom &amp; Jerry said so.</p>\n".to_string());
    let paragraphs = paragraphs.concat();
    let html = format!(
        "<html><head><title>Kerry</title></head><body><article>{paragraphs}</article></body></html>"
    );
    let doc = document(app.post("text/html", html.clone()).await).await;
    let text = doc["text"].as_str().unwrap();
    assert!(text.contains("Secretary of State John Kerry said"));
    assert!(text.contains("Tom & Jerry said so."), "entities decoded");
    assert!(!text.contains("<p>"));
    let via_json = document(post_json(&app, json!({"html": html})).await).await;
    assert_eq!(without_timings(doc), without_timings(via_json));
}

#[tokio::test]
async fn options_switch_stages_off() {
    let app = spawn_app().await;
    let doc = document(
        post_json(
            &app,
            json!({"text": SEED, "options": {"entities": false, "quotes": false}}),
        )
        .await,
    )
    .await;
    assert_eq!(doc["entities"], json!([]));
    assert_eq!(doc["quotes"], json!([]));
    assert!(!doc["sentences"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "application/json",
            b"{\"text\": ".to_vec(),
            "malformed-json",
        ),
        (
            "application/json",
            b"{\"text\": \"caf\xe9\"}".to_vec(),
            "invalid-utf8",
        ),
        ("text/plain", b"caf\xe9 au lait".to_vec(), "invalid-utf8"),
        (
            "application/json",
            br#"{"text": "a", "html": "b"}"#.to_vec(),
            "text-or-html",
        ),
        ("application/json", br#"{"id": 3}"#.to_vec(), "text-or-html"),
        (
            "application/json",
            br#"{"text": "a", "options": {"sentiment": true}}"#.to_vec(),
            "invalid-request",
        ),
        (
            "application/json",
            br#"{"text": "a", "colour": "red"}"#.to_vec(),
            "invalid-request",
        ),
        (
            "application/json",
            br#"{"text": 42}"#.to_vec(),
            "invalid-request",
        ),
        (
            "text/plain",
            b"PNG\r\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
            "binary-input",
        ),
    ];
    for (content_type, body, kind) in cases {
        let p = expect_problem(app.post(content_type, body).await, 400).await;
        assert_eq!(
            p["type"],
            format!("urn:news-annotator:problem:{kind}"),
            "{p}"
        );
    }
}

#[tokio::test]
async fn blank_or_boilerplate_only_documents_are_422() {
    let app = spawn_app().await;
    let p = expect_problem(app.post("text/plain", " \n\t \r\n").await, 422).await;
    assert_eq!(p["type"], "urn:news-annotator:problem:empty-text");
    let p = expect_problem(post_json(&app, json!({"text": ""})).await, 422).await;
    assert_eq!(p["type"], "urn:news-annotator:problem:empty-text");
    let p = expect_problem(
        post_json(
            &app,
            json!({"html": "<html><script>var a = 1;</script></html>"}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["type"], "urn:news-annotator:problem:no-article-text");
    let removed = p["removed"].as_array().expect("removed is listed");
    assert!(!removed.is_empty());
}

#[tokio::test]
async fn other_content_types_are_415() {
    let app = spawn_app().await;
    for ct in [
        "application/x-www-form-urlencoded",
        "application/pdf",
        "text/plain; charset=latin1",
    ] {
        expect_problem(app.post(ct, "John said hi.").await, 415).await;
    }
    let r = app
        .client
        .post(app.url("/v1/annotate"))
        .body("no content type")
        .send()
        .await
        .unwrap();
    expect_problem(r, 415).await;
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let app = spawn_app_with(Config {
        body_limit: 1000,
        ..Config::default()
    })
    .await;
    // Declared length over the limit.
    let p = expect_problem(app.post("text/plain", "a".repeat(1001)).await, 413).await;
    assert!(p["detail"].as_str().unwrap().contains("1000"));
    // No declared length (chunked): cut off once the limit is passed.
    let answer = raw_exchange(app.addr, |s| {
        write!(
            s,
            "POST /v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        )?;
        for _ in 0..200 {
            write!(s, "a\r\n0123456789\r\n")?;
        }
        write!(s, "0\r\n\r\n")
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // At the limit is fine.
    // At the limit is not refused for its size (cleaning may still find no article in
    // a thousand bytes of padding: that is a 422, not a 413).
    let at_limit = app
        .post("text/plain", format!("{:<1000}", "John Smith said so."))
        .await;
    assert!(
        matches!(at_limit.status().as_u16(), 200 | 422),
        "{}",
        at_limit.status()
    );
}

/// Writes a hand-made request on a raw connection and reads the start of the answer.
async fn raw_exchange(
    addr: std::net::SocketAddr,
    send: impl FnOnce(&mut TcpStream) -> std::io::Result<()> + Send + 'static,
) -> String {
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        // The server may answer and close before everything is written: not an error here.
        let _ = send(&mut s);
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).expect("an answer");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn too_large_is_answered_while_the_client_is_still_sending() {
    let app = spawn_app().await;
    // Declare 50 MiB, send a few bytes, then wait: the answer must come without the rest.
    let answer = raw_exchange(app.addr, |s| {
        write!(
            s,
            "POST /v1/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\nJohn",
            50 << 20
        )
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer
        .to_ascii_lowercase()
        .contains("content-type: application/problem+json"));
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let app = spawn_app().await;
    let p = expect_problem(
        app.client.get(app.url("/v2/nothing")).send().await.unwrap(),
        404,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("/v2/nothing"));
    expect_problem(
        app.client
            .get(app.url("/v1/annotate"))
            .send()
            .await
            .unwrap(),
        405,
    )
    .await;
    expect_problem(
        app.client.delete(app.url("/healthz")).send().await.unwrap(),
        405,
    )
    .await;
}

#[test]
fn every_route_and_status_is_documented() {
    // Every status the service answers on POST /v1/annotate (produced by the tests here,
    // by tests/serving.rs for 401 and 503, and by the catch-panic test in
    // src/server/app.rs for 500) is in openapi.yaml, and so is every route.
    let contract = Contract::load();
    let documented = contract.documented_statuses("/v1/annotate", "post");
    for status in [
        "200", "400", "401", "413", "415", "422", "500", "503", "default",
    ] {
        assert!(
            documented.iter().any(|s| s == status),
            "{status} not documented"
        );
    }
    for (path, method) in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/openapi.yaml", "get"),
    ] {
        assert!(!contract.documented_statuses(path, method).is_empty());
    }
}

#[tokio::test]
async fn null_for_an_optional_field_is_the_same_as_leaving_it_out() {
    // What generated clients send for fields they were not given (issue 15).
    let app = spawn_app().await;
    let plain = document(post_json(&app, json!({"text": SEED})).await).await;
    for body in [
        json!({"text": SEED, "options": null}),
        json!({"text": SEED, "id": null, "html": null, "options": null}),
        json!({"text": SEED, "options": {"clean": null, "entities": null, "quotes": null, "offsets": null}}),
    ] {
        let doc = document(post_json(&app, body.clone()).await).await;
        assert_eq!(
            without_timings(doc),
            without_timings(plain.clone()),
            "{body}"
        );
    }
    let r = post_json(
        &app,
        json!({"text": SEED, "options": {"quotes": null, "typo": null}}),
    )
    .await;
    assert_eq!(
        r.status(),
        400,
        "a null under an unknown name is still refused"
    );
}
