//! Languages through the built binary's CLI and the HTTP API: a body in German, Spanish
//! or French is refused with 422 `unsupported-language` naming the language, unless the
//! request forces English; English is detected; clean-only requests are never refused
//! (issue 14).

mod common;

use common::{run_bin, spawn_app, Contract};
use serde_json::{json, Value};

const GERMAN: &str = "Die Bundesregierung hat am Mittwoch entschieden, dass die neuen Regeln \
schon im kommenden Jahr gelten sollen. Der Minister sagte, man habe lange mit den Ländern \
verhandelt und sei nun zufrieden mit dem Ergebnis der Gespräche.";
const SPANISH: &str = "El Gobierno aprobó el martes una reforma que cambiará las pensiones de \
millones de personas. Según Feijóo, la medida llega tarde y no resuelve los problemas de fondo \
del sistema, que según los expertos necesita más cambios.";
const FRENCH: &str = "Le gouvernement a présenté mercredi un projet de loi qui doit réformer le \
système des retraites. Selon le ministre, les syndicats ont été consultés pendant plusieurs \
mois avant que le texte ne soit soumis au Parlement.";
const ENGLISH: &str = "The city council approved the new budget on Tuesday after a debate that \
lasted more than six hours. Critics said the increase in fees would fall on the poorest \
residents of the city and on its small shops, the mayor said.";

/// (text, ISO 639-1 code, the name the refusal gives).
const FOREIGN: [(&str, &str, &str); 3] = [
    (GERMAN, "de", "German (de)"),
    (SPANISH, "es", "Spanish (es)"),
    (FRENCH, "fr", "French (fr)"),
];

fn jsonl(requests: &[Value]) -> Vec<Value> {
    let input: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let out = run_bin(&["annotate", "--jsonl"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn assert_refused(problem: &Value, name: &str) {
    Contract::load().assert_valid("Problem", problem);
    assert_eq!(problem["status"], 422);
    assert_eq!(
        problem["type"],
        "urn:news-annotator:problem:unsupported-language"
    );
    assert!(
        problem["detail"].as_str().unwrap().contains(name),
        "{problem}"
    );
}

fn assert_forced(doc: &Value, code: &str) {
    Contract::load().assert_valid("Annotation", doc);
    assert_eq!(doc["language"], code, "{doc}");
    assert_eq!(doc["language_reliable"], true, "{doc}");
    assert_eq!(doc["warnings"][0]["code"], "language-forced", "{doc}");
}

#[test]
fn cli_refuses_german_spanish_and_french_by_name_unless_english_is_forced() {
    for (text, code, name) in FOREIGN {
        let out = run_bin(&["annotate", "-"], text.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_refused(&serde_json::from_slice(&out.stderr).unwrap(), name);
        let lines = jsonl(&[
            json!({"id": 1, "text": text}),
            json!({"id": 2, "text": text, "options": {"language": "en"}}),
            json!({"id": 3, "text": text, "options": {"entities": false, "quotes": false}}),
        ]);
        assert_refused(&lines[0]["error"], name);
        assert_forced(&lines[1], code);
        // Cleaning only: never refused, the language still reported.
        assert_eq!(lines[2]["language"], code, "{}", lines[2]);
        assert!(lines[2]["warnings"].as_array().unwrap().is_empty());
    }
}

#[test]
fn cli_detects_english() {
    let out = run_bin(&["annotate", "-"], ENGLISH.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    Contract::load().assert_valid("Annotation", &doc);
    assert_eq!(doc["language"], "en");
    assert_eq!(doc["language_reliable"], true);
    assert!(doc["language_confidence"].as_f64().unwrap() > 0.5, "{doc}");
}

#[tokio::test]
async fn http_refuses_other_languages_by_name_unless_english_is_forced() {
    let app = spawn_app().await;
    for (text, code, name) in FOREIGN {
        let r = app.post("text/plain", text).await;
        assert_eq!(r.status(), 422, "{name}");
        assert_refused(&r.json().await.unwrap(), name);
        let page = format!("<html><body><article><p>{text}</p></article></body></html>");
        let r = app.post("text/html", page).await;
        assert_eq!(r.status(), 422, "{name}");
        let forced = json!({"text": text, "options": {"language": "en"}});
        let r = app.post("application/json", forced.to_string()).await;
        assert_eq!(r.status(), 200, "{name}");
        assert_forced(&r.json().await.unwrap(), code);
    }
    let bad = json!({"text": GERMAN, "options": {"language": "de"}});
    assert_eq!(
        app.post("application/json", bad.to_string()).await.status(),
        400
    );
}

#[tokio::test]
async fn http_detects_english_and_the_reading_view_says_so() {
    let app = spawn_app().await;
    let doc: Value = app.post("text/plain", ENGLISH).await.json().await.unwrap();
    Contract::load().assert_valid("Annotation", &doc);
    assert_eq!(
        (doc["language"].as_str(), doc["language_reliable"].as_bool()),
        (Some("en"), Some(true))
    );
    let page = app
        .client
        .post(app.url("/v1/annotate"))
        .header("content-type", "text/plain")
        .header("accept", "text/html")
        .body(ENGLISH)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Language: English"), "{page}");
    // The paste form answers a refusal with the form and the problem in words.
    let form: String = GERMAN
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let refused = app.post_form(format!("text={form}&format=text")).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("in German"));
}
