//! The rules that keep `openapi.yaml` readable by the standard client generators
//! (openapi-python-client, openapi-typescript), checked on every `cargo test` so that a
//! field or problem type added by hand breaks here, before CI generates the clients
//! (`scripts/generated_clients.sh`). Each rule names the generator behaviour behind it;
//! the same rules are written at the top of `openapi.yaml`.

use serde_json::Value;

fn spec() -> Value {
    yaml_serde::from_str(include_str!("../openapi.yaml")).expect("openapi.yaml is YAML")
}

/// Every (JSON pointer, value) in `v`, skipping `x-*` extensions (generators ignore them).
fn walk<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a Value)>) {
    out.push((at.clone(), v));
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if !k.starts_with("x-") {
                    walk(x, format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn all_nodes(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    walk(doc, String::new(), &mut out);
    out
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type") == Some(&Value::from("null"))
}

#[test]
fn no_schema_combinator_a_generator_cannot_merge() {
    // openapi-python-client cannot merge an allOf that narrows a property ("int | None
    // can't be merged with int") and then drops every model that refers to it; a oneOf
    // of object shapes becomes an untyped `Any` body. Write the object out, and say
    // "nullable" as anyOf [X, {type: 'null'}] (or `type: [T, 'null']`).
    let doc = spec();
    for (at, node) in all_nodes(&doc) {
        let Some(m) = node.as_object() else { continue };
        for banned in ["allOf", "oneOf", "not"] {
            assert!(
                !m.contains_key(banned) || at.ends_with("/properties"),
                "{at}: `{banned}` (generators cannot merge it; write the schema out)"
            );
        }
        if let Some(any) = m.get("anyOf").and_then(Value::as_array) {
            assert!(
                any.len() == 2 && any.iter().filter(|s| is_null_schema(s)).count() == 1,
                "{at}: anyOf is only for 'X or null' (two members, one {{type: 'null'}})"
            );
        }
    }
}

#[test]
fn every_media_type_is_one_the_generators_read() {
    // openapi-python-client reads these request bodies only (others: a warning and the
    // body, or the whole operation, is dropped); responses as JSON, text/* or bytes.
    // Other media types (text/plain bodies for curl, NDJSON, YAML) go under the
    // operation's `x-raw-bodies` or the response's `x-media-type`.
    let doc = spec();
    let request_ok = |t: &str| {
        matches!(
            t,
            "application/json"
                | "application/x-www-form-urlencoded"
                | "multipart/form-data"
                | "application/octet-stream"
        ) || t.ends_with("+json")
    };
    let response_ok =
        |t: &str| t == "application/json" || t.ends_with("+json") || t.starts_with("text/");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for t in content.keys() {
                    assert!(request_ok(t), "{at}: request body {t}");
                }
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if let Some(content) = response["content"].as_object() {
                    for t in content.keys() {
                        assert!(response_ok(t), "{at} {status}: response {t}");
                    }
                }
            }
        }
    }
    for (name, response) in doc["components"]["responses"].as_object().unwrap() {
        for t in response["content"].as_object().unwrap().keys() {
            assert!(response_ok(t), "components/responses/{name}: {t}");
        }
    }
}

/// The component schemas a request body can reach through `$ref`s.
fn request_schemas(doc: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut todo: Vec<&Value> = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(content) = op["requestBody"]["content"].as_object() {
                todo.extend(content.values());
            }
        }
    }
    while let Some(v) = todo.pop() {
        for (_, node) in all_nodes(v) {
            let Some(r) = node.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let name = r.trim_start_matches("#/components/schemas/").to_string();
            if !names.contains(&name) {
                todo.push(&doc["components"]["schemas"][&name]);
                names.push(name);
            }
        }
    }
    names
}

#[test]
fn request_schemas_have_no_defaults_and_every_optional_field_takes_null() {
    // openapi-typescript turns a property with a `default` into a required one, so a
    // TypeScript client could not leave the option out: give defaults in words. And the
    // server takes `null` for every optional request field (generated clients send it for
    // a field they were not given): the schema must say so, or generated models refuse
    // to send it.
    let doc = spec();
    let names = request_schemas(&doc);
    assert!(names.contains(&"AnnotateRequest".to_string()), "{names:?}");
    for name in &names {
        let schema = &doc["components"]["schemas"][name];
        for (at, node) in all_nodes(schema) {
            assert!(
                node.get("default").is_none() || at.ends_with("/properties"),
                "{name}{at}: `default` in a request schema"
            );
        }
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(props) = schema["properties"].as_object() else {
            continue;
        };
        for (field, p) in props {
            if required.contains(&field.as_str()) {
                continue;
            }
            let untyped =
                p.get("type").is_none() && p.get("anyOf").is_none() && p.get("$ref").is_none();
            let typed_null = p["type"]
                .as_array()
                .is_some_and(|t| t.contains(&Value::from("null")));
            let any_null = p["anyOf"]
                .as_array()
                .is_some_and(|a| a.iter().any(is_null_schema));
            assert!(
                untyped || typed_null || any_null,
                "{name}.{field} is optional but its schema does not allow null"
            );
        }
    }
}

#[test]
fn raw_bodies_are_described_beside_the_typed_ones() {
    // What moved out of `content` for the generators' sake is still written down.
    let doc = spec();
    let annotate = &doc["paths"]["/v1/annotate"]["post"]["x-raw-bodies"];
    assert!(annotate.get("text/plain").is_some() && annotate.get("text/html").is_some());
    let batch = &doc["paths"]["/v1/annotate/batch"]["post"]["x-raw-bodies"];
    assert!(batch.get("application/x-ndjson").is_some());
    assert_eq!(
        doc["paths"]["/openapi.yaml"]["get"]["responses"]["200"]["x-media-type"],
        "application/yaml"
    );
}
