//! Arbitrary bytes as a request body (HTTP `application/json`) or one line of the batch
//! protocol: both shells parse it with `api::request::parse_json`. Parsing must never
//! panic; a request that parses is annotated and its answer serialises. The bytes are
//! also read as bare `Options` and through the id salvage of failed lines. Runs on the
//! service's worker stack with its text limit (see `service.rs`).
#![no_main]

#[path = "service.rs"]
mod service;

use libfuzzer_sys::fuzz_target;
use news_annotator::api::request::{parse_json, salvage_id};
use news_annotator::Options;
use service::{on_worker_stack, pipeline};

fuzz_target!(|data: &[u8]| on_worker_stack(|| one(data)));

fn one(data: &[u8]) {
    let _ = serde_json::from_slice::<Options>(data);
    match parse_json(data) {
        Ok(req) => {
            if let Ok(mut ann) = pipeline().annotate(req.input, &req.options) {
                ann.id = req.id;
                serde_json::to_vec(&ann).expect("annotation serialises");
            }
        }
        Err(e) => {
            // Every error has its stable kind and title, and a failed line's id can be read.
            assert!(!e.kind().is_empty() && !e.title().is_empty());
            let _ = e.to_string();
            let _ = salvage_id(data);
        }
    }
}
