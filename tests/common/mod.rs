//! Helpers shared by the black-box tests: a server on a free port, the contract from
//! `openapi.yaml`, and the span invariants every document must hold.
#![allow(dead_code)] // each test binary uses its own subset

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use news_annotator::server::{Application, Config};
use news_annotator::Pipeline;
use serde_json::Value;

pub const SEED: &str = include_str!("../fixtures/seed_article.txt");

/// The binary Cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_news-annotator");

/// Runs the built binary with `args`, `stdin` as its input, and waits for its output.
pub fn run_bin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    // Written from another thread: a batch answers while it reads, and an answer that
    // fills the stdout pipe would otherwise stop both sides.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("binary ends");
    writer.join().expect("the writer ends");
    out
}

/// A server running on a free loopback port for the duration of one test.
pub struct TestApp {
    pub base: String,
    pub addr: std::net::SocketAddr,
    pub client: reqwest::Client,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A document to `POST /v1/annotate`.
    pub async fn post(
        &self,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.post_to("/v1/annotate", content_type, body).await
    }

    pub async fn post_to(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// A form post to the reading view's `POST /` (the body already URL-encoded).
    pub async fn post_form(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.post_to("/", "application/x-www-form-urlencoded", body)
            .await
    }

    /// Request lines to `POST /v1/annotate/batch`.
    pub async fn post_batch(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.post_to("/v1/annotate/batch", "application/x-ndjson", body)
            .await
    }

    /// The body of `GET path`, whatever its status.
    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
            .text()
            .await
            .expect("a body")
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Config::default()).await
}

pub async fn spawn_app_with(mut config: Config) -> TestApp {
    config.addr = "127.0.0.1:0".to_string();
    let pipeline = Arc::new(Pipeline::new().expect("models load"));
    let app = Application::with_pipeline(config, pipeline)
        .await
        .expect("binds");
    run(app)
}

/// A server that loads its models itself, as `serve` does: it listens at once, is not
/// ready until the models are in, and builds its pipeline from `config` (its text
/// limit included), where [`spawn_app_with`] hands it one ready-made.
pub async fn spawn_loading_app(mut config: Config) -> TestApp {
    config.addr = "127.0.0.1:0".to_string();
    run(Application::build(config).await.expect("binds"))
}

fn run(app: Application) -> TestApp {
    let addr = app.local_addr();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base: format!("http://{addr}"),
        addr,
        client: reqwest::Client::new(),
    }
}

/// The schemas of `openapi.yaml`, ready to validate instances against.
pub struct Contract {
    doc: Value,
}

impl Contract {
    pub fn load() -> Self {
        let yaml = include_str!("../../openapi.yaml");
        let doc: Value = yaml_serde::from_str(yaml).expect("openapi.yaml is YAML");
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
        Contract { doc }
    }

    /// Panics with every violation when `instance` does not match schema `name`.
    pub fn assert_valid(&self, name: &str, instance: &Value) {
        assert!(
            self.doc["components"]["schemas"].get(name).is_some(),
            "openapi.yaml has no schema {name}"
        );
        // The whole document is the root resource so that internal $refs resolve.
        let mut root = self.doc.clone();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
        root["$ref"] = format!("#/components/schemas/{name}").into();
        let validator = jsonschema::validator_for(&root).expect("schemas compile");
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "response does not match openapi.yaml schema {name}:\n{}\ninstance: {}",
            errors.join("\n"),
            serde_json::to_string(instance).unwrap()
        );
    }

    /// The documented responses of `method path`, by status.
    pub fn documented_statuses(&self, path: &str, method: &str) -> Vec<String> {
        self.doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} is not in openapi.yaml"))
            .keys()
            .cloned()
            .collect()
    }
}

/// Slices `s` by offsets in `unit` ("codepoints" or "utf16").
pub fn slice(s: &str, start: usize, end: usize, unit: &str) -> String {
    match unit {
        "codepoints" => s.chars().skip(start).take(end - start).collect(),
        "utf16" => {
            let units: Vec<u16> = s.encode_utf16().collect();
            String::from_utf16(&units[start..end]).expect("span on a UTF-16 boundary")
        }
        other => panic!("unknown offset unit {other}"),
    }
}

fn len(s: &str, unit: &str) -> usize {
    match unit {
        "codepoints" => s.chars().count(),
        _ => s.encode_utf16().count(),
    }
}

/// What cleaning is allowed to change in a plain-text input: white space (runs, odd
/// spaces, line endings) and dropped control or zero-width characters.
fn normalised(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|&c| {
            !(matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            ) || (c.is_control() && !c.is_whitespace()))
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every span of `doc` in one list, with where it was found.
pub fn all_spans(doc: &Value) -> Vec<(String, &Value)> {
    let mut spans = Vec::new();
    for e in doc["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().unwrap() {
            spans.push((format!("{} mention", e["id"]), m));
        }
    }
    for q in doc["quotes"].as_array().unwrap() {
        for c in q["content"].as_array().unwrap() {
            spans.push((format!("{} content", q["id"]), c));
        }
        for field in ["cue", "speaker"] {
            if !q[field].is_null() {
                spans.push((format!("{} {field}", q["id"]), &q[field]));
            }
        }
    }
    spans
}

/// The invariants of every span: its offsets in `text` give its text (or it is in the
/// title), and its input offsets give the same text up to cleaning's normalisation
/// (exactly, when cleaning was off). Returns how many spans were checked.
pub fn check_spans(doc: &Value, input: &str, exact_input: bool) -> usize {
    let unit = doc["offsets"].as_str().unwrap();
    let text = doc["text"].as_str().unwrap();
    let title = doc["title"].as_str().unwrap_or("");
    let spans = all_spans(doc);
    for (what, span) in &spans {
        let span_text = span["text"].as_str().unwrap();
        assert!(!span_text.is_empty(), "{what}: empty span");
        match (span["start"].as_u64(), span["end"].as_u64()) {
            (Some(s), Some(e)) => {
                let (s, e) = (s as usize, e as usize);
                assert!(
                    s < e && e <= len(text, unit),
                    "{what}: {s}..{e} out of range"
                );
                assert_eq!(
                    slice(text, s, e, unit),
                    span_text,
                    "{what}: text[start..end]"
                );
            }
            (None, None) => assert!(
                title.contains(span_text),
                "{what}: null offsets but not in the title"
            ),
            other => panic!("{what}: half-null offsets {other:?}"),
        }
        let (is, ie) = (
            span["input_start"].as_u64().unwrap() as usize,
            span["input_end"].as_u64().unwrap() as usize,
        );
        assert!(
            is < ie && ie <= len(input, unit),
            "{what}: input {is}..{ie} out of range"
        );
        let sent = slice(input, is, ie, unit);
        if exact_input {
            assert_eq!(sent, span_text, "{what}: input slice");
        } else {
            assert_eq!(
                normalised(&sent),
                normalised(span_text),
                "{what}: input slice"
            );
        }
    }
    for s in doc["sentences"].as_array().unwrap() {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(
            a < b && b as usize <= len(text, unit),
            "sentence {a}..{b} out of range"
        );
    }
    spans.len()
}
