//! Black-box tests of the production layers: request ids, time limit, load shedding,
//! compression, CORS, API keys and the metrics endpoint.

mod common;

use std::time::Duration;

use common::{spawn_app_with, Contract, TestApp, SEED};
use news_annotator::server::Config;
use serde_json::Value;

/// An article long enough to keep a pipeline thread busy for a while in a debug build.
fn long_article() -> String {
    SEED.repeat(10)
}

async fn problem(
    response: reqwest::Response,
    status: u16,
    kind: &str,
) -> reqwest::header::HeaderMap {
    assert_eq!(response.status().as_u16(), status);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/problem+json");
    let body: Value = response.json().await.unwrap();
    Contract::load().assert_valid("Problem", &body);
    assert_eq!(body["type"], format!("urn:news-annotator:problem:{kind}"));
    headers
}

#[tokio::test]
async fn request_ids_are_generated_or_echoed() {
    let app = spawn_app_with(Config::default()).await;
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let r = app
        .client
        .get(app.url("/nowhere"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn slow_requests_time_out_with_503() {
    let app = spawn_app_with(Config {
        timeout: Duration::from_millis(1),
        ..Config::default()
    })
    .await;
    let headers = problem(app.post("text/plain", long_article()).await, 503, "timeout").await;
    assert!(headers.contains_key("retry-after"));
    // The server is still there.
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn beyond_the_in_flight_limit_requests_are_shed_at_once() {
    let app = spawn_app_with(Config {
        max_in_flight: 1,
        workers: 1,
        ..Config::default()
    })
    .await;
    let body = long_article();
    let url = app.url("/v1/annotate");
    let sends = (0..6).map(|_| {
        app.client
            .post(url.clone())
            .header("content-type", "text/plain")
            .body(body.clone())
            .send()
    });
    let responses: Vec<reqwest::Response> = futures_join_all(sends)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let mut ok = 0;
    let mut shed = 0;
    for r in responses {
        match r.status().as_u16() {
            200 => ok += 1,
            503 => {
                let headers = problem(r, 503, "overloaded").await;
                assert_eq!(headers["retry-after"], "1");
                shed += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(ok >= 1 && shed >= 1, "{ok} answered, {shed} shed");
}

/// Runs the futures concurrently (each on its own task); the outputs in input order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let app = spawn_app_with(Config::default()).await;
    let r = app
        .client
        .post(app.url("/v1/annotate"))
        .header("content-type", "text/plain")
        .header("accept-encoding", "gzip")
        .body(SEED)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let plain = app.post("text/plain", SEED).await;
    assert!(!plain.headers().contains_key("content-encoding"));
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/v1/annotate"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_allows_the_configured_origins_only() {
    let app = spawn_app_with(Config {
        cors_origins: vec!["https://cms.example.org".into()],
        ..Config::default()
    })
    .await;
    let r = preflight(&app, "https://cms.example.org").await;
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://cms.example.org"
    );
    let r = preflight(&app, "https://evil.example.com").await;
    assert!(!r.headers().contains_key("access-control-allow-origin"));

    let closed = spawn_app_with(Config::default()).await;
    let r = preflight(&closed, "https://cms.example.org").await;
    assert!(!r.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn api_keys_guard_the_annotating_routes_only() {
    let app = spawn_app_with(Config {
        api_keys: vec!["k-one".into(), "k-two".into()],
        ..Config::default()
    })
    .await;
    let send = |auth: Option<&'static str>| {
        let mut req = app
            .client
            .post(app.url("/v1/annotate"))
            .header("content-type", "text/plain")
            .body(SEED);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        req.send()
    };
    let headers = problem(send(None).await.unwrap(), 401, "unauthorized").await;
    assert_eq!(headers["www-authenticate"], "Bearer");
    problem(
        send(Some("Bearer k-three")).await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    problem(
        send(Some("Basic k-one")).await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    problem(
        send(Some("Bearer k-on")).await.unwrap(),
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(send(Some("Bearer k-two")).await.unwrap().status(), 200);
    assert_eq!(send(Some("bearer k-one")).await.unwrap().status(), 200);
    for open in ["/healthz", "/readyz", "/metrics", "/openapi.yaml", "/"] {
        assert_eq!(
            app.client.get(app.url(open)).send().await.unwrap().status(),
            200,
            "{open}"
        );
    }
    // The paste form's target and the batch do the API's work: no key, no work.
    let form = app.post_form("text=Kerry+said+so.").await;
    assert_eq!(form.status(), 401);
    let batch = app.post_batch("{\"text\": \"Kerry said so.\"}\n").await;
    assert_eq!(batch.status(), 401);
}

#[tokio::test]
async fn metrics_count_requests_stages_and_errors() {
    let app = spawn_app_with(Config::default()).await;
    assert_eq!(app.post("text/plain", SEED).await.status(), 200);
    assert_eq!(app.post("application/json", "{").await.status(), 400);
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    for needle in [
        r#"news_annotator_http_requests_total{method="POST",route="/v1/annotate",status="200"}"#,
        r#"news_annotator_http_requests_total{method="POST",route="/v1/annotate",status="400"}"#,
        r#"news_annotator_http_request_duration_seconds_bucket{route="/v1/annotate",le="#,
        r#"news_annotator_errors_total{kind="malformed-json"}"#,
        r#"news_annotator_stage_duration_seconds_bucket{stage="entities",le="#,
        r#"news_annotator_document_chars_bucket{of="input",le="#,
        "news_annotator_http_requests_in_flight",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}
