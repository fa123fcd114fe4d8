//! Tests of the built binary: `annotate FILE`, `annotate --jsonl`, `healthcheck`, and
//! golden expectations of form on the seed article (not of accuracy: the stages change).

mod common;

use common::{check_spans, run_bin, spawn_app, Contract, SEED};
use serde_json::{json, Value};

const SEED_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed_article.txt"
);

/// The form every document of the seed article must have, whatever the stages find.
fn assert_seed_form(doc: &Value) {
    Contract::load().assert_valid("Annotation", doc);
    let text = doc["text"].as_str().unwrap();
    assert!(!text.is_empty() && text.chars().count() <= SEED.chars().count());
    assert!(text.contains("Secretary of State John Kerry said"));
    assert_eq!(doc["language"], "en");
    assert_eq!(doc["offsets"], "codepoints");
    // Sentences: ordered, disjoint, inside the text.
    let mut last_end = 0;
    for s in doc["sentences"].as_array().unwrap() {
        let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
        assert!(a >= last_end && a < b, "sentence {a}..{b} after {last_end}");
        last_end = b;
    }
    assert!(doc["sentences"].as_array().unwrap().len() >= 10);
    // Ids are E1.. and Q1.. in order; speaker_entity points at a listed entity.
    let entities = doc["entities"].as_array().unwrap();
    let quotes = doc["quotes"].as_array().unwrap();
    assert!(!entities.is_empty() && !quotes.is_empty());
    for (i, e) in entities.iter().enumerate() {
        assert_eq!(e["id"], format!("E{}", i + 1));
    }
    for (i, q) in quotes.iter().enumerate() {
        assert_eq!(q["id"], format!("Q{}", i + 1));
        if let Some(id) = q["speaker_entity"].as_str() {
            assert!(
                entities.iter().any(|e| e["id"] == id),
                "{id} is not an entity"
            );
        }
    }
    // Stats agree with the lists.
    let stats = &doc["stats"];
    assert_eq!(
        stats["sentences"],
        doc["sentences"].as_array().unwrap().len()
    );
    assert_eq!(stats["entities"], entities.len());
    assert_eq!(stats["quotes"], quotes.len());
    assert_eq!(stats["removed"], doc["removed"].as_array().unwrap().len());
    assert_eq!(stats["text_chars"], text.chars().count());
    assert_eq!(stats["input_chars"], SEED.chars().count());
    for stage in ["clean", "segment", "entities", "quotes", "render"] {
        assert!(
            stats["stage_us"].get(stage).is_some(),
            "no time for {stage}"
        );
    }
    assert_eq!(doc["version"]["service"], env!("CARGO_PKG_VERSION"));
    check_spans(doc, SEED, false);
}

#[test]
fn annotate_file_prints_one_pretty_document() {
    let out = run_bin(&["annotate", SEED_PATH], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("{\n  \""), "pretty-printed");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert!(doc.get("id").is_none());
    assert_seed_form(&doc);
}

#[test]
fn annotate_stdin_gives_the_same_document_as_the_file() {
    let from_file: Value =
        serde_json::from_slice(&run_bin(&["annotate", SEED_PATH], b"").stdout).unwrap();
    let from_stdin: Value =
        serde_json::from_slice(&run_bin(&["annotate", "-"], SEED.as_bytes()).stdout).unwrap();
    assert_eq!(from_file["text"], from_stdin["text"]);
    assert_eq!(from_file["entities"], from_stdin["entities"]);
    assert_eq!(from_file["quotes"], from_stdin["quotes"]);
}

#[test]
fn annotate_refusals_exit_1_with_a_problem() {
    let out = run_bin(&["annotate", "-"], b"   \n");
    assert_eq!(out.status.code(), Some(1));
    let problem: Value = serde_json::from_slice(&out.stderr).unwrap();
    Contract::load().assert_valid("Problem", &problem);
    assert_eq!(problem["status"], 422);
    let missing = run_bin(&["annotate", "/nonexistent/article.txt"], b"");
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn jsonl_keeps_order_and_ids_and_survives_a_bad_line() {
    let mut input = String::new();
    let n = 40;
    for i in 0..n {
        let line = match i {
            5 => "{\"id\": \"d5\", \"text\": ".to_string(), // truncated JSON
            9 => json!({"id": "d9", "text": "x", "html": "<p>y</p>"}).to_string(),
            13 => json!({"id": "d13", "text": "  "}).to_string(),
            17 => json!({"id": "d17", "text": SEED, "options": {"quotes": false}}).to_string(),
            // A different length for each line, so that each answer can be matched to
            // its request whatever cleaning keeps.
            _ => json!({"id": format!("d{i}"), "text": format!("{SEED}{}", " ".repeat(i))})
                .to_string(),
        };
        input.push_str(&line);
        input.push('\n');
    }
    let out = run_bin(&["annotate", "--jsonl"], input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each answer is one JSON line"))
        .collect();
    assert_eq!(lines.len(), n);
    let contract = Contract::load();
    for (i, doc) in lines.iter().enumerate() {
        match i {
            5 => {
                assert_eq!(doc["id"], Value::Null, "unparseable: no id to echo");
                contract.assert_valid("Problem", &doc["error"]);
                assert_eq!(doc["error"]["status"], 400);
            }
            9 | 13 => {
                assert_eq!(doc["id"], format!("d{i}"));
                contract.assert_valid("Problem", &doc["error"]);
                assert_eq!(doc["error"]["status"], if i == 9 { 400 } else { 422 });
            }
            _ => {
                assert_eq!(doc["id"], format!("d{i}"));
                contract.assert_valid("Annotation", doc);
                if i == 17 {
                    assert_eq!(doc["quotes"], json!([]));
                } else {
                    let sent = SEED.chars().count() + i;
                    assert_eq!(
                        doc["stats"]["input_chars"], sent,
                        "answer {i} is not for line {i}"
                    );
                }
            }
        }
    }
}

#[test]
fn healthcheck_exits_0_only_when_the_service_answers() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(spawn_app());
    let addr = app.addr.to_string();
    let up = run_bin(&["healthcheck", "--addr", &addr], b"");
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    drop(runtime); // stops the server
    let down = run_bin(&["healthcheck", "--addr", &addr], b"");
    assert_eq!(down.status.code(), Some(1));
}

#[test]
fn serve_help_names_every_route_the_api_keys_guard() {
    let out = run_bin(&["serve", "--help"], b"");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    // clap joins the doc comment's lines; collapse the wrapping it does for the terminal.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let keys = &help[help.find("--api-keys").expect("--api-keys is listed")..];
    assert!(keys.contains("/v1/* and POST /"), "{keys}");
}
